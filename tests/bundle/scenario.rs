//! The little network the golden files come from, rebuilt exactly from seeds on a fixed clock:
//!
//! - the central office (a coordinator's installation, seed [`CENTRAL_SEED`]) approves two laptops of
//!   the Gjilan unit and issues the registry (version 3) that lists all three;
//! - laptop A (the **sender**, seed [`SENDER_SEED`]) records an outreach meeting and sends laptop B a
//!   **plain** bundle (seq 1, activities carry no personal data), then opens a case and sends B an
//!   **encrypted** bundle (seq 2, whose `prev` is the plain bundle's SHA-256);
//! - laptop B (the **recipient**, seed [`RECIPIENT_SEED`]) is what the golden files are imported into:
//!   set up again from its seed, it has the same device id and keys as when the files were written.
//!
//! `Desk::setup` draws the device id and the key seed from the `IdGen`, and every time comes from the
//! `FixedClock`, so everything here except the age encryption is the same on every run.
use chrono::{Duration, NaiveDate};
use rightsdesk_app::sync::bundles::{ExportRequest, Exported, ImportReport};
use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::activity::{ActivityDraft, ActivityKind, AttendanceRow, Counts};
use rightsdesk_domain::case::{Act, CaseDraft, Person, Risk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

pub const CENTRAL_SEED: u64 = 7_001;
pub const SENDER_SEED: u64 = 7_002;
pub const RECIPIENT_SEED: u64 = 7_003;
pub const PASS: &str = "golden fixtures, never regenerated";

/// The golden files: `v1-` because they are written in format version 1 and must import in every
/// later version.
pub const PLAIN: &str = "v1-plain.rdbundle";
pub const ENCRYPTED: &str = "v1-encrypted.rdbundle";
pub const REGISTRY: &str = "v1-registry.rdregistry";
pub const ENROLMENT: &str = "v1-enrolment.rdenrolment";

/// The central office's fingerprint, as its coordinator reads it aloud to the units.
pub const CENTRAL_FINGERPRINT: &str = "QVDH-7T65-32RV-W13T";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("bundle")
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("golden file {} is missing ({e}); see tests/fixtures/README.md", path.display())
    })
}

pub fn doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The fixed clock every office of the scenario shares: noon UTC, 20 November 2026.
pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at_date(2026, 11, 20))
}

pub struct Office {
    /// Holds the data folder; deleted with the office.
    _tmp: TempDir,
    pub desk: Desk,
}

fn office(seed: u64, draft: ProfileDraft, clock: Arc<FixedClock>) -> Office {
    let tmp = tempfile::tempdir().expect("a temporary data folder");
    let dir = DataDir::new(tmp.path().join("data"));
    let desk = Desk::setup(dir, draft, PASS, Some(PASS), clock, IdGen::seeded(seed))
        .expect("setting up a valid profile in an empty folder");
    Office { _tmp: tmp, desk }
}

pub fn central(clock: Arc<FixedClock>) -> Office {
    let draft = ProfileDraft {
        municipality: "prishtine".into(),
        office: "Zyra Qendrore / Central office".into(),
        officer: "Mimoza Berisha".into(),
        role: Role::Coordinator,
        lang: "en".into(),
    };
    office(CENTRAL_SEED, draft, clock)
}

fn unit_laptop(seed: u64, officer: &str, clock: Arc<FixedClock>) -> Office {
    let draft = ProfileDraft {
        municipality: "gjilan".into(),
        office: "Njësia për të Drejtat e Njeriut".into(),
        officer: officer.into(),
        role: Role::Officer,
        lang: "en".into(),
    };
    office(seed, draft, clock)
}

pub fn sender(clock: Arc<FixedClock>) -> Office {
    unit_laptop(SENDER_SEED, "Arben Gashi", clock)
}

/// Laptop B as it was set up: the same device id and keys every time. The clock must stand at the
/// scenario's start (noon, 20 November 2026), which is the time part of its device id.
pub fn recipient(clock: Arc<FixedClock>) -> Office {
    unit_laptop(RECIPIENT_SEED, "Vesa Hoxha", clock)
}

/// A freshly set-up laptop B that trusts the golden registry: ready to import the golden bundles.
pub fn ready_recipient() -> (Arc<FixedClock>, Office) {
    let clock = clock();
    let mut b = recipient(clock.clone());
    clock.advance(Duration::days(1));
    let changed = b
        .desk
        .import_registry(&fixture(REGISTRY), Some(CENTRAL_FINGERPRINT))
        .expect("laptop B imports the golden registry after confirming the central office's fingerprint");
    assert!(changed, "a first registry is always new to laptop B");
    (clock, b)
}

