//! Sample documents and poppler helpers shared by the tests, the bench and the example.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use rightsdesk_print::{Align, Block, Document, Footer, Para};

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
