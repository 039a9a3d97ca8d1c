//! The sync tables: every change this office holds (`sync_changes`, the source the case and activity
//! tables are derived from), open conflicts, this device's keys, the trust registry, what each peer
//! has acknowledged, and the bundles sent and received.
//!
//! Changes are kept as the JSON the sync crate writes (`body`); the columns beside it are what
//! lookups need. The store does not interpret bodies: `crates/app` does, with `rightsdesk-sync`.
use crate::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) const MIGRATION_9: &str = "
CREATE TABLE sync_device (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    signing_secret  TEXT NOT NULL,     -- base64 Ed25519 secret key
    age_secret      TEXT NOT NULL,     -- AGE-SECRET-KEY-1...
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE sync_changes (
    seq     INTEGER PRIMARY KEY,       -- arrival order in this database
    origin  TEXT NOT NULL,             -- the device that made the change
    n       INTEGER NOT NULL CHECK (n > 0),
    kind    TEXT NOT NULL,
    record  TEXT NOT NULL,
    body    TEXT NOT NULL,             -- the change as JSON
    UNIQUE (origin, n)
) STRICT;
CREATE INDEX sync_changes_by_record ON sync_changes (record);
CREATE TRIGGER sync_changes_are_never_rewritten BEFORE UPDATE ON sync_changes
BEGIN SELECT RAISE(ABORT, 'changes are never rewritten'); END;
CREATE TRIGGER sync_changes_are_never_deleted BEFORE DELETE ON sync_changes
BEGIN SELECT RAISE(ABORT, 'changes are never deleted'); END;

CREATE TABLE sync_conflicts (
    record      TEXT NOT NULL,
    field       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    case_id     TEXT,                  -- the case it belongs to, for the queue
    candidates  TEXT NOT NULL,         -- JSON: [{change, at, value}], shown value first
    PRIMARY KEY (record, field)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_registry (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    issuer       TEXT NOT NULL,        -- the central office's device id
    issuer_key   TEXT NOT NULL,        -- its public key, pinned at the first import
    version      INTEGER NOT NULL,
    file         BLOB NOT NULL,        -- the signed registry as received or issued
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE sync_peers (
    device       TEXT PRIMARY KEY NOT NULL,
    have         TEXT NOT NULL,        -- JSON {origin: n}: what the peer acknowledged holding
    sent_n       INTEGER NOT NULL,     -- bundles addressed to it so far
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE sync_sent (
    seq          INTEGER PRIMARY KEY,  -- this device's bundle number
    hash         TEXT NOT NULL,
    recipients   TEXT NOT NULL,        -- JSON [{device, n}]
    scope        TEXT NOT NULL,
    changes      INTEGER NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE sync_received (
    sender       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    n            INTEGER NOT NULL,     -- the sender's count of bundles to this office
    hash         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    report       TEXT NOT NULL,        -- JSON import report
    PRIMARY KEY (sender, seq)
) STRICT, WITHOUT ROWID;
";

/// This device's stored secrets.
pub fn device_secrets(conn: &Connection) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row("SELECT signing_secret, age_secret FROM sync_device WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub fn put_device_secrets(conn: &Connection, signing: &str, age: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_device (id, signing_secret, age_secret, created_at) VALUES (1, ?1, ?2, ?3)",
        params![signing, age, now],
    )?;
    Ok(())
}

/// A change as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub origin: String,
    pub n: i64,
    pub kind: String,
    pub record: String,
    pub body: String,
}

pub fn insert_change(conn: &Connection, c: &ChangeRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_changes (origin, n, kind, record, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![c.origin, c.n, c.kind, c.record, c.body])?;
    Ok(())
}

/// The bodies of every change of one record.
pub fn changes_of(conn: &Connection, record: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM sync_changes WHERE record = ?1 ORDER BY origin, n")?;
    let rows = stmt.query_map([record], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether any change of `record` is held.
pub fn holds_record(conn: &Connection, record: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM sync_changes WHERE record = ?1 LIMIT 1")?.exists([record])?)
}

/// The highest change number held per origin.
pub fn have(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT origin, max(n) FROM sync_changes GROUP BY origin ORDER BY origin")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The bodies of `origin`'s changes numbered above `after`, in order.
pub fn changes_after(conn: &Connection, origin: &str, after: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM sync_changes WHERE origin = ?1 AND n > ?2 ORDER BY n")?;
    let rows = stmt.query_map(params![origin, after], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every record id held, with its kind, sorted by kind then id.
pub fn records(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT DISTINCT kind, record FROM sync_changes ORDER BY kind, record")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every change body, grouped by record in `(kind, record)` order (for the state digest).
pub fn for_each_record(conn: &Connection, mut f: impl FnMut(&str, Vec<String>) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT record, body FROM sync_changes ORDER BY kind, record, origin, n")?;
    let mut rows = stmt.query([])?;
    let mut current: Option<String> = None;
    let mut bodies = Vec::new();
    while let Some(r) = rows.next()? {
        let record: String = r.get(0)?;
        if current.as_deref() != Some(record.as_str()) {
            if let Some(done) = current.take() {
                f(&done, std::mem::take(&mut bodies))?;
            }
            current = Some(record);
        }
        bodies.push(r.get(1)?);
    }
    if let Some(done) = current {
        f(&done, bodies)?;
    }
    Ok(())
}

/// An open conflict as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub record: String,
    pub field: String,
    pub kind: String,
    pub case_id: Option<String>,
    pub candidates: String,
}

/// Replaces the open conflicts of one record.
pub fn set_conflicts(conn: &Connection, record: &str, rows: &[ConflictRow]) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_conflicts WHERE record = ?1")?.execute([record])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sync_conflicts (record, field, kind, case_id, candidates) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in rows {
        stmt.execute(params![c.record, c.field, c.kind, c.case_id, c.candidates])?;
    }
    Ok(())
}

pub fn conflicts(conn: &Connection) -> Result<Vec<ConflictRow>> {
    let mut stmt = conn.prepare(
        "SELECT record, field, kind, case_id, candidates FROM sync_conflicts ORDER BY case_id, record, field",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ConflictRow {
            record: r.get(0)?,
            field: r.get(1)?,
            kind: r.get(2)?,
            case_id: r.get(3)?,
            candidates: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn conflicts_of_case(conn: &Connection, case_id: &str) -> Result<Vec<ConflictRow>> {
    Ok(conflicts(conn)?.into_iter().filter(|c| c.case_id.as_deref() == Some(case_id)).collect())
}

pub fn conflict_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_conflicts", [], |r| r.get(0))?)
}

/// The stored registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub issuer: String,
    pub issuer_key: String,
    pub version: i64,
    pub file: Vec<u8>,
}

pub fn registry(conn: &Connection) -> Result<Option<RegistryRow>> {
    Ok(conn
        .query_row("SELECT issuer, issuer_key, version, file FROM sync_registry WHERE id = 1", [], |r| {
            Ok(RegistryRow { issuer: r.get(0)?, issuer_key: r.get(1)?, version: r.get(2)?, file: r.get(3)? })
        })
        .optional()?)
}

pub fn put_registry(
    conn: &Connection,
    issuer: &str,
    key: &str,
    version: i64,
    file: &[u8],
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_registry (id, issuer, issuer_key, version, file, updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET issuer = ?1, issuer_key = ?2, version = ?3, file = ?4, updated_at = ?5",
        params![issuer, key, version, file, now],
    )?;
    Ok(())
}

/// What a peer acknowledged (`have` JSON) and how many bundles were addressed to it.
pub fn peer(conn: &Connection, device: &str) -> Result<Option<(String, i64)>> {
    Ok(conn
        .query_row("SELECT have, sent_n FROM sync_peers WHERE device = ?1", [device], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

pub fn put_peer(conn: &Connection, device: &str, have: &str, sent_n: i64, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_peers (device, have, sent_n, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (device) DO UPDATE SET have = ?2, sent_n = ?3, updated_at = ?4",
        params![device, have, sent_n, now],
    )?;
    Ok(())
}

/// A bundle this device sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRow {
    pub seq: i64,
    pub hash: String,
    pub recipients: String,
    pub scope: String,
    pub changes: i64,
    pub created_at: String,
}

pub fn last_sent(conn: &Connection) -> Result<Option<SentRow>> {
    Ok(sent(conn)?.into_iter().next())
}

pub fn insert_sent(conn: &Connection, s: &SentRow) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_sent (seq, hash, recipients, scope, changes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.seq, s.hash, s.recipients, s.scope, s.changes, s.created_at],
    )?;
    Ok(())
}

/// Bundles sent, newest first.
pub fn sent(conn: &Connection) -> Result<Vec<SentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, hash, recipients, scope, changes, created_at FROM sync_sent ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SentRow {
            seq: r.get(0)?,
            hash: r.get(1)?,
            recipients: r.get(2)?,
            scope: r.get(3)?,
            changes: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A bundle this office imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRow {
    pub sender: String,
    pub seq: i64,
    pub n: i64,
    pub hash: String,
    pub created_at: String,
    pub imported_at: String,
    pub report: String,
}

pub fn insert_received(conn: &Connection, r: &ReceivedRow) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_received (sender, seq, n, hash, created_at, imported_at, report)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.sender, r.seq, r.n, r.hash, r.created_at, r.imported_at, r.report],
    )?;
    Ok(())
}

/// Bundles imported, newest first (all senders, or one).
pub fn received(conn: &Connection, sender: Option<&str>) -> Result<Vec<ReceivedRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sender, seq, n, hash, created_at, imported_at, report FROM sync_received
         WHERE ?1 IS NULL OR sender = ?1 ORDER BY imported_at DESC, sender, seq DESC",
    )?;
    let rows = stmt.query_map([sender], |r| {
        Ok(ReceivedRow {
            sender: r.get(0)?,
            seq: r.get(1)?,
            n: r.get(2)?,
            hash: r.get(3)?,
            created_at: r.get(4)?,
            imported_at: r.get(5)?,
            report: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The highest bundle number imported from `sender`, with its hash.
pub fn last_received(conn: &Connection, sender: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM sync_received WHERE sender = ?1 ORDER BY seq DESC LIMIT 1",
            [sender],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The hash of bundle `seq` from `sender`, if imported.
pub fn received_hash(conn: &Connection, sender: &str, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT hash FROM sync_received WHERE sender = ?1 AND seq = ?2",
            params![sender, seq],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records in the case and activity tables that no change describes yet (written before this
/// version, which introduced sync): `(kind, id)`.
pub fn unsynced(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for (kind, table) in [
        ("activity", "activities"),
        ("case", "cases"),
        ("act", "case_acts"),
        ("entry", "case_timeline"),
        ("task", "case_tasks"),
    ] {
        let sql = format!(
            "SELECT id FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM sync_changes c WHERE c.record = t.id)"
        );
        let mut stmt = conn.prepare(&sql)?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        out.extend(ids.into_iter().map(|id| (kind, id)));
    }
    Ok(out)
}

/// The highest change number this office holds from `origin` (0 if none).
pub fn last_n(conn: &Connection, origin: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(n), 0) FROM sync_changes WHERE origin = ?1")?
        .query_row([origin], |r| r.get(0))?)
}

/// The stored body of change `origin:n`, if held.
pub fn change_body(conn: &Connection, origin: &str, n: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM sync_changes WHERE origin = ?1 AND n = ?2")?
        .query_row(params![origin, n], |r| r.get(0))
        .optional()?)
}

/// Rows whose foreign keys point at nothing, as `(table, referenced table)` (inside a transaction
/// with deferred foreign keys, before commit).
pub fn dangling_references(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))?;
    let mut out: Vec<(String, String)> = rows.collect::<rusqlite::Result<_>>()?;
    out.dedup();
    Ok(out)
}

/// The stored bodies of `origin`'s changes numbered `lo..=hi`, as `(n, body)`.
pub fn change_bodies(conn: &Connection, origin: &str, lo: i64, hi: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT n, body FROM sync_changes WHERE origin = ?1 AND n BETWEEN ?2 AND ?3")?;
    let rows = stmt.query_map(params![origin, lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
