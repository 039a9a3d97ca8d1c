//! Layout: line breaking and page flow. Pure — it knows fonts only through [`Metrics`], so it
//! is tested here with a fake font, and it produces positioned [`Item`]s for `pdf.rs`.
//!
//! Blocks become [`Row`]s (one text line, a field row, a rule, the letterhead), each with the
//! space before it and how many following rows must stay on its page; [`paginate`] then places
//! rows top-down and starts a new page when the next row (or the rows it is kept with) would
//! cross the bottom margin. Footers come last, when the page count is known.
//!
//! Tables ([`table`]) and bar charts ([`chart`]) become rows too: a table row is one [`Row`]
//! that names its header row, which [`paginate`] repeats at the top of every continuation page.

mod chart;
mod table;

use crate::geometry::{
    BODY_HEIGHT, CONTENT_WIDTH, FOOTER_BASELINE, FOOTER_RULE_Y, FOOTER_SIZE, HEADING_SIZE, LINE_HEIGHT,
    LOGO_HEIGHT, LOGO_MAX_WIDTH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP, MM, PAGE_HEIGHT, PAGE_WIDTH,
};
use crate::{Align, Block, Footer, Para, PrintError};

/// Which face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Regular,
    Bold,
}

/// What layout needs to know about the fonts.
pub(crate) trait Metrics {
    /// Advance width of `c` in 1/1000 em, as the PDF's `/W` array says it.
    fn advance(&self, style: Style, c: char) -> u16;
    /// Height above the baseline, in em.
    fn ascent(&self, style: Style) -> f32;
    /// Depth below the baseline, in em (positive).
    fn descent(&self, style: Style) -> f32;
}

/// Colour of text and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Black.
    Ink,
    /// Dark grey: letterhead details, footer.
    Muted,
    /// Mid grey: the thin rules between table rows.
    Faint,
}

/// Something drawn on a page. Coordinates in points; `y` grows downwards from the top of the
/// row while rows are built and is the PDF's `y` (upwards from the bottom edge) once placed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// One line of text, starting at `x` on the baseline `y`. `word_gap` is extra space added
    /// after every space (justified lines), in points.
    Text { x: f32, y: f32, style: Style, size: f32, tone: Tone, text: String, word_gap: f32 },
    /// A horizontal line.
    Rule { x1: f32, x2: f32, y: f32, thickness: f32, tone: Tone },
    /// The logo image; `y` is its bottom edge.
    Logo { x: f32, y: f32, w: f32, h: f32 },
    /// A rectangle; `y` is its bottom edge. `fill` is a grey level from 0 (black) to 1
    /// (white); `outline` the thickness of a black outline.
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<f32>, outline: Option<f32> },
    /// A straight line from `(x1, y1)` to `(x2, y2)`.
    Line { x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32, tone: Tone },
}

impl Item {
    fn shifted_to_page(mut self, row_top: f32) -> Item {
        match &mut self {
            Item::Text { y, .. } | Item::Rule { y, .. } | Item::Logo { y, .. } | Item::Rect { y, .. } => {
                *y = PAGE_HEIGHT - (row_top + *y);
            }
            Item::Line { y1, y2, .. } => {
                *y1 = PAGE_HEIGHT - (row_top + *y1);
                *y2 = PAGE_HEIGHT - (row_top + *y2);
            }
        }
        self
    }
}

/// One page's items, in drawing order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// What [`layout`] lays out (already normalised and glyph-checked).
pub(crate) struct Input<'a> {
    pub(crate) letterhead: &'a [String],
    /// Pixel size of the logo, if any.
    pub(crate) logo_px: Option<(usize, usize)>,
    pub(crate) blocks: &'a [Block],
    pub(crate) footer: &'a Footer,
}

/// Lays the document out on pages, footers included.
pub(crate) fn layout(m: &impl Metrics, input: &Input<'_>) -> Result<Vec<Page>, PrintError> {
    let mut flow = Flow::new(m);
    flow.letterhead(input.letterhead, input.logo_px)?;
    flow.blocks(input.blocks, MARGIN_LEFT, CONTENT_WIDTH)?;
    let mut pages = paginate(flow.rows, &flow.headers);
    add_footers(m, &mut pages, input.footer)?;
    Ok(pages)
}

// ------------------------------------------------------------------------------------------
// Measuring and line breaking

