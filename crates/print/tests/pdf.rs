//! End-to-end checks of the PDFs `render` writes, read back with poppler-utils (`pdftotext`,
//! `pdfinfo`, `pdffonts`, `pdfimages`) — installed by `scripts/setup --test`.

mod common;

use common::{PAGE_LABEL, PROTOCOL, logo_png, poppler, poppler_info, referral_letter, word_boxes};
use rightsdesk_print::geometry::{MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MM};
use rightsdesk_print::{
    Align, Block, Document, Footer, Para, PrintError, check_logo, check_text, render, render_counted,
};

const ALBANIAN: &str = "A B C Ç D Dh E Ë F G Gj H I J K L Ll M N Nj O P Q R Rr S Sh T Th U V X Xh Y Z Zh \
                        a b c ç d dh e ë f g gj h i j k l ll m n nj o p q r rr s sh t th u v x xh y z zh";
const SERBIAN_LATIN: &str = "A B C Č Ć D Dž Đ E F G H I J K L Lj M N Nj O P R S Š T U V Z Ž \
                             a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž";
const CYRILLIC_UPPER: &str = "А Б В Г Д Ђ Е Ж З И Ј К Л Љ М Н Њ О П Р С Т Ћ У Ф Х Ц Ч Џ Ш";
const CYRILLIC_LOWER: &str = "а б в г д ђ е ж з и ј к л љ м н њ о п р с т ћ у ф х ц ч џ ш";
const ENGLISH: &str =
    "The quick brown fox jumps over the lazy dog; 0123456789 (€, %, “quotes”, dash – and —).";

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        title: "Test".into(),
        author: "Rightsdesk tests".into(),
        lang: "sq".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 5, 14).expect("date"),
        logo: None,
        letterhead: Vec::new(),
        blocks,
        footer: Footer { left: PROTOCOL.into(), page_label: PAGE_LABEL.into() },
    }
}

fn text_of(pdf: &[u8]) -> String {
    poppler(dir().path(), "pdftotext", &["-enc", "UTF-8"], pdf)
}

