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