fn milli(m: &impl Metrics, style: Style, s: &str) -> u32 {
    s.chars().map(|c| u32::from(m.advance(style, c))).sum()
}

/// Width of `s` in points at `size`.
pub(crate) fn text_width(m: &impl Metrics, style: Style, size: f32, s: &str) -> f32 {
    milli(m, style, s) as f32 * size / 1000.0
}

/// Width in points of the widest line of `s` when nothing wraps but `'\n'` (runs of spaces
/// count once, as in [`wrap`]).
fn longest_line(m: &impl Metrics, style: Style, size: f32, s: &str) -> f32 {
    let space = u32::from(m.advance(style, ' '));
    let w = s
        .split('\n')
        .map(|line| {
            let (words, n) = line
                .split(' ')
                .filter(|w| !w.is_empty())
                .fold((0u32, 0u32), |(sum, n), word| (sum.saturating_add(milli(m, style, word)), n + 1));
            words.saturating_add(space.saturating_mul(n.saturating_sub(1)))
        })
        .max()
        .unwrap_or(0);
    w as f32 * size / 1000.0
}

/// One line out of [`wrap`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WrappedLine {
    pub(crate) text: String,
    /// Width in points.
    pub(crate) width: f32,
    /// The last line before a `'\n'` or the end of the text (never justified).
    pub(crate) last: bool,
}

/// Greedy line breaking to `max_w` points. Breaks at ASCII spaces only (runs of spaces count
/// as one; U+00A0 keeps words together), at every `'\n'` (an empty line stays an empty line),
/// and splits a word wider than the line between characters — never before a zero-width
/// character, so a combining mark stays with its letter. A line holds at least one character,
/// so a character wider than `max_w` is the only case where a line is wider than `max_w`.
pub(crate) fn wrap(m: &impl Metrics, style: Style, size: f32, text: &str, max_w: f32) -> Vec<WrappedLine> {
    // Compare in integer 1/1000 em: exact, like the viewer's own arithmetic.
    let limit = (max_w.max(0.0) * 1000.0 / size).floor() as u32;
    let space = u32::from(m.advance(style, ' '));
    let to_pt = |w: u32| w as f32 * size / 1000.0;
    let mut out = Vec::new();
    for segment in text.split('\n') {
        let mut line = String::new();
        let mut w = 0u32;
        for word in segment.split(' ').filter(|w| !w.is_empty()) {
            let ww = milli(m, style, word);
            if line.is_empty() && ww <= limit {
                line.push_str(word);
                w = ww;
                continue;
            }
            if !line.is_empty() && w + space + ww <= limit {
                line.push(' ');
                line.push_str(word);
                w += space + ww;
                continue;
            }
            if !line.is_empty() {
                out.push(WrappedLine { text: std::mem::take(&mut line), width: to_pt(w), last: false });
                w = 0;
            }
            if ww <= limit {
                line.push_str(word);
                w = ww;
                continue;
            }
            for c in word.chars() {
                let cw = u32::from(m.advance(style, c));
                if !line.is_empty() && cw > 0 && w + cw > limit {
                    out.push(WrappedLine { text: std::mem::take(&mut line), width: to_pt(w), last: false });
                    w = 0;
                }
                line.push(c);
                w += cw;
            }
        }
        out.push(WrappedLine { text: line, width: to_pt(w), last: true });
    }
    out
}

// ------------------------------------------------------------------------------------------
// Blocks -> rows

/// A unit of page flow: never split, placed whole on one page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub(crate) height: f32,
    /// Space above the row; dropped at the top of a page.
    pub(crate) space_before: f32,
    /// How many of the following rows must be on the same page as this one.
    pub(crate) keep: usize,
    /// Start a new page before this row (unless the page is still empty).
    pub(crate) break_before: bool,
    /// Items with `y` measured down from the row's top.
    pub(crate) items: Vec<Item>,
    /// A table's body row: the index of its header row in [`Flow::headers`], printed again
    /// above it when the row starts a page.
    pub(crate) repeat: Option<usize>,
}

