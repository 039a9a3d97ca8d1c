//! List, search and save latency on a realistic encrypted database.
//!
//! `cargo bench -p rightsdesk-app --bench search` (set `RIGHTSDESK_BENCH_CASES`, default 100000).
//! Generates the cases with the demo generator into a temporary SQLCipher database, then
//! measures, warm: filtered and sorted pages of 50, full-text searches (prefix and whole words),
//! the count that goes with a page, and saving a new case durably (one fsync'd transaction).
//! Prints a Markdown table; figures are recorded in docs/performance.md.
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::case::{Act, CaseDraft, Person, Risk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::search::{CaseFilter, CaseSort};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn percentiles(mut xs: Vec<Duration>) -> (f64, f64, f64) {
    xs.sort();
    let at = |p: f64| xs[((xs.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.95), at(0.99))
}

fn measure(name: &str, runs: usize, mut f: impl FnMut() -> usize) {
    for _ in 0..5 {
        f(); // warm
    }
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        rows = f();
        times.push(t.elapsed());
    }
    let (p50, p95, p99) = percentiles(times);
    println!("| {name} | {rows} | {p50:.3} | {p95:.3} | {p99:.3} |");
}

fn draft(i: usize) -> CaseDraft {
    CaseDraft {
        intake_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
        channel: "walk_in".into(),
        source_activity: None,
        person: Person {
            name: Some(format!("Besa Krasniqi {i}")),
            contact: None,
            gender: "female".into(),
            age_band: "age_35_49".into(),
            community: "roma".into(),
            language: "albanian".into(),
            consent_processing: true,
            consent_referral: true,
            consent_statistics: true,
        },
        acts: vec![Act {
            id: None,
            date_from: None,
            date_to: None,
            place: "Gjilan".into(),
            narrative: "Refused registration at the health centre without a written decision.".into(),
            grounds: vec!["ethnicity".into(), "health_status".into()],
            ground_other: None,
            area: "health".into(),
            form: "direct".into(),
            respondent_type: "municipal_institution".into(),
            respondent_name: "Qendra Kryesore e Mjekësisë Familjare".into(),
        }],
        risk: Risk::Medium,
        assigned_officer: "Arben Gashi".into(),
    }
}

fn main() {
    let n: usize =
        std::env::var("RIGHTSDESK_BENCH_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let tmp = tempfile::tempdir().expect("temporary directory");
    let clock = Arc::new(FixedClock::at_date(2026, 11, 20));
    let profile = ProfileDraft {
        municipality: "gjilan".into(),
        office: "MHRU Gjilan".into(),
        officer: "Arben Gashi".into(),
        role: Role::Officer,
        lang: "en".into(),
    };
    let mut desk = Desk::setup(
        DataDir::new(tmp.path()),
        profile,
        "benchmark passphrase",
        None,
        clock.clone(),
        IdGen::seeded(1),
    )
    .expect("set-up");
    let t = Instant::now();
    let s = desk.generate_demo(n, 42).expect("demo data");
    let generated = t.elapsed();
    let size: u64 = std::fs::read_dir(tmp.path())
        .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    println!(
        "generated {} cases, {} timeline entries, {} tasks, {} activities in {:.1} s; files {:.0} MiB\n",
        s.cases,
        s.timeline_entries,
        s.tasks,
        s.activities,
        generated.as_secs_f64(),
        size as f64 / 1048576.0
    );
    // Reopen, as a user unlocking the app would, so the measurements start from a cold handle.
    drop(desk);
    let t = Instant::now();
    let mut desk =
        Desk::open(DataDir::new(tmp.path()), "benchmark passphrase", clock, IdGen::seeded(2)).expect("open");
    println!("unlock (key derivation + open): {:.0} ms\n", t.elapsed().as_secs_f64() * 1000.0);

    println!("| operation | rows | p50 ms | p95 ms | p99 ms |");
    println!("|---|---|---|---|---|");
    let page = |desk: &Desk, f: CaseFilter| desk.page_cases(&f).expect("page").len();
    measure("page of 50, no filter, newest first", 300, || page(&desk, CaseFilter::default()));
    measure("page of 50, open cases", 300, || {
        page(
            &desk,
            CaseFilter {
                statuses: vec![
                    Status::New,
                    Status::Assessment,
                    Status::Referred,
                    Status::FollowUp,
                    Status::Reopened,
                ],
                ..Default::default()
            },
        )
    });
    measure("page of 50, ground = disability", 300, || {
        page(&desk, CaseFilter { ground: Some("disability".into()), ..Default::default() })
    });
    measure("page of 50, community = egyptian, area = education", 300, || {
        page(
            &desk,
            CaseFilter {
                community: Some("egyptian".into()),
                area: Some("education".into()),
                ..Default::default()
            },
        )
    });
    measure("page of 50, overdue tasks", 300, || {
        page(&desk, CaseFilter { overdue: true, ..Default::default() })
    });
    measure("page of 50, officer + date range, oldest first", 300, || {
        page(
            &desk,
            CaseFilter {
                officer: Some("Nenad Ilić".into()),
                from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
                to: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
                sort: CaseSort::IntakeAsc,
                ..Default::default()
            },
        )
    });
    measure("page 20 (offset 950), no filter", 300, || {
        page(&desk, CaseFilter { offset: 950, ..Default::default() })
    });
    for q in ["K", "Kras", "krasniqi", "Gjak", "Đorđ", "djordjevic", "shkoll", "GJI-2026", "refuz soc"] {
        measure(&format!("search \"{q}\""), 300, || {
            page(&desk, CaseFilter { text: Some(q.into()), ..Default::default() })
        });
    }
    measure("search \"Kras\" + open cases", 300, || {
        page(
            &desk,
            CaseFilter {
                text: Some("Kras".into()),
                statuses: vec![Status::New, Status::Assessment],
                ..Default::default()
            },
        )
    });
    measure("count, no filter", 100, || {
        desk.list_cases(&CaseFilter::default()).expect("count").total as usize
    });
    measure("count, search \"Kras\"", 100, || {
        desk.list_cases(&CaseFilter { text: Some("Kras".into()), ..Default::default() }).expect("count").total
            as usize
    });
    let mut i = 0;
    measure("save a new case (durable commit)", 300, || {
        i += 1;
        desk.create_case(draft(i)).expect("save").timeline.len()
    });
}
