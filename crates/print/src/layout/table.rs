//! [`Block::Table`](crate::Block::Table): column widths from content, column slices for tables
//! wider than the page, and one [`Row`](super::Row) per table row, each naming its header row
//! so that [`paginate`](super::paginate) repeats the header on continuation pages.

use super::{
    BLOCK_SPACE_AFTER, FIT, Flow, Item, Metrics, Row, Style, Tone, WrappedLine, checked, longest_line, milli,
    wrap,
};
use crate::geometry::{BODY_HEIGHT, MM};
use crate::{Align, PrintError, Table};

/// Table font sizes accepted, in points.
const SIZE_LIMITS: (f32, f32) = (6.0, 14.0);
/// Line height as a multiple of the table's font size.
const LINE_HEIGHT: f32 = 1.25;
/// Space between a cell's text and its column's edges.
const PAD_X: f32 = 1.5 * MM;
/// Space between a cell's text and the rules above and below it.
const PAD_Y: f32 = 0.9 * MM;
/// A label column is not squeezed below this (or its natural width, if smaller) to make room
/// for number columns: a table that needs it narrower is printed in slices.
const LABEL_MIN: f32 = 35.0 * MM;
/// Grey level of the header row's background: light enough for black text in any print.
const HEADER_FILL: f32 = 0.88;
/// The rules above and below the header row and below the last row.
const FRAME_RULE: f32 = 0.6;
/// The rules between body rows.
const ROW_RULE: f32 = 0.3;
/// The rule above a bold row (totals).
const TOTAL_RULE: f32 = 0.5;
/// Space before a table.
const SPACE_BEFORE: f32 = 2.0 * MM;
/// Space between two column slices.
const SLICE_SPACE: f32 = 6.0 * MM;

/// What a column needs, in points, cell padding included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ColumnNeed {
    /// The narrowest the column is made while the table fits the width: the longest header
    /// word, and for a number column its widest cell; for a label column its natural width up
    /// to [`LABEL_MIN`].
    pub(crate) min: f32,
    /// The width that prints every cell and the header on one line (only label columns grow
    /// towards it).
    pub(crate) natural: f32,
    /// The narrowest at all (the longest header word): only when a slice cannot be as wide as
    /// its minimum widths.
    pub(crate) hard_min: f32,
    /// A label column: takes the free width.
    pub(crate) grows: bool,
}

/// One column slice: column indices and their widths.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slice {
    pub(crate) columns: Vec<usize>,
    pub(crate) widths: Vec<f32>,
}

/// Width of the widest word of `s` (split at spaces and line breaks).
fn longest_word(m: &impl Metrics, style: Style, size: f32, s: &str) -> f32 {
    let w = s.split([' ', '\n']).map(|word| milli(m, style, word)).max().unwrap_or(0);
    w as f32 * size / 1000.0
}

fn is_label(align: Align) -> bool {
    matches!(align, Align::Left | Align::Justify)
}

fn row_style(bold: bool) -> Style {
    if bold { Style::Bold } else { Style::Regular }
}

/// What every column of `t` needs at `size`, none more than `avail`.
pub(crate) fn column_needs(m: &impl Metrics, t: &Table, size: f32, avail: f32) -> Vec<ColumnNeed> {
    let pad = 2.0 * PAD_X;
    t.columns
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let header_word = longest_word(m, Style::Bold, size, &col.header);
            let cells = t
                .rows
                .iter()
                .filter_map(|r| r.cells.get(j).map(|c| longest_line(m, row_style(r.bold), size, c)))
                .fold(0.0, f32::max);
            let hard_min = (header_word + pad).min(avail);
            if is_label(col.align) {
                let natural = (longest_line(m, Style::Bold, size, &col.header).max(cells) + pad).min(avail);
                let min = hard_min.max(natural.min(LABEL_MIN)).min(avail);
                ColumnNeed { min, natural, hard_min, grows: true }
            } else {
                let natural = (header_word.max(cells) + pad).min(avail);
                ColumnNeed { min: natural, natural, hard_min, grows: false }
            }
        })
        .collect()
}

