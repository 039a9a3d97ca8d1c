//! Period reports (issue 5): the figures are counted right, under the privacy rules of an export,
//! for whole local days, the same at the central office as at the unit, and written as PDF, CSV
//! and JSON exactly as frozen in `tests/golden/`.
//!
//! The expected figures are counted here, in Rust, from what the app's own screens show (the case
//! list, each case with its acts, timeline, tasks and referrals, each activity with its
//! attendance), never through the report's queries. PDF text is read back with poppler's
//! `pdftotext`, an implementation independent of ours.
//!
//! Golden files: `RIGHTSDESK_BLESS=1 cargo test -p rightsdesk-app --test app reports` rewrites
//! them; review the diff before committing it.
use super::support::{Office, PASS, act, all_pages, assert_invalid, attendance, case_draft, day, training};
use super::sync_support::{Network, bundle_to, central_office, import, restored_copy};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc, Weekday};
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_app::reports::export::{self, ReportFormat};
use rightsdesk_app::reports::{Figure, Report, ReportRequest};
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::activity::{ActivityDraft, ActivityKind};
use rightsdesk_domain::clock::{Clock, FixedClock};
use rightsdesk_domain::ids::{CaseId, IdGen};
use rightsdesk_domain::profile::Role;
use rightsdesk_domain::referral::{ReferralDraft, ReferralStatus, ReferralUpdate};
use rightsdesk_domain::report::{Audience, Cell, Period, Privacy, RawTable, Table, suppress};
use rightsdesk_domain::vocab;
use rightsdesk_domain::workflow::{CloseReason, Status, Transition};
use rightsdesk_store::activities::ActivityFilter;
use rightsdesk_store::search::CaseFilter;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------------------------------------
// Counting by hand: every case and activity as the app's screens show them.
// ---------------------------------------------------------------------------------------------

/// A referral as the case's screen shows it.
#[derive(Debug, Clone)]
struct ReferralFacts {
    institution: String,
    status: ReferralStatus,
    sent_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    deadline: NaiveDate,
}

/// A case as its screen shows it.
#[derive(Debug, Clone)]
struct CaseFacts {
    municipality: String,
    intake: NaiveDate,
    community: String,
    gender: String,
    consent_statistics: bool,
    grounds: BTreeSet<String>,
    areas: BTreeSet<String>,
    /// Whether two of its acts name the same ground (or area): it still counts once under it.
    repeats: bool,
    /// The timeline's status changes in the order they were recorded: (dated, to).
    moves: Vec<(NaiveDate, Status)>,
    /// The status now.
    status: Status,
    referrals: Vec<ReferralFacts>,
    /// Tasks: (due, done).
    tasks: Vec<(NaiveDate, bool)>,
}

impl CaseFacts {
    fn of(d: &CaseDetail) -> Self {
        let c = &d.case;
        CaseFacts {
            municipality: c.municipality.clone(),
            intake: c.draft.intake_date,
            community: c.draft.person.community.clone(),
            gender: c.draft.person.gender.clone(),
            consent_statistics: c.draft.person.consent_statistics,
            grounds: c.draft.acts.iter().flat_map(|a| a.grounds.iter().cloned()).collect(),
            areas: c.draft.acts.iter().map(|a| a.area.clone()).collect(),
            repeats: {
                let per_act: usize = c.draft.acts.iter().map(|a| a.grounds.len()).sum();
                let distinct: BTreeSet<&String> = c.draft.acts.iter().flat_map(|a| &a.grounds).collect();
                let areas: BTreeSet<&String> = c.draft.acts.iter().map(|a| &a.area).collect();
                per_act > distinct.len() || areas.len() < c.draft.acts.len()
            },
            moves: d.timeline.iter().filter_map(|e| e.status_to.map(|to| (e.occurred_on, to))).collect(),
            status: c.status,
            referrals: d
                .referrals
                .iter()
                .map(|r| ReferralFacts {
                    institution: r.draft.institution.clone(),
                    status: r.status,
                    sent_on: r.draft.sent_on,
                    answered_on: r.answered_on,
                    deadline: r.draft.deadline,
                })
                .collect(),
            tasks: d.tasks.iter().map(|t| (t.due, t.done_at.is_some())).collect(),
        }
    }

    /// The status on `day`: the latest-dated change on or before it (of changes dated the same
    /// day, the one recorded last); `new` when there is none.
    fn status_on(&self, day: NaiveDate) -> Status {
        let mut best: Option<(NaiveDate, Status)> = None;
        for &(on, to) in &self.moves {
            if on <= day && best.is_none_or(|(b, _)| on >= b) {
                best = Some((on, to));
            }
        }
        best.map_or(Status::New, |b| b.1)
    }
}

/// An activity as its screen shows it.
#[derive(Debug, Clone)]
struct ActivityFacts {
    municipality: String,
    kind: ActivityKind,
    date_from: NaiveDate,
    target_groups: Vec<String>,
    /// (community, [female, male, other, not stated]).
    attendance: Vec<(String, [u64; 4])>,
}

struct Facts {
    cases: Vec<CaseFacts>,
    activities: Vec<ActivityFacts>,
}

/// Everything in `desk`, read through its public screens: the case list page by page and each
/// case's detail; the activity list and each activity's detail.
fn facts(desk: &Desk) -> Facts {
    let cases = all_pages(desk, &CaseFilter::default(), 500)
        .iter()
        .map(|line| CaseFacts::of(&desk.case_detail(line.id).expect("reading a listed case")))
        .collect();
    let mut activities = Vec::new();
    let mut filter = ActivityFilter { limit: 500, ..ActivityFilter::default() };
    loop {
        let page = desk.list_activities(&filter).expect("listing activities");
        let n = page.items.len();
        for item in page.items {
            let a = desk.activity_detail(item.id).expect("reading a listed activity").activity.draft;
            activities.push(ActivityFacts {
                municipality: a.municipality,
                kind: a.kind,
                date_from: a.date_from,
                target_groups: a.target_groups,
                attendance: a
                    .attendance
                    .iter()
                    .map(|r| {
                        let c = r.counts;
                        (r.community.clone(), [c.female, c.male, c.other, c.not_stated].map(u64::from))
                    })
                    .collect(),
            });
        }
        if n < 500 {
            break;
        }
        filter.offset += 500;
    }
    Facts { cases, activities }
}

/// Counts by row and column, with the totals counted separately (a total is not always the sum
/// of its line).
#[derive(Debug, Default, Clone)]
struct Grid {
    cells: BTreeMap<(String, String), u64>,
    rows: BTreeMap<String, u64>,
    columns: BTreeMap<String, u64>,
    total: u64,
}

impl Grid {
    fn cell(&mut self, row: &str, column: &str, n: u64) {
        *self.cells.entry((row.to_string(), column.to_string())).or_default() += n;
    }
    fn row(&mut self, row: &str, n: u64) {
        *self.rows.entry(row.to_string()).or_default() += n;
    }
    fn column(&mut self, column: &str, n: u64) {
        *self.columns.entry(column.to_string()).or_default() += n;
    }
    /// Totals as the sums of the cells: for tables where each thing counts in one cell.
    fn summed(mut self) -> Self {
        let cells: Vec<_> = self.cells.iter().map(|((r, c), n)| (r.clone(), c.clone(), *n)).collect();
        for (r, c, n) in cells {
            self.row(&r, n);
            self.column(&c, n);
            self.total += n;
        }
        self
    }

    /// The exact counts laid out as `t` is (its rows and columns, in its order), after checking
    /// that every row and column with something counted is in `t`.
    fn laid_out_as(&self, t: &Table, what: &str) -> RawTable {
        for ((r, c), n) in &self.cells {
            assert!(
                *n == 0 || (t.row(r).is_some() && t.column(c).is_some()),
                "{what}: {n} counted under {r} × {c}, but the table has no such row or column \
                 (rows {:?}, columns {:?})",
                t.rows,
                t.columns
            );
        }
        let mut raw = RawTable::zeros(t.rows.clone(), t.columns.clone());
        for (i, r) in t.rows.iter().enumerate() {
            for (j, c) in t.columns.iter().enumerate() {
                raw.cells[i][j] = self.cells.get(&(r.clone(), c.clone())).copied().unwrap_or(0);
            }
            raw.row_totals[i] = self.rows.get(r).copied().unwrap_or(0);
        }
        for (j, c) in t.columns.iter().enumerate() {
            raw.column_totals[j] = self.columns.get(c).copied().unwrap_or(0);
        }
        raw.total = self.total;
        raw
    }
}

/// The figures a report must show, counted by hand.
#[derive(Debug, Default)]
struct Expected {
    opened: u64,
    referred: u64,
    closed: u64,
    left_out: u64,
    ground_community: Grid,
    area_gender: Grid,
    status: Grid,
    referrals: Grid,
    reply_days: BTreeMap<String, Vec<i64>>,
    activities: Grid,
    by_month: Grid,
    participants: Grid,
    participants_by_kind: BTreeMap<String, u64>,
}

