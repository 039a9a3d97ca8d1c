//! Export and import of bundles on realistic encrypted databases.
//!
//! `cargo bench -p rightsdesk-app --bench sync` (set `RIGHTSDESK_BENCH_SYNC`, a comma-separated list
//! of case counts, default `1160,11600`: about 10,000 and 100,000 synced records).
//!
//! For each size: a unit generates the cases with the demo generator (each case is a handful of
//! records: the case, its acts, timeline entries and tasks), then
//! - exports everything to the central office (full bundle: sign, age-encrypt, write);
//! - the central office imports it (verify, decrypt, merge, write rows, keep the search index
//!   current) — the first import;
//! - imports the same file again (refused as already imported, no rows written);
//! - imports a second full bundle with the same content (every change already held: nothing but
//!   the bundle's own receipt is written);
//! - and, for comparison, the raw rate: the same case, act, entry and task rows inserted into a
//!   fresh encrypted database with plain prepared INSERTs in one transaction (no sync, no checks).
//!
//! Prints a Markdown table; figures are recorded in docs/performance.md.
use rightsdesk_app::sync::bundles::{ExportRequest, read_file};
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_store::{Store, cases, search, tasks, timeline};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const PASS: &str = "bench passphrase 2026";

fn office(dir: &Path, role: Role, seed: u64, clock: Arc<FixedClock>) -> Desk {
    let profile = ProfileDraft {
        municipality: "gjilan".into(),
        office: if role == Role::Coordinator { "Central office".into() } else { "MHRU Gjilan".into() },
        officer: "Arben Gashi".into(),
        role,
        lang: "en".into(),
    };
    Desk::setup(DataDir::new(dir), profile, PASS, Some(PASS), clock, IdGen::seeded(seed)).expect("set-up")
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let sizes: Vec<usize> = std::env::var("RIGHTSDESK_BENCH_SYNC")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1160, 11600]);
    println!(
        "| cases | records | changes | bundle MB | export ms | import ms | records/s | same file again ms | rows written | same content, new bundle ms | rows written | raw insert ms | raw records/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        run(n);
    }
}

fn run(n: usize) {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let clock = Arc::new(FixedClock::at_date(2026, 11, 20));
    let mut central = office(&tmp.path().join("central"), Role::Coordinator, 1, clock.clone());
    let mut unit = office(&tmp.path().join("unit"), Role::Officer, 2, clock.clone());
    central.approve(&unit.enrolment_request().expect("enrolment")).expect("approval");
    let fp = central.identity().expect("identity").fingerprint;
    unit.import_registry(&central.registry_file().expect("registry"), Some(&fp)).expect("registry import");
    unit.generate_demo(n, 7).expect("demo data");
    unit.maintain().expect("checkpoint");

    let to = central.profile().device_id.to_string();
    let path = tmp.path().join("full.rdbundle");
    let t = Instant::now();
    let exported = unit
        .export_bundle(&ExportRequest { to: to.clone(), full: true, plain: false }, &path)
        .expect("export");
    let export_ms = ms(t);
    let file = read_file(&path).expect("bundle file");

    let t = Instant::now();
    let report = central.import_bundle(&file, &mut |_, _| {}).expect("first import");
    let import_ms = ms(t);
    let records: u64 = report.totals().new;
    central.maintain().expect("checkpoint");

    let before = central.rows_written();
    let t = Instant::now();
    let again = central.import_bundle(&file, &mut |_, _| {});
    let again_ms = ms(t);
    assert!(again.is_err(), "the same bundle twice is refused");
    let again_rows = central.rows_written() - before;

    let path2 = tmp.path().join("full-again.rdbundle");
    unit.export_bundle(&ExportRequest { to, full: true, plain: false }, &path2).expect("second export");
    let file2 = read_file(&path2).expect("second bundle file");
    let before = central.rows_written();
    let t = Instant::now();
    let r2 = central.import_bundle(&file2, &mut |_, _| {}).expect("second import");
    let same_ms = ms(t);
    let same_rows = central.rows_written() - before;
    assert_eq!(r2.new_changes, 0, "every change was already held");

    let (raw_ms, raw_rows) = raw_insert(&unit, &tmp.path().join("raw.db"));
    println!(
        "| {n} | {records} | {} | {:.1} | {export_ms:.0} | {import_ms:.0} | {:.0} | {again_ms:.1} | {again_rows} | {same_ms:.0} | {same_rows} | {raw_ms:.0} | {:.0} |",
        exported.changes,
        exported.bytes as f64 / 1e6,
        records as f64 / (import_ms / 1000.0),
        raw_rows as f64 / (raw_ms / 1000.0),
    );
}

/// The same rows, inserted with the store's plain prepared statements in one transaction.
fn raw_insert(from: &Desk, path: &Path) -> (f64, u64) {
    let conn = from.store().conn();
    let ids: Vec<rightsdesk_domain::ids::CaseId> = rightsdesk_store::sync::records(conn)
        .expect("listing records")
        .into_iter()
        .filter(|(kind, _)| kind == "case")
        .filter_map(|(_, id)| id.parse().ok())
        .collect();
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let mut case = cases::get(conn, id).expect("case").expect("exists");
        // The activities are not copied; a link to one would fail its foreign key.
        case.draft.source_activity = None;
        let entries = timeline::of_case(conn, id).expect("timeline");
        let tasks = tasks::of_case(conn, id).expect("tasks");
        rows.push((case, entries, tasks));
    }
    let mut store = Store::create(path, PASS).expect("a fresh store");
    let t = Instant::now();
    let tx = store.transaction().expect("transaction");
    let mut count = 0u64;
    for (case, entries, ts) in &rows {
        let seq = cases::insert(&tx, case).expect("case row");
        search::index_case(&tx, seq, case).expect("search row");
        count += 1 + case.draft.acts.len() as u64;
        for e in entries {
            timeline::append(&tx, e).expect("entry row");
        }
        for task in ts {
            tasks::insert(&tx, task).expect("task row");
        }
        count += (entries.len() + ts.len()) as u64;
    }
    rightsdesk_store::commit(tx).expect("commit");
    (ms(t), count)
}
