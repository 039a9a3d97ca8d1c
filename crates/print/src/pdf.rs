//! Laid-out pages -> PDF bytes with printpdf, deterministically (see
//! `docs/dev/printing-notes.md`): resource ids come from the document's digest rather than
//! printpdf's process-wide counters, the `/ID` is the digest, the dates are the document's.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, OffsetDateTime, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, RawImage, Rect, Rgb, TextItem, TextMatrix,
    XObject, XObjectId, XObjectTransform,
};

use crate::fonts::Fonts;
use crate::layout::{Item, Page, Style, Tone};
use crate::{Document, PrintError};

/// The producer and creator written into every PDF.
const PRODUCER: &str = "Rightsdesk";

pub(crate) fn write(
    fonts: &Fonts,
    doc: &Document,
    pages: Vec<Page>,
    logo: Option<RawImage>,
    digest: &[u8; 32],
) -> Result<Vec<u8>, PrintError> {
    let lang = lang_tag(&doc.lang)?;
    let when = midnight_utc(doc.date)?;

    let mut pdf = PdfDocument::new(&doc.title);
    let info = &mut pdf.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.author.clone_from(&doc.author);
    info.producer = PRODUCER.into();
    info.creator = PRODUCER.into();

    // Not `add_font`/`add_image`: they take ids from a process-wide counter, so the second
    // render in a process would differ from the first. A FontId of six capitals is also the
    // font's "ABCDEF+" subset tag.
    let (regular, bold) = subset_tags(digest);
    let (regular, bold) = (FontId(regular), FontId(bold));
    pdf.resources.fonts.map.insert(regular.clone(), PdfFont::new(fonts.regular.parsed.clone()));
    pdf.resources.fonts.map.insert(bold.clone(), PdfFont::new(fonts.bold.parsed.clone()));
    let logo_id = XObjectId("Logo".into());
    let logo_width_px = logo.as_ref().map_or(0, |img| img.width);
    if let Some(img) = logo {
        pdf.resources.xobjects.map.insert(logo_id.clone(), XObject::Image(img));
    }

    let font_id = |style: Style| match style {
        Style::Regular => regular.clone(),
        Style::Bold => bold.clone(),
    };
    let pdf_pages = pages
        .into_iter()
        .map(|page| {
            let ops = page_ops(page, &font_id, &logo_id, logo_width_px);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    pdf.with_pages(pdf_pages);

    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == PdfParseErrorSeverity::Error) {
        return Err(PrintError::Pdf(w.msg.clone()));
    }
    finish(&mut lo, digest, lang)?;
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PrintError::Pdf(e.to_string()))?;
    Ok(out)
}

/// The document id, the language, and an info dictionary without printpdf's empty keys.
fn finish(lo: &mut lopdf::Document, digest: &[u8; 32], lang: Option<&str>) -> Result<(), PrintError> {
    use lopdf::{Object, StringFormat};
    let pdf_err = |e: lopdf::Error| PrintError::Pdf(e.to_string());

    // save() would write a random /ID: the document's digest instead.
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));

    // printpdf always writes /GTS_PDFXVersion (poppler then calls the file PDF/X, which it is
    // not) and empty /Subject, /Keywords, /Identifier.
    let info_ref = lo.trailer.get(b"Info").and_then(Object::as_reference).map_err(pdf_err)?;
    let info = lo.get_object_mut(info_ref).and_then(Object::as_dict_mut).map_err(pdf_err)?;
    for key in [&b"GTS_PDFXVersion"[..], b"Subject", b"Keywords", b"Identifier"] {
        info.remove(key);
    }

    if let Some(lang) = lang {
        let root = lo.trailer.get(b"Root").and_then(Object::as_reference).map_err(pdf_err)?;
        let catalog = lo.get_object_mut(root).and_then(Object::as_dict_mut).map_err(pdf_err)?;
        catalog.set("Lang", Object::string_literal(lang));
    }
    Ok(())
}

/// Two distinct six-capital tags derived from the digest.
fn subset_tags(digest: &[u8; 32]) -> (String, String) {
    let tag = |bytes: &[u8]| -> String { bytes.iter().map(|b| char::from(b'A' + b % 26)).collect() };
    let regular = tag(&digest[16..22]);
    let mut bold = tag(&digest[22..28]);
    if bold == regular {
        bold.replace_range(5.., if regular.ends_with('Z') { "Y" } else { "Z" });
    }
    (regular, bold)
}