/// The months a period touches, as `YYYY-MM`.
fn months_of(p: Period) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(p.from.year(), p.from.month(), 1).expect("a first of the month");
    while m <= p.to {
        out.push(format!("{:04}-{:02}", m.year(), m.month()));
        m = m + Months::new(1);
    }
    out
}

const GENDER_COLUMNS: [&str; 4] = ["female", "male", "other", "not_stated"];

/// Counts what a report for `period` over `municipalities` (empty: all) must show; with
/// `consent_only`, only cases whose person consented to statistics.
fn expect(f: &Facts, period: Period, municipalities: &[&str], consent_only: bool) -> Expected {
    let mut e = Expected::default();
    let here = |m: &str| municipalities.is_empty() || municipalities.contains(&m);
    for c in f.cases.iter().filter(|c| here(&c.municipality)) {
        if consent_only && !c.consent_statistics {
            if period.contains(c.intake) {
                e.left_out += 1;
            }
            continue;
        }
        if period.contains(c.intake) {
            e.opened += 1;
            for g in &c.grounds {
                e.ground_community.cell(g, &c.community, 1);
                e.ground_community.row(g, 1);
            }
            e.ground_community.column(&c.community, 1);
            e.ground_community.total += 1;
            for a in &c.areas {
                e.area_gender.cell(a, &c.gender, 1);
                e.area_gender.row(a, 1);
            }
            e.area_gender.column(&c.gender, 1);
            e.area_gender.total += 1;
            e.status.cell(c.status_on(period.to).as_str(), "cases", 1);
        }
        let sent: Vec<&ReferralFacts> = c.referrals.iter().filter(|r| period.contains(r.sent_on)).collect();
        if !sent.is_empty() {
            e.referred += 1;
        }
        for r in sent {
            e.referrals.cell(&r.institution, r.status.as_str(), 1);
            if let Some(answered) = r.answered_on {
                e.reply_days
                    .entry(r.institution.clone())
                    .or_default()
                    .push((answered - r.sent_on).num_days());
            }
        }
        if c.moves.iter().any(|&(on, to)| to == Status::Closed && period.contains(on)) {
            e.closed += 1;
        }
    }
    e.status = std::mem::take(&mut e.status).summed();
    e.referrals = std::mem::take(&mut e.referrals).summed();
    for a in f.activities.iter().filter(|a| here(&a.municipality) && period.contains(a.date_from)) {
        let kind = a.kind.as_str();
        e.activities.row(kind, 1);
        e.activities.total += 1;
        for g in &a.target_groups {
            e.activities.cell(kind, g, 1);
            e.activities.column(g, 1);
        }
        e.by_month.cell(&format!("{:04}-{:02}", a.date_from.year(), a.date_from.month()), kind, 1);
        for (community, counts) in &a.attendance {
            for (g, n) in GENDER_COLUMNS.iter().zip(counts) {
                e.participants.cell(community, g, *n);
            }
            *e.participants_by_kind.entry(kind.to_string()).or_default() += counts.iter().sum::<u64>();
        }
    }
    e.by_month = std::mem::take(&mut e.by_month).summed();
    e.participants = std::mem::take(&mut e.participants).summed();
    e
}

/// A count as an export must show it: 1 to threshold − 1 as small, else the count.
fn shown(n: u64, privacy: Privacy) -> Cell {
    if privacy.audience == Audience::Export && n > 0 && n < u64::from(privacy.threshold) {
        Cell::Small(privacy.threshold)
    } else {
        Cell::Count(n)
    }
}

/// A table shown under `privacy` against the true counts: internally every count is the true
/// one; in an export every shown count is the true one and not small, only small counts are
/// marked small, only positive counts are hidden, no row or column (totals included) has a single
/// suppressed count, and the cells hidden are exactly those the rule of the module docs picks.
fn check_table(t: &Table, truth: &RawTable, privacy: Privacy, what: &str) {
    let nr = t.rows.len();
    let nc = t.columns.len();
    assert_eq!(t.cells.len(), nr, "{what}: one line of cells per row");
    let at = |r: usize, c: usize| -> (Cell, u64) {
        match (r == nr, c == nc) {
            (false, false) => (t.cells[r][c], truth.cells[r][c]),
            (false, true) => (t.row_totals[r], truth.row_totals[r]),
            (true, false) => (t.column_totals[c], truth.column_totals[c]),
            (true, true) => (t.total, truth.total),
        }
    };
    let name = |r: usize, c: usize| -> String {
        let row = t.rows.get(r).map_or("total", String::as_str);
        let col = t.columns.get(c).map_or("total", String::as_str);
        format!("{row} × {col}")
    };
    for r in 0..=nr {
        for c in 0..=nc {
            let (cell, n) = at(r, c);
            if privacy.audience == Audience::Internal {
                assert_eq!(
                    cell,
                    Cell::Count(n),
                    "{what}: {} is the true count inside the office",
                    name(r, c)
                );
                continue;
            }
            match cell {
                Cell::Count(k) => {
                    assert_eq!(k, n, "{what}: {} shows the true count of consenting cases", name(r, c));
                    assert!(
                        k == 0 || k >= u64::from(privacy.threshold),
                        "{what}: {} shows {k}, below the threshold {}",
                        name(r, c),
                        privacy.threshold
                    );
                }
                Cell::Small(th) => assert!(
                    th == privacy.threshold && n > 0 && n < u64::from(th),
                    "{what}: {} is marked <{th} but counts {n}",
                    name(r, c)
                ),
                Cell::Hidden => assert!(n > 0, "{what}: {} is hidden but counts nothing", name(r, c)),
            }
        }
    }
    if privacy.audience == Audience::Export {
        for r in 0..=nr {
            let n = (0..=nc).filter(|&c| !matches!(at(r, c).0, Cell::Count(_))).count();
            assert_ne!(
                n,
                1,
                "{what}: row {} has a single suppressed count: it is the total minus the rest",
                name(r, nc)
            );
        }
        for c in 0..=nc {
            let n = (0..=nr).filter(|&r| !matches!(at(r, c).0, Cell::Count(_))).count();
            assert_ne!(n, 1, "{what}: column {} has a single suppressed count", name(nr, c));
        }
        assert_eq!(
            t,
            &suppress(truth, privacy.threshold),
            "{what}: the cells hidden are those the rule picks"
        );
    }
}

/// The median as written: the middle value, or the mean of the middle two.
fn median(days: &[i64]) -> Option<f64> {
    let mut d = days.to_vec();
    d.sort_unstable();
    let n = d.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(d[n / 2] as f64),
        _ => Some((d[n / 2 - 1] + d[n / 2]) as f64 / 2.0),
    }
}

fn expected_figure(days: &[i64], privacy: Privacy) -> Figure {
    match median(days) {
        None => Figure::None,
        Some(_)
            if privacy.audience == Audience::Export && (days.len() as u64) < u64::from(privacy.threshold) =>
        {
            Figure::Small(privacy.threshold)
        }
        Some(m) => Figure::Value(m),
    }
}