const PARA_LIMITS: (f32, f32) = (6.0, 28.0);
const HEADING_SPACE_BEFORE: f32 = 5.0 * MM;
const HEADING_SPACE_AFTER: f32 = 2.0 * MM;
const BLOCK_SPACE_AFTER: f32 = 2.5 * MM;
const ITEM_SPACE: f32 = 1.0 * MM;
const RULE_SPACE: f32 = 2.0 * MM;
const RULE_THICKNESS: f32 = 0.5;
const COLUMN_GAP: f32 = 4.0 * MM;
/// Added to a width measured for a text before wrapping the text in it, so that rounding
/// never wraps a text in the width measured for it (a hundredth of a point).
const FIT: f32 = 0.01;
/// The justified space may grow to this many times its natural width; beyond that the line
/// is left ragged (it precedes a word split over lines, and would look torn apart).
const MAX_JUSTIFY_STRETCH: f32 = 4.0;

struct Flow<'m, M> {
    m: &'m M,
    rows: Vec<Row>,
    /// Tables' header rows, to repeat on continuation pages ([`Row::repeat`]).
    headers: Vec<Row>,
    /// Collapsing space before the next row: the larger of the block spaces meeting there.
    margin: f32,
    /// Explicit space ([`Block::Spacer`]) before the next row, added to `margin`.
    extra: f32,
    break_next: bool,
}

/// One line of text for [`Flow::text_lines`].
struct TextStyle {
    style: Style,
    size: f32,
    line_height: f32,
    align: Align,
    tone: Tone,
}

impl<'m, M: Metrics> Flow<'m, M> {
    fn new(m: &'m M) -> Self {
        Flow { m, rows: Vec::new(), headers: Vec::new(), margin: 0.0, extra: 0.0, break_next: false }
    }

    fn space(&mut self, pt: f32) {
        self.margin = self.margin.max(pt);
    }

    fn push_row(&mut self, height: f32, items: Vec<Item>, keep: usize) {
        self.rows.push(Row {
            height,
            space_before: self.margin + self.extra,
            keep,
            break_before: std::mem::take(&mut self.break_next),
            items,
            repeat: None,
        });
        self.margin = 0.0;
        self.extra = 0.0;
    }

    /// Keeps every row from `first` on the same page as the rows up to `end` (exclusive).
    fn keep_until(&mut self, first: usize, end: usize) {
        for (j, row) in self.rows.iter_mut().enumerate().take(end).skip(first) {
            row.keep = row.keep.max(end.saturating_sub(j + 1));
        }
    }

    /// The baseline of `style` at `size` centred in a line box of `line_height`.
    fn baseline(&self, style: Style, size: f32, line_height: f32) -> f32 {
        let (asc, desc) = (self.m.ascent(style) * size, self.m.descent(style) * size);
        (line_height - asc - desc) / 2.0 + asc
    }

    /// Wrapped, aligned text lines in the box `x0..x0 + w`, as items with `y` from the top of
    /// their own line box.
    fn text_lines(&self, text: &str, ts: &TextStyle, x0: f32, w: f32) -> Vec<Item> {
        let baseline = self.baseline(ts.style, ts.size, ts.line_height);
        let space_w = text_width(self.m, ts.style, ts.size, " ");
        wrap(self.m, ts.style, ts.size, text, w)
            .into_iter()
            .map(|line| {
                let slack = (w - line.width).max(0.0);
                let gaps = line.text.matches(' ').count();
                let mut word_gap = 0.0;
                let x = match ts.align {
                    Align::Left => x0,
                    Align::Right => x0 + slack,
                    Align::Center => x0 + slack / 2.0,
                    Align::Justify => {
                        if !line.last && gaps > 0 {
                            let gap = slack / gaps as f32;
                            if gap <= space_w * MAX_JUSTIFY_STRETCH {
                                word_gap = gap;
                            }
                        }
                        x0
                    }
                };
                Item::Text {
                    x,
                    y: baseline,
                    style: ts.style,
                    size: ts.size,
                    tone: ts.tone,
                    text: line.text,
                    word_gap,
                }
            })
            .collect()
    }

    /// One row per line. `keep_all`: keep every line with the next.
    fn text_rows(&mut self, text: &str, ts: &TextStyle, x0: f32, w: f32, keep_all: bool) {
        for item in self.text_lines(text, ts, x0, w) {
            self.push_row(ts.line_height, vec![item], usize::from(keep_all));
        }
    }