/// `pdftotext` output, one string per page.
fn pages_of(pdf: &[u8]) -> Vec<String> {
    let text = text_of(pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn page_count(pdf: &[u8]) -> usize {
    let info = poppler_info(dir().path(), "pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// Each letter as a word, capital then small ("Çç", "Dhdh", "Ђђ"): pdftotext's default mode
/// drops the spaces of a line of evenly spaced single letters (it takes it for letter-spaced
/// text), so single letters are checked in `-raw` mode below.
fn letter_words(alphabet: &str) -> String {
    let half: Vec<&str> = alphabet.split(' ').collect();
    let (upper, lower) = half.split_at(half.len() / 2);
    upper.iter().zip(lower).map(|(u, l)| format!("{u}{l}")).collect::<Vec<_>>().join(" ")
}

#[test]
fn every_letter_of_albanian_serbian_and_english_extracts_exactly() {
    assert_eq!(CYRILLIC_UPPER.split(' ').count(), 30, "the Serbian Cyrillic alphabet has 30 letters");
    assert_eq!(CYRILLIC_LOWER.split(' ').count(), 30);
    assert_eq!(ALBANIAN.split(' ').count(), 2 * 36, "the Albanian alphabet has 36 letters");
    assert_eq!(SERBIAN_LATIN.split(' ').count(), 2 * 30, "Gaj's Latin alphabet has 30 letters");
    let cyrillic = format!("{CYRILLIC_UPPER} {CYRILLIC_LOWER}");
    let samples = [
        letter_words(ALBANIAN),
        letter_words(SERBIAN_LATIN),
        letter_words(&cyrillic),
        "Çështja e ëndrrës së Gjakovës: çdo fëmijë ka të drejtë.".to_string(),
        "Šćepan Đorđević iz Žabljaka; džep, ljiljan, njegov, čađ.".to_string(),
        "Шћепан Ђорђевић из Жабљака; џеп, љиљан, његов, чађ.".to_string(),
        ENGLISH.to_string(),
    ];
    let mut blocks: Vec<Block> = samples.iter().map(|s| Block::para(s.clone())).collect();
    // the same in the bold face
    blocks.extend(samples.iter().map(|s| Block::Paragraph(Para::new(s.clone()).bold())));
    let pdf = render(&doc(blocks)).expect("renders");
    // lines wrap: compare with whitespace normalised
    let text = text_of(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    for sample in &samples {
        assert_eq!(
            text.matches(sample.as_str()).count(),
            2,
            "{sample:?} extracts exactly, regular and bold, from:\n{text}"
        );
    }

    let singles = [ALBANIAN, SERBIAN_LATIN, CYRILLIC_UPPER, CYRILLIC_LOWER];
    let pdf = render(&doc(singles.iter().map(|s| Block::para(*s)).collect())).expect("renders");
    let raw = poppler(dir().path(), "pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for sample in singles {
        assert!(raw.contains(sample), "{sample:?} extracts letter by letter from:\n{raw}");
    }
}

#[test]
fn decomposed_input_prints_as_the_composed_letter() {
    // "ë" typed as e + U+0308 and "Ć" as C + U+0301: without NFC they would be two glyphs each
    let decomposed = render(&doc(vec![Block::para("Gjakove\u{308} C\u{301}uprija")])).expect("renders");
    let composed = render(&doc(vec![Block::para("Gjakovë Ćuprija")])).expect("renders");
    assert!(text_of(&decomposed).contains("Gjakovë Ćuprija"));
    assert_eq!(decomposed, composed, "normalised before anything else, so the same document");
}

#[test]
fn control_characters_are_cleaned_not_printed() {
    let pdf = render(&doc(vec![Block::para("a\tb\u{7}c\u{200B}d\r\ne")])).expect("renders");
    let text = text_of(&pdf);
    assert!(text.contains("a bcd\ne"), "tab -> space, BEL and ZWSP dropped, CRLF -> line break: {text:?}");
}

/// 4000 words of mixed-language narrative, deterministic.
fn narrative(words: usize) -> Vec<String> {
    let vocabulary = [
        "klienti",
        "zyrën",
        "çështjen",
        "trashëgimisë",
        "Gjakovë",
        "klijent",
        "rješenje",
        "nasljeđivanju",
        "Đakovica",
        "šćepan",
        "žalba",
        "клијент",
        "рјешење",
        "насљеђивању",
        "Ђорђевић",
        "Џаковица",
        "љубав",
        "њива",
        "the",
        "office",
        "documents",
        "inheritance",
        "referral",
        "2026",
        "RD-0042",
    ];
    let mut state = 0x2545_f491_u64;
    (0..words)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            vocabulary[(state >> 33) as usize % vocabulary.len()].to_string()
        })
        .collect()
}

/// Paragraphs of 150 words (alternately justified and ragged) with a heading every third one.
fn narrative_blocks(words: &[String]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (i, chunk) in words.chunks(150).enumerate() {
        if i % 3 == 0 {
            blocks.push(Block::Heading(format!("Kapitulli {i} / Поглавље {i}")));
        }
        let align = if i % 2 == 0 { Align::Justify } else { Align::Left };
        blocks.push(Block::Paragraph(Para::new(chunk.join(" ")).align(align)));
    }
    blocks
}

#[test]
fn a_long_narrative_flows_over_pages_without_losing_a_word() {
    let words = narrative(4000);
    let blocks = narrative_blocks(&words);
    let mut expected = Vec::new();
    for block in &blocks {
        match block {
            Block::Heading(t) => expected.extend(t.split_whitespace().map(str::to_string)),
            Block::Paragraph(p) => expected.extend(p.text.split_whitespace().map(str::to_string)),
            _ => {}
        }
    }
    let pdf = render(&doc(blocks)).expect("renders");
    let pages = pages_of(&pdf);
    let n = pages.len();
    assert!(n >= 3, "4000 words need at least 3 pages, got {n}");
    assert_eq!(page_count(&pdf), n);
    let mut extracted = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let label = format!("Faqe {} nga {}", i + 1, n);
        let lines: Vec<&str> = page.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert!(lines.contains(&label.as_str()), "page {} carries {label:?}", i + 1);
        assert!(lines.contains(&PROTOCOL), "page {} carries the protocol number", i + 1);
        extracted.extend(
            lines
                .iter()
                .filter(|l| **l != label && **l != PROTOCOL)
                .flat_map(|l| l.split_whitespace().map(str::to_string)),
        );
    }
    assert_eq!(extracted.len(), expected.len(), "as many words out as in");
    if let Some(i) = extracted.iter().zip(&expected).position(|(a, b)| a != b) {
        panic!("word {i} differs: got {:?}, expected {:?}", &extracted[i..i + 5], &expected[i..i + 5]);
    }
}

#[test]
fn an_over_long_word_is_split_over_lines_and_kept_whole() {
    let url = format!("https://example.org/{}", "ë/çđž-абв_".repeat(28));
    assert!(url.chars().count() >= 300);
    let pdf = render(&doc(vec![Block::para(format!("Shih: {url} (link)"))])).expect("renders");
    let text = text_of(&pdf);
    let lines_with_url = text.lines().filter(|l| l.contains("ë/çđž")).count();
    assert!(lines_with_url >= 3, "the 300-character word takes several lines: {text}");
    let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(joined.contains(&url), "every character of the long word is there, in order");
}

#[test]
fn pages_are_a4_and_fonts_are_embedded_subset_with_unicode_maps() {
    let pdf = render(&referral_letter(14, None)).expect("renders");
    let info = poppler_info(dir().path(), "pdfinfo", &[], &pdf);
    let size_line = info.lines().find(|l| l.starts_with("Page size:")).expect("page size");
    let dims: Vec<f32> = size_line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(
        dims.len() == 2 && (dims[0] - 595.28).abs() < 0.01 && (dims[1] - 841.89).abs() < 0.01,
        "A4 is 595.28 x 841.89 pt: {size_line}"
    );
    assert!(size_line.contains("(A4)"), "{size_line}");
    assert_eq!(page_count(&pdf), 3, "the 14-paragraph sample letter is three pages");
    let counted = render_counted(&referral_letter(14, None)).expect("renders");
    assert_eq!((counted.pages, counted.bytes), (3, pdf.clone()), "render_counted counts the same pages");
    assert!(info.contains("Title:           Letër referimi RD-2026-0042"), "{info}");
    assert!(info.contains("CreationDate:    Thu May 14 00:00:00 2026 UTC"), "the document's date: {info}");
    assert!(info.contains("Producer:        Rightsdesk"), "{info}");
    assert!(!info.contains("PDF/X") && !info.contains("subtype"), "not claiming PDF/X: {info}");

    let fonts = poppler_info(dir().path(), "pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].bytes().all(|b| b.is_ascii_uppercase()),
            "subset fonts are named ABCDEF+Name: {name}"
        );
        assert!(name.ends_with("+DejaVuSans") || name.ends_with("+DejaVuSans-Bold"), "{name}");
        // columns: name type type encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, ToUnicode: {row}");
    }
}

#[test]
fn the_same_document_gives_the_same_bytes_and_a_different_one_different_bytes() {
    let letter = referral_letter(14, Some(logo_png(96)));
    let a = render(&letter).expect("renders");
    let b = render(&letter).expect("renders");
    assert!(a == b, "two renders in one process are byte-identical");

    let mut changed = letter.clone();
    if let Some(Block::Paragraph(p)) = changed.blocks.get_mut(3) {
        p.text = p.text.replacen("Arbër", "Arber", 1);
    }
    assert_ne!(render(&changed).expect("renders"), a, "one letter changed: different bytes");
    let mut redated = letter.clone();
    redated.date = chrono::NaiveDate::from_ymd_opt(2026, 5, 15).expect("date");
    assert_ne!(render(&redated).expect("renders"), a, "another date: different bytes");
}

/// Helper for the next test: run in a child process, writes the letter to `$RD_PRINT_OUT`.
#[test]
#[ignore = "run by the_same_document_gives_the_same_bytes_in_another_process"]
fn write_letter_for_other_process() {
    if let Ok(path) = std::env::var("RD_PRINT_OUT") {
        let pdf = render(&referral_letter(14, Some(logo_png(96)))).expect("renders");
        std::fs::write(path, pdf).expect("write");
    }
}

#[test]
fn the_same_document_gives_the_same_bytes_in_another_process() {
    let dir = dir();
    let path = dir.path().join("child.pdf");
    let child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--ignored", "--exact", "write_letter_for_other_process"])
        .env("RD_PRINT_OUT", &path)
        .output()
        .expect("child runs");
    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stdout));
    let child = std::fs::read(&path).expect("the child wrote the letter");
    let here = render(&referral_letter(14, Some(logo_png(96)))).expect("renders");
    assert!(child == here, "no process-wide counters, random ids or clock in the bytes");
}

