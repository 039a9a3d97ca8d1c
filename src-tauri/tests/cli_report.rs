//! `rightsdesk report` on the command line: the period report as PDF, CSV (a zip or a folder) and
//! JSON (to a file or to standard output), for sharing or `--internal`, and the errors a wrong
//! period, municipality, language or format get.
mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A unit in Prishtinë (Albanian interface) with 300 generated cases.
fn demo_unit() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    init(tmp.path());
    ok(tmp.path(), &["demo", "--cases", "300", "--seed", "5"], "the demo data");
    tmp
}

/// The period that holds all the demo data: the generator goes back three years from today, and
/// today is the day of the newest intake or after it. (Read from the data, not the wall clock.)
fn whole_demo_period(dir: &Path) -> (String, String) {
    let o = ok(dir, &["cases", "list", "--limit", "1", "--json"], "the newest case");
    let page = json(&o);
    let newest: NaiveDate = page["items"][0]["intake_date"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("the newest case's intake date: {page}"));
    (format!("{}-01-01", newest.year() - 3), format!("{}-12-31", newest.year()))
}

/// How many of the unit's own cases were taken in from `from` to `to`, as the case list counts.
fn listed(dir: &Path, from: &str, to: &str) -> u64 {
    let args = [
        "cases",
        "list",
        "--municipality",
        "prishtine",
        "--from",
        from,
        "--to",
        to,
        "--limit",
        "1",
        "--json",
    ];
    json(&ok(dir, &args, "counting the unit's cases"))["total"].as_u64().expect("the list's total")
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn count(v: &Value, what: &str) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("{what} is shown as a number: {v}"))
}

#[test]
fn report_writes_pdf_csv_and_json_and_prints_json_to_stdout() {
    let tmp = demo_unit();
    let dir = tmp.path();
    let out = tempfile::tempdir().expect("a folder for the files");
    let (from, to) = whole_demo_period(dir);
    let period = ["report", "--from", from.as_str(), "--to", to.as_str()];
    let with =
        |extra: &[&str]| -> Vec<String> { period.iter().chain(extra).map(|s| s.to_string()).collect() };
    let all = listed(dir, &from, &to);
    assert!(all > 50, "the period holds the unit's demo cases: {all}");

    // JSON on standard output: internal, then for sharing.
    let inside =
        json(&ok(dir, &args(&with(&["--format", "json", "--out", "-", "--internal"])), "internal JSON"));
    assert_eq!(inside["format"], "rightsdesk-report/1", "the JSON names its format: {inside}");
    assert_eq!(inside["privacy"]["audience"], "internal", "--internal makes an internal report");
    assert_eq!(
        inside["municipalities"],
        serde_json::json!(["prishtine"]),
        "a unit reports its own municipality"
    );
    assert_eq!(inside["lang"], "sq", "in the installation's language");
    assert_eq!(
        count(&inside["cases"]["opened"], "opened"),
        all,
        "every case taken in in the period is counted"
    );
    assert_eq!(inside["cases"]["left_out_without_consent"], 0, "inside the office nothing is left out");

    let shared = json(&ok(dir, &args(&with(&["--format", "json", "--out", "-"])), "JSON for sharing"));
    assert_eq!(shared["privacy"]["audience"], "export", "by default a report is for sharing");
    assert_eq!(shared["privacy"]["threshold"], 5, "with the default threshold");
    let left_out = count(&shared["cases"]["left_out_without_consent"], "left out");
    assert!(left_out > 0, "the demo has cases without consent to statistics");
    assert_eq!(
        count(&shared["cases"]["opened"], "opened") + left_out,
        all,
        "an export counts the consenting cases and says how many others were left out"
    );
    let text = shared.to_string();
    assert!(text.contains("\"<5\""), "small counts are suppressed in the export's JSON");
    assert!(!inside.to_string().contains("\"<5\""), "and not in the internal one");

    // JSON to a file: the same report.
    let path = out.path().join("report.json");
    let o = ok(dir, &args(&with(&["--format", "json", "--out", arg(&path)])), "JSON to a file");
    assert!(stdout(&o).contains("Wrote"), "says what it wrote: {}", stdout(&o));
    let file: Value = serde_json::from_slice(&std::fs::read(&path).expect("the JSON file")).expect("JSON");
    assert_eq!(file, shared, "the file holds the report printed on standard output");

    // PDF.
    let path = out.path().join("report.pdf");
    let o = ok(dir, &args(&with(&["--format", "pdf", "--out", arg(&path)])), "the PDF");
    let pdf = std::fs::read(&path).expect("the PDF file");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF is written");
    assert!(stdout(&o).contains("pages"), "and its pages are reported: {}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("{left_out} cases opened left out")),
        "the summary says how many cases were left out: {}",
        stdout(&o)
    );
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils) runs");
    assert!(info.status.success(), "pdfinfo reads the PDF");
    let pages: u32 = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
        .expect("pdfinfo prints the pages");
    assert!(pages >= 2, "three years of figures take more than a page: {pages}");
    assert!(
        stdout(&o).contains(&format!("{pages} pages")),
        "the pages reported are the PDF's: {}",
        stdout(&o)
    );

    // CSV: a zip, and a folder.
    let path = out.path().join("report.zip");
    ok(dir, &args(&with(&["--format", "csv", "--out", arg(&path), "--lang", "sr"])), "CSV in a zip");
    let zip = std::fs::read(&path).expect("the zip");
    assert!(zip.starts_with(b"PK\x03\x04"), "a path ending in .zip gets a zip");
    for name in ["summary.csv", "cases_by_ground_community.csv", "participants_by_community_gender.csv"] {
        assert!(zip.windows(name.len()).any(|w| w == name.as_bytes()), "the zip holds {name}");
    }
    let folder = out.path().join("csv");
    let o =
        ok(dir, &args(&with(&["--format", "csv", "--out", arg(&folder), "--internal"])), "CSV to a folder");
    assert!(stdout(&o).contains("(8 files)"), "one file per table and the summary: {}", stdout(&o));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder was made")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "activities_by_kind_target_group.csv",
            "activities_by_month.csv",
            "cases_by_area_gender.csv",
            "cases_by_ground_community.csv",
            "cases_by_status.csv",
            "participants_by_community_gender.csv",
            "referrals_by_institution.csv",
            "summary.csv",
        ],
        "the CSV files of the report"
    );
    for name in &names {
        let bytes = std::fs::read(folder.join(name)).expect("a CSV file");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{name} starts with the UTF-8 byte-order mark");
        assert!(bytes.ends_with(b"\r\n"), "{name} has CRLF line ends");
    }
    let summary = String::from_utf8(std::fs::read(folder.join("summary.csv")).unwrap()).expect("UTF-8");
    assert!(summary.contains("Prishtinë"), "the municipality's name keeps its letters: {summary}");
}

