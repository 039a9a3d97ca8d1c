//! Referral letters on a realistic encrypted database: rendering (`Desk::render_letter`) and
//! issuing (`Desk::issue_letter`: render, then keep the PDF and record it on the timeline in one
//! durable transaction).
//!
//! `cargo bench -p rightsdesk-app --bench letters` (set `RIGHTSDESK_BENCH_LETTER_CASES`, default
//! 1000: the demo generator's cases, of which a few hundred are referred).
//!
//! - The **first letter** of a process includes parsing the embedded fonts and loading the built-in
//!   templates (both once per process). It is measured as the first call of this process, and again
//!   in fresh processes: this binary started anew on the same data folder, each rendering one letter
//!   right after unlocking.
//! - **Steady state**: every demo referral in turn (at least 100 renders) in `sq`, `sr-Cyrl`, `en`
//!   and `sq+sr-Latn`, with the PDFs' sizes and pages.
//! - **Issuing** a letter (`sq+sr-Latn`, the command line's default), each referral once.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it runs on a few cases and renders.
//! Prints a Markdown table; figures are recorded in docs/performance.md.
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::{IdGen, ReferralId};
use rightsdesk_domain::profile::{ProfileDraft, Role};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASS: &str = "bench passphrase 2026";
/// Set in a fresh process started by this bench: `DIR REFERRAL LANG`, render that one letter.
const FIRST: &str = "RIGHTSDESK_BENCH_LETTER_FIRST";

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at_date(2026, 11, 20))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, p95 and maximum, in milliseconds.
fn percentiles(mut xs: Vec<Duration>) -> (f64, f64, f64) {
    xs.sort();
    let at = |p: f64| ms(xs[((xs.len() as f64 - 1.0) * p).round() as usize]);
    (at(0.5), at(0.95), at(1.0))
}