/// Every figure of `r` against the counts made by hand.
fn check_report(r: &Report, e: &Expected, what: &str) {
    let p = r.privacy;
    let c = &r.cases;
    assert_eq!(c.opened, shown(e.opened, p), "{what}: cases opened (intake in the period)");
    assert_eq!(c.referred, shown(e.referred, p), "{what}: cases with a referral sent in the period");
    assert_eq!(c.closed, shown(e.closed, p), "{what}: cases closed on their timeline in the period");
    assert_eq!(
        c.left_out_without_consent, e.left_out,
        "{what}: cases opened but left out for want of consent"
    );
    let t = &c.by_ground_community;
    check_table(t, &e.ground_community.laid_out_as(t, what), p, &format!("{what}, ground × community"));
    let t = &c.by_area_gender;
    check_table(t, &e.area_gender.laid_out_as(t, what), p, &format!("{what}, area × gender"));
    let t = &c.by_status;
    assert_eq!(t.columns, ["cases"], "{what}: the status table has one column");
    check_table(t, &e.status.laid_out_as(t, what), p, &format!("{what}, status at the end of the period"));

    let rf = &r.referrals;
    let t = &rf.by_institution;
    check_table(
        t,
        &e.referrals.laid_out_as(t, what),
        p,
        &format!("{what}, referrals by institution × status"),
    );
    assert_eq!(rf.institutions.len(), t.rows.len(), "{what}: every institution row has its name");
    let totals: Vec<u64> = t.rows.iter().map(|i| e.referrals.rows.get(i).copied().unwrap_or(0)).collect();
    let mut ranked: Vec<(u64, &String)> = totals.iter().copied().zip(&t.rows).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    assert_eq!(
        ranked.iter().map(|x| x.1).collect::<Vec<_>>(),
        t.rows.iter().collect::<Vec<_>>(),
        "{what}: institutions with the most referrals come first"
    );
    let all_days: Vec<i64> = e.reply_days.values().flatten().copied().collect();
    assert_eq!(rf.replies, shown(all_days.len() as u64, p), "{what}: replies to the referrals of the period");
    assert_eq!(rf.median_days_to_reply, expected_figure(&all_days, p), "{what}: median days to a reply");
    for (i, inst) in t.rows.iter().enumerate() {
        let days = e.reply_days.get(inst).cloned().unwrap_or_default();
        assert_eq!(
            rf.median_days_by_institution[i],
            expected_figure(&days, p),
            "{what}: median days to {inst}'s replies ({days:?})"
        );
    }

    let a = &r.activities;
    let t = &a.by_kind_target_group;
    let kinds: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(t.rows, kinds, "{what}: a row per kind of activity, in the vocabulary's order");
    check_table(
        t,
        &e.activities.laid_out_as(t, what),
        Privacy::internal(),
        &format!("{what}, activities by kind × target group (never suppressed)"),
    );
    let mut by_kind = RawTable::zeros(t.rows.clone(), vec!["participants".into()]);
    for (row, k) in by_kind.cells.iter_mut().zip(&t.rows) {
        row[0] = e.participants_by_kind.get(k).copied().unwrap_or(0);
    }
    by_kind.sum_totals();
    check_table(
        &a.participants_by_kind,
        &by_kind,
        p,
        &format!("{what}: participants by kind are the sums of attendance, counts of people"),
    );
    let t = &a.by_month;
    assert_eq!(t.rows, months_of(r.period), "{what}: a row for every month of the period, quiet ones too");
    check_table(
        t,
        &e.by_month.laid_out_as(t, what),
        Privacy::internal(),
        &format!("{what}, activities by month"),
    );
    let t = &a.participants;
    assert_eq!(t.columns, GENDER_COLUMNS, "{what}: participants by the attendance sheet's genders");
    check_table(
        t,
        &e.participants.laid_out_as(t, what),
        p,
        &format!("{what}, participants by community × gender"),
    );
}

fn request(from: NaiveDate, to: NaiveDate, audience: Audience) -> ReportRequest {
    ReportRequest { from, to, municipalities: vec![], audience, lang: None }
}

fn report(desk: &Desk, req: &ReportRequest) -> Report {
    desk.report(req).unwrap_or_else(|e| panic!("making the report {req:?}: {e}"))
}

/// A report's figures: everything but who made it and when.
fn figures_of(r: &Report) -> impl PartialEq + std::fmt::Debug {
    (
        r.format,
        r.period,
        r.municipalities.clone(),
        r.privacy,
        r.lang.clone(),
        r.cases.clone(),
        r.referrals.clone(),
        r.activities.clone(),
        r.newsletter.clone(),
    )
}

// ---------------------------------------------------------------------------------------------
// 1. The figures, counted independently over generated data.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_figure_matches_an_independent_count_of_generated_data() {
    let mut office = Office::new(501);
    office.desk.generate_demo(700, 2026).expect("generating demo data");
    let desk = &office.desk;
    let f = facts(desk);
    assert_eq!(f.cases.len(), 700, "the case list gives every generated case");
    let own = ["prishtine"];
    assert!(
        f.cases.iter().any(|c| c.repeats),
        "the data has cases naming one ground or area in two acts, so counting once is tested"
    );
    assert!(
        f.cases.iter().any(|c| c.municipality != "prishtine"),
        "the data holds other municipalities' cases, so the unit's default scope is tested"
    );

    let year = Period::new(day(2025, 1, 1), day(2025, 12, 31)).expect("a year");
    let quarter = Period::new(day(2026, 7, 1), day(2026, 9, 30)).expect("a quarter");
    let odd = Period::new(day(2024, 2, 17), day(2026, 11, 20)).expect("any days");
    for period in [year, quarter, odd] {
        for audience in [Audience::Internal, Audience::Export] {
            let what = format!("{:?} {}–{}", audience, period.from, period.to);
            let r = report(desk, &request(period.from, period.to, audience));
            assert_eq!(r.municipalities, own, "{what}: at a unit, no municipality named means its own");
            let privacy = match audience {
                Audience::Internal => Privacy::internal(),
                Audience::Export => Privacy { audience, threshold: 5 },
            };
            assert_eq!(r.privacy, privacy, "{what}: the rules asked for, with the default threshold");
            let e = expect(&f, period, &own, audience == Audience::Export);
            check_report(&r, &e, &what);
        }
    }

    // The consent filter really leaves cases out, and the figures differ by audience.
    let internal = expect(&f, year, &own, false);
    let exported = expect(&f, year, &own, true);
    assert!(exported.left_out > 0, "the demo has cases without consent to statistics in 2025");
    assert_eq!(internal.opened, exported.opened + exported.left_out, "left out + counted = all opened");
    assert!(
        exported.ground_community.cells.values().any(|n| *n > 0 && *n < 5),
        "the export has small counts to suppress, so suppression is tested"
    );

    // Several municipalities named, at a unit.
    let several = ["ferizaj", "gjilan", "prishtine"];
    let mut req = request(odd.from, odd.to, Audience::Internal);
    req.municipalities = vec!["prishtine".into(), "gjilan".into(), "ferizaj".into(), "gjilan".into()];
    let r = report(desk, &req);
    assert_eq!(r.municipalities, several, "the municipalities counted, sorted, each once");
    let e = expect(&f, odd, &several, false);
    assert!(e.opened > expect(&f, odd, &own, false).opened, "the other municipalities' cases are counted");
    check_report(&r, &e, "internal, three municipalities");
    req.audience = Audience::Export;
    check_report(&report(desk, &req), &expect(&f, odd, &several, true), "export, three municipalities");
}

#[test]
fn the_dashboard_matches_an_independent_count() {
    let mut office = Office::new(502);
    office.desk.generate_demo(500, 77).expect("generating demo data");
    let f = facts(&office.desk);
    let today = office.today();
    let d = office.desk.dashboard().expect("the dashboard");
    let mine: Vec<&CaseFacts> = f.cases.iter().filter(|c| c.municipality == "prishtine").collect();

    assert_eq!(d.today, today, "the dashboard is for the clock's today");
    let open = mine.iter().filter(|c| c.status != Status::Closed).count() as u64;
    assert_eq!(d.open_cases, open, "open cases: the unit's cases not closed now");
    let overdue_tasks =
        mine.iter().flat_map(|c| &c.tasks).filter(|(due, done)| !done && *due < today).count() as u64;
    assert!(overdue_tasks > 0, "the demo has overdue tasks, so the count is tested");
    assert_eq!(d.overdue_tasks, overdue_tasks, "tasks not done whose due date has passed");
    let overdue_replies = mine
        .iter()
        .flat_map(|c| &c.referrals)
        .filter(|r| {
            matches!(r.status, ReferralStatus::Sent | ReferralStatus::Acknowledged) && r.deadline < today
        })
        .count() as u64;
    assert!(overdue_replies > 0, "the demo has overdue replies");
    assert_eq!(d.overdue_replies, overdue_replies, "referrals still awaiting an answer past their deadline");

    assert_eq!((d.this_period.from, d.this_period.to), (day(2026, 11, 1), today), "this month so far");
    assert_eq!(
        (d.previous_period.from, d.previous_period.to),
        (day(2026, 10, 1), day(2026, 10, 20)),
        "the same days of the month before"
    );
    let opened = |from: NaiveDate, to: NaiveDate| {
        mine.iter().filter(|c| from <= c.intake && c.intake <= to).count() as u64
    };
    assert_eq!(d.opened_this_period, opened(day(2026, 11, 1), today), "cases opened this month so far");
    assert_eq!(d.opened_previous_period, opened(day(2026, 10, 1), day(2026, 10, 20)), "and last month's");
    assert!(d.opened_this_period + d.opened_previous_period > 0, "the comparison is not of two zeros");

    let chart = Period::new(day(2025, 12, 1), day(2026, 11, 30)).expect("twelve months");
    assert_eq!(d.chart_period, chart, "the charts cover the twelve months up to this one");
    let e = expect(&f, chart, &["prishtine"], false);
    let ranked = |m: &BTreeMap<String, u64>| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> =
            m.iter().filter(|(_, n)| **n > 0).map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    assert_eq!(
        d.by_ground,
        ranked(&e.ground_community.rows),
        "cases by ground over twelve months, most first"
    );
    assert_eq!(d.by_area, ranked(&e.area_gender.rows), "cases by area");
    assert_eq!(d.by_community, ranked(&e.ground_community.columns), "cases by community");
    let t = &d.activities_by_month;
    check_table(
        t,
        &e.by_month.laid_out_as(t, "dashboard"),
        Privacy::internal(),
        "dashboard, activities by month",
    );
}

