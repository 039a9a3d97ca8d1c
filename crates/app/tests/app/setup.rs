//! The first-run set-up and unlocking a data folder.
use super::support::{Office, PASS, assert_invalid, clock, profile};
use rightsdesk_app::{DataDir, Desk, DirState};
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::validation::codes;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn set_up_names_every_field_at_fault_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = DataDir::new(tmp.path().join("data"));
    let mut draft = profile("atlantis");
    draft.office = "   ".into();
    let res = Desk::setup(dir.clone(), draft, "short", Some("shorter"), clock(), IdGen::seeded(1));
    assert_invalid(
        res,
        &[
            ("municipality", codes::UNKNOWN_CODE),
            ("office", codes::REQUIRED),
            ("passphrase", codes::TOO_SHORT),
            ("confirmation", codes::MISMATCH),
        ],
        "the wizard shows every mistake at once, each next to its field",
    );
    assert!(!dir.path().exists(), "a refused set-up must not even create the data folder");
    assert_eq!(dir.state(), DirState::FirstRun, "the next start still shows the wizard");

    let res = Desk::setup(
        dir.clone(),
        profile("prishtine"),
        PASS,
        Some("dëshmi e fortë 2025"),
        clock(),
        IdGen::seeded(1),
    );
    assert_invalid(
        res,
        &[("confirmation", codes::MISMATCH)],
        "a long enough passphrase typed differently twice is refused",
    );
    assert!(!dir.db_path().exists(), "a mistyped confirmation must not leave a database behind");
}

#[test]
fn a_set_up_installation_unlocks_with_its_passphrase_only_and_is_never_set_up_twice() {
    let office = Office::new(2);
    let dir = office.desk.dir().clone();
    let first = office.desk.profile().clone();
    assert_eq!(first.municipality, "prishtine", "the profile is what the wizard was given");
    assert_eq!(first.device_code.len(), 4, "the device draws its four-character code at set-up");
    assert_eq!(first.created_at, office.clock.now(), "set-up is stamped with the injected clock");
    assert_eq!(dir.state(), DirState::Locked, "after set-up the folder holds a database to unlock");
    assert_eq!(dir.lang(), "en", "the interface language is remembered outside the database");
    drop(office.desk);
    let before = snapshot(dir.path());

    let err = Desk::open(dir.clone(), "not the passphrase", clock(), IdGen::seeded(3))
        .expect_err("wrong passphrase");
    assert_eq!(err.code(), "wrong_passphrase", "the UI can say the passphrase is wrong: {err:?}");
    let err = Desk::open(dir.clone(), "", clock(), IdGen::seeded(3)).expect_err("empty passphrase");
    assert_eq!(
        err.code(),
        "wrong_passphrase",
        "an empty passphrase is just a wrong one, not an internal error"
    );
    let err =
        Desk::setup(dir.clone(), profile("peje"), "another passphrase", None, clock(), IdGen::seeded(4))
            .expect_err("a second set-up over an existing database");
    assert_eq!(err.code(), "already_initialised", "set-up never overwrites an installation: {err:?}");
    assert_eq!(snapshot(dir.path()), before, "the refused attempts left every file byte-for-byte as it was");

    let desk =
        Desk::open(dir.clone(), PASS, clock(), IdGen::seeded(5)).expect("the right passphrase unlocks");
    assert_eq!(desk.profile(), &first, "unlocking reads back the same profile and device identity");
}

#[test]
fn unlocking_a_folder_that_was_never_set_up_says_so_and_creates_nothing() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = DataDir::new(tmp.path().join("data"));
    let err = Desk::open(dir.clone(), PASS, clock(), IdGen::seeded(6)).expect_err("nothing to unlock");
    assert_eq!(err.code(), "not_initialised", "the UI then shows the first-run wizard: {err:?}");
    assert!(!dir.path().exists(), "unlocking must not create the data folder");
}

#[test]
fn the_interface_language_is_checked_and_remembered() {
    let mut office = Office::new(7);
    assert_invalid(
        office.desk.set_language("xx"),
        &[("lang", codes::UNKNOWN_CODE)],
        "only shipped languages",
    );
    office.desk.set_language("sq").expect("Albanian is shipped");
    assert_eq!(office.desk.profile().lang, "sq", "the desk speaks the new language at once");
    let dir = office.desk.dir().clone();
    assert_eq!(dir.lang(), "sq", "the unlock screen speaks it too, before the database is open");
    drop(office.desk);
    let desk = Desk::open(dir, PASS, clock(), IdGen::seeded(8)).expect("unlocking");
    assert_eq!(desk.profile().lang, "sq", "the choice is saved in the database as well");
}

#[test]
fn the_officer_and_office_names_can_change_later_but_not_to_blank() {
    let mut office = super::support::Office::new(41);
    let err = office.desk.update_profile("  ", "Arta Berisha").expect_err("a blank office name is refused");
    assert!(
        err.fields().iter().any(|f| f.field == "office" && f.code == "required"),
        "the error names the office field: {err}"
    );
    assert_eq!(office.desk.profile().officer, "Arben Gashi", "a refused change changes nothing");
    office.desk.update_profile(" MHRU Prishtinë ", "Arta Berisha").expect("new names are saved");
    assert_eq!(office.desk.profile().officer, "Arta Berisha");
    let stored = rightsdesk_store::profile::get(office.desk.store().conn()).unwrap().unwrap();
    assert_eq!(
        (stored.office.as_str(), stored.officer.as_str()),
        ("MHRU Prishtinë", "Arta Berisha"),
        "the names are stored trimmed, so they survive a restart"
    );
}
