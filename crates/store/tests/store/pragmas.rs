//! The connection settings every opened store runs with (see `Store::unlock`).
use super::support::{PASS, new_store};
use rightsdesk_store::{CACHE_KIB, Store};

fn pragma<T: rusqlite::types::FromSql>(store: &Store, name: &str) -> T {
    store.conn().pragma_query_value(None, name, |r| r.get(0)).unwrap_or_else(|e| panic!("PRAGMA {name}: {e}"))
}

fn assert_settings(store: &Store, how: &str) {
    assert_eq!(
        pragma::<String>(store, "journal_mode"),
        "wal",
        "{how}: WAL lets the window read while a save is in progress"
    );
    assert_eq!(pragma::<i64>(store, "foreign_keys"), 1, "{how}: references between tables are enforced");
    assert_eq!(pragma::<i64>(store, "synchronous"), 2, "{how}: FULL: a saved case survives a power cut");
    assert_eq!(
        pragma::<i64>(store, "cache_size"),
        -CACHE_KIB,
        "{how}: the page cache is CACHE_KIB KiB (negative = KiB), which keeps decryption off the hot path"
    );
    assert_eq!(
        pragma::<i64>(store, "recursive_triggers"),
        1,
        "{how}: INSERT OR REPLACE fires DELETE triggers, so it cannot get around the append-only timeline"
    );
    assert_eq!(pragma::<i64>(store, "temp_store"), 2, "{how}: temporary tables stay in memory, not on disk");
    assert_eq!(pragma::<i64>(store, "busy_timeout"), 5000, "{how}: a second window waits instead of failing");
    assert_eq!(
        pragma::<i64>(store, "wal_autocheckpoint"),
        0,
        "{how}: saving never pays for a checkpoint; the owner runs Store::checkpoint when idle"
    );
}

#[test]
fn a_checkpoint_empties_the_log_and_keeps_every_saved_row() {
    use super::support::{insert_case, sample_case};
    let (dir, mut store) = new_store();
    let mut ids = rightsdesk_domain::ids::IdGen::seeded(3);
    for seq in 1..=40 {
        let case = sample_case(&mut ids, seq, "Arta Gashi");
        insert_case(&mut store, &mut ids, &case);
    }
    let wal = store.path().with_extension("db-wal");
    let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(before > 0, "without automatic checkpoints the saves are in the log");
    assert_eq!(store.checkpoint().expect("checkpoint"), 0, "nothing is left to copy after a checkpoint");
    let cases: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    assert_eq!(cases, 40, "the checkpoint keeps every saved case");
    let path = store.path().to_path_buf();
    drop(store);
    let store = Store::open(&path, PASS).expect("reopening after a checkpoint");
    let cases: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    assert_eq!(cases, 40, "and they are all there after reopening");
    drop(dir);
}

#[test]
fn created_and_opened_stores_run_with_the_same_settings() {
    let (dir, store) = new_store();
    assert_settings(&store, "after create");
    let path = store.path().to_path_buf();
    drop(store);
    let store = Store::open(&path, PASS).expect("reopening");
    assert_settings(&store, "after open");
    drop(dir);
}