    fn letterhead(&mut self, lines: &[String], logo_px: Option<(usize, usize)>) -> Result<(), PrintError> {
        if lines.is_empty() && logo_px.is_none() {
            return Ok(());
        }
        let mut items = Vec::new();
        let (mut logo_w, mut logo_h) = (0.0, 0.0);
        if let Some((pw, ph)) = logo_px {
            if pw == 0 || ph == 0 {
                return Err(PrintError::Logo("the image is empty".into()));
            }
            let aspect = pw as f32 / ph as f32;
            (logo_w, logo_h) = (LOGO_HEIGHT * aspect, LOGO_HEIGHT);
            if logo_w > LOGO_MAX_WIDTH {
                (logo_w, logo_h) = (LOGO_MAX_WIDTH, LOGO_MAX_WIDTH / aspect);
            }
            items.push(Item::Logo { x: MARGIN_LEFT, y: logo_h, w: logo_w, h: logo_h });
        }
        // Centred on the page, clear of the logo on both sides so the centre stays the centre.
        let side = if logo_px.is_some() { logo_w + COLUMN_GAP } else { 0.0 };
        let (x0, w) = (MARGIN_LEFT + side, CONTENT_WIDTH - 2.0 * side);
        let mut text = Vec::new();
        let mut height = 0.0;
        for (i, line) in lines.iter().enumerate() {
            let ts = if i == 0 {
                TextStyle {
                    style: Style::Bold,
                    size: 12.0,
                    line_height: 12.0 * 1.3,
                    align: Align::Center,
                    tone: Tone::Ink,
                }
            } else {
                TextStyle {
                    style: Style::Regular,
                    size: 9.0,
                    line_height: 9.0 * 1.35,
                    align: Align::Center,
                    tone: Tone::Muted,
                }
            };
            for mut item in self.text_lines(line, &ts, x0, w) {
                if let Item::Text { y, .. } = &mut item {
                    *y += height;
                }
                text.push(item);
                height += ts.line_height;
            }
        }
        // Text vertically centred against the logo when it is the shorter of the two.
        let offset = ((logo_h - height) / 2.0).max(0.0);
        for mut item in text {
            if let Item::Text { y, .. } = &mut item {
                *y += offset;
            }
            items.push(item);
        }
        let rule_y = f32::max(logo_h, height) + 3.0 * MM;
        items.push(Item::Rule {
            x1: MARGIN_LEFT,
            x2: MARGIN_LEFT + CONTENT_WIDTH,
            y: rule_y,
            thickness: 0.8,
            tone: Tone::Ink,
        });
        let total = rule_y + 0.5;
        if total > BODY_HEIGHT / 2.0 {
            return Err(PrintError::Invalid("the letterhead is longer than half a page".into()));
        }
        self.push_row(total, items, 0);
        self.space(8.0 * MM);
        Ok(())
    }

