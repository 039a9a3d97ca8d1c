//! Finding cases: the case list with its filters, and full-text search (SQLite FTS5) over case
//! numbers, the person's name and contact, and the acts' narratives, places and respondents.
//!
//! The index `case_search` is keyed by `cases.seq` and rewritten in the same transaction as the
//! case, so it is never out of step. Text is folded by [`search_key::fold`] on both sides
//! (Cyrillic to Latin, `đ` to `dj`) and the tokenizer drops diacritics, so "Gjakove" finds
//! "Gjakovë". Every query word is a prefix ("Kras" finds "Krasniqi").
use crate::Result;
use crate::row::{date, parse_code, parse_date, parse_id};
use chrono::NaiveDate;
use rightsdesk_domain::case::{Case, Risk};
use rightsdesk_domain::case_number::CaseNumber;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::search_key;
use rightsdesk_domain::workflow::Status;
use rusqlite::{Connection, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

pub(crate) const MIGRATION_6: &str = "
CREATE VIRTUAL TABLE case_search USING fts5 (
    number, person, facts,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
";

/// FTS5 merges its index segments as it goes; on a large index one save in a hundred paid for a
/// big merge (20+ ms). Automatic merging is off: [`tidy`] merges in small steps when the user is
/// idle (FTS5 still merges on its own if 16 segments pile up on one level).
pub(crate) const MIGRATION_8: &str = "
INSERT INTO case_search (case_search, rank) VALUES ('automerge', 0);
";

/// Idle work on the index: merges segments, writing at most `pages` pages. Cheap when there is
/// nothing to merge.
pub fn tidy(conn: &Connection, pages: u32) -> Result<()> {
    conn.prepare_cached("INSERT INTO case_search (case_search, rank) VALUES ('merge', ?1)")?
        .execute([pages])?;
    Ok(())
}

/// Merges the whole index into one segment (after bulk loading).
pub fn optimize(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO case_search (case_search) VALUES ('optimize')", [])?;
    Ok(())
}

/// Writes (or rewrites) the index entry of the case stored at row `seq`.
pub fn index_case(conn: &Connection, seq: i64, case: &Case) -> Result<()> {
    let number = match CaseNumber::parse(&case.number) {
        // "0042" and "42" both find case ...-0042.
        Some(n) => format!("{} {}", case.number, n.seq),
        None => case.number.clone(),
    };
    let p = &case.draft.person;
    let person =
        [p.name.as_deref(), p.contact.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let mut facts = String::new();
    for act in &case.draft.acts {
        for part in [
            act.narrative.as_str(),
            &act.place,
            &act.respondent_name,
            act.ground_other.as_deref().unwrap_or(""),
        ] {
            facts.push_str(part);
            facts.push('\n');
        }
    }
    conn.prepare_cached("DELETE FROM case_search WHERE rowid = ?1")?.execute([seq])?;
    conn.prepare_cached("INSERT INTO case_search (rowid, number, person, facts) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            seq,
            search_key::fold(&number),
            search_key::fold(&person),
            search_key::fold(&facts)
        ])?;
    Ok(())
}

/// The FTS5 query for what the user typed: every word must match, each as a prefix. Words are
/// quoted, so nothing the user types is read as FTS syntax.
pub fn match_expression(text: &str) -> Option<String> {
    let terms = search_key::query_terms(text);
    if terms.is_empty() {
        return None;
    }
    Some(terms.iter().map(|t| format!("\"{}\"*", t.replace('"', ""))).collect::<Vec<_>>().join(" "))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    /// Most recent intake first.
    #[default]
    IntakeDesc,
    IntakeAsc,
    /// Most recently changed first.
    UpdatedDesc,
    Number,
}

/// The case list's filters; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    /// Words to find (case number, names, narratives).
    pub text: Option<String>,
    /// Any of these statuses (empty: all).
    pub statuses: Vec<Status>,
    pub ground: Option<String>,
    pub area: Option<String>,
    pub community: Option<String>,
    pub officer: Option<String>,
    pub municipality: Option<String>,
    /// Intake date range, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only cases with a task past its due date.
    pub overdue: bool,
    pub sort: CaseSort,
    pub offset: u32,
    /// Page size; 0 means 50. At most 500.
    pub limit: u32,
}

/// One line of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub number: String,
    pub intake_date: NaiveDate,
    pub status: Status,
    pub person_name: Option<String>,
    pub gender: String,
    pub community: String,
    pub risk: Risk,
    pub assigned_officer: String,
    /// Grounds of all acts, without repeats.
    pub grounds: Vec<String>,
    pub areas: Vec<String>,
    pub open_tasks: i64,
    pub overdue_tasks: i64,
}