#[test]
fn the_same_data_and_period_always_give_the_same_figures() {
    let mut office = Office::new(503);
    office.desk.generate_demo(300, 9).expect("generating demo data");
    for audience in [Audience::Internal, Audience::Export] {
        let req = request(day(2026, 1, 1), day(2026, 6, 30), audience);
        let first = report(&office.desk, &req);
        assert_eq!(report(&office.desk, &req), first, "{audience:?}: asking twice gives the same report");
        office.clock.advance(Duration::days(365));
        let later = report(&office.desk, &req);
        assert_ne!(later.prepared_on, first.prepared_on, "the later report is dated a year later");
        assert_eq!(
            figures_of(&later),
            figures_of(&first),
            "{audience:?}: a year later, the same period gives the same figures (statuses from the \
             timeline, not from today)"
        );
        let json = |r: &Report| String::from_utf8(export::json(r).expect("JSON")).expect("UTF-8");
        assert_eq!(
            json(&later).replace(&later.prepared_on.to_string(), &first.prepared_on.to_string()),
            json(&first),
            "and the same JSON but for the date"
        );
        office.clock.advance(Duration::days(-365));
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Suppression and consent, on a small hand-made register.
// ---------------------------------------------------------------------------------------------

/// Who the hand-made cases are about: names that appear nowhere else in the app.
const NAMES: [&str; 4] = ["Zyhrije Qyqalla", "Xhevdet Bllacaku", "Radmila Vukašinović", "Qëndresa Zymberi"];
const NARRATIVE: &str = "Zmbrixtaq refused the tenancy after hearing the family's surname.";
const CONTACT: &str = "049 777 313";
const RESPONDENT: &str = "Kompania Xylofoni SH.P.K.";

/// A case opened on `intake` about someone of `community` and `gender`, on these grounds.
fn hand_case(
    office: &mut Office,
    i: usize,
    intake: NaiveDate,
    community: &str,
    gender: &str,
    grounds: &[&str],
    consent_statistics: bool,
) -> CaseDetail {
    let mut draft = case_draft(NAMES[i % NAMES.len()]);
    draft.intake_date = intake;
    draft.person.community = community.into();
    draft.person.gender = gender.into();
    draft.person.contact = Some(CONTACT.into());
    draft.person.consent_statistics = consent_statistics;
    draft.acts = vec![act(NARRATIVE, grounds)];
    draft.acts[0].respondent_name = RESPONDENT.into();
    draft.acts[0].date_from = Some(intake - Duration::days(3));
    office.desk.create_case(draft).expect("opening a valid case")
}

/// The small register: ten Albanian cases, three Roma and one Serbian case without consent to
/// statistics, all on ethnicity, opened in November 2026; and a training.
fn small_register(office: &mut Office) -> Vec<CaseDetail> {
    let mut out = Vec::new();
    for i in 0..10 {
        out.push(hand_case(
            office,
            i,
            day(2026, 11, 2 + i as u32),
            "albanian",
            "female",
            &["ethnicity"],
            true,
        ));
    }
    for i in 0..3 {
        out.push(hand_case(office, i, day(2026, 11, 12), "roma", "male", &["ethnicity"], true));
    }
    out.push(hand_case(office, 3, day(2026, 11, 13), "serbian", "female", &["ethnicity"], false));
    office
        .desk
        .save_activity(None, training("Ligji 05/L-021 për mbrojtjen nga diskriminimi", "prishtine"))
        .expect("a training");
    out
}

fn november(audience: Audience) -> ReportRequest {
    request(day(2026, 11, 1), day(2026, 11, 30), audience)
}

fn pos(t: &Table, row: &str, column: &str) -> (usize, usize) {
    (
        t.row(row).unwrap_or_else(|| panic!("a row {row} in {:?}", t.rows)),
        t.column(column).unwrap_or_else(|| panic!("a column {column} in {:?}", t.columns)),
    )
}

#[test]
fn small_counts_are_suppressed_in_exports_with_a_second_cell_and_only_consenting_cases_count() {
    let mut office = Office::new(601);
    let cases = small_register(&mut office);

    let inside = report(&office.desk, &november(Audience::Internal));
    let t = &inside.cases.by_ground_community;
    let (eth, roma) = pos(t, "ethnicity", "roma");
    let (_, alb) = pos(t, "ethnicity", "albanian");
    let (_, srb) = pos(t, "ethnicity", "serbian");
    assert_eq!(t.cells[eth][roma], Cell::Count(3), "inside the office three Roma cases show as 3");
    assert_eq!(t.cells[eth][alb], Cell::Count(10), "and ten Albanian cases as 10");
    assert_eq!(t.cells[eth][srb], Cell::Count(1), "a case without consent to statistics is counted inside");
    assert_eq!(inside.cases.opened, Cell::Count(14), "every case opened in November");
    assert_eq!(inside.cases.left_out_without_consent, 0, "nothing is left out inside the office");
    assert_eq!(inside.privacy.audience, Audience::Internal);

    let out = report(&office.desk, &november(Audience::Export));
    let t = &out.cases.by_ground_community;
    assert_eq!(
        out.privacy,
        Privacy { audience: Audience::Export, threshold: 5 },
        "exports by default, threshold 5"
    );
    assert_eq!(t.cells[eth][roma], Cell::Small(5), "three Roma cases are shown as <5 in an export");
    assert_eq!(
        t.cells[eth][alb],
        Cell::Hidden,
        "the <5 would be 13 − 10 from its row's total: the smallest other count of the row is hidden too"
    );
    assert_eq!(t.row_totals[eth], Cell::Count(13), "the row's total stays shown: two cells hide the split");
    assert_eq!(t.cells[eth][srb], Cell::Count(0), "the case without consent is not counted in an export");
    assert_eq!(t.column_totals[t.column("serbian").unwrap()], Cell::Count(0), "not in its column's total");
    assert_eq!(out.cases.opened, Cell::Count(13), "only the 13 consenting cases are counted");
    assert_eq!(out.cases.left_out_without_consent, 1, "and the report says one was left out");
    let f = facts(&office.desk);
    let month = Period::new(day(2026, 11, 1), day(2026, 11, 30)).unwrap();
    check_report(&inside, &expect(&f, month, &["prishtine"], false), "internal, small register");
    check_report(&out, &expect(&f, month, &["prishtine"], true), "export, small register");

    // JSON: suppressed counts as the strings shown in tables, shown counts as numbers.
    let json_bytes = export::json(&out).expect("the JSON");
    let json: serde_json::Value = serde_json::from_slice(&json_bytes).expect("the JSON parses");
    let cells = &json["cases"]["by_ground_community"]["cells"][eth];
    assert_eq!(cells[roma], "<5", "JSON writes a small count as \"<5\"");
    assert_eq!(cells[alb], "x", "and a hidden one as \"x\"");
    assert_eq!(json["cases"]["by_ground_community"]["row_totals"][eth], 13, "shown counts are numbers");
    assert_eq!(json["cases"]["opened"], 13);
    assert_eq!(json["cases"]["left_out_without_consent"], 1);
    assert_eq!(json["privacy"]["audience"], "export");

    // Counts only: no name, story, contact, respondent or case number in any file.
    let csv: Vec<u8> =
        export::csv_files(&out, office.desk.vocab()).expect("CSV").into_iter().flat_map(|f| f.1).collect();
    let pdf = office.desk.report_bytes(&out, ReportFormat::Pdf).expect("the PDF").0;
    let texts = [
        ("JSON", String::from_utf8(json_bytes).expect("UTF-8")),
        ("internal JSON", String::from_utf8(export::json(&inside).expect("JSON")).expect("UTF-8")),
        ("CSV", String::from_utf8(csv).expect("UTF-8")),
        ("PDF", pdf_text(&pdf)),
    ];
    let mut secrets: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    secrets.extend(NAMES.iter().flat_map(|n| n.split(' ').map(str::to_string)));
    secrets.extend(["Zmbrixtaq".into(), "surname".into(), CONTACT.into(), "Xylofoni".into()]);
    secrets.extend(cases.iter().map(|c| c.case.number.clone()));
    for (format, text) in &texts {
        assert!(text.contains("Ethnicity") || text.contains("ethnicity"), "{format}: the text was read");
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{format} holds counts only, yet contains {s:?}");
        }
    }
}

#[test]
fn the_threshold_is_configurable_within_bounds_and_kept_for_the_next_export() {
    let mut office = Office::new(602);
    small_register(&mut office);
    assert_eq!(office.desk.report_threshold().expect("the threshold"), 5, "5 unless the office set another");
    for bad in [0, 2, 51, 1000] {
        assert_invalid(
            office.desk.set_report_threshold(bad),
            &[("threshold", "out_of_range")],
            &format!("a threshold of {bad} is refused"),
        );
    }
    assert_eq!(office.desk.report_threshold().unwrap(), 5, "a refused threshold changes nothing");
    assert_eq!(office.desk.set_report_threshold(3).expect("3 is allowed"), 3);
    let r = report(&office.desk, &november(Audience::Export));
    let t = &r.cases.by_ground_community;
    let (eth, roma) = pos(t, "ethnicity", "roma");
    assert_eq!(r.privacy.threshold, 3, "the saved threshold is used by the next export");
    assert_eq!(t.cells[eth][roma], Cell::Count(3), "with a threshold of 3, three cases are shown");
    let reopened = restored_copy(&office, 9);
    assert_eq!(reopened.desk.report_threshold().unwrap(), 3, "the threshold is saved in the database");
    let again = report(&reopened.desk, &november(Audience::Export));
    assert_eq!(again.cases.by_ground_community.cells[eth][roma], Cell::Count(3), "and used after reopening");
    office.desk.set_report_threshold(50).expect("50 is allowed");
    let r = report(&office.desk, &november(Audience::Export));
    assert_eq!(r.cases.opened, Cell::Small(50), "13 cases are below a threshold of 50");
    let inside = report(&office.desk, &november(Audience::Internal));
    assert_eq!(
        inside.cases.opened,
        Cell::Count(14),
        "an internal report suppresses nothing, whatever the threshold"
    );
}

#[test]
fn participants_are_counts_of_people_and_small_ones_are_suppressed_in_exports() {
    let mut office = Office::new(603);
    small_register(&mut office);
    let mut table = training("Tryezë e rrumbullakët", "prishtine");
    table.kind = ActivityKind::RoundTable;
    table.date_from = day(2026, 11, 3);
    table.date_to = None;
    table.attendance = vec![attendance("roma", 2, 1)];
    office.desk.save_activity(None, table).expect("a round table with three people");
    let r = report(&office.desk, &november(Audience::Export));
    let t = &r.activities.participants;
    let (roma, female) = pos(t, "roma", "female");
    assert_eq!(
        t.cells[roma][female],
        Cell::Small(5),
        "two Roma women are shown as <5 in the participants table"
    );
    let json: serde_json::Value = serde_json::from_slice(&export::json(&r).unwrap()).unwrap();
    let by_kind =
        json["activities"]["participants_by_kind"]["row_totals"].as_array().expect("participants by kind");
    for (kind, n) in ActivityKind::ALL.iter().zip(by_kind) {
        assert!(
            n.as_u64().is_none_or(|n| n == 0 || n >= 5),
            "the {} participants by kind are a count of people ({n}), shown in an export although below \
             the threshold: the round table's three Roma participants are given away",
            kind.as_str()
        );
    }
    let tables = export::tables(&r, office.desk.vocab());
    let t = tables.iter().find(|t| t.id == "activities_by_kind_target_group").expect("the activities table");
    let label = rightsdesk_domain::i18n::text("en", "activity_kind.round_table");
    let row = t.rows.iter().find(|row| row.label == label).expect("the round tables' row");
    assert_ne!(
        row.cells.last().map(String::as_str),
        Some("3"),
        "the printed and CSV activities table does not show the round table's 3 participants either: {row:?}"
    );
}

#[test]
fn a_request_that_makes_no_sense_is_refused_naming_the_field() {
    let office = Office::new(604);
    assert_invalid(
        office.desk.report(&request(day(2026, 5, 2), day(2026, 5, 1), Audience::Export)),
        &[("to", "end_before_start")],
        "a period that ends before it starts",
    );
    let mut req = november(Audience::Export);
    req.municipalities = vec!["prishtine".into(), "atlantis".into()];
    let err = office.desk.report(&req).expect_err("an unknown municipality");
    assert_eq!(err.code(), "validation", "{err}");
    assert_eq!(err.fields().len(), 1, "one field named: {err:?}");
    assert!(err.fields()[0].field.starts_with("municipalities"), "the municipality is named: {err:?}");
    let mut req = november(Audience::Export);
    req.lang = Some("de".into());
    assert_invalid(
        office.desk.report(&req),
        &[("lang", "unknown_code")],
        "a language the app does not speak",
    );
    let r = report(&office.desk, &november(Audience::Export));
    assert_eq!(r.cases.opened, Cell::Count(0), "a period with nothing in it counts zero");
    assert_eq!(r.referrals.median_days_to_reply, Figure::None, "and has no median");
}

// ---------------------------------------------------------------------------------------------
// 3. Period boundaries and the user's time zone.
// ---------------------------------------------------------------------------------------------

#[test]
fn both_ends_of_a_period_are_included_and_a_month_ends_on_its_last_day() {
    let clock = Arc::new(FixedClock::at_date(2026, 9, 30));
    let mut office = Office::with_clock(701, "prishtine", clock.clone());
    let at = |d: NaiveDate| clock.set(d.and_hms_opt(12, 0, 0).unwrap().and_utc());
    let open = |office: &mut Office, i: usize, d: NaiveDate| -> CaseId {
        at(d);
        hand_case(office, i, d, "albanian", "female", &["ethnicity"], true).case.id
    };
    open(&mut office, 0, day(2026, 9, 30));
    let first = open(&mut office, 1, day(2026, 10, 1));
    let closed_on_last = open(&mut office, 2, day(2026, 10, 31));
    let closed_after = open(&mut office, 3, day(2026, 10, 31));
    let referred_on_last = open(&mut office, 0, day(2026, 10, 31));
    let close = |office: &mut Office, id: CaseId| {
        let t = Transition { to: Status::Closed, close_reason: Some(CloseReason::Resolved), note: None };
        office.desk.transition(id, t).expect("closing a new case");
    };
    at(day(2026, 10, 31));
    close(&mut office, closed_on_last);
    let d = office.desk.case_detail(referred_on_last).unwrap();
    let mut r = referral(&d, day(2026, 10, 31));
    r.institution = "ombudsperson".into();
    office.desk.create_referral(referred_on_last, r).expect("a referral sent on the 31st");
    let mut meeting = training("Trajnim", "prishtine");
    meeting.date_from = day(2026, 10, 31);
    meeting.date_to = None;
    office.desk.save_activity(None, meeting).expect("a training on the 31st");
    at(day(2026, 11, 1));
    close(&mut office, closed_after);
    open(&mut office, 1, day(2026, 11, 1));
    let d = office.desk.case_detail(first).unwrap();
    office
        .desk
        .create_referral(first, referral(&d, day(2026, 11, 1)))
        .expect("a referral sent on 1 November");
    let mut meeting = training("Trajnim", "prishtine");
    meeting.date_from = day(2026, 11, 1);
    meeting.date_to = None;
    office.desk.save_activity(None, meeting).expect("a training on 1 November");
    at(day(2026, 11, 20));

    let october = report(&office.desk, &request(day(2026, 10, 1), day(2026, 10, 31), Audience::Internal));
    assert_eq!(
        october.cases.opened,
        Cell::Count(4),
        "1 and 31 October are both in October's report, 30 September and 1 November are not"
    );
    assert_eq!(
        october.cases.closed,
        Cell::Count(1),
        "a case closed on the period's last day counts; one closed the day after does not"
    );
    assert_eq!(
        october.cases.referred,
        Cell::Count(1),
        "a referral sent on the last day counts, one sent the day after does not"
    );
    let t = &october.cases.by_status;
    let cases = |t: &Table, s: &str| t.cells[t.row(s).unwrap()][0];
    assert_eq!(cases(t, "closed"), Cell::Count(1), "on 31 October one case was closed");
    assert_eq!(
        cases(t, "new"),
        Cell::Count(3),
        "the case closed on 1 November was still new at the end of October"
    );
    assert_eq!(
        october.activities.by_kind_target_group.total,
        Cell::Count(1),
        "the training on the 31st is October's"
    );
    let november = report(&office.desk, &request(day(2026, 11, 1), day(2026, 11, 30), Audience::Internal));
    assert_eq!(november.cases.opened, Cell::Count(1), "a case opened on 1 November is November's");
    assert_eq!(november.cases.closed, Cell::Count(1), "the case closed on 1 November is November's");
    assert_eq!(november.cases.referred, Cell::Count(1), "the referral of 1 November is November's");
    assert_eq!(
        november.activities.by_kind_target_group.total,
        Cell::Count(1),
        "and the training of 1 November"
    );
    let september = report(&office.desk, &request(day(2026, 9, 30), day(2026, 9, 30), Audience::Internal));
    assert_eq!(september.cases.opened, Cell::Count(1), "a one-day period holds that day");
}

fn referral(d: &CaseDetail, sent_on: NaiveDate) -> ReferralDraft {
    let a = &d.case.draft.acts[0];
    ReferralDraft {
        institution: "social_work_centre".into(),
        request_type: "investigation".into(),
        acts: vec![a.id.expect("a stored act")],
        grounds: a.grounds.clone(),
        asked: "Examine the refusal and take measures within your competence.".into(),
        sent_on,
        deadline: sent_on + Duration::days(30),
        protocol: String::new(),
        enclosures: vec![],
        override_reason: None,
    }
}

/// A clock that tells the date in Belgrade (and Prishtina): CET, UTC+1, in winter; CEST, UTC+2,
/// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
struct BelgradeClock(Mutex<DateTime<Utc>>);

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1).expect("a month") - Duration::days(1);
    while d.weekday() != Weekday::Sun {
        d -= Duration::days(1);
    }
    d
}

