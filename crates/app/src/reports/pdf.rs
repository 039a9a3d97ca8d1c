//! A report on paper: the headline figures, the privacy note, the newsletter line, then each
//! table with its chart, through the same print engine (and fonts) as the letters.
use super::Report;
use super::export::{LabelledTable, municipalities_text, privacy_note, summary, tables};
use crate::{AppError, Result};
use rightsdesk_domain::i18n;
use rightsdesk_domain::report::Audience;
use rightsdesk_domain::vocab::Vocabularies;
use rightsdesk_print::{
    Align, Bar, BarChart, Block, Column, Document, Footer, Para, Rendered, Table, TableRow, render_counted,
};

fn tr(lang: &str, key: &str) -> String {
    i18n::text(lang, key).to_string()
}

/// The table as printed: rows and count columns with nothing counted are left out (the CSV
/// keeps them), except the months of the activities table.
fn printed_table(t: &LabelledTable) -> Table {
    let total_row = t.rows.iter().find(|r| r.total);
    let keep: Vec<bool> = (0..t.columns.len())
        .map(|j| {
            t.id == "activities_by_month"
                || j >= t.counts
                || total_row.is_none_or(|r| r.cells.get(j).is_none_or(|c| c != "0"))
        })
        .collect();
    let mut columns = vec![Column { header: t.corner.clone(), align: Align::Left }];
    columns.extend(
        t.columns
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| Column { header: c.clone(), align: Align::Right }),
    );
    let rows = t
        .rows
        .iter()
        .filter(|r| !r.empty)
        .map(|r| {
            let cells = r.cells.iter().zip(&keep).filter(|(_, k)| **k).map(|(c, _)| c.clone());
            TableRow { cells: std::iter::once(r.label.clone()).chain(cells).collect(), bold: r.total }
        })
        .collect();
    Table::new(columns, rows)
}

/// A bar per row (not the total row), its length the row's total; suppressed rows get no bar
/// but keep their `<5`.
fn chart(t: &LabelledTable, lang: &str) -> Option<BarChart> {
    // The total column follows the counts (`cases_by_status` has one column and no counts).
    let total_index = t.counts;
    let bars: Vec<Bar> = t
        .rows
        .iter()
        .filter(|r| !r.total && !r.empty)
        .map(|r| Bar {
            label: r.label.clone(),
            #[allow(clippy::cast_precision_loss)] // counts far below 2^52
            values: vec![r.value.map(|v| v as f64)],
            text: r.cells.get(total_index).cloned().unwrap_or_default(),
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    Some(BarChart {
        title: tr(lang, &format!("report.chart.{}", t.id)),
        series: vec![tr(lang, "report.col.cases")],
        bars,
    })
}

/// Activities per month, stacked by kind.
fn month_chart(t: &LabelledTable, lang: &str) -> Option<BarChart> {
    let kinds = t.columns.len().checked_sub(1)?;
    let bars: Vec<Bar> = t
        .rows
        .iter()
        .filter(|r| !r.total)
        .map(|r| Bar {
            label: r.label.clone(),
            values: r.cells[..kinds].iter().map(|c| c.parse::<f64>().ok()).collect(),
            text: r.cells.get(kinds).cloned().unwrap_or_default(),
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    Some(BarChart {
        title: tr(lang, "report.chart.activities_by_month"),
        series: t.columns[..kinds].to_vec(),
        bars,
    })
}

/// The report as a PDF.
///
/// # Errors
/// A character the fonts cannot print (e.g. in an institution's name).
pub fn document(r: &Report, v: &Vocabularies) -> Document {
    let lang = r.lang.as_str();
    let title = format!("{} {}", tr(lang, "report.title"), super::period_text(r.period));
    let mut blocks = vec![Block::Heading(title.clone()), Block::Fields(summary(r, v))];
    let note = privacy_note(r);
    blocks.push(Block::Paragraph(if r.privacy.audience == Audience::Internal {
        Para::new(note).bold()
    } else {
        Para::new(note).size(9.0)
    }));
    blocks.push(Block::Heading(tr(lang, "report.newsletter")));
    blocks.push(Block::para(r.newsletter.clone()));
    for t in tables(r, v) {
        blocks.push(Block::Heading(t.title.clone()));
        if t.rows.iter().all(|row| row.empty || row.total) && t.id != "activities_by_month" {
            blocks.push(Block::Paragraph(Para::new(tr(lang, "report.nothing")).size(9.0)));
            continue;
        }
        blocks.push(Block::Table(printed_table(&t)));
        if !t.note.is_empty() {
            blocks.push(Block::Paragraph(Para::new(t.note.clone()).size(8.5)));
        }
        let c = if t.id == "activities_by_month" {
            month_chart(&t, lang)
        } else if t.chart {
            chart(&t, lang)
        } else {
            None
        };
        if let Some(c) = c {
            blocks.push(Block::Spacer(2.0));
            blocks.push(Block::BarChart(c));
        }
        blocks.push(Block::Spacer(4.0));
    }
    Document {
        title,
        author: r.office.clone(),
        lang: match lang {
            "sr" => "sr-Latn".into(),
            other => other.into(),
        },
        date: r.prepared_on,
        logo: None,
        letterhead: vec![r.office.clone(), municipalities_text(r, v)],
        blocks,
        footer: Footer {
            left: format!("{} · {}", tr(lang, "report.title"), super::period_text(r.period)),
            page_label: tr(lang, "report.page"),
        },
    }
}

/// Renders the report to PDF.
///
/// # Errors
/// A character the fonts cannot print (`letter_unprintable`), or another print error.
pub fn render(r: &Report, v: &Vocabularies) -> Result<Rendered> {
    render_counted(&document(r, v)).map_err(AppError::Print)
}