struct Query {
    from: &'static str,
    wh: Vec<String>,
    args: Vec<Value>,
    /// The full-text expression, when the filter has words to find.
    fts: Option<String>,
}

/// Above this many full-text matches, the list walks the sort index and keeps the matching cases
/// (a page fills after a few hundred rows) instead of reading and sorting every match; below it,
/// reading the few matches and sorting them is cheaper than walking the index.
const DENSE_MATCHES: i64 = 2_000;

/// Counts the words' matches: on the full-text index alone, no case is read.
const FTS_MATCHES: &str =
    "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ?1 LIMIT ?2)";

/// Runs a count query (`?1` = the value, `?2` = a cap) up to `cap` rows.
fn count_up_to(conn: &Connection, count_sql: &str, value: &str, cap: i64) -> Result<i64> {
    Ok(conn.prepare_cached(count_sql)?.query_row(params![value, cap], |r| r.get(0))?)
}

/// Whether a page should walk the sort order: the value matches more than `dense` rows
/// (`None`: never, as for counting).
fn walks(conn: &Connection, count_sql: &str, value: &str, dense: Option<i64>) -> Result<bool> {
    match dense {
        Some(limit) => Ok(count_up_to(conn, count_sql, value, limit.saturating_add(1))? > limit),
        None => Ok(false),
    }
}

/// `dense`: the number of matches above which a page walks the sort index (`None`: never, as
/// for counting).
fn build(conn: &Connection, f: &CaseFilter, today: NaiveDate, dense: Option<i64>) -> Result<Query> {
    let mut q = Query { from: "cases c", wh: Vec::new(), args: Vec::new(), fts: None };
    if let Some(m) = f.text.as_deref().and_then(match_expression) {
        if walks(conn, FTS_MATCHES, &m, dense)? {
            // `+` keeps SQLite from driving the query from the match set: it walks the sort order.
            q.wh.push("+c.seq IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)".into());
        } else {
            q.from = "case_search s JOIN cases c ON c.seq = s.rowid";
            q.wh.push("case_search MATCH ?".into());
        }
        q.args.push(Value::Text(m.clone()));
        q.fts = Some(m);
    }
    match f.statuses.as_slice() {
        [] => {}
        // One status: its index (status, intake_date) gives the rows already sorted.
        [one] => {
            q.wh.push("c.status = ?".into());
            q.args.push(Value::Text(one.as_str().into()));
        }
        // Several statuses usually cover most cases: walk the sort index and test each row.
        several => {
            let marks = vec!["?"; several.len()].join(", ");
            q.wh.push(format!("+c.status IN ({marks})"));
            q.args.extend(several.iter().map(|s| Value::Text(s.as_str().into())));
        }
    }
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    // Grounds and areas live on the acts, overdue tasks in their own table. A rare value: read
    // its few cases from the set and sort them. A common one: walk the sort order and look each
    // case up (a page fills after a few hundred). Never a correlated `EXISTS`: SQLite 3.51 turns
    // it into a join and then counts a case with several matching rows more than once against
    // OFFSET, so later pages skip cases (regression tests in crates/app/tests/app/search.rs); the
    // scalar look-up below is not rewritten that way.
    for (value, set, look_up, count_sql) in [
        (
            text(&f.ground),
            "c.id IN (SELECT g.case_id FROM case_act_grounds g WHERE g.ground = ?)",
            "(SELECT 1 FROM case_act_grounds g WHERE g.case_id = c.id AND g.ground = ? LIMIT 1) IS NOT NULL",
            "SELECT count(*) FROM (SELECT 1 FROM case_act_grounds WHERE ground = ?1 LIMIT ?2)",
        ),
        (
            text(&f.area),
            "c.id IN (SELECT a.case_id FROM case_acts a WHERE a.area = ?)",
            "(SELECT 1 FROM case_acts a WHERE a.case_id = c.id AND a.area = ? LIMIT 1) IS NOT NULL",
            "SELECT count(*) FROM (SELECT 1 FROM case_acts WHERE area = ?1 LIMIT ?2)",
        ),
        (
            f.overdue.then(|| date(today)),
            "c.id IN (SELECT t.case_id FROM case_tasks t WHERE t.done_at IS NULL AND t.due < ?)",
            "(SELECT 1 FROM case_tasks t WHERE t.case_id = c.id AND t.done_at IS NULL AND t.due < ? LIMIT 1) \
             IS NOT NULL",
            "SELECT count(*) FROM (SELECT 1 FROM case_tasks WHERE done_at IS NULL AND due < ?1 LIMIT ?2)",
        ),
    ] {
        let Some(value) = value else { continue };
        q.wh.push(if walks(conn, count_sql, &value, dense)? { look_up } else { set }.to_string());
        q.args.push(Value::Text(value));
    }
    if let Some(v) = text(&f.community) {
        q.wh.push("c.community = ?".into());
        q.args.push(Value::Text(v));
    }
    if let Some(v) = text(&f.officer) {
        q.wh.push("c.assigned_officer = ?".into());
        q.args.push(Value::Text(v));
    }
    if let Some(v) = text(&f.municipality) {
        q.wh.push("c.municipality = ?".into());
        q.args.push(Value::Text(v));
    }
    if let Some(d) = f.from {
        q.wh.push("c.intake_date >= ?".into());
        q.args.push(Value::Text(date(d)));
    }
    if let Some(d) = f.to {
        q.wh.push("c.intake_date <= ?".into());
        q.args.push(Value::Text(date(d)));
    }
    Ok(q)
}