#[test]
fn a_character_the_fonts_lack_is_refused_wherever_it_is() {
    for ch in ['\u{0F00}', '中'] {
        let text = format!("Përshëndetje {ch} miq");
        let mut cases = vec![
            doc(vec![Block::para(text.clone())]),
            doc(vec![Block::Heading(text.clone())]),
            doc(vec![Block::List { items: vec![text.clone()], numbered: false }]),
            doc(vec![Block::Fields(vec![(text.clone(), "x".into())])]),
            doc(vec![Block::KeepTogether(vec![Block::para(text.clone())])]),
        ];
        let mut footer = doc(vec![]);
        footer.footer.left = text.clone();
        cases.push(footer);
        let mut letterhead = doc(vec![]);
        letterhead.letterhead = vec![text.clone()];
        cases.push(letterhead);
        for case in cases {
            match render(&case) {
                Err(PrintError::MissingGlyph { ch: got, context }) => {
                    assert_eq!(got, ch);
                    assert!(context.contains("Përshëndetje"), "context shows where: {context}");
                }
                other => panic!("{ch:?} must be refused, not printed as a box: {other:?}"),
            }
        }
        assert!(matches!(check_text(&text), Err(PrintError::MissingGlyph { .. })));
    }
    assert_eq!(check_text(&format!("{ALBANIAN} {SERBIAN_LATIN} {CYRILLIC_UPPER} {CYRILLIC_LOWER}")), Ok(()));
}