#[test]
fn a_bad_period_municipality_language_or_format_is_refused_and_writes_nothing() {
    let tmp = demo_unit();
    let dir = tmp.path();
    let out = tempfile::tempdir().expect("a folder for the files");
    let path = out.path().join("report.pdf");
    let o = refused(
        dir,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--municipality",
            "atlantis",
            "--format",
            "pdf",
            "--out",
            arg(&path),
        ],
        "validation",
        "an unknown municipality",
    );
    assert!(stderr(&o).contains("unknown_code"), "the municipality is named as unknown: {}", stderr(&o));
    assert!(!path.exists(), "nothing is written");
    let o = refused(
        dir,
        &["report", "--from", "2026-06-01", "--to", "2026-05-31", "--format", "json", "--out", arg(&path)],
        "validation",
        "a period that ends before it starts",
    );
    assert!(stderr(&o).contains("to: end_before_start"), "the end date is named: {}", stderr(&o));
    assert!(!path.exists(), "nothing is written");
    let o = refused(
        dir,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--lang",
            "de",
            "--format",
            "json",
            "--out",
            "-",
        ],
        "validation",
        "a language the app does not speak",
    );
    assert!(stderr(&o).contains("lang: unknown_code"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "nothing on standard output");
    let o = run(
        dir,
        PASS,
        &["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "pdf", "--out", "-"],
    );
    assert_eq!(o.status.code(), Some(2), "only JSON goes to standard output: a usage error: {}", stderr(&o));
    assert!(stdout(&o).is_empty(), "and no PDF bytes are printed");
    let o = run(
        dir,
        PASS,
        &["report", "--from", "2026-13-01", "--to", "2026-12-31", "--format", "json", "--out", "-"],
    );
    assert_eq!(o.status.code(), Some(2), "a date that does not exist is a usage error: {}", stderr(&o));
    let o = run(
        dir,
        PASS,
        &["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "xlsx", "--out", "-"],
    );
    assert_eq!(o.status.code(), Some(2), "an unknown format is a usage error: {}", stderr(&o));
    let missing = out.path().join("no such folder").join("report.pdf");
    refused(
        dir,
        &["report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "pdf", "--out", arg(&missing)],
        "io",
        "a folder that does not exist",
    );
    assert!(!missing.exists() && !missing.parent().unwrap().exists(), "nothing is made");
}