fn lang_tag(lang: &str) -> Result<Option<&str>, PrintError> {
    if lang.is_empty() {
        return Ok(None);
    }
    let ok = lang.len() <= 35
        && lang.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(Some(lang))
    } else {
        Err(PrintError::Invalid(format!("{lang:?} is not a language tag like \"sq\" or \"sr-Latn\"")))
    }
}

fn midnight_utc(date: chrono::NaiveDate) -> Result<OffsetDateTime, PrintError> {
    let seconds = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|_| PrintError::Invalid(format!("the date {date} is out of range")))
}

/// The grey level of a tone, 0 (black) to 1 (white).
fn level(tone: Tone) -> f32 {
    match tone {
        Tone::Ink => 0.0,
        Tone::Muted => 0.33,
        Tone::Faint => 0.55,
    }
}

fn grey(v: f32) -> Color {
    Color::Rgb(Rgb { r: v, g: v, b: v, icc_profile: None })
}

fn color(tone: Tone) -> Color {
    grey(level(tone))
}

/// One page's content stream. Text lines are positioned absolutely with `Tm`
/// (`SetTextCursor` would be relative to the previous line).
fn page_ops(
    page: Page,
    font_id: &impl Fn(Style) -> FontId,
    logo_id: &XObjectId,
    logo_width_px: usize,
) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut in_text = false;
    let mut font: Option<(Style, f32)> = None;
    // the current fill colour's grey level: text and filled rectangles share it
    let mut fill: Option<f32> = None;
    for item in page.items {
        if in_text && !matches!(item, Item::Text { .. }) {
            ops.push(Op::EndTextSection);
            in_text = false;
        }
        match item {
            Item::Text { x, y, style, size, tone, text, word_gap } => {
                if text.is_empty() {
                    continue;
                }
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                    font = None;
                }
                if fill != Some(level(tone)) {
                    ops.push(Op::SetFillColor { col: color(tone) });
                    fill = Some(level(tone));
                }
                if font != Some((style, size)) {
                    ops.push(Op::SetFont { font: PdfFontHandle::External(font_id(style)), size: Pt(size) });
                    font = Some((style, size));
                }
                ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x), Pt(y)) });
                ops.push(Op::ShowText { items: text_items(text, word_gap, size) });
            }
            Item::Rule { x1, x2, y, thickness, tone } => {
                ops.push(Op::SetOutlineColor { col: color(tone) });
                ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
                let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
                ops.push(Op::DrawLine {
                    line: Line { points: vec![point(x1), point(x2)], is_closed: false },
                });
            }
            Item::Line { x1, y1, x2, y2, thickness, tone } => {
                ops.push(Op::SetOutlineColor { col: color(tone) });
                ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
                let point = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
                ops.push(Op::DrawLine {
                    line: Line { points: vec![point(x1, y1), point(x2, y2)], is_closed: false },
                });
            }
            Item::Rect { x, y, w, h, fill: fill_level, outline } => {
                if let Some(v) = fill_level
                    && fill != Some(v)
                {
                    ops.push(Op::SetFillColor { col: grey(v) });
                    fill = Some(v);
                }
                if let Some(pt) = outline {
                    ops.push(Op::SetOutlineColor { col: grey(0.0) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(pt) });
                }
                let mode = match (fill_level, outline) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(x),
                        y: Pt(y),
                        width: Pt(w),
                        height: Pt(h),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Item::Logo { x, y, w, .. } => {
                if logo_width_px == 0 || w <= 0.0 {
                    continue;
                }
                // printpdf draws an image `pixels / dpi` inches wide: pick the dpi that makes it w.
                let dpi = logo_width_px as f32 * 72.0 / w;
                ops.push(Op::UseXobject {
                    id: logo_id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(x)),
                        translate_y: Some(Pt(y)),
                        dpi: Some(dpi),
                        ..Default::default()
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

/// The line as `TJ` items. Justified lines keep their real space characters (so extracted
/// text has them) and move the next word by a kerning offset: `Tw` would not apply, as the
/// fonts are two-byte CID fonts.
fn text_items(text: String, word_gap: f32, size: f32) -> Vec<TextItem> {
    if word_gap <= 0.0 || !text.contains(' ') {
        return vec![TextItem::Text(text)];
    }
    // TJ numbers are thousandths of an em, and move left when positive.
    let offset = -word_gap * 1000.0 / size;
    let mut items = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if words.peek().is_some() {
            items.push(TextItem::Text(format!("{word} ")));
            items.push(TextItem::Offset(offset));
        } else {
            items.push(TextItem::Text(word.to_string()));
        }
    }
    items
}