#[test]
fn a_one_page_letter_is_small() {
    let pdf = render(&referral_letter(0, None)).expect("renders");
    assert_eq!(page_count(&pdf), 1);
    assert!(pdf.len() < 60 * 1024, "one-page letter without logo is {} bytes, budget 60 KB", pdf.len());
    let with_logo = render(&referral_letter(0, Some(logo_png(96)))).expect("renders");
    assert!(
        with_logo.len() < pdf.len() + 10 * 1024,
        "a 96 px logo adds {} bytes",
        with_logo.len() - pdf.len()
    );
}

#[test]
fn a_png_logo_is_drawn_and_a_corrupt_one_is_a_clear_error() {
    let dir = dir();
    let rgba = render(&referral_letter(0, Some(logo_png(96)))).expect("an RGBA logo renders");
    let list = poppler_info(dir.path(), "pdfimages", &["-list"], &rgba);
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert!(images.iter().any(|l| l.contains(" image ") && l.contains("96    96")), "the logo: {list}");
    assert!(images.iter().any(|l| l.contains(" smask ")), "its transparency as a soft mask: {list}");

    let grey = common::encode_png(8, 4, png::ColorType::Grayscale, &[128; 32]);
    let pdf = render(&referral_letter(0, Some(grey))).expect("a greyscale logo renders");
    assert!(poppler_info(dir.path(), "pdfimages", &["-list"], &pdf).contains(" gray "));

    let mut corrupt = logo_png(96);
    corrupt.truncate(corrupt.len() / 2);
    assert_eq!(check_logo(&logo_png(96)), Ok(()));
    for bad in [corrupt, b"not a png".to_vec(), Vec::new()] {
        assert!(matches!(check_logo(&bad), Err(PrintError::Logo(_))), "check_logo refuses it too");
        match render(&referral_letter(0, Some(bad))) {
            Err(err @ PrintError::Logo(_)) => assert!(err.to_string().starts_with("the logo cannot be used")),
            other => panic!("a corrupt logo is a clear error, got {other:?}"),
        }
    }
    let wide = common::encode_png(5000, 1, png::ColorType::Grayscale, &[0; 5000]);
    assert!(
        matches!(render(&referral_letter(0, Some(wide))), Err(PrintError::Logo(m)) if m.contains("4096"))
    );
}