    fn blocks(&mut self, blocks: &[Block], x0: f32, w: f32) -> Result<(), PrintError> {
        for block in blocks {
            self.block(block, x0, w)?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, x0: f32, w: f32) -> Result<(), PrintError> {
        let body = TextStyle {
            style: Style::Regular,
            size: crate::geometry::BODY_SIZE,
            line_height: crate::geometry::BODY_SIZE * LINE_HEIGHT,
            align: Align::Left,
            tone: Tone::Ink,
        };
        match block {
            Block::Paragraph(p) => self.paragraph(p, x0, w)?,
            Block::Heading(text) => {
                self.space(HEADING_SPACE_BEFORE);
                let ts = TextStyle {
                    style: Style::Bold,
                    size: HEADING_SIZE,
                    line_height: HEADING_SIZE * 1.3,
                    ..body
                };
                let first = self.rows.len();
                self.text_rows(text, &ts, x0, w, true);
                // the heading's last line keeps the first two lines of what follows
                if let Some(last) = self.rows.get_mut(first..).and_then(|r| r.last_mut()) {
                    last.keep = 2;
                }
                self.space(HEADING_SPACE_AFTER);
            }
            Block::List { items, numbered } => {
                let markers: Vec<String> = (1..=items.len())
                    .map(|i| if *numbered { format!("{i}.") } else { "•".to_string() })
                    .collect();
                let marker_w = markers
                    .iter()
                    .map(|mk| text_width(self.m, Style::Regular, body.size, mk))
                    .fold(0.0, f32::max);
                let indent = (marker_w + 2.0 * MM).max(5.0 * MM);
                for (item, marker) in items.iter().zip(&markers) {
                    let first = self.rows.len();
                    self.text_rows(item, &body, x0 + indent, w - indent, false);
                    // numbers right-aligned on their dots, bullets at the left
                    let mw = text_width(self.m, Style::Regular, body.size, marker);
                    let mx = if *numbered { x0 + marker_w - mw } else { x0 };
                    let y = self.baseline(Style::Regular, body.size, body.line_height);
                    if let Some(row) = self.rows.get_mut(first) {
                        row.items.push(Item::Text {
                            x: mx,
                            y,
                            style: Style::Regular,
                            size: body.size,
                            tone: Tone::Ink,
                            text: marker.clone(),
                            word_gap: 0.0,
                        });
                    }
                    self.space(ITEM_SPACE);
                }
                self.space(BLOCK_SPACE_AFTER);
            }
            Block::Fields(rows) => {
                let label_w = rows
                    .iter()
                    .map(|(label, _)| text_width(self.m, Style::Bold, body.size, label))
                    .fold(0.0, f32::max)
                    .min(w * 0.4);
                let value_x = x0 + label_w + COLUMN_GAP;
                let value_w = w - label_w - COLUMN_GAP;
                let label_ts = TextStyle { style: Style::Bold, ..body };
                for (label, value) in rows {
                    let labels = self.text_lines(label, &label_ts, x0, label_w);
                    let values = self.text_lines(value, &body, value_x, value_w);
                    let n = labels.len().max(values.len());
                    let mut labels = labels.into_iter();
                    let mut values = values.into_iter();
                    for i in 0..n {
                        let items = labels.next().into_iter().chain(values.next()).collect();
                        // a field's lines stay together
                        self.push_row(body.line_height, items, usize::from(i + 1 < n));
                    }
                    self.space(ITEM_SPACE / 2.0);
                }
                self.space(BLOCK_SPACE_AFTER);
            }
            Block::Spacer(mm) => {
                let mm = checked("a spacer", *mm, 0.0, 200.0)?;
                self.extra += mm * MM;
            }
            Block::Rule => {
                self.space(RULE_SPACE);
                let rule =
                    Item::Rule { x1: x0, x2: x0 + w, y: 0.5, thickness: RULE_THICKNESS, tone: Tone::Ink };
                self.push_row(1.0, vec![rule], 0);
                self.space(RULE_SPACE);
            }
            Block::KeepTogether(inner) => {
                let first = self.rows.len();
                self.blocks(inner, x0, w)?;
                self.keep_until(first, self.rows.len());
            }
            Block::PageBreak => {
                self.break_next = true;
                self.margin = 0.0;
                self.extra = 0.0;
            }
            Block::Table(t) => self.table(t, x0, w)?,
            Block::BarChart(c) => self.bar_chart(c, x0, w)?,
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &Para, x0: f32, w: f32) -> Result<(), PrintError> {
        let size = checked("a font size", p.size, PARA_LIMITS.0, PARA_LIMITS.1)?;
        let indent = checked("an indent", p.indent_mm, 0.0, 80.0)? * MM;
        let after = checked("the space after a paragraph", p.space_after_mm, 0.0, 100.0)? * MM;
        let ts = TextStyle {
            style: if p.bold { Style::Bold } else { Style::Regular },
            size,
            line_height: size * LINE_HEIGHT,
            align: p.align,
            tone: Tone::Ink,
        };
        self.text_rows(&p.text, &ts, x0 + indent, w - indent, false);
        self.space(after);
        Ok(())
    }
}

fn checked(what: &str, v: f32, min: f32, max: f32) -> Result<f32, PrintError> {
    if v.is_finite() && (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(PrintError::Invalid(format!("{what} must be between {min} and {max}, not {v}")))
    }
}

// ------------------------------------------------------------------------------------------
// Rows -> pages

/// Places rows top-down from the top margin. Before a row goes on a page that already has
/// rows, it must fit above the bottom margin together with the rows it keeps (transitively);
/// when they do not, it starts a new page — unless the kept rows would not fit on an empty page
/// either, in which case the row goes on the current page if it fits there itself. Space above
/// a row is dropped at the top of a page. A table row that starts a page gets its table's
/// header row (from `headers`) above it. Always at least one page.
pub(crate) fn paginate(rows: Vec<Row>, headers: &[Row]) -> Vec<Page> {
    let bottom = PAGE_HEIGHT - MARGIN_BOTTOM;
    let chain: Vec<f32> = (0..rows.len()).map(|i| chain_height(&rows, i)).collect();
    let mut pages = vec![Page::default()];
    let mut y = MARGIN_TOP;
    let mut empty = true;
    for (row, chain_h) in rows.into_iter().zip(chain) {
        let header = row.repeat.and_then(|h| headers.get(h));
        if !empty {
            let header_h = header.map_or(0.0, |h| h.height);
            let new_page = row.break_before
                || y + row.space_before + row.height > bottom
                || (y + row.space_before + chain_h > bottom && header_h + chain_h <= BODY_HEIGHT);
            if new_page {
                pages.push(Page::default());
                y = MARGIN_TOP;
                empty = true;
            }
        }
        if let (true, Some(header), Some(page)) = (empty, header, pages.last_mut()) {
            page.items.extend(header.items.iter().cloned().map(|item| item.shifted_to_page(y)));
            y += header.height;
            empty = false;
        }
        if !empty {
            y += row.space_before;
        }
        if let Some(page) = pages.last_mut() {
            page.items.extend(row.items.into_iter().map(|item| item.shifted_to_page(y)));
        }
        y += row.height;
        empty = false;
    }
    pages
}

/// Height of row `i` and every row it keeps on its page, spaces between them included; a
/// forced page break ends the chain.
fn chain_height(rows: &[Row], i: usize) -> f32 {
    let Some(first) = rows.get(i) else { return 0.0 };
    let mut end = i + first.keep;
    let mut h = first.height;
    let mut j = i + 1;
    while j <= end {
        let Some(row) = rows.get(j) else { break };
        if row.break_before {
            break;
        }
        h += row.space_before + row.height;
        end = end.max(j + row.keep);
        j += 1;
    }
    h
}

// ------------------------------------------------------------------------------------------
// Footer

const FOOTER_MAX_LINES: usize = 3;

/// A rule, the left text and "page X of Y" at the bottom of every page.
fn add_footers(m: &impl Metrics, pages: &mut [Page], footer: &Footer) -> Result<(), PrintError> {
    let n = pages.len();
    let labels: Vec<String> = (1..=n)
        .map(|i| footer.page_label.replace("{page}", &i.to_string()).replace("{pages}", &n.to_string()))
        .collect();
    let size = FOOTER_SIZE;
    let line_height = size * 1.35;
    let label_w = labels
        .iter()
        .map(|l| {
            // a label wider than the line would go off the page
            let w = text_width(m, Style::Regular, size, l);
            if l.contains('\n') || w > CONTENT_WIDTH / 2.0 {
                Err(PrintError::Invalid("the page label must be one short line".into()))
            } else {
                Ok(w)
            }
        })
        .try_fold(0.0, |acc: f32, w| w.map(|w| acc.max(w)))?;
    let left_w = CONTENT_WIDTH - if label_w > 0.0 { label_w + 2.0 * COLUMN_GAP } else { 0.0 };
    let left = if footer.left.trim().is_empty() {
        Vec::new()
    } else {
        wrap(m, Style::Regular, size, &footer.left, left_w)
    };
    if left.len() > FOOTER_MAX_LINES {
        return Err(PrintError::Invalid(format!("the footer text is longer than {FOOTER_MAX_LINES} lines")));
    }
    let right = MARGIN_LEFT + CONTENT_WIDTH;
    for (page, label) in pages.iter_mut().zip(labels) {
        page.items.push(Item::Rule {
            x1: MARGIN_LEFT,
            x2: right,
            y: FOOTER_RULE_Y,
            thickness: 0.4,
            tone: Tone::Muted,
        });
        for (i, line) in left.iter().enumerate() {
            page.items.push(Item::Text {
                x: MARGIN_LEFT,
                y: FOOTER_BASELINE - i as f32 * line_height,
                style: Style::Regular,
                size,
                tone: Tone::Muted,
                text: line.text.clone(),
                word_gap: 0.0,
            });
        }
        if !label.is_empty() {
            let w = text_width(m, Style::Regular, size, &label);
            page.items.push(Item::Text {
                x: right - w,
                y: FOOTER_BASELINE,
                style: Style::Regular,
                size,
                tone: Tone::Muted,
                text: label,
                word_gap: 0.0,
            });
        }
    }
    debug_assert!(right <= PAGE_WIDTH);
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A fake font: every character 500/1000 em wide except `' '` (250), `'W'` (1000) and
    /// combining marks (0).
    pub(super) struct Fake;
    impl Metrics for Fake {
        fn advance(&self, _: Style, c: char) -> u16 {
            match c {
                ' ' => 250,
                'W' => 1000,
                '\u{300}'..='\u{36F}' => 0,
                _ => 500,
            }
        }
        fn ascent(&self, _: Style) -> f32 {
            0.9
        }
        fn descent(&self, _: Style) -> f32 {
            0.25
        }
    }

    fn texts(lines: &[WrappedLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn breaks_at_spaces_and_hard_breaks() {
        // size 10: a letter is 5 pt, a space 2.5 pt; "aa bb" is 22.5 pt, "aa bb cc" 35 > 30
        let lines = wrap(&Fake, Style::Regular, 10.0, "aa bb cc\n\ndd", 30.0);
        assert_eq!(texts(&lines), ["aa bb", "cc", "", "dd"]);
        assert_eq!(lines.iter().map(|l| l.last).collect::<Vec<_>>(), [false, true, true, true]);
        assert_eq!(lines[0].width, 22.5);
    }

    #[test]
    fn no_break_space_binds_and_runs_of_spaces_collapse() {
        let lines = wrap(&Fake, Style::Regular, 10.0, "a   b\u{A0}c d", 25.0);
        assert_eq!(texts(&lines), ["a b\u{A0}c", "d"]);
    }

    #[test]
    fn an_over_long_word_is_split_by_characters() {
        let lines = wrap(&Fake, Style::Regular, 10.0, "x abcdefghijklmn y", 30.0);
        assert_eq!(texts(&lines), ["x", "abcdef", "ghijkl", "mn y"]);
    }

    #[test]
    fn a_combining_mark_stays_with_its_letter() {
        let lines = wrap(&Fake, Style::Regular, 10.0, "abce\u{301}fg", 20.0);
        assert_eq!(texts(&lines), ["abce\u{301}", "fg"]);
    }

    #[test]
    fn a_line_always_takes_at_least_one_character() {
        let lines = wrap(&Fake, Style::Regular, 10.0, "WW", 5.0);
        assert_eq!(texts(&lines), ["W", "W"]);
    }

    fn body_lines(n: usize) -> Block {
        Block::para(vec!["word"; n * 20].join(" "))
    }

    /// A paragraph of one-word lines that leaves about `free` lines on an empty page.
    fn filler(free: usize) -> Block {
        let lines_per_page = (BODY_HEIGHT / (10.5 * LINE_HEIGHT)) as usize;
        Block::para(vec!["line"; lines_per_page - free].join("\n"))
    }

    fn text_items(page: &Page) -> Vec<&Item> {
        page.items.iter().filter(|i| matches!(i, Item::Text { .. })).collect()
    }

    /// The texts of a page's body (the footer left out), in the order they were laid out.
    pub(super) fn body_texts(page: &Page) -> Vec<String> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, y, .. } if *y > MARGIN_BOTTOM => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    pub(super) fn lay(blocks: Vec<Block>) -> Vec<Page> {
        let footer = Footer { left: "Ref. 1".into(), page_label: "{page}/{pages}".into() };
        layout(&Fake, &Input { letterhead: &[], logo_px: None, blocks: &blocks, footer: &footer })
            .expect("lays out")
    }

    /// Baselines and sizes of body text on a page (footer excluded), top to bottom.
    fn body_baselines(page: &Page) -> Vec<(f32, f32)> {
        text_items(page)
            .into_iter()
            .filter_map(|i| match i {
                Item::Text { y, size, .. } if *y > MARGIN_BOTTOM => Some((*y, *size)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn long_text_flows_onto_pages_with_numbered_footers() {
        let pages = lay(vec![body_lines(150)]);
        assert!(pages.len() >= 3, "150 lines at 14.7 pt need 3 pages, got {}", pages.len());
        for (i, page) in pages.iter().enumerate() {
            let label = format!("{}/{}", i + 1, pages.len());
            assert!(
                page.items.iter().any(|it| matches!(it, Item::Text { text, .. } if *text == label)),
                "page {} has its label {label}",
                i + 1
            );
            for (y, size) in body_baselines(page) {
                assert!(y - size * 0.25 >= MARGIN_BOTTOM - 0.01, "text below the bottom margin: {y}");
                assert!(y + size * 0.9 <= PAGE_HEIGHT - MARGIN_TOP + 0.01, "text above the top margin: {y}");
            }
        }
    }

    #[test]
    fn a_heading_is_not_left_alone_at_the_bottom() {
        // fill page 1 so that the heading would fit, but not with two lines after it
        let filler = filler(3);
        let pages = lay(vec![filler, Block::Heading("Heading".into()), body_lines(3)]);
        let on_page_1 =
            text_items(&pages[0]).iter().any(|i| matches!(i, Item::Text { text, .. } if text == "Heading"));
        assert!(!on_page_1, "the heading moved to page 2 with its paragraph");
        let first_on_2 = text_items(&pages[1]).first().map(|i| match i {
            Item::Text { text, .. } => text.clone(),
            _ => String::new(),
        });
        assert_eq!(first_on_2.as_deref(), Some("Heading"));
    }

    #[test]
    fn keep_together_moves_whole_and_page_break_breaks() {
        let filler = filler(3);
        let signature = Block::KeepTogether(vec![
            Block::para("Me respekt,"),
            Block::Spacer(12.0),
            Block::para("Arbër Krasniqi\nJurist"),
        ]);
        let pages = lay(vec![filler, signature, Block::PageBreak, Block::para("After the break")]);
        assert_eq!(pages.len(), 3, "filler | signature | after the break");
        let texts_2 = body_texts(&pages[1]);
        assert_eq!(texts_2, ["Me respekt,", "Arbër Krasniqi", "Jurist"]);
    }

    #[test]
    fn keep_together_taller_than_a_page_just_flows() {
        let pages = lay(vec![Block::para("intro"), Block::KeepTogether(vec![body_lines(100)])]);
        assert!(pages.len() >= 2);
        assert!(body_baselines(&pages[0]).len() > 10, "page 1 is filled, not left with one line");
    }

    #[test]
    fn out_of_range_styles_are_refused() {
        let footer = Footer::default();
        for block in [
            Block::Paragraph(Para::new("x").size(0.0)),
            Block::Paragraph(Para::new("x").indent(f32::NAN)),
            Block::Spacer(-1.0),
        ] {
            let blocks = [block];
            let r =
                layout(&Fake, &Input { letterhead: &[], logo_px: None, blocks: &blocks, footer: &footer });
            assert!(matches!(r, Err(PrintError::Invalid(_))), "{:?} refused", blocks[0]);
        }
    }

    proptest! {
        /// No line is wider than the width (unless it is one character), no character is
        /// lost or reordered, only spaces vanish, and every hard line break is kept.
        #[test]
        fn wrap_keeps_every_character_within_the_width(
            text in "[a-eW \u{A0}\u{301}\n]{0,200}",
            width in 1.0f32..200.0,
        ) {
            let lines = wrap(&Fake, Style::Regular, 10.0, &text, width);
            for l in &lines {
                prop_assert!(l.width <= width || l.text.chars().filter(|c| Fake.advance(Style::Regular, *c) > 0).count() == 1,
                    "line {:?} is {} pt wide, limit {}", l.text, l.width, width);
                prop_assert!(!l.text.starts_with(' ') && !l.text.ends_with(' '));
                prop_assert_eq!(l.width, text_width(&Fake, Style::Regular, 10.0, &l.text));
            }
            let kept: String = lines.iter().flat_map(|l| l.text.chars()).filter(|c| *c != ' ').collect();
            let input: String = text.chars().filter(|c| *c != ' ' && *c != '\n').collect();
            prop_assert_eq!(kept, input);
            prop_assert_eq!(lines.iter().filter(|l| l.last).count(), text.split('\n').count());
        }

        /// Pagination never puts a row below the bottom margin or above the top margin.
        #[test]
        fn pages_stay_inside_the_margins(words in 0usize..3000, heading_every in 1usize..40) {
            let mut blocks = Vec::new();
            for i in 0..words / 50 + 1 {
                if i % heading_every == 0 {
                    blocks.push(Block::Heading(format!("Heading {i}")));
                }
                blocks.push(Block::para(vec!["word"; 50].join(" ")));
            }
            let pages = lay(blocks);
            for page in &pages {
                for (y, size) in body_baselines(page) {
                    prop_assert!(y - size * 0.25 >= MARGIN_BOTTOM - 0.01, "below the bottom margin: {}", y);
                    prop_assert!(y + size * 0.9 <= PAGE_HEIGHT - MARGIN_TOP + 0.01, "above the top margin: {}", y);
                }
            }
        }
    }
}