/// Widths for `needs` side by side in `avail` points. When the minimum widths fit, label
/// columns grow towards their natural widths (in proportion to what they lack), then share
/// what is left equally; number columns keep their minimum, and without a label column the
/// table is narrower than `avail`. When they do not fit, the columns shrink towards their hard
/// minimums, and below that all in proportion.
pub(crate) fn fit(needs: &[ColumnNeed], avail: f32) -> Vec<f32> {
    let min_sum: f32 = needs.iter().map(|n| n.min).sum();
    if min_sum > avail {
        let hard_sum: f32 = needs.iter().map(|n| n.hard_min).sum();
        if hard_sum >= avail {
            let k = if hard_sum > 0.0 { avail / hard_sum } else { 0.0 };
            return needs.iter().map(|n| n.hard_min * k).collect();
        }
        let t = (avail - hard_sum) / (min_sum - hard_sum);
        return needs.iter().map(|n| n.hard_min + (n.min - n.hard_min) * t).collect();
    }
    let extra = avail - min_sum;
    let growers = needs.iter().filter(|n| n.grows).count();
    if growers == 0 {
        return needs.iter().map(|n| n.min).collect();
    }
    let lacking: f32 = needs.iter().filter(|n| n.grows).map(|n| (n.natural - n.min).max(0.0)).sum();
    needs
        .iter()
        .map(|n| {
            if !n.grows {
                n.min
            } else if lacking >= extra {
                n.min + extra * (n.natural - n.min).max(0.0) / lacking
            } else {
                n.natural.max(n.min) + (extra - lacking) / growers as f32
            }
        })
        .collect()
}

/// The column slices of a table: one slice with every column when their minimum widths fit
/// `avail`; otherwise the first `repeat` columns in every slice, each slice carrying as many
/// of the other columns as fit (at least one). The repeated columns get the same widths in
/// every slice: what the fullest slice leaves them.
pub(crate) fn plan(needs: &[ColumnNeed], repeat: usize, avail: f32) -> Vec<Slice> {
    let min_sum: f32 = needs.iter().map(|n| n.min).sum();
    let repeat = repeat.min(needs.len());
    if min_sum <= avail || repeat == needs.len() {
        return vec![Slice { columns: (0..needs.len()).collect(), widths: fit(needs, avail) }];
    }
    let (repeated, rest) = needs.split_at(repeat);
    let repeated_min: f32 = repeated.iter().map(|n| n.min).sum();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut used = repeated_min;
    for (i, need) in rest.iter().enumerate() {
        if !current.is_empty() && used + need.min > avail {
            groups.push(std::mem::take(&mut current));
            used = repeated_min;
        }
        current.push(repeat + i);
        used += need.min;
    }
    if !current.is_empty() {
        groups.push(current);
    }
    let min_of = |g: &[usize]| -> f32 { g.iter().filter_map(|&j| needs.get(j)).map(|n| n.min).sum() };
    let fullest = groups.iter().map(|g| min_of(g)).fold(0.0, f32::max);
    let repeated_widths = fit(repeated, (avail - fullest).max(0.0));
    let repeated_w: f32 = repeated_widths.iter().sum();
    groups
        .into_iter()
        .map(|g| {
            let group_needs: Vec<ColumnNeed> = g.iter().filter_map(|&j| needs.get(j).copied()).collect();
            let mut widths = repeated_widths.clone();
            widths.extend(fit(&group_needs, (avail - repeated_w).max(0.0)));
            Slice { columns: (0..repeat).chain(g).collect(), widths }
        })
        .collect()
}

/// A cell's lines placed in its column: `x` by the column's alignment, `y` the baseline of
/// each line counted from `top`.
struct Cell<'a> {
    lines: &'a [WrappedLine],
    x: f32,
    width: f32,
    align: Align,
    top: f32,
}

