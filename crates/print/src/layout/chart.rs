//! [`Block::BarChart`](crate::Block::BarChart): horizontal bars as filled, outlined
//! rectangles, told apart by grey level (never by colour alone), with real text for the title,
//! legend, labels and values.

use super::{BLOCK_SPACE_AFTER, FIT, Flow, Item, Metrics, Style, TextStyle, Tone, longest_line, wrap};
use crate::geometry::{BODY_HEIGHT, BODY_SIZE, MM};
use crate::{Align, Bar, BarChart, PrintError};

/// Size of the legend, labels and value texts, in points.
const SIZE: f32 = 8.5;
/// Their line height as a multiple of [`SIZE`].
const LINE_HEIGHT: f32 = 1.25;
/// The height of a bar.
const BAR_HEIGHT: f32 = 4.5 * MM;
/// Space between two bars (half above, half below each).
const BAR_GAP: f32 = 2.0 * MM;
/// The black outline of every bar segment and legend swatch.
const OUTLINE: f32 = 0.5;
/// The baseline axis the bars start from.
const AXIS: f32 = 0.8;
/// Fill of each series' segments, as grey levels (0 black, 1 white): dark, mid, white, light.
pub(crate) const SERIES_FILLS: [f32; 4] = [0.2, 0.6, 1.0, 0.85];
/// The most series a chart has (one fill each).
const MAX_SERIES: usize = SERIES_FILLS.len();
/// The label column is at most this share of the width.
const LABEL_SHARE: f32 = 0.4;
/// The value texts are at most this share of the width.
const TEXT_SHARE: f32 = 0.25;
/// Between the label column and the axis.
const LABEL_GAP: f32 = 3.0 * MM;
/// Between the end of a bar and its text.
const TEXT_GAP: f32 = 1.5 * MM;
/// A legend swatch's side.
const SWATCH: f32 = 3.2 * MM;
/// Between a swatch and its series name.
const SWATCH_GAP: f32 = 1.5 * MM;
/// Between two legend entries on a line.
const ENTRY_GAP: f32 = 6.0 * MM;
/// Space before the chart.
const SPACE_BEFORE: f32 = 3.0 * MM;
/// Space between the title and the legend.
const TITLE_SPACE: f32 = 1.5 * MM;
/// Space before the bars.
const BARS_SPACE: f32 = 2.5 * MM;

