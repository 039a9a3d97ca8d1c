//! `activities` (trainings, round tables, outreach meetings) and `activity_attendance` (counts by
//! community and gender, never names).
use crate::row::{date, opt_date, parse_code, parse_date, parse_id, parse_opt_date, parse_time, time};
use crate::{Result, StoreError};
use chrono::NaiveDate;
use rightsdesk_domain::activity::{Activity, ActivityDraft, ActivityKind, AttendanceRow, Counts};
use rightsdesk_domain::ids::ActivityId;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

pub(crate) const MIGRATION_2: &str = "
CREATE TABLE activities (
    id                TEXT PRIMARY KEY NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('training', 'round_table', 'outreach')),
    title             TEXT NOT NULL,
    date_from         TEXT NOT NULL,
    date_to           TEXT,
    venue             TEXT NOT NULL,
    municipality      TEXT NOT NULL,
    organiser         TEXT NOT NULL,
    trainers          TEXT NOT NULL,
    topics            TEXT NOT NULL,
    target_groups     TEXT NOT NULL,   -- JSON array of target_groups codes
    format            TEXT,
    issues_raised     TEXT NOT NULL,
    notes             TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by_device TEXT NOT NULL,
    device_id         TEXT NOT NULL
) STRICT;
CREATE INDEX activities_by_date ON activities (date_from DESC);
CREATE INDEX activities_by_kind ON activities (kind, date_from DESC);

CREATE TABLE activity_attendance (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    community   TEXT NOT NULL,
    female      INTEGER NOT NULL CHECK (female >= 0),
    male        INTEGER NOT NULL CHECK (male >= 0),
    other       INTEGER NOT NULL CHECK (other >= 0),
    not_stated  INTEGER NOT NULL CHECK (not_stated >= 0),
    PRIMARY KEY (activity_id, community)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_attendance_by_community ON activity_attendance (community, activity_id);
";

/// Writes an activity whole: inserts it, or replaces an existing one's fields and attendance.
pub fn upsert(conn: &Connection, a: &Activity) -> Result<()> {
    let d = &a.draft;
    let groups = serde_json::to_string(&d.target_groups).map_err(|e| StoreError::BadValue(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO activities (id, kind, title, date_from, date_to, venue, municipality, organiser, trainers,
             topics, target_groups, format, issues_raised, notes, created_at, updated_at, created_by_device, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
             date_from = excluded.date_from, date_to = excluded.date_to, venue = excluded.venue,
             municipality = excluded.municipality, organiser = excluded.organiser, trainers = excluded.trainers,
             topics = excluded.topics, target_groups = excluded.target_groups, format = excluded.format,
             issues_raised = excluded.issues_raised, notes = excluded.notes,
             updated_at = excluded.updated_at, device_id = excluded.device_id",
    )?
    .execute(params![
        a.id.to_string(),
        d.kind.as_str(),
        d.title,
        date(d.date_from),
        opt_date(d.date_to),
        d.venue,
        d.municipality,
        d.organiser,
        d.trainers,
        d.topics,
        groups,
        d.format,
        d.issues_raised,
        d.notes,
        time(a.created_at),
        time(a.updated_at),
        a.device_id.to_string(),
    ])?;
    conn.prepare_cached("DELETE FROM activity_attendance WHERE activity_id = ?1")?
        .execute([a.id.to_string()])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO activity_attendance (activity_id, community, female, male, other, not_stated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for row in &d.attendance {
        let c = row.counts;
        ins.execute(params![a.id.to_string(), row.community, c.female, c.male, c.other, c.not_stated])?;
    }
    Ok(())
}

const COLUMNS: &str = "id, kind, title, date_from, date_to, venue, municipality, organiser, trainers, topics,
    target_groups, format, issues_raised, notes, created_at, updated_at, device_id";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    let groups: String = r.get(10)?;
    Ok(Activity {
        id: parse_id(&r.get::<_, String>(0)?)?,
        draft: ActivityDraft {
            kind: parse_code(&r.get::<_, String>(1)?, ActivityKind::parse)?,
            title: r.get(2)?,
            date_from: parse_date(&r.get::<_, String>(3)?)?,
            date_to: parse_opt_date(r.get(4)?)?,
            venue: r.get(5)?,
            municipality: r.get(6)?,
            organiser: r.get(7)?,
            trainers: r.get(8)?,
            topics: r.get(9)?,
            target_groups: serde_json::from_str(&groups).unwrap_or_default(),
            format: r.get(11)?,
            issues_raised: r.get(12)?,
            notes: r.get(13)?,
            attendance: Vec::new(),
        },
        created_at: parse_time(&r.get::<_, String>(14)?)?,
        updated_at: parse_time(&r.get::<_, String>(15)?)?,
        device_id: parse_id(&r.get::<_, String>(16)?)?,
    })
}

fn attendance(conn: &Connection, id: &ActivityId) -> Result<Vec<AttendanceRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT community, female, male, other, not_stated FROM activity_attendance
         WHERE activity_id = ?1 ORDER BY community",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok(AttendanceRow {
            community: r.get(0)?,
            counts: Counts { female: r.get(1)?, male: r.get(2)?, other: r.get(3)?, not_stated: r.get(4)? },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &ActivityId) -> Result<Option<Activity>> {
    let sql = format!("SELECT {COLUMNS} FROM activities WHERE id = ?1");
    let Some(mut a) = conn.prepare_cached(&sql)?.query_row([id.to_string()], read).optional()? else {
        return Ok(None);
    };
    a.draft.attendance = attendance(conn, id)?;
    Ok(Some(a))
}

pub fn exists(conn: &Connection, id: &ActivityId) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM activities WHERE id = ?1")?.exists([id.to_string()])?)
}

/// Filters of the activities list; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityFilter {
    /// Words to find in title, venue, topics, organiser and issues raised.
    pub text: Option<String>,
    pub kinds: Vec<ActivityKind>,
    pub municipality: Option<String>,
    pub community: Option<String>,
    pub target_group: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub offset: u32,
    pub limit: u32,
}

