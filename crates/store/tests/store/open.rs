//! Creating and opening a database. `Store::open` never creates, overwrites or upgrades a file it
//! cannot read: whatever it refuses is left byte-for-byte as it was.
use super::support::{PASS, insert_case, sample_case, snapshot, temp_path};
use rand::{Rng, SeedableRng, rngs::StdRng};
use rightsdesk_domain::ids::IdGen;
use rightsdesk_store::{DB_FILE, Store, StoreError, cases, migrations};
use rusqlite::Connection;

#[test]
fn a_created_database_opens_again_with_its_passphrase_and_keeps_what_was_written() {
    let (dir, path) = temp_path();
    let mut ids = IdGen::seeded(1);
    let case = sample_case(&mut ids, 1, "Drita Krasniqi");
    {
        let mut store = Store::create(&path, PASS).expect("creating in an empty directory");
        assert_eq!(store.path(), path, "the store reports the file it was created at");
        insert_case(&mut store, &mut ids, &case);
    }
    let store = Store::open(&path, PASS).expect("the passphrase it was created with opens it");
    let read = cases::get(store.conn(), case.id).expect("reading the case");
    assert_eq!(
        read.as_ref(),
        Some(&case),
        "a case written before closing reads back unchanged after reopening"
    );
    drop(store);
    let names: Vec<String> = snapshot(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        vec![DB_FILE.to_string()],
        "closing cleanly folds the WAL back into the one database file"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_leaves_the_file_as_it_was() {
    let (dir, path) = temp_path();
    let mut ids = IdGen::seeded(2);
    let case = sample_case(&mut ids, 1, "Besnik Gashi");
    {
        let mut store = Store::create(&path, PASS).expect("creating in an empty directory");
        insert_case(&mut store, &mut ids, &case);
    }
    let before = snapshot(dir.path());
    for wrong in ["dëshmi e fortë 2025", "DËSHMI E FORTË 2026", "", "dëshmi e fortë 2026 "] {
        let err = Store::open(&path, wrong).expect_err("only the exact passphrase may open the database");
        assert!(
            matches!(err, StoreError::WrongPassphrase),
            "a wrong passphrase ({wrong:?}) is reported as such, not as damage or an internal error: {err:?}"
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "a wrong passphrase ({wrong:?}) must leave the file byte-for-byte as it was, with no WAL left behind"
        );
    }
    let store = Store::open(&path, PASS).expect("failed attempts do not lock the right passphrase out");
    assert!(
        cases::get(store.conn(), case.id).expect("reading the case").is_some(),
        "the data is still there after the failed attempts"
    );
}

#[test]
fn opening_a_missing_database_is_not_found_and_creates_nothing() {
    let (dir, path) = temp_path();
    let err = Store::open(&path, PASS).expect_err("there is nothing to open");
    assert!(
        matches!(&err, StoreError::NotFound(p) if *p == path),
        "a missing file is NotFound and names the path: {err:?}"
    );
    assert!(snapshot(dir.path()).is_empty(), "opening must never create a database file");

    let nested = dir.path().join("not-yet").join(DB_FILE);
    let err = Store::open(&nested, PASS).expect_err("there is nothing to open");
    assert!(matches!(err, StoreError::NotFound(_)), "a missing folder is NotFound too: {err:?}");
    assert!(!dir.path().join("not-yet").exists(), "opening must not create missing folders either");
}

#[test]
fn creating_over_an_existing_file_is_refused_and_leaves_it_untouched() {
    let (dir, path) = temp_path();
    let mut ids = IdGen::seeded(3);
    let case = sample_case(&mut ids, 1, "Jelena Petrović");
    {
        let mut store = Store::create(&path, PASS).expect("creating in an empty directory");
        insert_case(&mut store, &mut ids, &case);
    }
    let before = snapshot(dir.path());
    let err = Store::create(&path, "another passphrase").expect_err("a database is never overwritten");
    assert!(
        matches!(&err, StoreError::AlreadyExists(p) if *p == path),
        "an existing database is AlreadyExists and names the path: {err:?}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a refused create must leave the existing database byte-for-byte"
    );
    let store = Store::open(&path, PASS).expect("the original passphrase still opens it");
    assert!(cases::get(store.conn(), case.id).expect("reading").is_some(), "and its data is still there");
    drop(store);

    let other = dir.path().join("notes.txt");
    std::fs::write(&other, b"not a database").expect("writing a plain file");
    let err = Store::create(&other, PASS).expect_err("any existing file is refused");
    assert!(matches!(err, StoreError::AlreadyExists(_)), "whatever the file is: {err:?}");
    assert_eq!(std::fs::read(&other).expect("reading"), b"not a database", "and it is not touched");

    let err = Store::create(dir.path(), PASS).expect_err("a folder is not a place for a new database");
    assert!(matches!(err, StoreError::AlreadyExists(_)), "an existing folder is refused too: {err:?}");
}

#[test]
fn a_file_of_random_bytes_is_refused_as_a_wrong_passphrase_and_left_untouched() {
    let (dir, path) = temp_path();
    let mut bytes = vec![0u8; 4 * 4096];
    StdRng::seed_from_u64(4).fill_bytes(&mut bytes);
    std::fs::write(&path, &bytes).expect("writing random bytes");
    let before = snapshot(dir.path());
    let err = Store::open(&path, PASS).expect_err("random bytes are not a database");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "random bytes cannot be told from a wrong key: the user is told so, nothing panics: {err:?}"
    );
    assert_eq!(snapshot(dir.path()), before, "a refused file must be left byte-for-byte as it was");
}

#[test]
fn a_plain_unencrypted_sqlite_file_is_refused_and_left_untouched() {
    let (dir, path) = temp_path();
    {
        let conn = Connection::open(&path).expect("creating a plain SQLite file");
        conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('plain text');")
            .expect("writing to the plain file");
    }
    let before = snapshot(dir.path());
    let err = Store::open(&path, PASS).expect_err("an unencrypted file is not a Rightsdesk database");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "an unencrypted file reads as a wrong key, and is never 'upgraded' in place: {err:?}"
    );
    assert_eq!(snapshot(dir.path()), before, "the plain file must be left byte-for-byte as it was");
    let conn = Connection::open(&path).expect("reopening the plain file");
    let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).expect("reading the plain file");
    assert_eq!(x, "plain text", "the plain file is still a working SQLite file");
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let (dir, path) = temp_path();
    drop(Store::create(&path, PASS).expect("creating in an empty directory"));
    {
        let conn = Connection::open(&path).expect("opening the database raw");
        conn.pragma_update(None, "key", PASS).expect("keying the raw connection");
        conn.pragma_update(None, "user_version", 99).expect("pretending a newer schema");
    }
    let before = snapshot(dir.path());
    let err = Store::open(&path, PASS).expect_err("this build cannot know schema 99");
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, known } if known == migrations::latest()),
        "a newer schema is SchemaTooNew with both versions, so the message can say what to install: {err:?}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a newer database must be left byte-for-byte as it was (no downgrade, no WAL left)"
    );
}

