//! Sample documents and poppler helpers shared by the tests, the bench and the example.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use rightsdesk_print::{Align, Bar, BarChart, Block, Column, Document, Footer, Para, Table, TableRow};

pub const PROTOCOL: &str = "Nr. prot. 02-560/042-2026";
pub const PAGE_LABEL: &str = "Faqe {page} nga {pages}";
pub const LETTERHEAD: [&str; 5] = [
    "Republika e Kosovës",
    "Republika Kosova · Republic of Kosovo",
    "Komuna e Gjakovës · Opština Đakovica · Municipality of Gjakova",
    "Njësia për të Drejtat e Njeriut · Jedinica za ljudska prava",
    "Rruga e Shkollës 12, Gjakovë · +383 390 000 000 · njdn@gjakova.example",
];

/// A referral letter as the app will build it: letterhead, fields, heading, justified body,
/// a list of enclosures and a signature kept together. `extra_paragraphs` lengthen the case
/// summary (0: one page; 14: three pages).
pub fn referral_letter(extra_paragraphs: usize, logo: Option<Vec<u8>>) -> Document {
    let mut blocks = vec![
        Block::Fields(vec![
            ("Nr. prot.:".into(), "02-560/042-2026".into()),
            ("Data / Datum:".into(), "14.05.2026".into()),
            (
                "Për / Za:".into(),
                "Qendra për Punë Sociale, Gjakovë\nCentar za socijalni rad, Đakovica".into(),
            ),
            (
                "Lënda / Predmet:".into(),
                "Referim i rastit RD-2026-0042 / Upućivanje slučaja RD-2026-0042".into(),
            ),
        ]),
        Block::Heading("Letër referimi / Pismo upućivanja".into()),
        Block::Paragraph(Para::new("Të nderuar,").space_after(2.0)),
        Block::Paragraph(
            Para::new(
                "Njësia për të Drejtat e Njeriut e Komunës së Gjakovës ju referon klientin tonë, zotin \
             Arbër Krasniqi, i cili ka nevojë për ndihmë lidhur me regjistrimin e pronës së trashëguar \
             dhe me pajisjen me dokumente personale. Klienti ka dhënë pëlqimin me shkrim për këtë \
             referim dhe për ndarjen e të dhënave të mëposhtme me institucionin tuaj.",
            )
            .align(Align::Justify),
        ),
        Block::Paragraph(
            Para::new(
                "Jedinica za ljudska prava Opštine Đakovica upućuje Vam našeg klijenta, gospodina Šćepana \
             Đorđevića iz Žabljaka, kojem je potrebna pomoć u vezi sa upisom prava svojine i \
             pribavljanjem ličnih dokumenata. Клијент је дао писмену сагласност за ово упућивање.",
            )
            .align(Align::Justify),
        ),
    ];
    if extra_paragraphs > 0 {
        blocks.push(Block::Heading("Përmbledhja e rastit / Rezime slučaja".into()));
        for i in 1..=extra_paragraphs {
            blocks.push(Block::Paragraph(
                Para::new(format!(
                    "{i}. Klienti u paraqit në zyrën tonë më {i} mars dhe kërkoi këshillë për çështjen e \
                     trashëgimisë; dokumentet e paraqitura u shqyrtuan dhe kopjet i bashkëngjiten kësaj \
                     letre. Klijent je dostavio rješenje o nasljeđivanju i zatražio savjet o daljim \
                     koracima. Клијент је доставио рјешење о насљеђивању и затражио савјет о даљим \
                     корацима пред надлежним органом. The client asked that all further correspondence \
                     be sent in Albanian and Serbian."
                ))
                .align(Align::Justify),
            ));
        }
    }
    blocks.extend([
        Block::Paragraph(Para::new("Bashkëngjitur / U prilogu:").bold().space_after(1.0)),
        Block::List {
            items: vec![
                "Pëlqimi i klientit për referim / Saglasnost klijenta".into(),
                "Kopja e letërnjoftimit / Kopija lične karte".into(),
                "Aktvendimi për trashëgimi / Rešenje o nasleđivanju".into(),
            ],
            numbered: true,
        },
        Block::KeepTogether(vec![
            Block::Paragraph(Para::new("Me respekt / S poštovanjem,").space_after(14.0)),
            Block::Rule,
            Block::Paragraph(Para::new(
                "Arbër Krasniqi\nZyrtar për të drejtat e njeriut / Službenik za ljudska prava",
            )),
        ]),
    ]);
    Document {
        title: "Letër referimi RD-2026-0042".into(),
        author: "Komuna e Gjakovës — Njësia për të Drejtat e Njeriut".into(),
        lang: "sq".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 5, 14).expect("valid date"),
        logo,
        letterhead: LETTERHEAD.iter().map(|l| l.to_string()).collect(),
        blocks,
        footer: Footer { left: PROTOCOL.into(), page_label: PAGE_LABEL.into() },
    }
}

