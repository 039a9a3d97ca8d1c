//! `case_timeline`: append-only. Triggers refuse any UPDATE or DELETE, so no code path (ours or a
//! future one) can silently rewrite what was recorded; corrections are new entries.
use crate::Result;
use crate::row::{date, parse_code, parse_date, parse_id, parse_opt_id, parse_time, time};
use rightsdesk_domain::ids::{CaseId, EntryId};
use rightsdesk_domain::timeline::{Entry, EntryKind};
use rightsdesk_domain::workflow::Status;
use rusqlite::{Connection, params};

pub(crate) const MIGRATION_4: &str = "
CREATE TABLE case_timeline (
    id           TEXT PRIMARY KEY NOT NULL,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    action_type  TEXT,
    occurred_on  TEXT NOT NULL,
    text         TEXT NOT NULL,
    corrects     TEXT REFERENCES case_timeline (id),
    status_from  TEXT,
    status_to    TEXT,
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    device_id    TEXT NOT NULL
) STRICT;
CREATE INDEX case_timeline_by_case ON case_timeline (case_id, created_at);
CREATE TRIGGER case_timeline_is_append_only_update BEFORE UPDATE ON case_timeline
BEGIN SELECT RAISE(ABORT, 'timeline entries are never rewritten: add a correction'); END;
CREATE TRIGGER case_timeline_is_append_only_delete BEFORE DELETE ON case_timeline
BEGIN SELECT RAISE(ABORT, 'timeline entries are never deleted: add a correction'); END;
";

pub fn append(conn: &Connection, e: &Entry) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_timeline (id, case_id, kind, action_type, occurred_on, text, corrects, status_from,
            status_to, author, created_at, device_id, referral)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        e.id.to_string(),
        e.case_id.to_string(),
        e.kind.as_str(),
        e.action_type,
        date(e.occurred_on),
        e.text,
        e.corrects.map(|c| c.to_string()),
        e.status_from.map(|s| s.as_str()),
        e.status_to.map(|s| s.as_str()),
        e.author,
        time(e.created_at),
        e.device_id.to_string(),
        e.referral.as_ref().map(|m| serde_json::to_string(m).unwrap_or_default()),
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: EntryId) -> Result<Option<Entry>> {
    Ok(of_query(conn, "WHERE id = ?1", &id.to_string())?.into_iter().next())
}

/// Whether an entry is held.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM case_timeline WHERE id = ?1")?.exists([id])?)
}

/// A case's timeline, oldest first.
pub fn of_case(conn: &Connection, case: CaseId) -> Result<Vec<Entry>> {
    of_query(conn, "WHERE case_id = ?1 ORDER BY created_at, id", &case.to_string())
}

fn of_query(conn: &Connection, filter: &str, key: &str) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, case_id, kind, action_type, occurred_on, text, corrects, status_from, status_to, author,
                created_at, device_id, referral
         FROM case_timeline {filter}"
    ))?;
    let rows = stmt.query_map([key], |r| {
        let status = |s: Option<String>| s.map(|s| parse_code(&s, Status::parse)).transpose();
        Ok(Entry {
            id: parse_id(&r.get::<_, String>(0)?)?,
            case_id: parse_id(&r.get::<_, String>(1)?)?,
            kind: parse_code(&r.get::<_, String>(2)?, EntryKind::parse)?,
            action_type: r.get(3)?,
            occurred_on: parse_date(&r.get::<_, String>(4)?)?,
            text: r.get(5)?,
            corrects: parse_opt_id(r.get(6)?)?,
            status_from: status(r.get(7)?)?,
            status_to: status(r.get(8)?)?,
            author: r.get(9)?,
            created_at: parse_time(&r.get::<_, String>(10)?)?,
            device_id: parse_id(&r.get::<_, String>(11)?)?,
            referral: r
                .get::<_, Option<String>>(12)?
                .map(|s| {
                    serde_json::from_str(&s).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            12,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })
                })
                .transpose()?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The case an entry belongs to, if the entry exists.
pub fn case_of(conn: &Connection, entry: &str) -> Result<Option<CaseId>> {
    use rusqlite::OptionalExtension;
    let id: Option<String> = conn
        .prepare_cached("SELECT case_id FROM case_timeline WHERE id = ?1")?
        .query_row([entry], |r| r.get(0))
        .optional()?;
    Ok(id.map(|s| parse_id(&s)).transpose()?)
}