impl BelgradeClock {
    fn at(t: DateTime<Utc>) -> Arc<Self> {
        Arc::new(BelgradeClock(Mutex::new(t)))
    }
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().expect("the clock's lock") = t;
    }
    fn offset_hours(t: DateTime<Utc>) -> i64 {
        let y = t.year();
        let start = last_sunday(y, 3).and_hms_opt(1, 0, 0).expect("01:00").and_utc();
        let end = last_sunday(y, 10).and_hms_opt(1, 0, 0).expect("01:00").and_utc();
        if start <= t && t < end { 2 } else { 1 }
    }
}

impl Clock for BelgradeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("the clock's lock")
    }
    fn today(&self) -> NaiveDate {
        let t = self.now();
        (t + Duration::hours(Self::offset_hours(t))).date_naive()
    }
}

#[test]
fn today_is_the_day_in_belgrade_and_a_case_recorded_after_midnight_there_is_the_next_months() {
    assert_eq!(last_sunday(2026, 3), day(2026, 3, 29), "summer time starts on 29 March 2026");
    assert_eq!(last_sunday(2026, 10), day(2026, 10, 25), "and ends on 25 October 2026");
    let april_night = Utc.with_ymd_and_hms(2026, 3, 31, 22, 30, 0).unwrap();
    let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
    let clock = BelgradeClock::at(april_night);
    assert_eq!(
        clock.today(),
        day(2026, 4, 1),
        "22:30 UTC on 31 March is 00:30 on 1 April in Belgrade (CEST)"
    );
    assert_eq!(clock.now().date_naive(), day(2026, 3, 31), "while the UTC date is still 31 March");

    let tmp = tempfile::tempdir().expect("a temporary directory");
    let mut desk = Desk::setup(
        DataDir::new(tmp.path().join("data")),
        super::support::profile("prishtine"),
        PASS,
        Some(PASS),
        clock.clone(),
        IdGen::seeded(702),
    )
    .expect("setting up on the Belgrade clock");
    let mut draft = case_draft("Drita Krasniqi");
    draft.intake_date = desk.clock().today();
    draft.acts[0].date_from = Some(day(2026, 3, 20));
    let april = desk.create_case(draft).expect("a case taken in at half past midnight");
    assert_eq!(april.case.draft.intake_date, day(2026, 4, 1), "its intake is the user's today");
    assert_eq!(april.timeline[0].occurred_on, day(2026, 4, 1), "the timeline dates it the same day");
    let month = |y: i32, m: u32| {
        let from = day(y, m, 1);
        request(from, from + Months::new(1) - Duration::days(1), Audience::Internal)
    };
    assert_eq!(report(&desk, &month(2026, 4)).cases.opened, Cell::Count(1), "it is in April's report");
    assert_eq!(report(&desk, &month(2026, 3)).cases.opened, Cell::Count(0), "and not in March's");
    let d = desk.dashboard().expect("the dashboard");
    assert_eq!(d.today, day(2026, 4, 1), "the dashboard's today is Belgrade's");
    assert_eq!((d.this_period.from, d.this_period.to), (day(2026, 4, 1), day(2026, 4, 1)), "April so far");
    assert_eq!(d.opened_this_period, 1, "the case is this month's, April's");
    assert_eq!(d.opened_previous_period, 0, "not March's");

    clock.set(new_year);
    assert_eq!(
        clock.today(),
        day(2027, 1, 1),
        "23:30 UTC on 31 December is 00:30 on 1 January in Belgrade (CET)"
    );
    let mut draft = case_draft("Arta Berisha");
    draft.intake_date = desk.clock().today();
    draft.acts[0].date_from = Some(day(2026, 12, 30));
    let january = desk.create_case(draft).expect("a case taken in at half past midnight on New Year");
    assert!(january.case.number.contains("-2027-"), "it is numbered in 2027: {}", january.case.number);
    let t = Transition { to: Status::Closed, close_reason: Some(CloseReason::Withdrawn), note: None };
    desk.transition(april.case.id, t).expect("closing the April case at the same moment");
    let year = |y: i32| request(day(y, 1, 1), day(y, 12, 31), Audience::Internal);
    let y2027 = report(&desk, &year(2027));
    let y2026 = report(&desk, &year(2026));
    assert_eq!(y2027.cases.opened, Cell::Count(1), "the New Year's case is in 2027's report");
    assert_eq!(y2026.cases.opened, Cell::Count(1), "2026 holds only the April case");
    assert_eq!(y2027.cases.closed, Cell::Count(1), "a case closed at 00:30 on 1 January is closed in 2027");
    assert_eq!(y2026.cases.closed, Cell::Count(0), "not in 2026");
    let status = |r: &Report, s: &str| r.cases.by_status.cells[r.cases.by_status.row(s).unwrap()][0];
    assert_eq!(status(&y2026, "new"), Cell::Count(1), "at the end of 2026 the April case was still new");
    let d = desk.dashboard().expect("the dashboard");
    assert_eq!(
        (d.this_period.from, d.opened_this_period),
        (day(2027, 1, 1), 1),
        "this month is January 2027"
    );
    assert_eq!(d.previous_period.from, day(2026, 12, 1), "compared with December 2026");
}