/// The 26 grounds of discrimination of the Law on Protection from Discrimination, in Albanian.
pub const GROUNDS: [&str; 26] = [
    "Kombësia",
    "Lidhja me ndonjë komunitet",
    "Origjina sociale ose kombëtare",
    "Raca",
    "Etnia",
    "Ngjyra",
    "Lindja",
    "Origjina",
    "Seksi",
    "Gjinia",
    "Identiteti gjinor",
    "Orientimi seksual",
    "Gjuha",
    "Shtetësia",
    "Besimi fetar dhe religjioni",
    "Përkatësia politike",
    "Mendimi politik ose mendime të tjera",
    "Gjendja sociale ose personale",
    "Mosha",
    "Gjendja familjare ose martesore",
    "Shtatzënia",
    "Amësia",
    "Gjendja pasurore",
    "Gjendja shëndetësore",
    "Aftësia e kufizuar",
    "Trashëgimia gjenetike",
];

/// Twelve communities, as the report's columns.
pub const COMMUNITIES: [&str; 12] = [
    "Shqiptarë",
    "Serbë",
    "Romë",
    "Ashkali",
    "Egjiptianë",
    "Boshnjakë",
    "Turq",
    "Goranë",
    "Malazezë",
    "Kroatë",
    "Të tjerë",
    "E panjohur",
];

/// A deterministic small number for cell `(i, j)`.
pub fn count(i: usize, j: usize) -> u32 {
    ((i * 7 + j * 13 + i * j) % 23) as u32
}

/// Suppressed below 5, as reports print small numbers.
pub fn shown(n: u32) -> String {
    if n == 0 {
        "–".into()
    } else if n < 5 {
        "<5".into()
    } else {
        n.to_string()
    }
}

/// The long list of cases: `n` rows, a case number, a ground and a community (two label
/// columns that wrap) and two number columns; every seventh row's description is long.
pub fn case_table(n: usize) -> Table {
    let rows = (1..=n)
        .map(|i| {
            let ground = if i % 7 == 0 {
                format!(
                    "{} dhe {} (ankesë e përbashkët e disa klientëve)",
                    GROUNDS[i % 26],
                    GROUNDS[(i + 5) % 26]
                )
            } else {
                GROUNDS[i % 26].to_string()
            };
            TableRow::new(vec![
                format!("RD-2026-{i:04}"),
                ground,
                COMMUNITIES[i % 12].to_string(),
                format!("{}", 3 + i % 40),
                format!("{}", i % 3),
            ])
        })
        .collect();
    Table::new(
        vec![
            Column::label("Rasti"),
            Column::label("Baza e diskriminimit"),
            Column::label("Komuniteti"),
            Column::number("Ditë deri në vendim"),
            Column::number("Referime"),
        ],
        rows,
    )
}

/// Grounds × communities and a total column (14 columns: too wide for one page), with a bold
/// total row.
pub fn grounds_by_community() -> Table {
    let mut columns = vec![Column::label("Baza")];
    columns.extend(COMMUNITIES.iter().map(|c| Column::number(*c)));
    columns.push(Column::number("Gjithsej"));
    let mut rows: Vec<TableRow> = GROUNDS
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut cells = vec![g.to_string()];
            cells.extend((0..12).map(|j| shown(count(i, j))));
            cells.push((0..12).map(|j| count(i, j)).sum::<u32>().to_string());
            TableRow::new(cells)
        })
        .collect();
    let mut total = vec!["Gjithsej".to_string()];
    total.extend((0..12).map(|j| (0..26).map(|i| count(i, j)).sum::<u32>().to_string()));
    total.push((0..26).flat_map(|i| (0..12).map(move |j| count(i, j))).sum::<u32>().to_string());
    rows.push(TableRow::bold(total));
    Table::new(columns, rows)
}

/// Cases by ground, stacked by sex (women, men, not stated), small numbers suppressed.
pub fn stacked_chart() -> BarChart {
    BarChart {
        title: "Rastet sipas bazës dhe gjinisë së palës / Slučajevi po osnovu i polu".into(),
        series: vec!["Gra / Žene".into(), "Burra / Muškarci".into(), "Pa të dhëna / Bez podataka".into()],
        bars: GROUNDS[..10]
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let (w, m, u) = (count(i, 1) + 4, count(i, 2), count(i, 3) % 6);
                let values = vec![Some(f64::from(w)), (m >= 5).then_some(f64::from(m)), Some(f64::from(u))];
                let text = if m >= 5 { (w + m + u).to_string() } else { format!("{} + <5", w + u) };
                Bar::new(*g, values, text)
            })
            .chain([Bar::new("Pa raste në periudhë", vec![Some(0.0), None, None], "0")])
            .collect(),
    }
}