impl<M: Metrics> Flow<'_, M> {
    /// A [`Table`]: validated, measured, sliced and turned into rows.
    pub(super) fn table(&mut self, t: &Table, x0: f32, w: f32) -> Result<(), PrintError> {
        let size = checked("a table's font size", t.size, SIZE_LIMITS.0, SIZE_LIMITS.1)?;
        let n = t.columns.len();
        if n == 0 {
            return Err(PrintError::Invalid("a table needs at least one column".into()));
        }
        if t.repeat_columns > n {
            return Err(PrintError::Invalid(format!(
                "a table repeats {} columns in its slices, but has only {n}",
                t.repeat_columns
            )));
        }
        if let Some((i, row)) = t.rows.iter().enumerate().find(|(_, r)| r.cells.len() != n) {
            return Err(PrintError::Invalid(format!(
                "row {} of a table has {} cells, but the table has {n} columns",
                i + 1,
                row.cells.len()
            )));
        }
        let needs = column_needs(self.m, t, size, w);
        self.space(SPACE_BEFORE);
        for (k, slice) in plan(&needs, t.repeat_columns, w).iter().enumerate() {
            if k > 0 {
                self.space(SLICE_SPACE);
            }
            self.table_slice(t, slice, x0, size)?;
        }
        self.space(2.0 * BLOCK_SPACE_AFTER);
        Ok(())
    }

    /// Text items of a cell's lines.
    fn cell_items(&self, cell: &Cell<'_>, style: Style, size: f32, items: &mut Vec<Item>) {
        let lh = size * LINE_HEIGHT;
        let baseline = self.baseline(style, size, lh);
        let inner = (cell.width - 2.0 * PAD_X).max(0.0);
        for (k, line) in cell.lines.iter().enumerate() {
            let slack = (inner - line.width).max(0.0);
            let x = cell.x
                + PAD_X
                + match cell.align {
                    Align::Left | Align::Justify => 0.0,
                    Align::Right => slack,
                    Align::Center => slack / 2.0,
                };
            items.push(Item::Text {
                x,
                y: cell.top + k as f32 * lh + baseline,
                style,
                size,
                tone: Tone::Ink,
                text: line.text.clone(),
                word_gap: 0.0,
            });
        }
    }

    fn table_slice(&mut self, t: &Table, slice: &Slice, x0: f32, size: f32) -> Result<(), PrintError> {
        let lh = size * LINE_HEIGHT;
        let total_w: f32 = slice.widths.iter().sum();
        let xs: Vec<f32> = slice
            .widths
            .iter()
            .scan(x0, |x, w| {
                let at = *x;
                *x += w;
                Some(at)
            })
            .collect();
        // (column index, x, width, alignment) of the slice's columns
        let columns: Vec<(usize, f32, f32, Align)> = slice
            .columns
            .iter()
            .zip(&slice.widths)
            .zip(&xs)
            .map(|((&j, &w), &x)| (j, x, w, t.columns.get(j).map_or(Align::Left, |c| c.align)))
            .collect();
        // (+ FIT: a column measured for its text must not wrap it for a rounding error)
        let wrap_in = |style: Style, text: &str, w: f32| {
            wrap(self.m, style, size, text, (w - 2.0 * PAD_X).max(0.0) + FIT)
        };

        // The header row: bold, on grey, between two rules, its cells aligned to the bottom.
        let headers: Vec<Vec<WrappedLine>> = columns
            .iter()
            .map(|&(j, _, w, _)| {
                t.columns.get(j).map_or_else(Vec::new, |c| wrap_in(Style::Bold, &c.header, w))
            })
            .collect();
        let lines = headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let header_h = lines as f32 * lh + 2.0 * PAD_Y;
        if header_h > BODY_HEIGHT / 2.0 {
            return Err(PrintError::Invalid("the header row of a table is taller than half a page".into()));
        }
        let rule =
            |y: f32, thickness: f32, tone: Tone| Item::Rule { x1: x0, x2: x0 + total_w, y, thickness, tone };
        let mut items = vec![
            Item::Rect {
                x: x0,
                y: header_h,
                w: total_w,
                h: header_h,
                fill: Some(HEADER_FILL),
                outline: None,
            },
            rule(0.0, FRAME_RULE, Tone::Ink),
            rule(header_h, FRAME_RULE, Tone::Ink),
        ];
        for (cell_lines, &(_, x, width, align)) in headers.iter().zip(&columns) {
            let top = header_h - PAD_Y - cell_lines.len() as f32 * lh;
            self.cell_items(&Cell { lines: cell_lines, x, width, align, top }, Style::Bold, size, &mut items);
        }

        // Body rows, measured first: the header keeps the first two when they fit a page with it.
        let bodies: Vec<(f32, Vec<Vec<WrappedLine>>)> = t
            .rows
            .iter()
            .map(|r| {
                let cells: Vec<Vec<WrappedLine>> = columns
                    .iter()
                    .map(|&(j, _, w, _)| {
                        r.cells.get(j).map_or_else(Vec::new, |c| wrap_in(row_style(r.bold), c, w))
                    })
                    .collect();
                let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                (lines as f32 * lh + 2.0 * PAD_Y, cells)
            })
            .collect();
        if let Some(i) = bodies.iter().position(|(h, _)| header_h + h > BODY_HEIGHT) {
            return Err(PrintError::Invalid(format!(
                "row {} of a table is taller than a page; shorten its cells",
                i + 1
            )));
        }
        let first_two: f32 = bodies.iter().take(2).map(|(h, _)| h).sum();
        let keep =
            if header_h + first_two <= BODY_HEIGHT { bodies.len().min(2) } else { bodies.len().min(1) };
        let header =
            Row { height: header_h, space_before: 0.0, keep, break_before: false, items, repeat: None };
        let header_index = self.headers.len();
        self.headers.push(header.clone());
        self.push_row(header.height, header.items, keep);

        let last = t.rows.len().saturating_sub(1);
        for (i, (row, (h, cells))) in t.rows.iter().zip(bodies).enumerate() {
            let style = row_style(row.bold);
            let mut items = Vec::new();
            if row.bold && i > 0 {
                items.push(rule(0.0, TOTAL_RULE, Tone::Ink));
            }
            items.push(if i == last {
                rule(h, FRAME_RULE, Tone::Ink)
            } else {
                rule(h, ROW_RULE, Tone::Faint)
            });
            for (cell_lines, &(_, x, width, align)) in cells.iter().zip(&columns) {
                self.cell_items(
                    &Cell { lines: cell_lines, x, width, align, top: PAD_Y },
                    style,
                    size,
                    &mut items,
                );
            }
            self.push_row(h, items, 0);
            if let Some(r) = self.rows.last_mut() {
                r.repeat = Some(header_index);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Fake, body_texts, lay};
    use super::*;
    use crate::geometry::{CONTENT_WIDTH, MARGIN_BOTTOM, PAGE_HEIGHT};
    use crate::{Block, Column, TableRow};

    const PAD: f32 = 2.0 * PAD_X;

    fn need(min: f32, natural: f32, grows: bool) -> ColumnNeed {
        ColumnNeed { min, natural, hard_min: min.min(20.0), grows }
    }

    #[test]
    fn number_columns_are_as_wide_as_their_content_and_labels_take_the_rest() {
        // Fake font at 10 pt: a letter is 5 pt, a space 2.5 pt
        let t = Table {
            size: 10.0,
            ..Table::new(
                vec![Column::label("Ground"), Column::number("Cases in 2026"), Column::number("N")],
                vec![
                    TableRow::new(vec!["Gender".into(), "12".into(), "1234567".into()]),
                    TableRow::new(vec!["Ethnicity or national origin".into(), "3".into(), "".into()]),
                ],
            )
        };
        let needs = column_needs(&Fake, &t, 10.0, CONTENT_WIDTH);
        // "Cases in 2026": the header wraps, its longest word (5 letters, 25 pt) is wider than "12"
        assert_eq!(needs[1].min, 25.0 + PAD);
        assert!(!needs[1].grows);
        // "1234567" (35 pt) is wider than the header "N"
        assert_eq!(needs[2].min, 35.0 + PAD);
        // the label: natural is its longest cell on one line (25 letters, 3 spaces)
        assert_eq!(needs[0].natural, 25.0 * 5.0 + 3.0 * 2.5 + PAD);
        assert_eq!(needs[0].hard_min, 30.0 + PAD, "the header word \"Ground\"");
        let widths = fit(&needs, CONTENT_WIDTH);
        assert_eq!(widths[1..], [needs[1].min, needs[2].min]);
        assert!((widths.iter().sum::<f32>() - CONTENT_WIDTH).abs() < 0.01, "full width: {widths:?}");
    }

    #[test]
    fn a_label_column_is_never_narrower_than_its_longest_header_word() {
        let t = Table::new(
            vec![Column::label("Diskriminimi"), Column::number("x")],
            vec![TableRow::new(vec!["a".into(), "1".into()])],
        );
        let needs = column_needs(&Fake, &t, 8.5, CONTENT_WIDTH);
        assert_eq!(needs[0].min, 51.0 + PAD, "12 letters of 5 pt at 8.5/10");
        assert!(fit(&needs, CONTENT_WIDTH)[0] >= needs[0].min);
    }

    #[test]
    fn fit_grows_labels_in_proportion_to_what_they_lack_and_shrinks_when_too_narrow() {
        let needs = [need(50.0, 150.0, true), need(40.0, 60.0, true), need(30.0, 30.0, false)];
        // 60 extra, 120 lacking: each gets half of what it lacks
        assert_eq!(fit(&needs, 180.0), [100.0, 50.0, 30.0]);
        // everything natural, then 30 extra shared by the two labels
        assert_eq!(fit(&needs, 270.0), [165.0, 75.0, 30.0]);
        // no label: the table stays at its minimum width
        assert_eq!(fit(&[need(30.0, 30.0, false)], 400.0), [30.0]);
        // too narrow: towards the hard minimums (20 each), then in proportion
        assert_eq!(fit(&needs, 90.0), [35.0, 30.0, 25.0]);
        assert_eq!(fit(&needs, 30.0), [10.0, 10.0, 10.0]);
    }

    #[test]
    fn a_table_too_wide_is_sliced_with_the_label_column_repeated() {
        let mut needs = vec![need(100.0, 200.0, true)];
        needs.extend((0..13).map(|_| need(40.0, 40.0, false)));
        let slices = plan(&needs, 1, 470.0);
        // 100 + 9 × 40 = 460 fit; the other 4 go in a second slice
        assert_eq!(slices.len(), 2);
        assert_eq!(slices[0].columns, (0..10).collect::<Vec<_>>());
        assert_eq!(slices[1].columns, [0, 10, 11, 12, 13]);
        // the label gets what the fullest slice leaves, the same in both
        assert_eq!(slices[0].widths[0], 110.0);
        assert_eq!(slices[1].widths[0], 110.0);
        assert!(slices.iter().all(|s| s.widths.iter().sum::<f32>() <= 470.0 + 0.01));
        // it fits: one slice, at full width
        let one = plan(&needs[..4], 1, 470.0);
        assert_eq!(one.len(), 1);
        assert!((one[0].widths.iter().sum::<f32>() - 470.0).abs() < 0.01);
    }

    #[test]
    fn a_single_column_too_wide_for_a_slice_is_squeezed_not_dropped() {
        let needs = [need(300.0, 300.0, true), need(250.0, 250.0, false), need(40.0, 40.0, false)];
        let slices = plan(&needs, 1, 400.0);
        let all: Vec<usize> =
            slices.iter().flat_map(|s| s.columns.iter().copied().filter(|&j| j > 0)).collect();
        assert_eq!(all, [1, 2], "every column is printed once");
        for s in &slices {
            assert_eq!(s.columns[0], 0);
            assert!(s.widths.iter().sum::<f32>() <= 400.0 + 0.01, "{s:?}");
        }
    }

    fn table_rows(n: usize) -> Vec<TableRow> {
        (1..=n).map(|i| TableRow::new(vec![format!("row{i}"), format!("{i}")])).collect()
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page_and_keeps_every_row_once() {
        let t = Table::new(vec![Column::label("Label"), Column::number("Count")], table_rows(150));
        let pages = lay(vec![Block::Table(t)]);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut seen = Vec::new();
        for page in &pages {
            let texts = body_texts(page);
            assert_eq!(texts[..2], ["Label", "Count"], "the header starts every page");
            seen.extend(texts.iter().filter(|t| t.starts_with("row")).cloned());
            // the grey header background on every page
            assert!(
                page.items.iter().any(|i| matches!(i, Item::Rect { fill: Some(f), .. } if *f == HEADER_FILL))
            );
        }
        assert_eq!(seen, (1..=150).map(|i| format!("row{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn the_header_is_not_left_alone_and_a_heading_stays_with_it() {
        // leave room for the heading and the header row, but not for two body rows
        let lines_per_page = (BODY_HEIGHT / (10.5 * crate::geometry::LINE_HEIGHT)) as usize;
        let filler = Block::para(vec!["line"; lines_per_page - 3].join("\n"));
        let t = Table::new(vec![Column::label("Label"), Column::number("Count")], table_rows(5));
        let pages = lay(vec![filler, Block::Heading("Heading".into()), Block::Table(t)]);
        assert_eq!(pages.len(), 2);
        assert!(!body_texts(&pages[0]).iter().any(|t| t == "Heading" || t == "Label"));
        assert_eq!(body_texts(&pages[1])[..5], ["Heading", "Label", "Count", "row1", "1"]);
    }

    #[test]
    fn the_header_moves_on_unless_two_body_rows_fit_under_it() {
        // room on page 1 for the header and one and a half body rows (all one line high)
        let row_h = 8.5 * LINE_HEIGHT + 2.0 * PAD_Y;
        let used = 10.5 * crate::geometry::LINE_HEIGHT + 2.5 * MM;
        let spacer_mm = (BODY_HEIGHT - used - 2.5 * row_h) / MM / 2.0;
        let t = Table::new(vec![Column::label("Label"), Column::number("Count")], table_rows(5));
        let blocks =
            vec![Block::para("x"), Block::Spacer(spacer_mm), Block::Spacer(spacer_mm), Block::Table(t)];
        let pages = lay(blocks.clone());
        assert_eq!(body_texts(&pages[0]), ["x"], "the header did not stay alone with one row");
        assert_eq!(body_texts(&pages[1])[..6], ["Label", "Count", "row1", "1", "row2", "2"]);
        // with room for two rows it stays
        let mut blocks = blocks;
        blocks[1] = Block::Spacer(spacer_mm - row_h / MM);
        let pages = lay(blocks);
        assert_eq!(body_texts(&pages[0])[..5], ["x", "Label", "Count", "row1", "1"]);
    }

    #[test]
    fn rows_never_cross_the_bottom_margin() {
        let rows = (1..=90)
            .map(|i| TableRow::new(vec![vec!["word"; i % 7 * 9 + 1].join(" "), format!("{i}")]))
            .collect();
        let pages = lay(vec![Block::Table(Table::new(vec![Column::label("L"), Column::number("N")], rows))]);
        for page in &pages {
            for item in &page.items {
                // (the footer's rule is Muted)
                if let Item::Rule { y, tone: Tone::Ink | Tone::Faint, .. } | Item::Rect { y, .. } = item
                    && *y > MARGIN_BOTTOM - 30.0
                {
                    assert!(*y >= MARGIN_BOTTOM - 0.01, "below the bottom margin: {item:?}");
                    assert!(*y <= PAGE_HEIGHT, "{item:?}");
                }
            }
        }
    }

    #[test]
    fn invalid_tables_are_refused() {
        let footer = crate::Footer::default();
        let cols = || vec![Column::label("a"), Column::number("b")];
        let bad = [
            (
                Table::new(cols(), vec![TableRow::new(vec!["x".into()])]),
                "row 1 of a table has 1 cells, but the table has 2 columns",
            ),
            (Table::new(Vec::new(), Vec::new()), "at least one column"),
            (Table { repeat_columns: 3, ..Table::new(cols(), Vec::new()) }, "repeats 3 columns"),
            (Table { size: 40.0, ..Table::new(cols(), Vec::new()) }, "font size"),
            (
                Table::new(vec![Column::label(vec!["w"; 20000].join(" "))], Vec::new()),
                "header row of a table is taller than half a page",
            ),
            (
                Table::new(cols(), vec![TableRow::new(vec![vec!["w"; 20000].join(" "), "1".into()])]),
                "taller than a page",
            ),
        ];
        for (t, msg) in bad {
            let blocks = [Block::Table(t)];
            let r = super::super::layout(
                &Fake,
                &super::super::Input { letterhead: &[], logo_px: None, blocks: &blocks, footer: &footer },
            );
            assert!(matches!(&r, Err(PrintError::Invalid(m)) if m.contains(msg)), "{msg}: {r:?}");
        }
    }
}
