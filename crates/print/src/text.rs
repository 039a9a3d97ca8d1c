//! Text hygiene before layout: NFC, control characters, and the glyph check.

use unicode_normalization::UnicodeNormalization;

use crate::fonts::{Fonts, fonts};
use crate::layout::Style;
use crate::{Bar, BarChart, Block, Column, Document, Footer, Para, PrintError, Table, TableRow};

/// The text as it will be printed: Unicode NFC (the PDF has no shaping, so a decomposed `ë`
/// would be two glyphs); `"\r\n"`, `'\r'`, U+2028 and U+2029 become `'\n'`; tabs become a
/// space; every other control character and the invisible formatting characters (soft
/// hyphen, zero-width space and joiners, direction marks and embeddings, word joiner, BOM)
/// are dropped.
pub fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.nfc().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Checks that every character of `text` (after [`normalize_text`]) can be printed, in the
/// regular and in the bold face.
///
/// # Errors
/// [`PrintError::MissingGlyph`] for the first character a font lacks, with the text around it.
pub fn check_text(text: &str) -> Result<(), PrintError> {
    let fonts = fonts()?;
    let text = normalize_text(text);
    check(fonts, &text, Style::Regular)?;
    check(fonts, &text, Style::Bold)
}

fn check(fonts: &Fonts, text: &str, style: Style) -> Result<(), PrintError> {
    let face = fonts.face(style);
    match text.char_indices().find(|&(_, c)| c != '\n' && !face.has_glyph(c)) {
        None => Ok(()),
        Some((at, ch)) => Err(PrintError::MissingGlyph { ch, context: context(text, at) }),
    }
}

/// Up to 30 characters either side of the byte offset `at`, on one line.
fn context(text: &str, at: usize) -> String {
    let (before, after) = text.split_at(at);
    let start = before.char_indices().rev().nth(29).map_or(0, |(i, _)| i);
    let end = after.char_indices().nth(31).map_or(after.len(), |(i, _)| i);
    let snippet = format!("{}{}", &before[start..], &after[..end]);
    snippet.replace('\n', " ").trim().to_string()
}

/// A copy of `doc` with every text normalised and checked against the face it is drawn in.
pub(crate) fn prepare(doc: &Document, fonts: &Fonts) -> Result<Document, PrintError> {
    let clean = |text: &str, style: Style| -> Result<String, PrintError> {
        let text = normalize_text(text);
        check(fonts, &text, style)?;
        Ok(text)
    };
    let letterhead = doc
        .letterhead
        .iter()
        .enumerate()
        .map(|(i, line)| clean(line, if i == 0 { Style::Bold } else { Style::Regular }))
        .collect::<Result<_, _>>()?;
    Ok(Document {
        title: normalize_text(&doc.title),
        author: normalize_text(&doc.author),
        lang: doc.lang.trim().to_string(),
        date: doc.date,
        logo: doc.logo.clone(),
        letterhead,
        blocks: prepare_blocks(&doc.blocks, &clean)?,
        footer: Footer {
            left: clean(&doc.footer.left, Style::Regular)?,
            page_label: clean(&doc.footer.page_label, Style::Regular)?,
        },
    })
}

fn prepare_blocks(
    blocks: &[Block],
    clean: &impl Fn(&str, Style) -> Result<String, PrintError>,
) -> Result<Vec<Block>, PrintError> {
    blocks
        .iter()
        .map(|block| {
            Ok(match block {
                Block::Paragraph(p) => Block::Paragraph(Para {
                    text: clean(&p.text, if p.bold { Style::Bold } else { Style::Regular })?,
                    ..p.clone()
                }),
                Block::Heading(t) => Block::Heading(clean(t, Style::Bold)?),
                Block::List { items, numbered } => Block::List {
                    items: items.iter().map(|t| clean(t, Style::Regular)).collect::<Result<_, _>>()?,
                    numbered: *numbered,
                },
                Block::Fields(rows) => Block::Fields(
                    rows.iter()
                        .map(|(l, v)| Ok((clean(l, Style::Bold)?, clean(v, Style::Regular)?)))
                        .collect::<Result<_, PrintError>>()?,
                ),
                Block::KeepTogether(inner) => Block::KeepTogether(prepare_blocks(inner, clean)?),
                Block::Table(t) => Block::Table(Table {
                    columns: t
                        .columns
                        .iter()
                        .map(|c| Ok(Column { header: clean(&c.header, Style::Bold)?, align: c.align }))
                        .collect::<Result<_, PrintError>>()?,
                    rows: t
                        .rows
                        .iter()
                        .map(|r| {
                            let style = if r.bold { Style::Bold } else { Style::Regular };
                            Ok(TableRow {
                                cells: r.cells.iter().map(|c| clean(c, style)).collect::<Result<_, _>>()?,
                                bold: r.bold,
                            })
                        })
                        .collect::<Result<_, PrintError>>()?,
                    ..t.clone()
                }),
                Block::BarChart(c) => Block::BarChart(BarChart {
                    title: clean(&c.title, Style::Bold)?,
                    series: c.series.iter().map(|s| clean(s, Style::Regular)).collect::<Result<_, _>>()?,
                    bars: c
                        .bars
                        .iter()
                        .map(|b| {
                            Ok(Bar {
                                label: clean(&b.label, Style::Regular)?,
                                values: b.values.clone(),
                                text: clean(&b.text, Style::Regular)?,
                            })
                        })
                        .collect::<Result<_, PrintError>>()?,
                }),
                Block::Spacer(_) | Block::Rule | Block::PageBreak => block.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_nfc_and_drops_controls() {
        // e + combining diaeresis -> ë; CRLF -> LF; tab -> space; BEL, ZWSP, soft hyphen dropped
        assert_eq!(normalize_text("Gjakove\u{308}\r\nx\ty\u{7}\u{200B}\u{AD}z\rw"), "Gjakovë\nx yz\nw");
    }

    #[test]
    fn context_is_a_window_around_the_character() {
        let text = format!("{}X{}", "a".repeat(50), "b".repeat(50));
        let c = context(&text, 50);
        assert_eq!(c, format!("{}X{}", "a".repeat(30), "b".repeat(30)));
    }

    #[test]
    fn missing_glyph_is_reported_with_context() {
        // DejaVu has no CJK: U+4E2D would print as an empty box
        let err = check_text("Përshëndetje 中 miq").unwrap_err();
        assert_eq!(err, PrintError::MissingGlyph { ch: '中', context: "Përshëndetje 中 miq".into() });
        assert!(err.to_string().contains("U+4E2D"), "{err}");
    }
}
