//! Counts per table, for `rightsdesk stats` and the status bar.
use crate::Result;
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub cases: i64,
    pub open_cases: i64,
    pub acts: i64,
    pub timeline_entries: i64,
    pub tasks: i64,
    pub open_tasks: i64,
    pub trainings: i64,
    pub round_tables: i64,
    pub outreach_meetings: i64,
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM cases),
                (SELECT count(*) FROM cases WHERE status <> 'closed'),
                (SELECT count(*) FROM case_acts),
                (SELECT count(*) FROM case_timeline),
                (SELECT count(*) FROM case_tasks),
                (SELECT count(*) FROM case_tasks WHERE done_at IS NULL),
                (SELECT count(*) FROM activities WHERE kind = 'training'),
                (SELECT count(*) FROM activities WHERE kind = 'round_table'),
                (SELECT count(*) FROM activities WHERE kind = 'outreach')",
        [],
        |r| {
            Ok(Counts {
                cases: r.get(0)?,
                open_cases: r.get(1)?,
                acts: r.get(2)?,
                timeline_entries: r.get(3)?,
                tasks: r.get(4)?,
                open_tasks: r.get(5)?,
                trainings: r.get(6)?,
                round_tables: r.get(7)?,
                outreach_meetings: r.get(8)?,
            })
        },
    )?)
}