/// One line of the activities list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivitySummary {
    pub id: ActivityId,
    pub kind: ActivityKind,
    pub title: String,
    pub date_from: NaiveDate,
    pub date_to: Option<NaiveDate>,
    pub venue: String,
    pub municipality: String,
    pub attendance_total: i64,
    pub attendance_female: i64,
    pub communities: Vec<String>,
    pub linked_cases: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityPage {
    pub items: Vec<ActivitySummary>,
    pub total: i64,
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub fn list(conn: &Connection, f: &ActivityFilter) -> Result<ActivityPage> {
    let mut wh = vec!["1 = 1".to_string()];
    let mut args: Vec<Value> = Vec::new();
    if !f.kinds.is_empty() {
        let marks: Vec<_> = f
            .kinds
            .iter()
            .map(|k| {
                args.push(Value::Text(k.as_str().into()));
                "?"
            })
            .collect();
        wh.push(format!("a.kind IN ({})", marks.join(",")));
    }
    if let Some(m) = f.municipality.as_deref().filter(|s| !s.is_empty()) {
        wh.push("a.municipality = ?".into());
        args.push(Value::Text(m.into()));
    }
    if let Some(c) = f.community.as_deref().filter(|s| !s.is_empty()) {
        wh.push(
            "EXISTS (SELECT 1 FROM activity_attendance x WHERE x.activity_id = a.id AND x.community = ?)"
                .into(),
        );
        args.push(Value::Text(c.into()));
    }
    if let Some(g) = f.target_group.as_deref().filter(|s| !s.is_empty()) {
        wh.push("EXISTS (SELECT 1 FROM json_each(a.target_groups) j WHERE j.value = ?)".into());
        args.push(Value::Text(g.into()));
    }
    if let Some(d) = f.from {
        wh.push("coalesce(a.date_to, a.date_from) >= ?".into());
        args.push(Value::Text(date(d)));
    }
    if let Some(d) = f.to {
        wh.push("a.date_from <= ?".into());
        args.push(Value::Text(date(d)));
    }
    for word in f.text.as_deref().unwrap_or("").split_whitespace().take(8) {
        wh.push(
            "(a.title || ' ' || a.venue || ' ' || a.topics || ' ' || a.organiser || ' ' || a.issues_raised)
             LIKE ? ESCAPE '\\'"
                .into(),
        );
        args.push(Value::Text(format!("%{}%", escape_like(word))));
    }
    let wh = wh.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM activities a WHERE {wh}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let limit = if f.limit == 0 { 50 } else { f.limit.min(500) };
    let sql = format!(
        "SELECT a.id, a.kind, a.title, a.date_from, a.date_to, a.venue, a.municipality,
            (SELECT coalesce(sum(female + male + other + not_stated), 0) FROM activity_attendance x WHERE x.activity_id = a.id),
            (SELECT coalesce(sum(female), 0) FROM activity_attendance x WHERE x.activity_id = a.id),
            (SELECT coalesce(group_concat(community, ','), '') FROM activity_attendance x
                WHERE x.activity_id = a.id AND female + male + other + not_stated > 0),
            (SELECT count(*) FROM cases c WHERE c.source_activity = a.id)
         FROM activities a WHERE {wh}
         ORDER BY a.date_from DESC, a.id DESC LIMIT {limit} OFFSET {}",
        f.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            let communities: String = r.get(9)?;
            Ok(ActivitySummary {
                id: parse_id(&r.get::<_, String>(0)?)?,
                kind: parse_code(&r.get::<_, String>(1)?, ActivityKind::parse)?,
                title: r.get(2)?,
                date_from: parse_date(&r.get::<_, String>(3)?)?,
                date_to: parse_opt_date(r.get(4)?)?,
                venue: r.get(5)?,
                municipality: r.get(6)?,
                attendance_total: r.get(7)?,
                attendance_female: r.get(8)?,
                communities: communities.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
                linked_cases: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ActivityPage { items, total })
}