#[test]
fn nothing_is_drawn_outside_the_margins() {
    let mut blocks = narrative_blocks(&narrative(1500));
    blocks.insert(2, Block::para(format!("URL: https://example.org/{}", "x".repeat(300))));
    blocks.push(Block::Paragraph(Para::new("Right-aligned, a little larger").size(16.0).align(Align::Right)));
    blocks.push(Block::Paragraph(Para::new(narrative(80).join(" ")).align(Align::Center).indent(20.0)));
    blocks.push(Block::Fields(vec![(
        "A label long enough to wrap in its column".into(),
        narrative(60).join(" "),
    )]));
    blocks.push(Block::List { items: vec![narrative(70).join(" "); 12], numbered: true });
    let mut letter = referral_letter(3, Some(logo_png(64)));
    letter.blocks.extend(blocks);
    let pdf = render(&letter).expect("renders");
    let (w, h, words) = word_boxes(&pdf);
    assert!((w - 595.28).abs() < 0.01 && (h - 841.89).abs() < 0.01);
    assert!(words.len() > 2000, "the document was read: {} words", words.len());
    let tolerance = 0.5;
    let footer_words: Vec<&str> = PROTOCOL.split(' ').chain(["Faqe", "nga"]).collect();
    for word in &words {
        assert!(
            word.x_min >= MARGIN_LEFT - tolerance && word.x_max <= w - MARGIN_RIGHT + tolerance,
            "inside the left and right margins: {word:?}"
        );
        assert!(word.y_min >= MARGIN_TOP - tolerance, "below the top margin: {word:?}");
        if word.y_max > h - MARGIN_BOTTOM + tolerance {
            // only the footer lives in the bottom margin, and it stays on the paper
            let is_footer = footer_words.contains(&word.text.as_str()) || word.text.parse::<u32>().is_ok();
            assert!(is_footer, "body text is above the bottom margin: {word:?}");
            assert!(word.y_max <= h - 5.0 * MM, "the footer is on the page: {word:?}");
        }
    }
    let pages = words.last().map_or(0, |w| w.page);
    assert!(pages >= 3, "{pages} pages");
}

#[test]
fn the_catalog_names_the_language() {
    let pdf = render(&doc(vec![Block::para("Mirëdita")])).expect("renders");
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Lang(sq)") || has(b"/Lang (sq)"), "the catalog has /Lang (sq)");
    let mut serbian = doc(vec![Block::para("Dobar dan")]);
    serbian.lang = "sr-Latn".into();
    assert!(render(&serbian).is_ok());
    serbian.lang = "sr Latn)".into();
    assert!(matches!(render(&serbian), Err(PrintError::Invalid(_))), "not a language tag");
}

#[test]
fn an_empty_document_is_one_page_with_its_footer() {
    let pdf = render(&doc(Vec::new())).expect("renders");
    assert_eq!(page_count(&pdf), 1);
    let text = text_of(&pdf);
    assert!(text.contains("Faqe 1 nga 1") && text.contains(PROTOCOL), "{text}");
}

#[test]
fn page_breaks_and_a_footer_that_does_not_fit_is_refused() {
    let pdf = render(&doc(vec![Block::para("one"), Block::PageBreak, Block::para("two")])).expect("renders");
    let pages = pages_of(&pdf);
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("one") && pages[1].contains("two") && pages[1].contains("Faqe 2 nga 2"));

    let mut long_footer = doc(vec![]);
    long_footer.footer.left = narrative(200).join(" ");
    assert!(matches!(render(&long_footer), Err(PrintError::Invalid(m)) if m.contains("footer")));
}
