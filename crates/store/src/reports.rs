//! The exact counts behind a period report and the dashboard, each by one aggregate query over
//! the local tables (the unit's own records, or the merged records at the central office).
//!
//! What is counted where:
//! - **cases opened**: intake date in the period; tables by ground × community, area × gender
//!   (a case counts once under each ground and area its acts name) and status at the period's
//!   end (the last status change dated on or before the end; `new` if none);
//! - **cases referred**: cases with a referral sent in the period; **closed**: cases whose
//!   timeline closes them in the period;
//! - **referrals** sent in the period, by institution and their status now, and the days from
//!   sending to the institution's reply;
//! - **activities** starting in the period, by kind, target group and month; their attendance
//!   by community and gender.
//!
//! `municipalities` narrows everything to those municipalities (empty: all); `consent_only`
//! leaves out cases whose person did not consent to statistics, and their referrals.
use crate::Result;
use chrono::NaiveDate;
use rightsdesk_domain::report::{Period, RawTable};
use rusqlite::OptionalExtension;
use rusqlite::{Connection, ToSql, params_from_iter};
use std::collections::{BTreeSet, HashSet};

pub(crate) const MIGRATION_11: &str = "
CREATE TABLE report_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    threshold  INTEGER NOT NULL CHECK (threshold BETWEEN 3 AND 50)   -- smallest count shown in exports
) STRICT;
-- Covering indexes, so that a year's report at the central office reads indexes, not rows.
CREATE INDEX cases_for_reports ON cases (intake_date, municipality, consent_statistics, community, gender, id);
CREATE INDEX cases_by_id_for_reports ON cases (id, municipality, consent_statistics);
CREATE INDEX case_acts_areas ON case_acts (case_id, area);
CREATE INDEX case_timeline_status_changes ON case_timeline (case_id, occurred_on, created_at, id, status_to)
    WHERE status_to IS NOT NULL;
CREATE INDEX case_timeline_closings ON case_timeline (occurred_on, case_id) WHERE status_to = 'closed';
CREATE INDEX referrals_by_sent ON referrals (sent_on, case_id, institution, status, answered_on);
";

/// The suppression threshold set for this office, if any.
///
/// # Errors
/// A database error.
pub fn threshold(conn: &Connection) -> Result<Option<u32>> {
    let t: Option<i64> = conn
        .prepare_cached("SELECT threshold FROM report_settings WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(t.and_then(|t| u32::try_from(t).ok()))
}

/// Sets this office's suppression threshold (checked by the caller).
///
/// # Errors
/// A database error (a value outside 3–50 is refused by the table).
pub fn set_threshold(conn: &Connection, threshold: u32) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO report_settings (id, threshold) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold",
    )?
    .execute([threshold])?;
    Ok(())
}

/// What to count.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub period: Period,
    pub municipalities: &'a [String],
    pub consent_only: bool,
}

/// The row and column codes of the tables, in order (from the vocabularies); codes found in the
/// data but not listed here (a newer vocabulary at another office) are added at the end.
#[derive(Debug, Clone, Default)]
pub struct Axes {
    pub grounds: Vec<String>,
    pub areas: Vec<String>,
    pub communities: Vec<String>,
    pub genders: Vec<String>,
    pub statuses: Vec<String>,
    pub referral_statuses: Vec<String>,
    pub kinds: Vec<String>,
    pub target_groups: Vec<String>,
}

/// Exact counts for one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub opened: u64,
    pub referred: u64,
    pub closed: u64,
    /// Cases opened in the period (in the municipalities) without consent to statistics: left
    /// out when `consent_only`.
    pub without_consent: u64,
    pub by_ground_community: RawTable,
    pub by_area_gender: RawTable,
    /// One column, `cases`.
    pub by_status: RawTable,
    /// Rows: institution ids (most referrals first); columns: referral statuses.
    pub referrals: RawTable,
    /// Days from sending to the reply, by institution, for the referrals answered.
    pub reply_days: Vec<(String, i64)>,
    /// Rows: activity kinds; columns: target groups; row totals: activities of the kind.
    pub activities: RawTable,
    /// Participants by activity kind, in `Axes::kinds` order.
    pub participants_by_kind: Vec<u64>,
    /// Rows: months `YYYY-MM`; columns: activity kinds.
    pub activities_by_month: RawTable,
    /// Rows: communities; columns: genders (female, male, other, not stated).
    pub participants: RawTable,
}