pub fn import(office: &mut Office, file: &[u8]) -> Result<ImportReport, AppError> {
    office.desk.import_bundle(file, &mut |_, _| {})
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// What laptop A records first: an outreach meeting (no personal data, so it may travel plain).
pub fn outreach() -> ActivityDraft {
    ActivityDraft {
        kind: ActivityKind::Outreach,
        title: "Takim në lagjen Abdullah Presheva".into(),
        date_from: day(2026, 11, 10),
        date_to: None,
        venue: "Shtëpia e Kulturës".into(),
        municipality: "gjilan".into(),
        organiser: "NjDNj Gjilan".into(),
        trainers: String::new(),
        topics: "How to report discrimination".into(),
        target_groups: vec![],
        format: Some("community_meeting".into()),
        issues_raised: "Civil registration documents".into(),
        notes: String::new(),
        attendance: vec![AttendanceRow {
            community: "roma".into(),
            counts: Counts { female: 9, male: 4, other: 0, not_stated: 0 },
        }],
    }
}

/// What laptop A records next: a case (special-category data, so it travels encrypted).
pub fn case() -> CaseDraft {
    CaseDraft {
        intake_date: day(2026, 11, 18),
        channel: "walk_in".into(),
        source_activity: None,
        person: Person {
            name: Some("Drita Krasniqi".into()),
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
            id: None,
            date_from: Some(day(2026, 11, 2)),
            date_to: None,
            place: "Qendra për Punë Sociale".into(),
            narrative: "Refused social assistance because of her community.".into(),
            grounds: vec!["ethnicity".into()],
            ground_other: None,
            area: "social_assistance".into(),
            form: "direct".into(),
            respondent_type: "municipal_institution".into(),
            respondent_name: "QPS Gjilan".into(),
        }],
        risk: Risk::Medium,
        assigned_officer: "Arben Gashi".into(),
    }
}

/// Everything the scenario writes.
pub struct Written {
    pub registry: Vec<u8>,
    pub enrolment: Vec<u8>,
    pub plain: Vec<u8>,
    /// A fresh encryption of the second bundle (different on every run).
    pub encrypted: Vec<u8>,
    /// What the export said about the second bundle (its `hash` is the SHA-256 of the signed file
    /// inside the age layer, the same on every run).
    pub encrypted_export: Exported,
}

/// Runs the whole scenario from scratch.
pub fn write_all() -> Written {
    let clock = clock();
    let mut central = central(clock.clone());
    let mut a = sender(clock.clone());
    let mut b = recipient(clock.clone());

    clock.advance(Duration::minutes(5));
    let enrolment = b.desk.enrolment_request().expect("laptop B's enrolment request");
    for request in [a.desk.enrolment_request().expect("laptop A's enrolment request"), enrolment.clone()] {
        clock.advance(Duration::minutes(1));
        central.desk.approve(&request).expect("the coordinator approves a Gjilan laptop");
    }
    let registry = central.desk.registry_file().expect("the central office's registry");
    let fingerprint = central.desk.identity().expect("the central office's identity").fingerprint;
    clock.advance(Duration::minutes(10));
    for laptop in [&mut a, &mut b] {
        laptop.desk.import_registry(&registry, Some(&fingerprint)).expect("a laptop imports the registry");
    }

    clock.advance(Duration::hours(1));
    a.desk.save_activity(None, outreach()).expect("laptop A records the outreach meeting");
    clock.advance(Duration::minutes(2));
    let to_b = b.desk.profile().device_id.to_string();
    let dir = tempfile::tempdir().expect("an outbox");
    let export = |a: &mut Office, name: &str, plain: bool| {
        let path = dir.path().join(name);
        let req = ExportRequest { to: to_b.clone(), full: false, plain };
        let done = a.desk.export_bundle(&req, &path).expect("laptop A exports a bundle to laptop B");
        (std::fs::read(&path).expect("the exported file"), done)
    };
    let (plain, _) = export(&mut a, PLAIN, true);

    clock.advance(Duration::hours(1));
    a.desk.create_case(case()).expect("laptop A opens a case");
    clock.advance(Duration::minutes(2));
    let (encrypted, encrypted_export) = export(&mut a, ENCRYPTED, false);
    Written { registry, enrolment, plain, encrypted, encrypted_export }
}

/// With `RIGHTSDESK_BLESS=1`, writes the golden files that do not exist yet. It never overwrites
/// one: a golden file is frozen for good (tests/fixtures/README.md).
pub fn bless_if_asked(w: &Written) {
    if std::env::var("RIGHTSDESK_BLESS").as_deref() != Ok("1") {
        return;
    }
    let dir = fixtures();
    std::fs::create_dir_all(&dir).expect("creating tests/fixtures/bundle");
    for (name, bytes) in
        [(REGISTRY, &w.registry), (ENROLMENT, &w.enrolment), (PLAIN, &w.plain), (ENCRYPTED, &w.encrypted)]
    {
        let path = dir.join(name);
        if path.exists() {
            eprintln!("{} exists and is frozen: not written", path.display());
            continue;
        }
        std::fs::write(&path, bytes).expect("writing a golden file");
        eprintln!("wrote {}", path.display());
    }
}