impl<M: Metrics> Flow<'_, M> {
    /// A [`BarChart`]: title, legend and one row per bar; kept on one page when it fits one.
    pub(super) fn bar_chart(&mut self, c: &BarChart, x0: f32, w: f32) -> Result<(), PrintError> {
        let series = c.series.len();
        if !(1..=MAX_SERIES).contains(&series) {
            return Err(PrintError::Invalid(format!(
                "a bar chart has 1 to {MAX_SERIES} series, not {series}"
            )));
        }
        for (i, bar) in c.bars.iter().enumerate() {
            if bar.values.len() != series {
                return Err(PrintError::Invalid(format!(
                    "bar {} of a chart has {} values, but the chart has {series} series",
                    i + 1,
                    bar.values.len()
                )));
            }
            if let Some(v) = bar.values.iter().flatten().find(|v| !v.is_finite() || **v < 0.0) {
                return Err(PrintError::Invalid(format!(
                    "bar {} of a chart has the value {v}; values must be finite and not negative",
                    i + 1
                )));
            }
        }
        let lh = SIZE * LINE_HEIGHT;
        let small = TextStyle {
            style: Style::Regular,
            size: SIZE,
            line_height: lh,
            align: Align::Left,
            tone: Tone::Ink,
        };

        self.space(SPACE_BEFORE);
        let first = self.rows.len();
        if !c.title.trim().is_empty() {
            let title = TextStyle {
                style: Style::Bold,
                size: BODY_SIZE,
                line_height: BODY_SIZE * 1.3,
                align: Align::Left,
                tone: Tone::Ink,
            };
            self.text_rows(&c.title, &title, x0, w, false);
        }
        if series > 1 {
            self.space(TITLE_SPACE);
            self.legend(&c.series, &small, x0, w);
        }
        self.space(BARS_SPACE);
        let bars_start = self.rows.len();

        let widest = |text: fn(&Bar) -> &str| {
            c.bars.iter().map(|b| longest_line(self.m, Style::Regular, SIZE, text(b))).fold(0.0, f32::max)
        };
        // (+ FIT: measured for its text, a column must not wrap it for a rounding error)
        let label_w = widest(|b| &b.label).min(w * LABEL_SHARE) + FIT;
        let text_w = widest(|b| &b.text).min(w * TEXT_SHARE) + FIT;
        let axis_x = x0 + label_w + LABEL_GAP;
        let bar_area = (x0 + w - axis_x - TEXT_GAP - text_w).max(0.0);
        let total = |values: &[Option<f64>]| values.iter().flatten().sum::<f64>();
        let largest = c.bars.iter().map(|b| total(&b.values)).fold(0.0, f64::max);
        let scale = if largest > 0.0 { f64::from(bar_area) / largest } else { 0.0 };

        for bar in &c.bars {
            let labels = self.text_lines(&bar.label, &small, x0, label_w);
            let texts_n = wrap(self.m, Style::Regular, SIZE, &bar.text, text_w).len();
            let label_h = labels.len() as f32 * lh;
            let content = label_h.max(BAR_HEIGHT).max(texts_n as f32 * lh);
            let height = content + BAR_GAP;
            let bar_top = BAR_GAP / 2.0 + (content - BAR_HEIGHT) / 2.0;
            let mut items = Vec::new();
            let mut end = axis_x;
            for (s, value) in bar.values.iter().enumerate() {
                let Some(value) = value else { continue };
                let seg = (value * scale) as f32;
                if seg > 0.0 {
                    items.push(Item::Rect {
                        x: end,
                        y: bar_top + BAR_HEIGHT,
                        w: seg,
                        h: BAR_HEIGHT,
                        fill: SERIES_FILLS.get(s).copied(),
                        outline: Some(OUTLINE),
                    });
                    end += seg;
                }
            }
            items.push(Item::Line {
                x1: axis_x,
                y1: 0.0,
                x2: axis_x,
                y2: height,
                thickness: AXIS,
                tone: Tone::Ink,
            });
            let label_top = BAR_GAP / 2.0 + (content - label_h) / 2.0;
            for (k, mut item) in labels.into_iter().enumerate() {
                if let Item::Text { y, .. } = &mut item {
                    *y += label_top + k as f32 * lh;
                }
                items.push(item);
            }
            // the text's lines centred on the bar
            let texts = self.text_lines(&bar.text, &small, end + TEXT_GAP, text_w);
            let text_top = bar_top + BAR_HEIGHT / 2.0 - texts.len() as f32 * lh / 2.0;
            for (k, mut item) in texts.into_iter().enumerate() {
                if let Item::Text { y, .. } = &mut item {
                    *y += text_top + k as f32 * lh;
                }
                items.push(item);
            }
            self.push_row(height, items, 0);
        }

        // One page when it fits on one; otherwise the title and legend keep the first two bars.
        let end = self.rows.len();
        let height: f32 = self.rows.get(first..end).map_or(0.0, |rows| {
            rows.iter().skip(1).map(|r| r.space_before).sum::<f32>()
                + rows.iter().map(|r| r.height).sum::<f32>()
        });
        if height <= BODY_HEIGHT {
            self.keep_until(first, end);
        } else {
            self.keep_until(first, (bars_start + 2).min(end));
        }
        self.space(2.0 * BLOCK_SPACE_AFTER);
        Ok(())
    }

    /// Legend entries (swatch and name) side by side, wrapping onto further lines.
    fn legend(&mut self, names: &[String], ts: &TextStyle, x0: f32, w: f32) {
        let lh = ts.line_height;
        let name_w = (w - SWATCH - SWATCH_GAP).max(0.0);
        let mut line: Vec<Item> = Vec::new();
        let mut line_h = 0.0f32;
        let mut x = 0.0;
        for (s, name) in names.iter().enumerate() {
            let widest = (longest_line(self.m, ts.style, ts.size, name) + FIT).min(name_w);
            let entry_w = SWATCH + SWATCH_GAP + widest;
            if x > 0.0 && x + entry_w > w {
                self.push_row(line_h, std::mem::take(&mut line), 0);
                x = 0.0;
                line_h = 0.0;
            }
            line.push(Item::Rect {
                x: x0 + x,
                y: (lh + SWATCH) / 2.0,
                w: SWATCH,
                h: SWATCH,
                fill: SERIES_FILLS.get(s).copied(),
                outline: Some(OUTLINE),
            });
            let lines = self.text_lines(name, ts, x0 + x + SWATCH + SWATCH_GAP, name_w);
            line_h = line_h.max(lines.len() as f32 * lh);
            for (k, mut item) in lines.into_iter().enumerate() {
                if let Item::Text { y, .. } = &mut item {
                    *y += k as f32 * lh;
                }
                line.push(item);
            }
            x += entry_w + ENTRY_GAP;
        }
        if !line.is_empty() {
            self.push_row(line_h, line, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Fake, body_texts, lay};
    use super::*;
    use crate::geometry::MARGIN_LEFT;
    use crate::layout::Page;
    use crate::{Block, Footer};

    fn rects(page: &Page) -> Vec<(f32, f32, Option<f32>)> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Rect { x, w, fill, .. } => Some((*x, *w, *fill)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bars_are_scaled_to_the_largest_total_and_stacked_in_series_fills() {
        let chart = BarChart {
            title: "Cases".into(),
            series: vec!["women".into(), "men".into()],
            bars: vec![
                Bar::new("A", vec![Some(30.0), Some(10.0)], "40"),
                Bar::new("B", vec![Some(20.0), None], "20 (<5 men)"),
                Bar::new("C", vec![Some(0.0), None], "0"),
                Bar::new("D", vec![None, None], "–"),
            ],
        };
        let pages = lay(vec![Block::BarChart(chart)]);
        assert_eq!(pages.len(), 1);
        let r = rects(&pages[0]);
        // two legend swatches, then A's two segments and B's one; nothing for C and D
        assert_eq!(r.len(), 5, "{r:?}");
        assert_eq!([r[0].2, r[1].2], [Some(SERIES_FILLS[0]), Some(SERIES_FILLS[1])]);
        let (a1, a2, b1) = (r[2], r[3], r[4]);
        assert_eq!([a1.2, a2.2, b1.2], [Some(0.2), Some(0.6), Some(0.2)]);
        assert!((a1.1 / b1.1 - 1.5).abs() < 1e-4, "30 against 20");
        assert!((a1.1 / a2.1 - 3.0).abs() < 1e-4, "30 against 10");
        assert!((a2.0 - (a1.0 + a1.1)).abs() < 1e-3, "stacked: the second starts where the first ends");
        assert_eq!(a1.0, b1.0, "every bar starts at the axis");
        assert!(a1.0 > MARGIN_LEFT);
        let t = body_texts(&pages[0]);
        for word in ["Cases", "women", "men", "A", "40", "B", "20 (<5 men)", "C", "0", "D", "–"] {
            assert!(t.iter().any(|x| x == word), "{word} printed: {t:?}");
        }
    }

    #[test]
    fn a_chart_moves_to_the_next_page_whole() {
        let lines_per_page = (BODY_HEIGHT / (10.5 * crate::geometry::LINE_HEIGHT)) as usize;
        let filler = Block::para(vec!["line"; lines_per_page - 10].join("\n"));
        let chart = BarChart {
            title: "Chart".into(),
            series: vec!["n".into()],
            bars: (0..12)
                .map(|i| Bar::new(format!("bar{i}"), vec![Some(f64::from(i))], i.to_string()))
                .collect(),
        };
        let pages = lay(vec![filler, Block::BarChart(chart)]);
        assert_eq!(pages.len(), 2);
        assert!(!body_texts(&pages[0]).iter().any(|t| t == "Chart" || t.starts_with("bar")));
        assert_eq!(body_texts(&pages[1]).iter().filter(|t| t.starts_with("bar")).count(), 12);
    }

    #[test]
    fn a_chart_taller_than_a_page_flows_bar_by_bar() {
        let chart = BarChart {
            title: "Chart".into(),
            series: vec!["n".into()],
            bars: (0..100).map(|i| Bar::new(format!("bar{i}"), vec![Some(1.0)], "1")).collect(),
        };
        let pages = lay(vec![Block::para("intro"), Block::BarChart(chart)]);
        assert!(pages.len() >= 2);
        let t = body_texts(&pages[0]);
        assert_eq!(t[..2], ["intro", "Chart"], "starts on page 1");
        let bars: Vec<String> = pages.iter().flat_map(body_texts).filter(|t| t.starts_with("bar")).collect();
        assert_eq!(bars, (0..100).map(|i| format!("bar{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn invalid_charts_are_refused() {
        let footer = Footer::default();
        let chart = |series: usize, values: Vec<Option<f64>>| BarChart {
            title: "t".into(),
            series: (0..series).map(|i| i.to_string()).collect(),
            bars: vec![Bar::new("a", values, "")],
        };
        for (c, msg) in [
            (chart(0, vec![]), "1 to 4 series"),
            (chart(5, vec![None; 5]), "1 to 4 series"),
            (chart(2, vec![Some(1.0)]), "bar 1 of a chart has 1 values, but the chart has 2 series"),
            (chart(1, vec![Some(-1.0)]), "not negative"),
            (chart(1, vec![Some(f64::NAN)]), "finite"),
        ] {
            let blocks = [Block::BarChart(c)];
            let r = super::super::layout(
                &Fake,
                &super::super::Input { letterhead: &[], logo_px: None, blocks: &blocks, footer: &footer },
            );
            assert!(matches!(&r, Err(PrintError::Invalid(m)) if m.contains(msg)), "{msg}: {r:?}");
        }
    }
}
