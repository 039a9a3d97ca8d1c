//! A report's tables with their labels in the report's language, and the files made from them:
//! CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Albanian and Serbian letters
//! right; one file per table, alone or in a zip) and JSON.
use super::{Report, ReportRequest, period_slug, period_text};
use crate::letters::write_file;
use crate::{AppError, Desk, Result};
use rightsdesk_domain::i18n;
use rightsdesk_domain::report::{Audience, Cell, Table};
use rightsdesk_domain::vocab::{self, Vocabularies};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A table ready to show, print or write: every label and cell as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledTable {
    /// Stable name: the CSV file's name without `.csv`.
    pub id: &'static str,
    pub title: String,
    /// The first column's header (what the rows are).
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<LabelledRow>,
    /// What the reader must know to read it right (e.g. a case counts under each of its grounds).
    pub note: String,
    /// Whether a bar chart of the rows' totals goes beside it.
    pub chart: bool,
    /// How many of `columns` are counts of the rows (the total and any figures follow them).
    pub counts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledRow {
    pub label: String,
    pub cells: Vec<String>,
    /// The row's total for a chart (none when suppressed).
    pub value: Option<u64>,
    /// A total row (printed bold).
    pub total: bool,
    /// Nothing counted in the row: the screen and the PDF leave it out, the CSV keeps it.
    pub empty: bool,
}

fn tr(lang: &str, key: &str) -> String {
    i18n::text(lang, key).to_string()
}

/// A table of counts with its totals as the last column and the last row.
fn counts(
    id: &'static str,
    lang: &str,
    t: &Table,
    row_label: &dyn Fn(usize, &str) -> String,
    col_label: &dyn Fn(&str) -> String,
    chart: bool,
) -> LabelledTable {
    let total = tr(lang, "report.total");
    let mut columns: Vec<String> = t.columns.iter().map(|c| col_label(c)).collect();
    columns.push(total.clone());
    let mut rows: Vec<LabelledRow> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let mut cells: Vec<String> = t.cells[i].iter().map(|c| c.text()).collect();
            cells.push(t.row_totals[i].text());
            LabelledRow {
                label: row_label(i, code),
                cells,
                value: t.row_totals[i].value(),
                total: false,
                empty: t.row_totals[i] == Cell::Count(0),
            }
        })
        .collect();
    let mut cells: Vec<String> = t.column_totals.iter().map(|c| c.text()).collect();
    cells.push(t.total.text());
    rows.push(LabelledRow { label: total, cells, value: None, total: true, empty: false });
    LabelledTable {
        id,
        title: tr(lang, &format!("report.table.{id}")),
        corner: String::new(),
        columns,
        rows,
        note: String::new(),
        chart,
        counts: t.columns.len(),
    }
}

/// The report's tables, in the order of the printed report.
pub fn tables(r: &Report, v: &Vocabularies) -> Vec<LabelledTable> {
    let lang = r.lang.as_str();
    let label = |name: &'static str| move |code: &str| v.label(name, code, lang).to_string();
    let status = |code: &str| tr(lang, &format!("status.{code}"));
    let referral_status = |code: &str| tr(lang, &format!("referral_status.{code}"));
    let kind = |code: &str| tr(lang, &format!("activity_kind.{code}"));
    let several = tr(lang, "report.note.several");

    let mut out = Vec::new();
    let mut t = counts(
        "cases_by_ground_community",
        lang,
        &r.cases.by_ground_community,
        &|_, c| label(vocab::GROUNDS)(c),
        &label(vocab::COMMUNITIES),
        true,
    );
    t.corner = tr(lang, "report.col.ground");
    t.note = several.replace("{what}", &tr(lang, "report.what.grounds"));
    out.push(t);

    let mut t = counts(
        "cases_by_area_gender",
        lang,
        &r.cases.by_area_gender,
        &|_, c| label(vocab::AREAS)(c),
        &label(vocab::GENDERS),
        true,
    );
    t.corner = tr(lang, "report.col.area");
    t.note = several.replace("{what}", &tr(lang, "report.what.areas"));
    out.push(t);

    let mut t = counts(
        "cases_by_status",
        lang,
        &r.cases.by_status,
        &|_, c| status(c),
        &|_| tr(lang, "report.col.cases"),
        true,
    );
    // One column: its total column repeats it.
    for row in &mut t.rows {
        row.cells.truncate(1);
    }
    t.columns.truncate(1);
    t.counts = 0;
    t.corner = tr(lang, "report.col.status");
    t.note = tr(lang, "report.note.status");
    out.push(t);

    let mut t = counts(
        "referrals_by_institution",
        lang,
        &r.referrals.by_institution,
        &|i, _| r.referrals.institutions.get(i).cloned().unwrap_or_default(),
        &referral_status,
        true,
    );
    t.corner = tr(lang, "report.col.institution");
    t.columns.push(tr(lang, "report.col.median_days"));
    let n = t.rows.len();
    for (i, row) in t.rows.iter_mut().enumerate() {
        let median = if i + 1 == n {
            r.referrals.median_days_to_reply
        } else {
            r.referrals.median_days_by_institution[i]
        };
        row.cells.push(median.text());
    }
    t.note = tr(lang, "report.note.referrals");
    out.push(t);

    let mut t = counts(
        "activities_by_kind_target_group",
        lang,
        &r.activities.by_kind_target_group,
        &|_, c| kind(c),
        &label(vocab::TARGET_GROUPS),
        false,
    );
    t.corner = tr(lang, "report.col.activity");
    t.columns.push(tr(lang, "report.col.participants"));
    let people = &r.activities.participants_by_kind;
    let n = t.rows.len();
    for (i, row) in t.rows.iter_mut().enumerate() {
        let p = if i + 1 == n {
            people.total
        } else {
            people.row_totals.get(i).copied().unwrap_or(Cell::Count(0))
        };
        row.cells.push(p.text());
    }
    t.note = tr(lang, "report.note.target_groups");
    out.push(t);

    let mut t =
        counts("activities_by_month", lang, &r.activities.by_month, &|_, c| c.to_string(), &kind, true);
    t.corner = tr(lang, "report.col.month");
    for row in &mut t.rows {
        row.empty = false; // every month of the period is shown, also a quiet one
    }
    out.push(t);

    let mut t = counts(
        "participants_by_community_gender",
        lang,
        &r.activities.participants,
        &|_, c| label(vocab::COMMUNITIES)(c),
        &|g| v.label(vocab::GENDERS, g, lang).to_string(),
        true,
    );
    t.corner = tr(lang, "report.col.community");
    out.push(t);
    out
}

