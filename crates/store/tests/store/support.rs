//! What the store tests share: temporary databases, sample records and snapshots of files.
use chrono::{DateTime, NaiveDate, Utc};
use rightsdesk_domain::case::{Act, Case, CaseDraft, Person, Risk};
use rightsdesk_domain::case_number::CaseNumber;
use rightsdesk_domain::clock::{Clock, FixedClock};
use rightsdesk_domain::ids::{DeviceId, IdGen};
use rightsdesk_domain::timeline::{Entry, EntryKind};
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::{DB_FILE, Store, cases, search, timeline};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The passphrase every test database is created with (non-ASCII on purpose).
pub const PASS: &str = "dëshmi e fortë 2026";

/// The device code of the sample cases' numbers.
pub const DEVICE: &str = "K7QX";

/// The fixed instant the tests run at.
pub fn now() -> DateTime<Utc> {
    FixedClock::at_date(2026, 11, 20).now()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

/// A fresh temporary directory and the database path inside it (no file yet).
pub fn temp_path() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(DB_FILE);
    (dir, path)
}

/// A new store in a fresh temporary directory.
pub fn new_store() -> (TempDir, Store) {
    let (dir, path) = temp_path();
    let store = Store::create(&path, PASS).expect("creating a store in an empty directory");
    (dir, store)
}

/// Every file in `dir` with its bytes: two equal snapshots mean nothing on disk changed.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| {
            let e = e.expect("a readable directory entry");
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// A valid case numbered `seq` on device [`DEVICE`], about `name`.
pub fn sample_case(ids: &mut IdGen, seq: u32, name: &str) -> Case {
    let at = now();
    let device: DeviceId = ids.next(at);
    Case {
        id: ids.next(at),
        number: CaseNumber { prefix: "PRI".into(), year: 2026, device: DEVICE.into(), seq }.to_string(),
        municipality: "prishtine".into(),
        status: Status::New,
        close_reason: None,
        draft: CaseDraft {
            intake_date: day(2026, 11, 18),
            channel: "walk_in".into(),
            source_activity: None,
            person: Person {
                name: Some(name.into()),
                contact: Some("044 123 456".into()),
                gender: "female".into(),
                age_band: "age_25_34".into(),
                community: "ashkali".into(),
                language: "albanian".into(),
                consent_processing: true,
                consent_referral: true,
                consent_statistics: true,
            },
            acts: vec![Act {
                id: Some(ids.next(at)),
                date_from: Some(day(2026, 11, 2)),
                date_to: None,
                place: "Qendra për Punë Sociale".into(),
                narrative: "Refused social assistance because of her community.".into(),
                grounds: vec!["ethnicity".into(), "social_or_personal_status".into()],
                ground_other: None,
                area: "social_assistance".into(),
                form: "direct".into(),
                respondent_type: "municipal_institution".into(),
                respondent_name: "QPS Fushë Kosovë".into(),
            }],
            risk: Risk::Medium,
            assigned_officer: "Arben Gashi".into(),
        },
        created_at: at,
        updated_at: at,
        device_id: device,
    }
}

/// Stores a case with its search entry and its "opened" timeline entry, in one transaction.
pub fn insert_case(store: &mut Store, ids: &mut IdGen, case: &Case) {
    let tx = store.transaction().expect("a write transaction");
    let row = cases::insert(&tx, case).expect("inserting a valid case");
    search::index_case(&tx, row, case).expect("indexing the case");
    timeline::append(&tx, &opened(ids, case)).expect("appending the opened entry");
    tx.commit().expect("committing the new case");
}

/// The timeline entry that records a case's opening.
pub fn opened(ids: &mut IdGen, case: &Case) -> Entry {
    Entry {
        id: ids.next(now()),
        case_id: case.id,
        kind: EntryKind::Opened,
        action_type: None,
        occurred_on: case.draft.intake_date,
        text: String::new(),
        corrects: None,
        status_from: None,
        status_to: None,
        author: case.draft.assigned_officer.clone(),
        created_at: now(),
        device_id: case.device_id,
        referral: None,
    }
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