impl Query {
    fn where_clause(&self) -> String {
        if self.wh.is_empty() { String::new() } else { format!("WHERE {}", self.wh.join(" AND ")) }
    }
}

/// One page of the filtered, sorted case list.
pub fn list(conn: &Connection, f: &CaseFilter, today: NaiveDate) -> Result<Vec<CaseSummary>> {
    list_planned(conn, f, today, DENSE_MATCHES)
}

/// [`list`] with the switch between its two plans for full-text search set by the caller, so
/// tests can check that both plans give the same pages.
pub fn list_planned(
    conn: &Connection,
    f: &CaseFilter,
    today: NaiveDate,
    dense: i64,
) -> Result<Vec<CaseSummary>> {
    let mut q = build(conn, f, today, Some(dense))?;
    let order = match f.sort {
        CaseSort::IntakeDesc => "c.intake_date DESC, c.seq DESC",
        CaseSort::IntakeAsc => "c.intake_date ASC, c.seq ASC",
        CaseSort::UpdatedDesc => "c.updated_at DESC, c.seq DESC",
        CaseSort::Number => "c.number ASC",
    };
    let limit = if f.limit == 0 { 50 } else { f.limit.min(500) };
    let sql = format!(
        "SELECT c.id, c.number, c.intake_date, c.status, c.person_name, c.gender, c.community, c.risk,
                c.assigned_officer,
                (SELECT group_concat(DISTINCT g.ground) FROM case_act_grounds g WHERE g.case_id = c.id),
                (SELECT group_concat(DISTINCT a.area) FROM case_acts a WHERE a.case_id = c.id),
                (SELECT count(*) FROM case_tasks t WHERE t.case_id = c.id AND t.done_at IS NULL),
                (SELECT count(*) FROM case_tasks t WHERE t.case_id = c.id AND t.done_at IS NULL AND t.due < ?)
         FROM {} {} ORDER BY {order} LIMIT ? OFFSET ?",
        q.from,
        q.where_clause()
    );
    let mut args = vec![Value::Text(date(today))];
    args.append(&mut q.args);
    args.push(Value::Integer(i64::from(limit)));
    args.push(Value::Integer(i64::from(f.offset)));
    let split = |s: Option<String>| -> Vec<String> {
        s.map(|s| s.split(',').map(String::from).collect()).unwrap_or_default()
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok(CaseSummary {
            id: parse_id(&r.get::<_, String>(0)?)?,
            number: r.get(1)?,
            intake_date: parse_date(&r.get::<_, String>(2)?)?,
            status: parse_code(&r.get::<_, String>(3)?, Status::parse)?,
            person_name: r.get(4)?,
            gender: r.get(5)?,
            community: r.get(6)?,
            risk: parse_code(&r.get::<_, String>(7)?, Risk::parse)?,
            assigned_officer: r.get(8)?,
            grounds: split(r.get(9)?),
            areas: split(r.get(10)?),
            open_tasks: r.get(11)?,
            overdue_tasks: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many cases the filter matches (the list's total).
pub fn count(conn: &Connection, f: &CaseFilter, today: NaiveDate) -> Result<i64> {
    let q = build(conn, f, today, None)?;
    if let Some(expr) = &q.fts
        && q.wh.len() == 1
    {
        // Words alone: the index counts its matches without reading a single case.
        return count_up_to(conn, FTS_MATCHES, expr, i64::MAX);
    }
    let sql = format!("SELECT count(*) FROM {} {}", q.from, q.where_clause());
    Ok(conn.prepare_cached(&sql)?.query_row(params_from_iter(q.args.iter()), |r| r.get(0))?)
}

/// The distinct officers cases are assigned to (for the officer filter).
pub fn officers(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT assigned_officer FROM cases ORDER BY 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