/// The paragraph that says which privacy rules the report was made under.
pub fn privacy_note(r: &Report) -> String {
    let lang = r.lang.as_str();
    match r.privacy.audience {
        Audience::Internal => tr(lang, "report.privacy.internal"),
        Audience::Export => {
            let left_out = i18n::plural(lang, "report.privacy.left_out", r.cases.left_out_without_consent);
            tr(lang, "report.privacy.export")
                .replace("{threshold}", &r.privacy.threshold.to_string())
                .replace("{below}", &(r.privacy.threshold - 1).to_string())
                .replace("{left_out}", &left_out)
        }
    }
}

/// The municipalities as written: their names, or "all".
pub fn municipalities_text(r: &Report, v: &Vocabularies) -> String {
    if r.municipalities.is_empty() {
        return tr(&r.lang, "report.all_municipalities");
    }
    r.municipalities.iter().map(|m| v.label(vocab::MUNICIPALITIES, m, &r.lang)).collect::<Vec<_>>().join(", ")
}

/// The headline figures as label–value pairs (the PDF's first block and `summary.csv`).
pub fn summary(r: &Report, v: &Vocabularies) -> Vec<(String, String)> {
    let lang = r.lang.as_str();
    let audience = tr(lang, &format!("report.audience.{}", audience_code(r.privacy.audience)));
    let mut rows = vec![
        (tr(lang, "report.period"), period_text(r.period)),
        (tr(lang, "report.municipalities"), municipalities_text(r, v)),
        (tr(lang, "report.audience"), audience),
        (tr(lang, "report.prepared"), format!("{}, {}", r.office, r.prepared_on.format("%-d.%-m.%Y"))),
        (tr(lang, "report.opened"), r.cases.opened.text()),
        (tr(lang, "report.referred"), r.cases.referred.text()),
        (tr(lang, "report.closed"), r.cases.closed.text()),
    ];
    if r.privacy.audience == Audience::Export {
        rows.push((tr(lang, "report.left_out"), r.cases.left_out_without_consent.to_string()));
    }
    rows.push((tr(lang, "report.replies"), r.referrals.replies.text()));
    rows.push((tr(lang, "report.median_days"), r.referrals.median_days_to_reply.text()));
    rows
}

fn audience_code(a: Audience) -> &'static str {
    match a {
        Audience::Internal => "internal",
        Audience::Export => "export",
    }
}

fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Io {
            path: PathBuf::from("report.csv"),
            source: std::io::Error::other(e),
        };
        w.write_record(header).map_err(fail)?;
        for row in rows {
            w.write_record(row).map_err(fail)?;
        }
        w.flush().map_err(|e| AppError::Io { path: PathBuf::from("report.csv"), source: e })?;
    }
    Ok(out)
}

/// The CSV files of a report: `summary.csv` (headline figures, the privacy note and the
/// newsletter line) and one per table, each UTF-8 with a byte-order mark and CRLF line ends.
pub fn csv_files(r: &Report, v: &Vocabularies) -> Result<Vec<(String, Vec<u8>)>> {
    let lang = r.lang.as_str();
    let mut summary_rows: Vec<Vec<String>> = summary(r, v).into_iter().map(|(k, v)| vec![k, v]).collect();
    summary_rows.push(vec![tr(lang, "report.privacy"), privacy_note(r)]);
    summary_rows.push(vec![tr(lang, "report.newsletter"), r.newsletter.clone()]);
    let mut files = vec![(
        "summary.csv".to_string(),
        csv_bytes(&[tr(lang, "report.csv.item"), tr(lang, "report.csv.value")], &summary_rows)?,
    )];
    for t in tables(r, v) {
        let mut header = vec![t.corner.clone()];
        header.extend(t.columns.iter().cloned());
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|row| std::iter::once(row.label.clone()).chain(row.cells.iter().cloned()).collect())
            .collect();
        files.push((format!("{}.csv", t.id), csv_bytes(&header, &rows)?));
    }
    Ok(files)
}