fn main() {
    if let Ok(args) = std::env::var(FIRST) {
        first_in_fresh_process(&args);
        return;
    }
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this too: keep that quick.
    let measuring = std::env::args().any(|a| a == "--bench");
    let n: usize = if measuring {
        std::env::var("RIGHTSDESK_BENCH_LETTER_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1000)
    } else {
        60
    };
    let tmp = tempfile::tempdir().expect("temporary directory");
    let profile = ProfileDraft {
        municipality: "gjilan".into(),
        office: "MHRU Gjilan".into(),
        officer: "Arben Gashi".into(),
        role: Role::Officer,
        lang: "en".into(),
    };
    let mut desk = Desk::setup(DataDir::new(tmp.path()), profile, PASS, None, clock(), IdGen::seeded(1))
        .expect("set-up");
    let t = Instant::now();
    let s = desk.generate_demo(n, 1).expect("demo data");
    println!(
        "generated {} cases and {} referrals in {:.1} s\n",
        s.cases,
        s.referrals,
        t.elapsed().as_secs_f64()
    );
    desk.maintain().expect("checkpoint");
    // Oldest first, so the list does not depend on how the newest are ordered among themselves.
    let mut referrals: Vec<ReferralId> =
        desk.referrals(None, u32::MAX).expect("referrals").into_iter().map(|r| r.referral.id).collect();
    referrals.reverse();
    assert!(!referrals.is_empty(), "the demo refers some cases");

    // The first letter of this process: fonts and templates are not loaded yet.
    let t = Instant::now();
    let first = desk.render_letter(referrals[0], "sq+sr-Latn").expect("the first letter");
    let first_here = t.elapsed();
    std::hint::black_box(first);

    // The same, in fresh processes (after unlocking, as the app's first print after start).
    let fresh: Vec<Duration> = (0..if measuring { 10 } else { 1 })
        .map(|i| {
            let id = referrals[i % referrals.len()];
            let out = std::process::Command::new(std::env::current_exe().expect("this bench"))
                .env(FIRST, format!("{} {id} sq+sr-Latn", tmp.path().display()))
                .output()
                .expect("a fresh process");
            assert!(out.status.success(), "fresh process: {}", String::from_utf8_lossy(&out.stderr));
            let us: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("microseconds");
            Duration::from_micros(us)
        })
        .collect();
    let (fresh_p50, _, fresh_max) = percentiles(fresh.clone());

    println!("| operation | letters | p50 ms | p95 ms | max ms | PDF bytes min / median / max | pages |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| first letter of the process, sq+sr-Latn (fonts and templates loaded) | 1 | {:.1} | | | | |",
        ms(first_here)
    );
    println!(
        "| first letter in a fresh process, after unlocking, sq+sr-Latn | {} | {fresh_p50:.1} | | {fresh_max:.1} | | |",
        fresh.len()
    );

    let runs = if measuring { referrals.len().max(100) } else { 3 };
    for lang in ["sq", "sr-Cyrl", "en", "sq+sr-Latn"] {
        for id in referrals.iter().take(3) {
            std::hint::black_box(desk.render_letter(*id, lang).expect("warm-up"));
        }
        let mut times = Vec::with_capacity(runs);
        let mut sizes = Vec::with_capacity(runs);
        let mut pages = Vec::with_capacity(runs);
        for i in 0..runs {
            let id = referrals[i % referrals.len()];
            let t = Instant::now();
            let letter = desk.render_letter(id, lang).expect("a letter");
            times.push(t.elapsed());
            sizes.push(letter.pdf.len());
            pages.push(letter.pages);
        }
        let (p50, p95, max) = percentiles(times);
        sizes.sort();
        println!(
            "| render, {lang} | {runs} | {p50:.2} | {p95:.2} | {max:.2} | {} / {} / {} | {} |",
            sizes[0],
            sizes[sizes.len() / 2],
            sizes[sizes.len() - 1],
            page_counts(&pages)
        );
    }

    // Issuing: each referral once (a letter issued again is the same file, kept once).
    let issues = if measuring { referrals.len().min(300) } else { 3 };
    let mut times = Vec::with_capacity(issues);
    let mut sizes = Vec::with_capacity(issues);
    let mut pages = Vec::with_capacity(issues);
    for id in referrals.iter().take(issues) {
        let t = Instant::now();
        let issued = desk.issue_letter(*id, "sq+sr-Latn").expect("issuing a letter");
        times.push(t.elapsed());
        sizes.push(issued.letter.pdf.len());
        pages.push(issued.letter.pages);
    }
    let (p50, p95, max) = percentiles(times);
    sizes.sort();
    println!(
        "| issue (render + keep + timeline, durable commit), sq+sr-Latn | {issues} | {p50:.2} | {p95:.2} | {max:.2} | {} / {} / {} | {} |",
        sizes[0],
        sizes[sizes.len() / 2],
        sizes[sizes.len() - 1],
        page_counts(&pages)
    );
}

/// `1: 180, 2: 20`: how many letters had each number of pages.
fn page_counts(pages: &[u32]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for p in pages {
        *counts.entry(*p).or_insert(0u32) += 1;
    }
    counts.iter().map(|(p, n)| format!("{p}: {n}")).collect::<Vec<_>>().join(", ")
}

/// In a fresh process: unlock the folder, render one letter, print how long the render took (µs).
fn first_in_fresh_process(args: &str) {
    let mut parts = args.rsplitn(3, ' ');
    let (lang, id, dir) = (parts.next(), parts.next(), parts.next());
    let (Some(lang), Some(id), Some(dir)) = (lang, id, dir) else {
        panic!("{FIRST} is `DIR REFERRAL LANG`");
    };
    let id: ReferralId = id.parse().expect("a referral id");
    let desk = Desk::open(DataDir::new(Path::new(dir)), PASS, clock(), IdGen::seeded(9)).expect("unlock");
    let t = Instant::now();
    let letter = desk.render_letter(id, lang).expect("the first letter");
    let took = t.elapsed();
    std::hint::black_box(letter);
    println!("{}", took.as_micros());
}
