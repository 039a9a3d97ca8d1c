//! What reaches the disk is ciphertext: a lost or stolen laptop must not give away who
//! complained about what.
use super::support::{PASS, contains, insert_case, new_store, sample_case};
use rightsdesk_domain::ids::IdGen;
use rightsdesk_store::{DB_FILE, Store, cases};

/// Distinctive texts of the sample case, as written and as the search index folds them.
const SECRETS: &[&str] = &["Xhevdet Qorrolli", "qorrolli", "xhevdet", "Zymberaj-Mustafaj", "zymberaj"];

fn assert_no_secret(bytes: &[u8], file: &str, when: &str) {
    for secret in SECRETS {
        assert!(
            !contains(bytes, secret.as_bytes()),
            "{secret:?} must not appear in clear in {file} {when}: the file is encrypted page by page"
        );
    }
}

#[test]
fn names_and_narratives_never_reach_the_disk_in_clear() {
    let (dir, mut store) = new_store();
    let mut ids = IdGen::seeded(10);
    let mut case = sample_case(&mut ids, 1, "Xhevdet Qorrolli");
    case.draft.acts[0].narrative = "The landlord Zymberaj-Mustafaj refused to rent the flat.".into();
    insert_case(&mut store, &mut ids, &case);
    let read = cases::get(store.conn(), case.id).expect("reading the case");
    assert_eq!(
        read.map(|c| c.draft.person.name),
        Some(Some("Xhevdet Qorrolli".into())),
        "the secret is really stored (else this test would prove nothing)"
    );

    let db = dir.path().join(DB_FILE);
    let wal = dir.path().join(format!("{DB_FILE}-wal"));
    let wal_bytes = std::fs::read(&wal).expect("a WAL file while the store is open");
    assert!(!wal_bytes.is_empty(), "the committed case sits in the WAL, which must be checked too");
    assert_no_secret(&wal_bytes, "the WAL", "while the store is open");
    assert_no_secret(&std::fs::read(&db).expect("reading the db"), "the database", "while the store is open");

    drop(store);
    let db_bytes = std::fs::read(&db).expect("reading the db");
    assert_no_secret(&db_bytes, "the database", "after closing");
    assert!(
        !db_bytes.starts_with(b"SQLite format 3\0"),
        "even the SQLite header is encrypted, so the file does not say what it is"
    );
    assert!(
        !wal.exists() || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0,
        "the WAL is folded in"
    );
    let store = Store::open(&db, PASS).expect("reopening");
    assert!(cases::get(store.conn(), case.id).expect("reading").is_some(), "and the case reads back");
}