/// The files in one zip, stored in the order given, dated with the report's day (so the same
/// report gives the same zip).
pub fn zip(files: &[(String, Vec<u8>)], date: chrono::NaiveDate) -> Result<Vec<u8>> {
    use chrono::Datelike;
    let fail = |e: zip::result::ZipError| AppError::Io {
        path: PathBuf::from("report.zip"),
        source: std::io::Error::other(e),
    };
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let when = zip::DateTime::from_date_and_time(
            u16::try_from(date.year().clamp(1980, 2107)).unwrap_or(1980),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
            0,
            0,
            0,
        )
        .unwrap_or_default();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(when)
            .unix_permissions(0o644);
        for (name, bytes) in files {
            z.start_file(name.as_str(), options).map_err(fail)?;
            z.write_all(bytes).map_err(|e| AppError::Io { path: PathBuf::from(name), source: e })?;
        }
        z.finish().map_err(fail)?;
    }
    Ok(buf.into_inner())
}

/// The report as JSON (pretty, UTF-8, ending with a newline).
pub fn json(r: &Report) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(r)
        .map_err(|e| AppError::Io { path: PathBuf::from("report.json"), source: std::io::Error::other(e) })?;
    out.push(b'\n');
    Ok(out)
}

/// The file formats a report is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    /// A zip of CSV files when the path ends in `.zip`; else a folder of CSV files.
    Csv,
    Json,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pdf" => Some(ReportFormat::Pdf),
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// The files written (one, or the CSV files of a folder).
    pub files: Vec<PathBuf>,
    pub bytes: u64,
    /// The PDF's pages.
    pub pages: Option<u32>,
}

/// A file name for the report: `report-<municipality or all>-<period>.<ext>`.
pub fn file_name(r: &Report, ext: &str) -> String {
    let who = if r.municipalities.len() == 1 { r.municipalities[0].as_str() } else { "all" };
    let audience = if r.privacy.audience == Audience::Internal { "-internal" } else { "" };
    format!("report-{who}-{}{audience}.{ext}", period_slug(r.period))
}

impl Desk {
    /// The bytes of `r` in `format` (CSV: a zip of the CSV files).
    pub fn report_bytes(&self, r: &Report, format: ReportFormat) -> Result<(Vec<u8>, Option<u32>)> {
        match format {
            ReportFormat::Pdf => {
                let rendered = super::pdf::render(r, self.vocab)?;
                Ok((rendered.bytes, Some(rendered.pages)))
            }
            ReportFormat::Csv => Ok((zip(&csv_files(r, self.vocab)?, r.prepared_on)?, None)),
            ReportFormat::Json => Ok((json(r)?, None)),
        }
    }

    /// Makes the report for `req` and writes it to `path`, whole or not at all. CSV to a path
    /// not ending in `.zip` writes one file per table into that folder (made if missing).
    pub fn export_report(&self, req: &ReportRequest, format: ReportFormat, path: &Path) -> Result<Exported> {
        let r = self.report(req)?;
        let is_zip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        if format == ReportFormat::Csv && !is_zip {
            return write_folder(path, &csv_files(&r, self.vocab)?);
        }
        let (data, pages) = self.report_bytes(&r, format)?;
        write_file(path, &data)?;
        Ok(Exported { files: vec![path.to_path_buf()], bytes: data.len() as u64, pages })
    }
}

/// Writes the files into the folder `path` (made if missing) whole or not at all: each to
/// `<name>.part` first, renamed once all are written; on any error, what was written is removed
/// (and the folder, if this made it).
fn write_folder(path: &Path, files: &[(String, Vec<u8>)]) -> Result<Exported> {
    let made = !path.exists();
    std::fs::create_dir_all(path).map_err(|e| AppError::io(path, e))?;
    let mut written: Vec<PathBuf> = Vec::new();
    let undo = |written: &[PathBuf]| {
        for p in written {
            let _ = std::fs::remove_file(p);
        }
        if made {
            let _ = std::fs::remove_dir(path);
        }
    };
    for (name, data) in files {
        let part = path.join(format!("{name}.part"));
        if let Err(e) = std::fs::write(&part, data) {
            let _ = std::fs::remove_file(&part);
            undo(&written);
            return Err(AppError::io(&part, e));
        }
        written.push(part);
    }
    let mut done: Vec<PathBuf> = Vec::new();
    for (name, _) in files {
        let part = path.join(format!("{name}.part"));
        let target = path.join(name);
        if let Err(e) = std::fs::rename(&part, &target) {
            undo(&written);
            undo(&done);
            return Err(AppError::io(&target, e));
        }
        written.retain(|p| p != &part);
        done.push(target);
    }
    let bytes = files.iter().map(|(_, d)| d.len() as u64).sum();
    Ok(Exported { files: done, bytes, pages: None })
}