/// The columns of attendance, as the `genders` vocabulary names them.
pub const ATTENDANCE_GENDERS: [&str; 4] = ["female", "male", "other", "not_stated"];

struct Filter {
    sql: String,
    args: Vec<Box<dyn ToSql>>,
}

/// `cases c` narrowed to the scope's municipalities and consent (not to dates).
fn case_pool(scope: &Scope<'_>) -> Filter {
    let mut wh = vec!["1 = 1".to_string()];
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    if !scope.municipalities.is_empty() {
        wh.push(format!("c.municipality IN ({})", placeholders(scope.municipalities.len())));
        args = pool_args(scope);
    }
    if scope.consent_only {
        wh.push("c.consent_statistics = 1".into());
    }
    Filter { sql: wh.join(" AND "), args }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Runs `sql` (whose `{pool}` is replaced with the case filter, and which takes the period as
/// its first two parameters) and collects `(a, b, n)` rows.
fn triples(
    conn: &Connection,
    sql: &str,
    scope: &Scope<'_>,
    pool: &Filter,
) -> Result<Vec<(String, String, u64)>> {
    let mut out = Vec::new();
    query(conn, sql, scope, pool, |r| {
        out.push((r.get(0)?, r.get(1)?, u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0)));
        Ok(())
    })?;
    Ok(out)
}

fn single(conn: &Connection, sql: &str, scope: &Scope<'_>, pool: &Filter) -> Result<u64> {
    Ok(triples(conn, &format!("SELECT '', '', ({sql})"), scope, pool)?.first().map_or(0, |t| t.2))
}

/// Builds a table from `(row, column, n)` triples over the given axes (unknown codes added).
fn table(rows: &[String], columns: &[String], triples: &[(String, String, u64)]) -> RawTable {
    let extra = |known: &[String], found: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        let mut all: Vec<String> = known.to_vec();
        let unknown: BTreeSet<&String> = found.filter(|c| !known.contains(c)).collect();
        all.extend(unknown.into_iter().cloned());
        all
    };
    let rows = extra(rows, &mut triples.iter().map(|t| &t.0));
    let columns = extra(columns, &mut triples.iter().map(|t| &t.1));
    let mut t = RawTable::zeros(rows, columns);
    for (r, c, n) in triples {
        if let (Some(r), Some(c)) = (t.row(r), t.column(c)) {
            t.cells[r][c] += n;
        }
    }
    t.sum_totals();
    t
}

/// Runs `sql` (`{pool}` replaced with the filter; the period as `?1`, `?2`) and hands each row
/// to `each`.
fn query(
    conn: &Connection,
    sql: &str,
    scope: &Scope<'_>,
    filter: &Filter,
    mut each: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let sql = sql.replace("{pool}", &filter.sql);
    let mut stmt = conn.prepare(&sql)?;
    let from = day(scope.period.from);
    let to = day(scope.period.to);
    let mut args: Vec<&dyn ToSql> = vec![&from, &to];
    args.extend(filter.args.iter().map(|a| a.as_ref() as &dyn ToSql));
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(row) = rows.next()? {
        each(row)?;
    }
    Ok(())
}

