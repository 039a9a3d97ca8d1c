//! `case_tasks`: follow-up tasks with due dates. A task is completed once and stays completed.
use crate::Result;
use crate::row::{date, parse_date, parse_id, parse_opt_time, parse_time, time};
use chrono::{DateTime, NaiveDate, Utc};
use rightsdesk_domain::ids::{CaseId, DeviceId, TaskId};
use rightsdesk_domain::task::Task;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub(crate) const MIGRATION_5: &str = "
CREATE TABLE case_tasks (
    id          TEXT PRIMARY KEY NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    title       TEXT NOT NULL,
    due         TEXT NOT NULL,
    assignee    TEXT NOT NULL,
    done_at     TEXT,
    done_by     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    device_id   TEXT NOT NULL
) STRICT;
CREATE INDEX case_tasks_by_case ON case_tasks (case_id, due);
CREATE INDEX case_tasks_open_by_due ON case_tasks (due, case_id) WHERE done_at IS NULL;
";

/// The "overdue" filter looks up each listed case's open tasks: this index answers it alone.
pub(crate) const MIGRATION_7: &str = "
CREATE INDEX case_tasks_open_by_case ON case_tasks (case_id, due) WHERE done_at IS NULL;
";

pub fn insert(conn: &Connection, t: &Task) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_tasks (id, case_id, title, due, assignee, done_at, done_by, created_at, updated_at, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
    )?
    .execute(params![
        t.id.to_string(),
        t.case_id.to_string(),
        t.title,
        date(t.due),
        t.assignee,
        t.done_at.map(time),
        t.done_by,
        time(t.created_at),
        t.device_id.to_string(),
    ])?;
    Ok(())
}

/// Writes a task as derived by sync (inserted, or its completion replaced).
pub fn put(conn: &Connection, t: &Task, updated_at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_tasks (id, case_id, title, due, assignee, done_at, done_by, created_at, updated_at, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?9)
         ON CONFLICT (id) DO UPDATE SET done_at = excluded.done_at, done_by = excluded.done_by,
             updated_at = excluded.updated_at, device_id = excluded.device_id",
    )?
    .execute(params![
        t.id.to_string(),
        t.case_id.to_string(),
        t.title,
        date(t.due),
        t.assignee,
        t.done_at.map(time),
        t.done_by,
        time(t.created_at),
        t.device_id.to_string(),
        time(updated_at),
    ])?;
    Ok(())
}

/// Marks a task done. Returns false if it was already done (completing twice changes nothing).
pub fn complete(
    conn: &Connection,
    id: TaskId,
    by: &str,
    at: DateTime<Utc>,
    device: DeviceId,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE case_tasks SET done_at = ?2, done_by = ?3, updated_at = ?2, device_id = ?4
             WHERE id = ?1 AND done_at IS NULL",
        )?
        .execute(params![id.to_string(), time(at), by, device.to_string()])?;
    Ok(n == 1)
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Task> {
    Ok(Task {
        id: parse_id(&r.get::<_, String>(0)?)?,
        case_id: parse_id(&r.get::<_, String>(1)?)?,
        title: r.get(2)?,
        due: parse_date(&r.get::<_, String>(3)?)?,
        assignee: r.get(4)?,
        done_at: parse_opt_time(r.get(5)?)?,
        done_by: r.get(6)?,
        created_at: parse_time(&r.get::<_, String>(7)?)?,
        device_id: parse_id(&r.get::<_, String>(8)?)?,
    })
}

const COLUMNS: &str = "id, case_id, title, due, assignee, done_at, done_by, created_at, device_id";

pub fn get(conn: &Connection, id: TaskId) -> Result<Option<Task>> {
    let sql = format!("SELECT {COLUMNS} FROM case_tasks WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id.to_string()], read).optional()?)
}

/// A case's tasks: open ones by due date, then done ones.
pub fn of_case(conn: &Connection, case: CaseId) -> Result<Vec<Task>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM case_tasks WHERE case_id = ?1 ORDER BY done_at IS NOT NULL, due, created_at, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([case.to_string()], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An open task with its case's number, for the "due and overdue" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueTask {
    #[serde(flatten)]
    pub task: Task,
    pub case_number: String,
    pub overdue: bool,
}

/// Open tasks due on or before `until`, oldest due first.
pub fn due(conn: &Connection, until: NaiveDate, today: NaiveDate, limit: u32) -> Result<Vec<DueTask>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.case_id, t.title, t.due, t.assignee, t.done_at, t.done_by, t.created_at, t.device_id, c.number
         FROM case_tasks t JOIN cases c ON c.id = t.case_id
         WHERE t.done_at IS NULL AND t.due <= ?1 ORDER BY t.due, t.created_at, t.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![date(until), limit], |r| {
        let task = read(r)?;
        let overdue = task.is_overdue(today);
        Ok(DueTask { task, case_number: r.get(9)?, overdue })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
