//! Period reports on a realistic encrypted database at the central office: the demo generator's
//! cases (default 100,000 over three years and every municipality, with their acts, timelines,
//! referrals and activities), then
//!
//! - a **year's report** (`Desk::report`, all municipalities; for sharing, i.e. consent filter and
//!   suppression, and for inside the office),
//! - the same year for **one municipality**,
//! - the **dashboard** (`Desk::dashboard`: what waits, two month-so-far counts, twelve months of
//!   charts),
//! - the year's report **as PDF** and **as CSV zip** (making the report included).
//!
//! `cargo bench -p rightsdesk-app --bench reports` (set `RIGHTSDESK_BENCH_REPORT_CASES`; set
//! `RIGHTSDESK_BENCH_REPORT_DIR` to keep the generated data folder and reuse it next time).
//! Under `cargo test --all-targets` (no `--bench` argument) it runs once on a few hundred cases.
//! Prints a Markdown table; figures are recorded in docs/performance.md.
use chrono::NaiveDate;
use rightsdesk_app::reports::ReportRequest;
use rightsdesk_app::reports::export::ReportFormat;
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::report::Audience;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASS: &str = "bench passphrase 2026";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, p95 and maximum of `runs` calls of `f`, in milliseconds.
fn measure(runs: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    let mut xs: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    xs.sort();
    let at = |p: f64| ms(xs[((xs.len() as f64 - 1.0) * p).round() as usize]);
    (at(0.5), at(0.95), at(1.0))
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let n: usize = if measuring {
        std::env::var("RIGHTSDESK_BENCH_REPORT_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
    } else {
        300
    };
    let runs = if measuring { 15 } else { 1 };
    let tmp = tempfile::tempdir().expect("temporary directory");
    let kept =
        std::env::var_os("RIGHTSDESK_BENCH_REPORT_DIR").filter(|_| measuring).map(std::path::PathBuf::from);
    let dir = kept.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let profile = ProfileDraft {
        municipality: "prishtine".into(),
        office: "Central office".into(),
        officer: "Besa Krasniqi".into(),
        role: Role::Coordinator,
        lang: "en".into(),
    };
    let clock = Arc::new(FixedClock::at_date(2026, 11, 20));
    let desk = if kept.is_some() && dir.join(rightsdesk_store::DB_FILE).exists() {
        println!("reusing the data in {}\n", dir.display());
        Desk::open(DataDir::new(&dir), PASS, clock, IdGen::seeded(1)).expect("open")
    } else {
        let mut desk =
            Desk::setup(DataDir::new(&dir), profile, PASS, None, clock, IdGen::seeded(1)).expect("set-up");
        let t = Instant::now();
        let s = desk.generate_demo(n, 42).expect("demo data");
        println!(
            "generated {} cases, {} activities, {} referrals in {:.1} s\n",
            s.cases,
            s.activities,
            s.referrals,
            t.elapsed().as_secs_f64()
        );
        desk.maintain().expect("checkpoint");
        desk
    };

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let year = |audience, municipalities: Vec<String>| ReportRequest {
        from: d(2025, 1, 1),
        to: d(2025, 12, 31),
        municipalities,
        audience,
        lang: None,
    };
    let export = year(Audience::Export, vec![]);
    let r = desk.report(&export).expect("report");
    println!(
        "year 2025, all municipalities: {} cases opened counted, {} left out without consent, {} referrals\n",
        r.cases.opened.text(),
        r.cases.left_out_without_consent,
        r.referrals.by_institution.total.text()
    );
    println!("| operation | p50 ms | p95 ms | max ms |\n|---|---|---|---|");
    let row = |name: &str, (p50, p95, max): (f64, f64, f64)| {
        println!("| {name} | {p50:.1} | {p95:.1} | {max:.1} |")
    };
    row(
        "year report, all municipalities, for sharing",
        measure(runs, || {
            desk.report(&export).expect("report");
        }),
    );
    let internal = year(Audience::Internal, vec![]);
    row(
        "year report, all municipalities, inside the office",
        measure(runs, || {
            desk.report(&internal).expect("report");
        }),
    );
    let one = year(Audience::Export, vec!["gjakove".into()]);
    row(
        "year report, one municipality (Gjakovë)",
        measure(runs, || {
            desk.report(&one).expect("report");
        }),
    );
    row(
        "dashboard",
        measure(runs, || {
            desk.dashboard().expect("dashboard");
        }),
    );
    let mut pages = 0;
    row(
        "year report as PDF (report + render)",
        measure(runs, || {
            let r = desk.report(&export).expect("report");
            pages = desk.report_bytes(&r, ReportFormat::Pdf).expect("pdf").1.unwrap_or(0);
        }),
    );
    row(
        "year report as CSV zip (report + files)",
        measure(runs, || {
            let r = desk.report(&export).expect("report");
            desk.report_bytes(&r, ReportFormat::Csv).expect("csv");
        }),
    );
    println!("\nPDF pages: {pages}");
}