/// The codes of a `char(31)`-separated list, each once, in order.
fn distinct(list: Option<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for code in list.unwrap_or("").split('\u{1f}').filter(|c| !c.is_empty()) {
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

/// Counts into a table whose rows and columns start as the vocabulary's; a code not in it
/// (a newer vocabulary at another office) gets a row or column after them, in code order.
struct Tally {
    t: RawTable,
    known_rows: usize,
    known_columns: usize,
    column_totals: Vec<u64>,
}

impl Tally {
    fn new(rows: &[String], columns: &[String]) -> Tally {
        Tally {
            t: RawTable::zeros(rows.to_vec(), columns.to_vec()),
            known_rows: rows.len(),
            known_columns: columns.len(),
            column_totals: vec![0; columns.len()],
        }
    }
    fn row(&mut self, code: &str) -> usize {
        if let Some(i) = self.t.row(code) {
            return i;
        }
        self.t.rows.push(code.to_string());
        self.t.cells.push(vec![0; self.t.columns.len()]);
        self.t.rows.len() - 1
    }
    fn column(&mut self, code: &str) -> usize {
        if let Some(i) = self.t.column(code) {
            return i;
        }
        self.t.columns.push(code.to_string());
        self.column_totals.push(0);
        for row in &mut self.t.cells {
            row.push(0);
        }
        self.t.columns.len() - 1
    }
    fn add(&mut self, row: usize, column: usize) {
        self.t.cells[row][column] += 1;
    }
    /// The table with its row totals (row sums), the counted column totals and `total`.
    fn finish(mut self, total: u64) -> RawTable {
        let mut t = std::mem::replace(&mut self.t, RawTable::zeros(Vec::new(), Vec::new()));
        // Extra rows and columns in code order, so the table does not depend on reading order.
        let mut rows: Vec<usize> = (self.known_rows..t.rows.len()).collect();
        rows.sort_by(|&a, &b| t.rows[a].cmp(&t.rows[b]));
        let mut cols: Vec<usize> = (self.known_columns..t.columns.len()).collect();
        cols.sort_by(|&a, &b| t.columns[a].cmp(&t.columns[b]));
        let row_order: Vec<usize> = (0..self.known_rows).chain(rows).collect();
        let col_order: Vec<usize> = (0..self.known_columns).chain(cols).collect();
        t.rows = row_order.iter().map(|&i| t.rows[i].clone()).collect();
        t.cells = row_order.iter().map(|&i| col_order.iter().map(|&j| t.cells[i][j]).collect()).collect();
        t.columns = col_order.iter().map(|&j| t.columns[j].clone()).collect();
        t.sum_totals();
        t.column_totals = col_order.iter().map(|&j| self.column_totals[j]).collect();
        t.total = total;
        t
    }
}

/// Adds rows for codes of `found` the table does not have yet, in code order.
fn add_rows(t: &mut RawTable, found: &[(String, String, u64)]) {
    let new: BTreeSet<&String> = found.iter().map(|f| &f.0).filter(|c| t.row(c).is_none()).collect();
    for code in new {
        t.rows.push(code.clone());
        t.row_totals.push(0);
        t.cells.push(vec![0; t.columns.len()]);
    }
}

/// Counts everything in the scope.
///
/// # Errors
/// A database error.
pub fn figures(conn: &Connection, scope: &Scope<'_>, axes: &Axes) -> Result<Figures> {
    let pool = case_pool(scope);
    let all = case_pool(&Scope { consent_only: false, ..scope.clone() });
    // One row per case opened in the period (`?1`..`?2` on the intake date), read from covering
    // indexes: who (community, gender, consent), its acts' grounds and areas, and its status at
    // the end of the period (the last status change dated on or before `?2`). Counted here, in
    // one pass, rather than by a query per table.
    let sql = "SELECT c.community, c.gender, c.consent_statistics, \
                  (SELECT group_concat(g.ground, char(31)) FROM case_act_grounds g WHERE g.case_id = c.id), \
                  (SELECT group_concat(a.area, char(31)) FROM case_acts a WHERE a.case_id = c.id), \
                  (SELECT t.status_to FROM case_timeline t \
                    WHERE t.case_id = c.id AND t.status_to IS NOT NULL AND t.occurred_on <= ?2 \
                    ORDER BY t.occurred_on DESC, t.created_at DESC, t.id DESC LIMIT 1) \
               FROM cases c WHERE c.intake_date BETWEEN ?1 AND ?2 AND {pool}";
    let mut opened = 0;
    let mut without_consent = 0;
    let mut by_ground_community = Tally::new(&axes.grounds, &axes.communities);
    let mut by_area_gender = Tally::new(&axes.areas, &axes.genders);
    let mut by_status = Tally::new(&axes.statuses, &["cases".to_string()]);
    query(conn, sql, scope, &all, |r| {
        let consent: i64 = r.get(2)?;
        if consent != 1 {
            without_consent += 1;
            if scope.consent_only {
                return Ok(());
            }
        }
        opened += 1;
        let community: String = r.get(0)?;
        let gender: String = r.get(1)?;
        let community = by_ground_community.column(&community);
        by_ground_community.column_totals[community] += 1;
        let gender = by_area_gender.column(&gender);
        by_area_gender.column_totals[gender] += 1;
        for ground in distinct(r.get::<_, Option<String>>(3)?.as_deref()) {
            let row = by_ground_community.row(ground);
            by_ground_community.add(row, community);
        }
        for area in distinct(r.get::<_, Option<String>>(4)?.as_deref()) {
            let row = by_area_gender.row(area);
            by_area_gender.add(row, gender);
        }
        let status: Option<String> = r.get(5)?;
        let row = by_status.row(status.as_deref().unwrap_or("new"));
        by_status.add(row, 0);
        by_status.column_totals[0] += 1;
        Ok(())
    })?;
    // A case has one community and one gender, so a row's sum counts each case once; the
    // column totals are the cases of the community (or gender), the total all cases.
    let by_ground_community = by_ground_community.finish(opened);
    let by_area_gender = by_area_gender.finish(opened);
    let by_status = by_status.finish(opened);

    // Referrals sent in the period: by institution and status, the cases referred, the days to
    // the reply.
    let mut referred_cases: HashSet<String> = HashSet::new();
    let mut by_institution: Vec<(String, String, u64)> = Vec::new();
    let mut reply_days: Vec<(String, i64)> = Vec::new();
    query(
        conn,
        "SELECT r.case_id, r.institution, r.status, \
                CAST(julianday(r.answered_on) - julianday(r.sent_on) AS INTEGER) \
         FROM referrals r CROSS JOIN cases c INDEXED BY cases_by_id_for_reports ON c.id = r.case_id \
         WHERE r.sent_on BETWEEN ?1 AND ?2 AND {pool}",
        scope,
        &pool,
        |r| {
            referred_cases.insert(r.get(0)?);
            let institution: String = r.get(1)?;
            let status: String = r.get(2)?;
            if let Some(days) = r.get::<_, Option<i64>>(3)? {
                reply_days.push((institution.clone(), days));
            }
            match by_institution.iter_mut().find(|x| x.0 == institution && x.1 == status) {
                Some(x) => x.2 += 1,
                None => by_institution.push((institution, status, 1)),
            }
            Ok(())
        },
    )?;
    let referred = referred_cases.len() as u64;
    reply_days.sort();
    let mut institutions: Vec<(String, u64)> = Vec::new();
    for (i, _, n) in &by_institution {
        match institutions.iter_mut().find(|(x, _)| x == i) {
            Some((_, total)) => *total += n,
            None => institutions.push((i.clone(), *n)),
        }
    }
    institutions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let institution_rows: Vec<String> = institutions.into_iter().map(|(i, _)| i).collect();
    let referrals = table(&institution_rows, &axes.referral_statuses, &by_institution);

    let closed = single(
        conn,
        "SELECT count(DISTINCT t.case_id) FROM case_timeline t INDEXED BY case_timeline_closings \
         CROSS JOIN cases c INDEXED BY cases_by_id_for_reports ON c.id = t.case_id \
         WHERE t.status_to = 'closed' AND t.occurred_on BETWEEN ?1 AND ?2 AND {pool}",
        scope,
        &pool,
    )?;

    // Activities starting in the period, in the municipalities (no consent: no people named).
    let act = activity_filter(scope);
    let kt = triples(
        conn,
        "SELECT a.kind, j.value, count(*) FROM activities a, json_each(a.target_groups) j \
         WHERE a.date_from BETWEEN ?1 AND ?2 AND {pool} GROUP BY 1, 2",
        scope,
        &act,
    )?;
    let mut activities = table(&axes.kinds, &axes.target_groups, &kt);
    let kinds = triples(
        conn,
        "SELECT a.kind, '', count(*) FROM activities a WHERE a.date_from BETWEEN ?1 AND ?2 AND {pool} GROUP BY 1",
        scope,
        &act,
    )?;
    add_rows(&mut activities, &kinds);
    // An activity for several target groups counts under each: the row totals count activities.
    for (kind, _, n) in &kinds {
        if let Some(i) = activities.row(kind) {
            activities.row_totals[i] = *n;
        }
    }
    activities.total = kinds.iter().map(|k| k.2).sum();

    let pk = triples(
        conn,
        "SELECT a.kind, '', coalesce(sum(t.female + t.male + t.other + t.not_stated), 0) \
         FROM activities a JOIN activity_attendance t ON t.activity_id = a.id \
         WHERE a.date_from BETWEEN ?1 AND ?2 AND {pool} GROUP BY 1",
        scope,
        &act,
    )?;
    let participants_by_kind =
        activities.rows.iter().map(|k| pk.iter().filter(|p| &p.0 == k).map(|p| p.2).sum()).collect();

    let months = scope.period.months();
    let bm = triples(
        conn,
        "SELECT substr(a.date_from, 1, 7), a.kind, count(*) FROM activities a \
         WHERE a.date_from BETWEEN ?1 AND ?2 AND {pool} GROUP BY 1, 2",
        scope,
        &act,
    )?;
    let activities_by_month = table(&months, &activities.rows, &bm);

    let mut participants = RawTable::zeros(
        axes.communities.clone(),
        ATTENDANCE_GENDERS.iter().map(ToString::to_string).collect(),
    );
    query(
        conn,
        "SELECT t.community, coalesce(sum(t.female), 0), coalesce(sum(t.male), 0), \
                coalesce(sum(t.other), 0), coalesce(sum(t.not_stated), 0) \
         FROM activities a JOIN activity_attendance t ON t.activity_id = a.id \
         WHERE a.date_from BETWEEN ?1 AND ?2 AND {pool} GROUP BY 1 ORDER BY 1",
        scope,
        &act,
        |r| {
            let community: String = r.get(0)?;
            let i = match participants.row(&community) {
                Some(i) => i,
                None => {
                    participants.rows.push(community);
                    participants.cells.push(vec![0; ATTENDANCE_GENDERS.len()]);
                    participants.rows.len() - 1
                }
            };
            for (j, cell) in participants.cells[i].iter_mut().enumerate() {
                *cell = u64::try_from(r.get::<_, i64>(j + 1)?).unwrap_or(0);
            }
            Ok(())
        },
    )?;
    participants.row_totals = vec![0; participants.rows.len()];
    participants.sum_totals();

    Ok(Figures {
        opened,
        referred,
        closed,
        without_consent: if scope.consent_only { without_consent } else { 0 },
        by_ground_community,
        by_area_gender,
        by_status,
        referrals,
        reply_days,
        activities,
        participants_by_kind,
        activities_by_month,
        participants,
    })
}

fn pool_args(scope: &Scope<'_>) -> Vec<Box<dyn ToSql>> {
    scope.municipalities.iter().map(|m| Box::new(m.clone()) as Box<dyn ToSql>).collect()
}

/// `activities a` narrowed to the scope's municipalities.
fn activity_filter(scope: &Scope<'_>) -> Filter {
    if scope.municipalities.is_empty() {
        return Filter { sql: "1 = 1".into(), args: Vec::new() };
    }
    Filter {
        sql: format!("a.municipality IN ({})", placeholders(scope.municipalities.len())),
        args: pool_args(scope),
    }
}

/// The number of cases opened in the scope (a quick count for the dashboard).
///
/// # Errors
/// A database error.
pub fn opened(conn: &Connection, scope: &Scope<'_>) -> Result<u64> {
    let pool = case_pool(scope);
    single(
        conn,
        "SELECT count(*) FROM cases c WHERE c.intake_date BETWEEN ?1 AND ?2 AND {pool}",
        scope,
        &pool,
    )
}

/// The dashboard's counts of what is waiting now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub open_cases: u64,
    pub overdue_tasks: u64,
    pub overdue_replies: u64,
}

/// Open cases, tasks past their due date and replies past their deadline on `today`.
///
/// # Errors
/// A database error.
pub fn waiting(conn: &Connection, today: NaiveDate, municipalities: &[String]) -> Result<Waiting> {
    let (wh, args) = if municipalities.is_empty() {
        ("1 = 1".to_string(), Vec::new())
    } else {
        (format!("c.municipality IN ({})", placeholders(municipalities.len())), municipalities.to_vec())
    };
    let today = day(today);
    let sql = format!(
        "SELECT (SELECT count(*) FROM cases c WHERE c.status <> 'closed' AND {wh}),
                (SELECT count(*) FROM case_tasks t JOIN cases c ON c.id = t.case_id
                  WHERE t.done_at IS NULL AND t.due < ?1 AND {wh}),
                (SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id
                  WHERE r.status IN ('sent', 'acknowledged') AND r.deadline < ?1 AND {wh})"
    );
    // The municipality list is bound three times (one per sub-query), after `?1`.
    let sql = number_placeholders(&sql);
    let mut all: Vec<&dyn ToSql> = vec![&today];
    for _ in 0..3 {
        all.extend(args.iter().map(|a| a as &dyn ToSql));
    }
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(conn.query_row(&sql, params_from_iter(all), |r| {
        Ok(Waiting { open_cases: n(r.get(0)?), overdue_tasks: n(r.get(1)?), overdue_replies: n(r.get(2)?) })
    })?)
}

/// Numbers the bare `?` placeholders after `?1` (`?2`, `?3`, …) so they bind in order.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 2;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch == '?' && !chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str(&next.to_string());
            next += 1;
        }
    }
    out
}
