//! End-to-end checks of tables and bar charts, read back with poppler-utils (`pdftotext`,
//! `pdfinfo`, `pdfimages`) and, for the vector paths, with lopdf's content-stream parser.

mod common;

use common::{
    COMMUNITIES, PAGE_LABEL, PROTOCOL, Word, case_table, grounds_by_community, period_report, poppler,
    poppler_info, simple_chart, stacked_chart, word_boxes,
};
use rightsdesk_print::geometry::{MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MM};
use rightsdesk_print::{
    Bar, BarChart, Block, Column, Document, Footer, PrintError, Table, TableRow, render, render_counted,
};

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        title: "Raport".into(),
        author: "Rightsdesk tests".into(),
        lang: "sq".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"),
        logo: None,
        letterhead: Vec::new(),
        blocks,
        footer: Footer { left: PROTOCOL.into(), page_label: PAGE_LABEL.into() },
    }
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    poppler(dir.path(), "pdftotext", &["-enc", "UTF-8"], pdf)
}

fn page_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let info = poppler_info(dir.path(), "pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

fn is_case_number(s: &str) -> bool {
    s.len() == 12 && s.starts_with("RD-2026-") && s[8..].bytes().all(|b| b.is_ascii_digit())
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_long_table_breaks_between_rows_with_its_header_on_every_page() {
    let table = case_table(120);
    let pdf = render(&doc(vec![Block::Heading("Lista e rasteve".into()), Block::Table(table.clone())]))
        .expect("renders");
    let pages = page_count(&pdf);
    assert!(pages >= 3, "120 rows take at least 3 pages, got {pages}");

    let (_, h, words) = word_boxes(&pdf);
    let body_bottom = h - MARGIN_BOTTOM;
    let labels: Vec<&Word> = words.iter().filter(|w| is_case_number(&w.text)).collect();
    let expected: Vec<String> = table.rows.iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(
        labels.iter().map(|w| w.text.clone()).collect::<Vec<_>>(),
        expected,
        "every row's label exactly once, in order"
    );

    for page in 1..=pages {
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
        let first_label = labels.iter().find(|w| w.page == page).expect("every page has table rows");
        for header_word in ["Rasti", "Baza", "diskriminimit", "Komuniteti", "Ditë", "vendim", "Referime"] {
            let found = on_page.iter().find(|w| w.text == header_word);
            assert!(
                found.is_some_and(|w| w.y_max <= first_label.y_min),
                "page {page} starts with the header row ({header_word:?} above the first row)"
            );
        }
    }

    // No row split: every word of a row lies on its label's page, between its label and the
    // next row's label (or the bottom margin), and nothing else does.
    for (i, (row, label)) in table.rows.iter().zip(&labels).enumerate() {
        let next_y = labels
            .get(i + 1)
            .filter(|next| next.page == label.page)
            .map_or(body_bottom, |next| next.y_min - 0.5);
        let band: Vec<String> = words
            .iter()
            .filter(|w| w.page == label.page && w.y_min >= label.y_min - 0.5 && w.y_min < next_y)
            .map(|w| w.text.clone())
            .collect();
        let cells: Vec<String> =
            row.cells.iter().flat_map(|c| c.split_whitespace().map(str::to_string)).collect();
        assert_eq!(sorted(band), sorted(cells), "row {} is whole on page {}", i + 1, label.page);
        assert!(label.y_max <= body_bottom, "above the bottom margin: {label:?}");
    }
    // the long descriptions did wrap, so the check above covered rows of several lines
    let tall = labels.windows(2).filter(|p| p[0].page == p[1].page && p[1].y_min - p[0].y_min > 20.0).count();
    assert!(tall >= 10, "{tall} rows of two lines");
}

#[test]
fn a_table_too_wide_is_printed_in_slices_that_repeat_the_label_column() {
    let pdf = render(&doc(vec![
        Block::Heading("Rastet sipas bazës dhe komunitetit".into()),
        Block::Table(grounds_by_community()),
    ]))
    .expect("renders");
    let (w, _, words) = word_boxes(&pdf);
    // A header row: "Baza" and, on its line, the last line of every other column's header
    // (headers are aligned to the bottom). A slice's header is repeated on its continuation
    // pages, so a slice is a distinct header line.
    let headers: Vec<(&Word, Vec<String>)> = words
        .iter()
        .filter(|w| w.text == "Baza")
        .map(|head| {
            let mut line: Vec<&Word> =
                words.iter().filter(|o| o.page == head.page && (o.y_min - head.y_min).abs() < 1.0).collect();
            line.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
            (head, line.iter().map(|o| o.text.clone()).collect())
        })
        .collect();
    let mut slices: Vec<Vec<String>> = Vec::new();
    for (head, line) in &headers {
        assert!(
            (head.x_min - (MARGIN_LEFT + 1.5 * MM)).abs() < 0.5,
            "the slice starts at the margin: {head:?}"
        );
        assert_eq!(line[0], "Baza", "each slice starts with the label column's header: {line:?}");
        if !slices.contains(line) {
            slices.push(line.clone());
        }
    }
    let n = slices.len();
    assert!(n >= 2, "14 columns at 8.5 pt do not fit 165 mm: {slices:?}");
    let last_words: Vec<String> = slices.iter().flat_map(|l| l[1..].iter().cloned()).collect();
    let expected: Vec<String> = COMMUNITIES
        .iter()
        .chain(&["Gjithsej"])
        .map(|c| c.rsplit(' ').next().unwrap_or(c).to_string())
        .collect();
    assert_eq!(last_words, expected, "every column once, in order, over the slices");
    let heading = words.iter().find(|w| w.text == "komunitetit").expect("the heading");
    assert_eq!(heading.page, headers[0].0.page, "the heading stays with the table");

    let count = |text: &str| words.iter().filter(|w| w.text == text).count();
    for community in COMMUNITIES {
        for word in community.split(' ') {
            assert!(count(word) >= 1, "the header {community:?} is printed");
        }
    }
    for ground in ["Kombësia", "Raca", "Trashëgimia", "Mosha"] {
        assert_eq!(count(ground), n, "the label column {ground:?} is repeated in every slice");
    }
    assert_eq!(count("3438"), 1, "the grand total");
    for word in &words {
        assert!(
            word.x_min >= MARGIN_LEFT - 0.5 && word.x_max <= w - MARGIN_RIGHT + 0.5,
            "inside the margins: {word:?}"
        );
    }
}

/// Rectangles painted in the content streams: `(x, y, width, height, fill grey, outlined)`.
fn painted_rects(pdf: &[u8]) -> Vec<(f32, f32, f32, f32, f32, bool)> {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let mut rects = Vec::new();
    for (_, page) in doc.get_pages() {
        let content =
            lopdf::content::Content::decode(&doc.get_page_content(page)).expect("a valid content stream");
        let mut fill = 0.0;
        let mut path: Option<[f32; 4]> = None;
        for op in content.operations {
            let nums: Vec<f32> = op.operands.iter().filter_map(|o| o.as_float().ok()).collect();
            match op.operator.as_str() {
                "rg" => {
                    assert!(nums[0] == nums[1] && nums[1] == nums[2], "grey only: {nums:?}");
                    fill = nums[0];
                }
                "g" => fill = nums[0],
                "re" => path = Some([nums[0], nums[1], nums[2], nums[3]]),
                "B" | "f" => {
                    let [x, y, w, h] = path.take().expect("a rectangle path before painting");
                    rects.push((x, y, w, h, fill, op.operator == "B"));
                }
                _ => {}
            }
        }
    }
    rects
}

#[test]
fn a_bar_chart_is_real_text_and_vector_rectangles_told_apart_without_colour() {
    let chart = stacked_chart();
    let pdf = render(&doc(vec![Block::BarChart(chart.clone())])).expect("renders");
    let text = text_of(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut strings = vec![chart.title.clone()];
    strings.extend(chart.series.iter().cloned());
    for bar in &chart.bars {
        strings.push(bar.label.clone());
        strings.push(bar.text.clone());
    }
    for s in &strings {
        assert!(text.contains(s.as_str()), "{s:?} is extractable from:\n{text}");
    }

    let rects = painted_rects(&pdf);
    let segments: Vec<(usize, f64)> = chart
        .bars
        .iter()
        .flat_map(|b| b.values.iter().enumerate().filter_map(|(s, v)| v.filter(|v| *v > 0.0).map(|v| (s, v))))
        .collect();
    assert!(segments.len() > 20);
    // one outlined rectangle per legend swatch, then one per shown segment, nothing else
    assert_eq!(rects.len(), chart.series.len() + segments.len(), "{rects:?}");
    assert!(rects.iter().all(|r| r.5), "every segment and swatch has an outline");
    let fills = [0.2, 0.6, 1.0];
    for (r, fill) in rects.iter().zip(fills) {
        assert!((r.4 - fill).abs() < 0.01, "legend swatch in its series' grey: {r:?}");
    }
    for (r, (s, _)) in rects[3..].iter().zip(&segments) {
        assert!((r.4 - fills[*s]).abs() < 0.01, "a segment of series {} in its grey: {r:?}", s + 1);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let images = poppler_info(dir.path(), "pdfimages", &["-list"], &pdf);
    assert_eq!(images.lines().count(), 2, "no images, only paths: {images}");

    // one series: widths in proportion to the values, all from the same axis
    let chart = simple_chart();
    let rects = painted_rects(&render(&doc(vec![Block::BarChart(chart.clone())])).expect("renders"));
    let values: Vec<f64> = chart.bars.iter().filter_map(|b| b.values[0]).collect();
    assert_eq!(rects.len(), values.len(), "a rectangle per bar with a value, none for suppressed ones");
    let unit = rects[0].2 / values[0] as f32;
    for (r, v) in rects.iter().zip(&values) {
        assert!((r.2 - unit * *v as f32).abs() < 0.01, "width in proportion to {v}: {r:?}");
        assert!((r.0 - rects[0].0).abs() < 0.001, "from the axis");
        assert!((r.3 - 4.5 * MM).abs() < 0.01, "4.5 mm high");
    }
}

#[test]
fn zero_and_suppressed_bars_print_their_label_and_text_without_a_rectangle() {
    let chart = BarChart {
        title: "Titulli".into(),
        series: vec!["Gra".into(), "Burra".into()],
        bars: vec![
            Bar::new("Zero", vec![Some(0.0), Some(0.0)], "0"),
            Bar::new("Fshehur", vec![None, None], "<5"),
            Bar::new("Plot", vec![Some(3.0), None], "3 + <5"),
        ],
    };
    let pdf = render(&doc(vec![Block::BarChart(chart)])).expect("renders");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = poppler(dir.path(), "pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    for s in ["Zero 0", "Fshehur <5", "Plot 3 + <5"] {
        assert!(text.contains(s), "{s:?} in {text}");
    }
    assert_eq!(painted_rects(&pdf).len(), 2 + 1, "two swatches and Plot's one segment");
}

#[test]
fn characters_the_fonts_lack_are_refused_in_tables_and_charts() {
    let missing = |blocks: Vec<Block>| match render(&doc(blocks)) {
        Err(PrintError::MissingGlyph { ch, context }) => {
            assert_eq!(ch, '中');
            assert!(context.contains('中'), "{context}");
        }
        other => panic!("a missing glyph is refused, got {other:?}"),
    };
    let table = |header: &str, cell: &str, bold: bool| {
        Block::Table(Table::new(
            vec![Column::label(header), Column::number("N")],
            vec![TableRow { cells: vec![cell.into(), "1".into()], bold }],
        ))
    };
    missing(vec![table("Baza 中", "a", false)]);
    missing(vec![table("Baza", "a 中", false)]);
    missing(vec![table("Baza", "a 中", true)]);
    let chart = |title: &str, series: &str, label: &str, text: &str| {
        Block::BarChart(BarChart {
            title: title.into(),
            series: vec![series.into()],
            bars: vec![Bar::new(label, vec![Some(1.0)], text)],
        })
    };
    missing(vec![chart("中", "s", "l", "t")]);
    missing(vec![chart("t", "中", "l", "t")]);
    missing(vec![chart("t", "s", "中", "t")]);
    missing(vec![chart("t", "s", "l", "中")]);
    // cells are normalised like all text: a decomposed ë prints as the composed letter
    let decomposed = render(&doc(vec![table("Baza", "Gjakove\u{308}", false)])).expect("renders");
    assert!(text_of(&decomposed).contains("Gjakovë"));
    assert_eq!(decomposed, render(&doc(vec![table("Baza", "Gjakovë", false)])).expect("renders"));
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_refused() {
    let t = Table::new(
        vec![Column::label("Baza"), Column::number("2025"), Column::number("2026")],
        vec![
            TableRow::new(vec!["Gjinia".into(), "3".into(), "4".into()]),
            TableRow::new(vec!["Mosha".into(), "3".into()]),
        ],
    );
    match render(&doc(vec![Block::Table(t)])) {
        Err(PrintError::Invalid(m)) => {
            assert_eq!(m, "row 2 of a table has 2 cells, but the table has 3 columns");
        }
        other => panic!("refused, got {other:?}"),
    }
    let chart = BarChart {
        title: "t".into(),
        series: vec!["a".into(), "b".into()],
        bars: vec![Bar::new("x", vec![Some(1.0)], "")],
    };
    assert!(
        matches!(render(&doc(vec![Block::BarChart(chart)])), Err(PrintError::Invalid(m)) if m.contains("2 series"))
    );
}

#[test]
fn a_report_gives_the_same_bytes_twice_and_stays_inside_the_margins() {
    let report = period_report();
    let a = render_counted(&report).expect("renders");
    let b = render(&report).expect("renders");
    assert!(a.bytes == b, "two renders are byte-identical");
    let mut changed = report.clone();
    if let Some(Block::Table(t)) = changed.blocks.iter_mut().find(|b| matches!(b, Block::Table(_))) {
        t.rows[5].cells[3] = "99".into();
    }
    assert_ne!(render(&changed).expect("renders"), a.bytes, "one cell changed: different bytes");
    let mut recharted = report.clone();
    if let Some(Block::BarChart(c)) = recharted.blocks.iter_mut().find(|b| matches!(b, Block::BarChart(_))) {
        c.bars[0].values[0] = Some(1.0);
    }
    assert_ne!(render(&recharted).expect("renders"), a.bytes, "one value changed: different bytes");

    let (w, h, words) = word_boxes(&a.bytes);
    assert_eq!(words.last().map(|w| w.page), Some(a.pages as usize));
    let footer: Vec<&str> = "Raport periodik 2026/1 Faqe nga".split(' ').collect();
    for word in &words {
        assert!(
            word.x_min >= MARGIN_LEFT - 0.5 && word.x_max <= w - MARGIN_RIGHT + 0.5,
            "inside the left and right margins: {word:?}"
        );
        assert!(word.y_min >= MARGIN_TOP - 0.5, "below the top margin: {word:?}");
        if word.y_max > h - MARGIN_BOTTOM + 0.5 {
            let is_footer = footer.contains(&word.text.as_str()) || word.text.parse::<u32>().is_ok();
            assert!(is_footer, "body text above the bottom margin: {word:?}");
        }
    }
}