// ---------------------------------------------------------------------------------------------
// 4. The central office's figures equal the unit's once in sync.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_central_office_reports_a_unit_exactly_as_the_unit_does_after_sync() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let mut central = std::mem::replace(&mut net.central, central_office(1, net.clock.clone()));
    assert_eq!(central.desk.profile().role, Role::Coordinator);
    unit.desk.generate_demo(300, 44).expect("demo data at the unit");
    // Hand-made records too: a case answered by an institution, and a small activity.
    let d = hand_case(&mut unit, 0, day(2026, 11, 3), "roma", "female", &["ethnicity", "language"], true);
    unit.tick();
    let after = unit.desk.create_referral(d.case.id, referral(&d, day(2026, 11, 4))).expect("a referral");
    unit.tick();
    let answer = ReferralUpdate {
        to: ReferralStatus::Answered,
        on: day(2026, 11, 18),
        text: Some("Procedure opened.".into()),
    };
    unit.desk.update_referral(after.referrals[0].id, answer).expect("the institution answers");
    let file = bundle_to(&mut unit, &central);
    import(&mut central, &file).expect("the central office imports the unit's bundle");

    let compare = |unit: &Office, central: &Office, when: &str| {
        for (from, to) in [(day(2024, 1, 1), day(2026, 12, 31)), (day(2026, 1, 1), day(2026, 12, 31))] {
            for audience in [Audience::Internal, Audience::Export] {
                let here = report(&unit.desk, &request(from, to, audience));
                let mut req = request(from, to, audience);
                req.municipalities = vec!["gjilan".into()];
                let there = report(&central.desk, &req);
                let what = format!("{when}, {audience:?} {from}–{to}");
                assert_ne!(here.office, there.office, "{what}: made by two offices");
                assert_eq!(there.municipalities, here.municipalities, "{what}: municipalities");
                assert_eq!(there.privacy, here.privacy, "{what}: privacy");
                assert_eq!(there.cases, here.cases, "{what}: the case figures");
                assert_eq!(there.referrals, here.referrals, "{what}: the referral figures");
                assert_eq!(there.activities, here.activities, "{what}: the activity figures");
                assert_eq!(there.newsletter, here.newsletter, "{what}: the newsletter line");
                assert_eq!(figures_of(&there), figures_of(&here), "{what}: every figure");
            }
        }
    };
    compare(&unit, &central, "after the first sync");
    let everything = report(&central.desk, &request(day(2024, 1, 1), day(2026, 12, 31), Audience::Internal));
    assert!(everything.municipalities.is_empty(), "at the central office no municipality named means all");
    let gjilan_only = report(&unit.desk, &request(day(2024, 1, 1), day(2026, 12, 31), Audience::Internal));
    assert!(
        everything.cases.opened.value() > gjilan_only.cases.opened.value(),
        "and counts the other municipalities' cases the demo bundle carried too"
    );

    // The unit closes a case and hears back on a referral; the central office syncs again.
    let before = report(&unit.desk, &request(day(2026, 1, 1), day(2026, 12, 31), Audience::Internal));
    unit.tick();
    let t = Transition { to: Status::Closed, close_reason: Some(CloseReason::Resolved), note: None };
    unit.desk.transition(d.case.id, t).expect("closing the hand-made case");
    let file = bundle_to(&mut unit, &central);
    import(&mut central, &file).expect("the second bundle");
    let after = report(&unit.desk, &request(day(2026, 1, 1), day(2026, 12, 31), Audience::Internal));
    assert_eq!(
        after.cases.closed.value(),
        before.cases.closed.value().map(|n| n + 1),
        "the case closed today counts in this year's report"
    );
    compare(&unit, &central, "after the status change synced");
}

