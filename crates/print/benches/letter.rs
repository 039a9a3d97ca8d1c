//! `cargo bench -p rightsdesk-print`: render times and sizes of the sample referral letter and
//! period report.
//! Plain `Instant`, no harness: the first render includes parsing the fonts (once per process),
//! as the app's first print after start does.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() -> Result<(), rightsdesk_print::PrintError> {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this too: keep that quick
    let measuring = std::env::args().any(|a| a == "--bench");
    let one = common::referral_letter(0, None);
    let three = common::referral_letter(14, None);
    let with_logo = common::referral_letter(0, Some(common::logo_png(96)));
    let report = common::period_report();

    let start = Instant::now();
    let first = rightsdesk_print::render(&three)?;
    println!("first render (3-page letter, font parsing included): {:?}", start.elapsed());

    for (name, doc) in [
        ("1-page letter", &one),
        ("3-page letter", &three),
        ("1-page letter + logo", &with_logo),
        ("6-page report (tables, charts)", &report),
    ] {
        let pdf = rightsdesk_print::render(doc)?;
        let n: u32 = if measuring { 200 } else { 2 };
        let start = Instant::now();
        for _ in 0..n {
            black_box(rightsdesk_print::render(black_box(doc))?);
        }
        let per_doc: Duration = start.elapsed() / n;
        println!("{name}: {per_doc:?} per document (n={n}), {} bytes", pdf.len());
    }
    black_box(first);
    Ok(())
}