#[test]
fn a_database_of_an_older_schema_is_brought_up_to_date_on_open() {
    let (_dir, path) = temp_path();
    {
        let mut conn = Connection::open(&path).expect("creating the database raw");
        conn.pragma_update(None, "key", PASS).expect("keying the raw connection");
        migrations::all().to_version(&mut conn, 3).expect("building the schema of an older version");
    }
    let store = Store::open(&path, PASS).expect("an older database opens");
    let version: i64 =
        store.conn().pragma_query_value(None, "user_version", |r| r.get(0)).expect("reading user_version");
    assert_eq!(version as usize, migrations::latest(), "opening applies the missing migrations");
    let tables: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('case_timeline', 'case_tasks', 'case_search')",
            [],
            |r| r.get(0),
        )
        .expect("reading the schema");
    assert_eq!(tables, 3, "the tables of the later migrations exist after the upgrade");
}

#[test]
fn an_empty_file_is_refused_as_damaged_and_not_made_into_a_new_database() {
    // Regression: SQLite takes an empty file for a new database, so opening one used to key it
    // with whatever passphrase was typed and build a fresh schema in it.
    let (dir, path) = temp_path();
    std::fs::write(&path, b"").expect("writing an empty file");
    let err = Store::open(&path, PASS).expect_err("an empty file is not a Rightsdesk database");
    assert!(matches!(err, StoreError::Corrupt), "an empty file is reported as damaged: {err:?}");
    assert_eq!(
        std::fs::metadata(&path).expect("the file is still there").len(),
        0,
        "opening must never create a database, not even inside an existing empty file"
    );
    assert_eq!(snapshot(dir.path()).len(), 1, "and no WAL or other file appears beside it");
}