// ---------------------------------------------------------------------------------------------
// 5. Exports: PDF, CSV (zip and folder), JSON, and a write that fails.
// ---------------------------------------------------------------------------------------------

/// The text of a PDF as `pdftotext -raw` reads it, page by page.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("writing the PDF");
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup --test");
    assert!(out.status.success(), "pdftotext reads the report: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The text of a PDF, whitespace collapsed to single spaces.
fn pdf_text(pdf: &[u8]) -> String {
    squash(&pdf_pages(pdf).join(" "))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pages `pdfinfo` counts.
fn pdfinfo_pages(path: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils) is installed");
    assert!(out.status.success(), "pdfinfo reads the report: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().expect("a page count")))
        .expect("pdfinfo prints the page count")
}

/// An office with three years of generated data (20 November 2026).
fn demo_office(seed: u64) -> Office {
    let mut office = Office::new(seed);
    office.desk.generate_demo(400, seed).expect("generating demo data");
    office
}

/// Five years by month: the activities table is long enough to break across pages.
fn five_years(audience: Audience) -> ReportRequest {
    request(day(2022, 1, 1), day(2026, 12, 31), audience)
}

#[test]
fn the_pdf_has_every_table_and_a_table_that_breaks_repeats_its_header_on_each_page() {
    let office = demo_office(801);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    let req = five_years(Audience::Export);
    let written = office.desk.export_report(&req, ReportFormat::Pdf, &path).expect("exporting the PDF");
    let bytes = std::fs::read(&path).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF-"), "the file is a PDF");
    assert_eq!(written.files, std::slice::from_ref(&path), "one file written");
    assert_eq!(written.bytes, bytes.len() as u64, "the size reported is the file's");
    let pages = pdfinfo_pages(&path);
    assert!(pages >= 2, "five years of figures take several pages, not {pages}");
    assert_eq!(written.pages, Some(pages), "the page count reported is the PDF's");

    let r = report(&office.desk, &req);
    let tables = export::tables(&r, office.desk.vocab());
    let text = pdf_text(&bytes);
    for t in &tables {
        assert!(text.contains(&squash(&t.title)), "the PDF has the table {:?}", t.title);
    }
    assert!(text.contains(&squash(&r.newsletter)), "and the newsletter line: {}", r.newsletter);
    assert!(
        text.contains(&squash(&export::privacy_note(&r))),
        "and the privacy note, with the cases left out"
    );
    let again = office.desk.report_bytes(&r, ReportFormat::Pdf).expect("the PDF again").0;
    assert_eq!(again, bytes, "the same report gives the same PDF, byte for byte");
    let inside = report(&office.desk, &five_years(Audience::Internal));
    let inside_text =
        pdf_text(&office.desk.report_bytes(&inside, ReportFormat::Pdf).expect("internal PDF").0);
    let warning = squash(rightsdesk_domain::i18n::text("en", "report.privacy.internal"));
    assert!(inside_text.contains(&warning), "an internal report says it must not leave the office");
    assert!(!text.contains(&warning), "an export does not");

    let months = tables.iter().find(|t| t.id == "activities_by_month").expect("the activities by month");
    let header = squash(&format!("{} {}", months.corner, months.columns.join(" ")));
    let is_month = |s: &str| s.len() == 7 && s.as_bytes()[4] == b'-' && s[..4].parse::<u32>().is_ok();
    let page_texts = pdf_pages(&bytes);
    let spans: Vec<usize> = page_texts
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.lines().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.len() == 1 + months.columns.len() && is_month(words[0])
            })
        })
        .map(|(i, _)| i + 1)
        .collect();
    assert!(spans.len() >= 2, "sixty months break across pages: rows on pages {spans:?}");
    for page in &spans {
        assert!(
            squash(&page_texts[page - 1]).contains(&header),
            "page {page} holds rows of the months table and its header row {header:?}"
        );
    }
}

#[test]
fn the_referrals_chart_labels_each_bar_with_its_number_of_referrals() {
    let mut office = Office::new(806);
    for i in 0..3 {
        let d = hand_case(&mut office, i, day(2026, 11, 2), "albanian", "female", &["ethnicity"], true);
        office.tick();
        let mut r = referral(&d, day(2026, 11, 2));
        r.institution = "ombudsperson".into();
        let after = office.desk.create_referral(d.case.id, r).expect("a referral");
        office.tick();
        let answer = ReferralUpdate {
            to: ReferralStatus::Answered,
            on: day(2026, 11, 12),
            text: Some("Seen.".into()),
        };
        office.desk.update_referral(after.referrals[0].id, answer).expect("answered in ten days");
        office.tick();
    }
    let r = report(&office.desk, &november(Audience::Internal));
    assert_eq!(r.referrals.by_institution.row_totals, [Cell::Count(3)], "three referrals to one institution");
    assert_eq!(r.referrals.median_days_to_reply, Figure::Value(10.0), "each answered in ten days");
    let name = r.referrals.institutions[0].clone();
    let tables = export::tables(&r, office.desk.vocab());
    let referrals = tables.iter().find(|t| t.id == "referrals_by_institution").expect("the referrals table");
    let next = tables.iter().find(|t| t.id == "activities_by_kind_target_group").expect("the next table");
    let text = pdf_text(&office.desk.report_bytes(&r, ReportFormat::Pdf).expect("the PDF").0);
    let title = squash(rightsdesk_domain::i18n::text("en", "report.chart.referrals_by_institution"));
    let start = text.find(&format!("{} ", squash(&referrals.title))).expect("the referrals table is printed");
    let chart_at = text[start..].find(&title).map(|i| start + i).expect("the referrals chart is printed");
    let end = text[chart_at..].find(&squash(&next.title)).map_or(text.len(), |i| chart_at + i);
    let chart = &text[chart_at..end];
    assert!(
        chart.contains(&format!("{} 3", squash(&name))),
        "the chart's bar for {name} is labelled with its 3 referrals (the bar's length), not with the \
         median days to reply: {chart:?}"
    );
}

/// The files of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the file is a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("a file of the zip");
            let mut out = Vec::new();
            f.read_to_end(&mut out).expect("reading a zipped file");
            (f.name().expect("a file name in the zip").to_string(), out)
        })
        .collect()
}

/// The records of a CSV file, after checking its byte-order mark and line ends.
fn records(name: &str, bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{name} starts with the UTF-8 byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap_or_else(|e| panic!("{name} is UTF-8: {e}"));
    assert!(text.ends_with("\r\n"), "{name} ends with CRLF");
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{name}: every line ends with CRLF");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_csv_zip_has_one_file_per_table_with_a_bom_crlf_and_labels_that_round_trip() {
    let office = demo_office(802);
    let dir = tempfile::tempdir().unwrap();
    let vocab = office.desk.vocab();
    assert_eq!(
        vocab.label(vocab::COMMUNITIES, "ashkali", "sr"),
        "Aškalijska",
        "the Serbian label has a háček"
    );
    assert_eq!(vocab.label(vocab::COMMUNITIES, "not_stated", "sq"), "Nuk është deklaruar");
    for lang in ["sq", "sr", "en"] {
        let mut req = request(day(2025, 1, 1), day(2026, 12, 31), Audience::Export);
        req.lang = Some(lang.into());
        let path = dir.path().join(format!("report-{lang}.zip"));
        let written = office.desk.export_report(&req, ReportFormat::Csv, &path).expect("exporting a CSV zip");
        assert_eq!(written.files, std::slice::from_ref(&path), "{lang}: a path ending in .zip gets one zip");
        let zipped = std::fs::read(&path).unwrap();
        let again = dir.path().join(format!("again-{lang}.zip"));
        office.desk.export_report(&req, ReportFormat::Csv, &again).expect("exporting it again");
        assert_eq!(std::fs::read(&again).unwrap(), zipped, "{lang}: the same report gives the same zip");
        let files = unzip(&zipped);
        let r = report(&office.desk, &req);
        assert_eq!(r.lang, lang);
        let tables = export::tables(&r, vocab);
        let mut names = vec!["summary.csv".to_string()];
        names.extend(tables.iter().map(|t| format!("{}.csv", t.id)));
        assert_eq!(
            files.iter().map(|f| f.0.clone()).collect::<Vec<_>>(),
            names,
            "{lang}: summary.csv and one file per table"
        );
        for (t, (name, bytes)) in tables.iter().zip(&files[1..]) {
            let rows = records(name, bytes);
            let mut header = vec![t.corner.clone()];
            header.extend(t.columns.iter().cloned());
            assert_eq!(rows[0], header, "{lang} {name}: the header row reads back as labelled");
            assert_eq!(
                rows.len(),
                t.rows.len() + 1,
                "{lang} {name}: every row, empty ones too, and the total"
            );
            for (got, row) in rows[1..].iter().zip(&t.rows) {
                let mut want = vec![row.label.clone()];
                want.extend(row.cells.iter().cloned());
                assert_eq!(got, &want, "{lang} {name}: a row reads back as labelled");
            }
        }
        let summary = records("summary.csv", &files[0].1);
        assert!(summary.iter().all(|r| r.len() == 2), "{lang}: the summary is label, value");
        assert!(
            summary.iter().any(|row| row[1] == r.newsletter),
            "{lang}: the newsletter line is in the summary"
        );
        let community = |code: &str| vocab.label(vocab::COMMUNITIES, code, lang).to_string();
        let grounds = &records("g", &files[1].1)[0];
        assert!(grounds.contains(&community("ashkali")), "{lang}: the community labels are the vocabulary's");
        if lang == "sr" {
            assert!(
                grounds.iter().any(|h| h == "Aškalijska"),
                "Serbian letters survive the round trip: {grounds:?}"
            );
        }
        if lang == "sq" {
            assert!(
                grounds.iter().any(|h| h == "Nuk është deklaruar"),
                "Albanian letters survive: {grounds:?}"
            );
        }
    }
}