/// Cases per month, one series.
pub fn simple_chart() -> BarChart {
    let months = ["Janar", "Shkurt", "Mars", "Prill", "Maj", "Qershor"];
    BarChart {
        title: "Rastet e hapura sipas muajit / Otvoreni slučajevi po mesecu".into(),
        series: vec!["Raste".into()],
        bars: months
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let n = count(i, 4) + 2;
                Bar::new(*m, vec![(n >= 5).then_some(f64::from(n))], shown(n))
            })
            .collect(),
    }
}

/// A period report: a heading and text, a 3-page case list, a table too wide for the page, a
/// stacked and a simple chart.
pub fn period_report() -> Document {
    Document {
        title: "Raporti i periudhës janar–qershor 2026".into(),
        author: "Komuna e Gjakovës — Njësia për të Drejtat e Njeriut".into(),
        lang: "sq".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("valid date"),
        logo: None,
        letterhead: LETTERHEAD.iter().map(|l| l.to_string()).collect(),
        blocks: vec![
            Block::Heading("Raporti i periudhës janar–qershor 2026".into()),
            Block::Paragraph(
                Para::new(
                    "Ky raport përmbledh rastet e trajtuara nga Njësia gjatë periudhës. Numrat nën pesë \
                     shënohen „<5“ për të mbrojtur privatësinë e palëve.",
                )
                .align(Align::Justify),
            ),
            Block::Heading("1. Lista e rasteve / Spisak slučajeva".into()),
            Block::Table(case_table(120)),
            Block::Heading("2. Rastet sipas bazës dhe komunitetit".into()),
            Block::Table(grounds_by_community()),
            Block::Heading("3. Grafikët / Grafikoni".into()),
            Block::BarChart(stacked_chart()),
            Block::BarChart(simple_chart()),
        ],
        footer: Footer { left: "Raport periodik 2026/1".into(), page_label: PAGE_LABEL.into() },
    }
}

/// A square emblem, `side` pixels, RGBA with a transparent background.
pub fn logo_png(side: u32) -> Vec<u8> {
    let c = side as f32 / 2.0;
    let mut px = Vec::with_capacity((side * side * 4) as usize);
    for y in 0..side {
        for x in 0..side {
            let r = ((x as f32 + 0.5 - c).powi(2) + (y as f32 + 0.5 - c).powi(2)).sqrt() / c;
            let rgba = if r > 0.97 {
                [0, 0, 0, 0]
            } else if (r - 0.62).abs() < 0.1 {
                [230, 190, 60, 255]
            } else {
                [26, 51, 115, 255]
            };
            px.extend_from_slice(&rgba);
        }
    }
    encode_png(side, side, png::ColorType::Rgba, &px)
}

pub fn encode_png(w: u32, h: u32, color: png::ColorType, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("png header");
    writer.write_image_data(pixels).expect("png data");
    writer.finish().expect("png end");
    out
}

/// Runs a poppler tool on `pdf` (written to `dir`) and returns its standard output.
pub fn poppler(dir: &Path, tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out =
        Command::new(tool).args(args).arg(&path).arg("-").output().unwrap_or_else(|e| {
            panic!("{tool} must be installed (poppler-utils, scripts/setup --test): {e}")
        });
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// For tools that take no output argument (`pdfinfo`, `pdffonts`, `pdfimages -list`).
pub fn poppler_info(dir: &Path, tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out =
        Command::new(tool).args(args).arg(&path).output().unwrap_or_else(|e| {
            panic!("{tool} must be installed (poppler-utils, scripts/setup --test): {e}")
        });
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// One word box from `pdftotext -bbox`, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct Word {
    /// 1-based.
    pub page: usize,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    /// HTML entities decoded.
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).expect("attribute") + key.len();
    let end = start + tag[start..].find('"').expect("closing quote");
    tag[start..end].parse().expect("a number")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Page width, page height and every word with its box, as `pdftotext -bbox` reads them.
pub fn word_boxes(pdf: &[u8]) -> (f32, f32, Vec<Word>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = poppler(dir.path(), "pdftotext", &["-bbox"], pdf);
    let (mut w, mut h, mut page) = (0.0, 0.0, 0);
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            (w, h) = (attr(line, "width"), attr(line, "height"));
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').expect("tag end");
            let text = unescape(rest[close + 1..].trim_end_matches("</word>"));
            words.push(Word {
                page,
                x_min: attr(rest, "xMin"),
                y_min: attr(rest, "yMin"),
                x_max: attr(rest, "xMax"),
                y_max: attr(rest, "yMax"),
                text,
            });
        }
    }
    (w, h, words)
}