#[test]
fn csv_to_a_folder_and_json_write_the_same_bytes_as_the_report_gives() {
    let office = demo_office(803);
    let dir = tempfile::tempdir().unwrap();
    let req = request(day(2026, 1, 1), day(2026, 6, 30), Audience::Export);
    let r = report(&office.desk, &req);
    let folder = dir.path().join("report-2026-H1");
    let written = office.desk.export_report(&req, ReportFormat::Csv, &folder).expect("CSV to a folder");
    let files = export::csv_files(&r, office.desk.vocab()).expect("the CSV files");
    assert_eq!(written.files.len(), files.len(), "one file per table and the summary");
    for (name, bytes) in &files {
        let on_disk =
            std::fs::read(folder.join(name)).unwrap_or_else(|e| panic!("{name} in the folder: {e}"));
        assert_eq!(&on_disk, bytes, "{name} is written as the report gives it");
    }
    assert_eq!(
        written.bytes,
        files.iter().map(|f| f.1.len() as u64).sum::<u64>(),
        "the bytes written add up"
    );
    let mut listed: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    let mut want: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    want.sort();
    assert_eq!(listed, want, "nothing else is left in the folder (no .part files)");

    let path = dir.path().join("report.json");
    office.desk.export_report(&req, ReportFormat::Json, &path).expect("JSON");
    let json = std::fs::read(&path).unwrap();
    assert_eq!(json, export::json(&r).unwrap(), "the JSON file is the report's JSON");
    let v: serde_json::Value = serde_json::from_slice(&json).expect("JSON parses");
    assert_eq!(v["format"], "rightsdesk-report/1", "the format is named and versioned");
    assert!(json.ends_with(b"}\n"), "the file ends with a newline");
}

#[test]
fn a_write_that_fails_leaves_no_file_and_says_it_was_the_disk() {
    let office = Office::new(804);
    let dir = tempfile::tempdir().unwrap();
    let req = november(Audience::Export);
    let missing = dir.path().join("no such folder");
    let blocker = dir.path().join("a file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let cases: [(ReportFormat, PathBuf); 5] = [
        (ReportFormat::Pdf, missing.join("report.pdf")),
        (ReportFormat::Json, missing.join("report.json")),
        (ReportFormat::Csv, missing.join("report.zip")),
        (ReportFormat::Csv, blocker.join("csv")),
        (ReportFormat::Pdf, blocker.join("report.pdf")),
    ];
    for (format, path) in cases {
        let err = office.desk.export_report(&req, format, &path).expect_err("a path that cannot be written");
        assert_eq!(err.code(), "io", "{format:?} to {}: an io error, not {err:?}", path.display());
        assert!(!path.exists(), "{format:?}: nothing at {}", path.display());
        assert!(!missing.exists(), "{format:?}: the missing folder is not made for a file");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a file"], "{format:?}: no partial or .part file is left behind");
        assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder", "the file in the way is untouched");
    }
}

#[test]
fn csv_to_a_folder_is_written_whole_or_not_at_all() {
    let office = Office::new(805);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("csv");
    // A folder where one of the tables' files should go: that file cannot be written.
    std::fs::create_dir_all(folder.join("cases_by_status.csv")).unwrap();
    let err = office
        .desk
        .export_report(&november(Audience::Export), ReportFormat::Csv, &folder)
        .expect_err("one of the files cannot be written");
    assert_eq!(err.code(), "io", "{err:?}");
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["cases_by_status.csv"],
        "a CSV export that fails leaves no part of the report in the folder (a reader would take the \
         files there for the whole report)"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Golden files: the wire format, byte for byte.
// ---------------------------------------------------------------------------------------------

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("golden")
}

/// Compares `actual` with the golden file `name`, or rewrites it with `RIGHTSDESK_BLESS=1`.
fn golden(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var("RIGHTSDESK_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("making the golden folder");
        std::fs::write(&path, actual).expect("writing a golden file");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_default();
    if actual != expected.as_slice() {
        let a = String::from_utf8_lossy(actual);
        let e = String::from_utf8_lossy(&expected);
        let line = a
            .lines()
            .zip(e.lines())
            .position(|(x, y)| x != y)
            .unwrap_or_else(|| a.lines().count().min(e.lines().count()));
        panic!(
            "{name} differs from {} from line {}: the report's wire format is frozen; if this change \
             is intended (and the format's version is raised when a field's meaning changes), rerun \
             with RIGHTSDESK_BLESS=1 and commit the files.\n--- actual ---\n{a}",
            path.display(),
            line + 1
        );
    }
}

/// A fixed register on a fixed clock with seeded ids: two communities, three grounds, a referral
/// answered in 12 days, a case closed, a training and an outreach meeting.
fn golden_office() -> Office {
    let mut office = Office::new(900);
    let mut ids = Vec::new();
    for i in 0..6 {
        let grounds: &[&str] = if i % 2 == 0 { &["ethnicity", "language"] } else { &["ethnicity"] };
        ids.push(hand_case(&mut office, i, day(2026, 10, 5 + i as u32), "albanian", "female", grounds, true));
        office.tick();
    }
    for i in 0..2 {
        ids.push(hand_case(&mut office, i, day(2026, 10, 20), "serbian", "male", &["disability"], true));
        office.tick();
    }
    ids.push(hand_case(&mut office, 2, day(2026, 10, 21), "roma", "male", &["ethnicity"], false));
    office.tick();
    let d = &ids[0];
    let after = office.desk.create_referral(d.case.id, referral(d, day(2026, 10, 6))).expect("a referral");
    office.tick();
    let answered =
        ReferralUpdate { to: ReferralStatus::Answered, on: day(2026, 10, 18), text: Some("Opened.".into()) };
    office.desk.update_referral(after.referrals[0].id, answered).expect("an answer");
    office.tick();
    let close = Transition { to: Status::Closed, close_reason: Some(CloseReason::Resolved), note: None };
    office.desk.transition(ids[1].case.id, close).expect("closing a case");
    let mut t: ActivityDraft = training("Ligji për mbrojtjen nga diskriminimi", "prishtine");
    t.attendance = vec![attendance("albanian", 7, 5), attendance("serbian", 3, 2)];
    office.desk.save_activity(None, t).expect("a training");
    let mut o = super::support::outreach("Lagjja e Romëve", "prishtine");
    o.date_from = day(2026, 10, 9);
    office.desk.save_activity(None, o).expect("an outreach meeting");
    office
}

#[test]
fn the_json_and_csv_of_a_fixed_report_are_frozen_byte_for_byte() {
    let office = golden_office();
    let quarter = |audience| request(day(2026, 10, 1), day(2026, 12, 31), audience);
    let out = report(&office.desk, &quarter(Audience::Export));
    assert_eq!(out.cases.left_out_without_consent, 1, "the register has one case without consent");
    golden("report.json", &export::json(&out).expect("the JSON"));
    let inside = report(&office.desk, &quarter(Audience::Internal));
    golden("report-internal.json", &export::json(&inside).expect("the internal JSON"));
    for (name, bytes) in export::csv_files(&out, office.desk.vocab()).expect("the CSV files") {
        golden(&format!("report-csv/{name}"), &bytes);
    }
    let again = report(&golden_office().desk, &quarter(Audience::Export));
    assert_eq!(
        export::json(&again).unwrap(),
        export::json(&out).unwrap(),
        "the same register made again gives the same bytes"
    );
}
