//! Period reports and the dashboard: counts of cases, referrals and activities for a period and
//! municipalities, under the privacy rules of [`rightsdesk_domain::report`], as shown on screen
//! and exported as PDF, CSV or JSON.
//!
//! - A report holds **counts only**: no names, no narratives, no case numbers.
//! - **Exports** (the default) count only cases whose person consented to anonymous statistics,
//!   say how many were left out, and suppress small counts of people (threshold 5 unless the
//!   office set another in Settings). **Internal** reports count everything and are marked as not
//!   for distribution.
//! - The same data and period always give the same report: the figures come from the records
//!   alone (dates as entered, statuses from the timeline), never from when the report is made; so
//!   the central office's figures for a municipality equal the unit's own once their bundles are
//!   in sync.
use crate::{AppError, Desk, Result};
use chrono::NaiveDate;
use rightsdesk_domain::activity::ActivityKind;
use rightsdesk_domain::referral::ReferralStatus;
use rightsdesk_domain::report::{self, Audience, Cell, Period, PeriodKind, Privacy, Table};
use rightsdesk_domain::validation::{FieldError, codes};
use rightsdesk_domain::vocab::{self, Vocabularies};
use rightsdesk_domain::workflow::Status;
use rightsdesk_domain::{Invalid, i18n, institution};
use rightsdesk_store::reports::{self as store_reports, Axes, Figures, Scope};
use serde::{Deserialize, Serialize, Serializer};

pub mod export;
pub mod pdf;

/// The JSON report's format name; the version changes only when a field's meaning changes.
pub const FORMAT: &str = "rightsdesk-report/1";

/// What the user asks for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Municipality codes; empty: the unit's own municipality (at a unit) or all (at the
    /// central office).
    #[serde(default)]
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub audience: Audience,
    /// The language of the labels, the newsletter line and the files (default: the
    /// interface's).
    #[serde(default)]
    pub lang: Option<String>,
}

/// A median, or why it is not shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Value(f64),
    /// Fewer replies than the threshold: written `<5`.
    Small(u32),
    /// No replies at all: written `–`.
    None,
}

impl Figure {
    /// As written: `12`, `12.5`, `<5`, `–`.
    pub fn text(self) -> String {
        match self {
            Figure::Value(v) if v.fract() == 0.0 => format!("{v:.0}"),
            Figure::Value(v) => format!("{v:.1}"),
            Figure::Small(t) => format!("<{t}"),
            Figure::None => "–".into(),
        }
    }
}

/// In JSON: a number, `"<5"` or `null`.
impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Figure::Value(v) => s.serialize_f64(*v),
            Figure::Small(t) => s.serialize_str(&format!("<{t}")),
            Figure::None => s.serialize_none(),
        }
    }
}

/// A period report as shown, printed and exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub period: Period,
    /// The municipalities counted (codes); empty: every municipality in this database.
    pub municipalities: Vec<String>,
    pub privacy: Privacy,
    /// The language of `institutions` and `newsletter`.
    pub lang: String,
    /// The office that made the report, and on which day (not part of the figures).
    pub office: String,
    pub prepared_on: NaiveDate,
    pub cases: CaseFigures,
    pub referrals: ReferralFigures,
    pub activities: ActivityFigures,
    /// One sentence for a newsletter: the activities held and the cases, in `lang`.
    pub newsletter: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFigures {
    /// Opened in the period (intake date).
    pub opened: Cell,
    /// With a referral sent in the period.
    pub referred: Cell,
    /// Closed in the period.
    pub closed: Cell,
    /// Opened in the period but left out: the person did not consent to statistics (exports).
    pub left_out_without_consent: u64,
    pub by_ground_community: Table,
    pub by_area_gender: Table,
    /// Status at the end of the period of the cases opened in it.
    pub by_status: Table,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralFigures {
    /// Referrals sent in the period, by institution (rows) and status now (columns).
    pub by_institution: Table,
    /// The institutions' names in the report's language, by row.
    pub institutions: Vec<String>,
    /// Replies received to those referrals.
    pub replies: Cell,
    /// Median days from sending to the reply, over all institutions and by row.
    pub median_days_to_reply: Figure,
    pub median_days_by_institution: Vec<Figure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityFigures {
    /// Activities by kind (rows) and target group (columns; an activity may have several);
    /// row totals: activities of the kind. Never suppressed: they count meetings, not people.
    pub by_kind_target_group: Table,
    /// Participants by kind (rows, as `by_kind_target_group`'s), one column: counts of people,
    /// suppressed like cases.
    pub participants_by_kind: Table,
    /// Activities by month (rows, `YYYY-MM`) and kind (columns).
    pub by_month: Table,
    /// Participants by community (rows) and gender (columns), suppressed like cases.
    pub participants: Table,
}

/// The home screen's figures: what waits now, this month against the last, and the last twelve
/// months in small charts. Inside the office, so every case is counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub open_cases: u64,
    pub overdue_tasks: u64,
    pub overdue_replies: u64,
    /// The month so far and the same days of the month before.
    pub this_period: Period,
    pub previous_period: Period,
    pub opened_this_period: u64,
    pub opened_previous_period: u64,
    /// The twelve months the charts cover.
    pub chart_period: Period,
    /// `(code, cases)`, most first, zeros left out.
    pub by_ground: Vec<(String, u64)>,
    pub by_area: Vec<(String, u64)>,
    pub by_community: Vec<(String, u64)>,
    /// Activities by month and kind over the chart period.
    pub activities_by_month: Table,
}

fn invalid(field: &str, code: &'static str) -> AppError {
    AppError::Invalid(Invalid { fields: vec![FieldError { field: field.into(), code }] })
}

/// The tables' rows and columns from the vocabularies.
fn axes(v: &Vocabularies) -> Axes {
    let codes = |name: &str| -> Vec<String> {
        v.get(name).map(|voc| voc.entries.iter().map(|e| e.code.clone()).collect()).unwrap_or_default()
    };
    Axes {
        grounds: codes(vocab::GROUNDS),
        areas: codes(vocab::AREAS),
        communities: codes(vocab::COMMUNITIES),
        genders: codes(vocab::GENDERS),
        statuses: Status::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        referral_statuses: ReferralStatus::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        kinds: ActivityKind::ALL.iter().map(|k| k.as_str().to_string()).collect(),
        target_groups: codes(vocab::TARGET_GROUPS),
    }
}

impl Desk {
    /// The smallest count of people shown in exports from this office.
    pub fn report_threshold(&self) -> Result<u32> {
        Ok(store_reports::threshold(self.store.conn())?.unwrap_or(report::DEFAULT_THRESHOLD))
    }

    /// Sets the smallest count of people shown in exports (3–50).
    pub fn set_report_threshold(&mut self, threshold: u32) -> Result<u32> {
        report::check_threshold(threshold)?;
        store_reports::set_threshold(self.store.conn(), threshold)?;
        Ok(threshold)
    }

    /// The municipalities a report counts when none are named: the unit's own; all at the
    /// central office.
    fn report_municipalities(&self, asked: &[String]) -> Result<Vec<String>> {
        let mut out = asked.to_vec();
        out.sort();
        out.dedup();
        if let Some(bad) = out.iter().position(|m| !self.vocab.contains(vocab::MUNICIPALITIES, m)) {
            return Err(invalid(&format!("municipalities[{bad}]"), codes::UNKNOWN_CODE));
        }
        if out.is_empty() && self.profile.role == rightsdesk_domain::profile::Role::Officer {
            out.push(self.profile.municipality.clone());
        }
        Ok(out)
    }

    /// The period report for `req`.
    pub fn report(&self, req: &ReportRequest) -> Result<Report> {
        let period = Period::new(req.from, req.to)?;
        let municipalities = self.report_municipalities(&req.municipalities)?;
        let privacy = match req.audience {
            Audience::Internal => Privacy::internal(),
            Audience::Export => Privacy::export(self.report_threshold()?)?,
        };
        let lang = match &req.lang {
            Some(l) if i18n::is_supported(l) => l.clone(),
            Some(_) => return Err(invalid("lang", codes::UNKNOWN_CODE)),
            None => self.profile.lang.clone(),
        };
        let scope = Scope { period, municipalities: &municipalities, consent_only: privacy.consent_only() };
        let f = store_reports::figures(self.store.conn(), &scope, &axes(self.vocab))?;
        let fill = if municipalities.len() == 1 { municipalities[0].as_str() } else { "" };
        Ok(build(
            period,
            municipalities.clone(),
            privacy,
            &lang,
            &self.profile.office,
            self.clock.today(),
            fill,
            self,
            &f,
        ))
    }

    /// The home screen's figures on the clock's today.
    pub fn dashboard(&self) -> Result<Dashboard> {
        let today = self.clock.today();
        let municipalities = self.report_municipalities(&[])?;
        let conn = self.store.conn();
        let waiting = store_reports::waiting(conn, today, &municipalities)?;
        let axes = axes(self.vocab);
        let this_period = Period::month_to_date(today);
        let previous_period = this_period.previous();
        let scope = |period: Period| Scope { period, municipalities: &municipalities, consent_only: false };
        let chart_period = Period::last_twelve_months(today);
        let charts = store_reports::figures(conn, &scope(chart_period), &axes)?;
        let ranked = |rows: &[String], totals: &[u64]| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> =
                rows.iter().cloned().zip(totals.iter().copied()).filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let c = &charts.by_ground_community;
        Ok(Dashboard {
            today,
            open_cases: waiting.open_cases,
            overdue_tasks: waiting.overdue_tasks,
            overdue_replies: waiting.overdue_replies,
            this_period,
            previous_period,
            opened_this_period: store_reports::opened(conn, &scope(this_period))?,
            opened_previous_period: store_reports::opened(conn, &scope(previous_period))?,
            chart_period,
            by_ground: ranked(&c.rows, &c.row_totals),
            by_area: ranked(&charts.by_area_gender.rows, &charts.by_area_gender.row_totals),
            by_community: ranked(&c.columns, &c.column_totals),
            activities_by_month: charts.activities_by_month.exact(),
        })
    }

    /// An institution's name in `lang`; `{municipality}` filled with `fill` (blank: left out).
    pub(crate) fn institution_label(&self, id: &str, lang: &str, fill: &str) -> String {
        if let Some(i) = institution::builtin().iter().find(|i| i.code == id) {
            if fill.is_empty() {
                let name = institution::pick(&i.name, lang).replace("{municipality}", "");
                return name.trim_end_matches([',', ' ']).to_string();
            }
            return i.name_in(lang, fill, self.vocab);
        }
        let custom = id.parse().ok().and_then(|id| {
            rightsdesk_store::referrals::get_institution(self.store.conn(), id).ok().flatten()
        });
        custom.map_or_else(|| id.to_string(), |c| institution::pick(&c.draft.name, lang).to_string())
    }
}

/// The period as written in the report's text: `1.10.2026–31.12.2026`.
pub fn period_text(p: Period) -> String {
    format!("{}–{}", p.from.format("%-d.%-m.%Y"), p.to.format("%-d.%-m.%Y"))
}

/// The presets' names for the period, e.g. for file names: `2026-Q4`, `2026-11`, `2026-H1`,
/// `2026`, else `2026-05-10_2026-05-19`.
pub fn period_slug(p: Period) -> String {
    use chrono::Datelike;
    for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Semester, PeriodKind::Year] {
        if Period::containing(kind, p.from) == p {
            let (y, m) = (p.from.year(), p.from.month());
            return match kind {
                PeriodKind::Month => format!("{y}-{m:02}"),
                PeriodKind::Quarter => format!("{y}-Q{}", (m - 1) / 3 + 1),
                PeriodKind::Semester => format!("{y}-H{}", (m - 1) / 6 + 1),
                PeriodKind::Year => format!("{y}"),
            };
        }
    }
    format!("{}_{}", p.from, p.to)
}

#[allow(clippy::too_many_arguments)]
fn build(
    period: Period,
    municipalities: Vec<String>,
    privacy: Privacy,
    lang: &str,
    office: &str,
    today: NaiveDate,
    fill: &str,
    desk: &Desk,
    f: &Figures,
) -> Report {
    let referral_table = privacy.table(&f.referrals);
    let institutions = f.referrals.rows.iter().map(|id| desk.institution_label(id, lang, fill)).collect();
    let median_of = |days: Vec<i64>| -> Figure {
        let n = days.len() as u64;
        let mut days = days;
        match report::median(&mut days) {
            None => Figure::None,
            Some(_) if privacy.audience == Audience::Export && n < u64::from(privacy.threshold) => {
                Figure::Small(privacy.threshold)
            }
            Some(m) => Figure::Value(m),
        }
    };
    let all_days: Vec<i64> = f.reply_days.iter().map(|d| d.1).collect();
    let replies = all_days.len() as u64;
    let median_days_by_institution = f
        .referrals
        .rows
        .iter()
        .map(|id| median_of(f.reply_days.iter().filter(|d| &d.0 == id).map(|d| d.1).collect()))
        .collect();
    let cases = CaseFigures {
        opened: privacy.count(f.opened),
        referred: privacy.count(f.referred),
        closed: privacy.count(f.closed),
        left_out_without_consent: f.without_consent,
        by_ground_community: privacy.table(&f.by_ground_community),
        by_area_gender: privacy.table(&f.by_area_gender),
        by_status: privacy.table(&f.by_status),
    };
    let activities = ActivityFigures {
        by_kind_target_group: f.activities.exact(),
        participants_by_kind: privacy.table(&{
            let mut t = report::RawTable::zeros(f.activities.rows.clone(), vec!["participants".into()]);
            for (row, n) in t.cells.iter_mut().zip(&f.participants_by_kind) {
                row[0] = *n;
            }
            t.sum_totals();
            t
        }),
        by_month: f.activities_by_month.exact(),
        participants: privacy.table(&f.participants),
    };
    let newsletter = newsletter(lang, period, &cases, &activities, desk.vocab);
    Report {
        format: FORMAT,
        period,
        municipalities,
        privacy,
        lang: lang.to_string(),
        office: office.to_string(),
        prepared_on: today,
        cases,
        referrals: ReferralFigures {
            by_institution: referral_table,
            institutions,
            replies: privacy.count(replies),
            median_days_to_reply: median_of(all_days),
            median_days_by_institution,
        },
        activities,
        newsletter,
    }
}

/// "1.10.2026–31.12.2026: 10 outreach meetings, 7 trainings (5 for municipal officials), 2 round
/// tables, with 245 participants (130 women, 115 men); 24 cases opened, 9 referred, 6 closed."
fn newsletter(
    lang: &str,
    period: Period,
    cases: &CaseFigures,
    a: &ActivityFigures,
    v: &Vocabularies,
) -> String {
    let t = &a.by_kind_target_group;
    let count_of = |kind: ActivityKind| -> u64 {
        t.row(kind.as_str()).and_then(|i| t.row_totals[i].value()).unwrap_or(0)
    };
    let mut parts = Vec::new();
    let any = ActivityKind::ALL.iter().any(|&k| count_of(k) > 0);
    for kind in [ActivityKind::Outreach, ActivityKind::Training, ActivityKind::RoundTable] {
        let n = count_of(kind);
        // "0 round tables" is left out, unless nothing was held at all.
        if n == 0 && (any || kind != ActivityKind::Outreach) {
            continue;
        }
        let mut text = i18n::plural(lang, &format!("report.news.{}", kind.as_str()), n);
        let training_row = if kind == ActivityKind::Training && n > 0 { t.row(kind.as_str()) } else { None };
        if let Some(row) = training_row {
            let groups: Vec<String> = t
                .columns
                .iter()
                .enumerate()
                .filter_map(|(c, code)| match t.cells[row][c] {
                    Cell::Count(k) if k > 0 && code != vocab::OTHER => Some(
                        i18n::text(lang, "report.news.for_group")
                            .replace("{n}", &k.to_string())
                            .replace("{group}", &v.label(vocab::TARGET_GROUPS, code, lang).to_lowercase()),
                    ),
                    _ => None,
                })
                .collect();
            if !groups.is_empty() {
                text = format!("{text} ({})", groups.join(", "));
            }
        }
        parts.push(text);
    }
    let counted = |key: &str, c: Cell| -> String {
        match c {
            Cell::Count(n) => i18n::plural(lang, key, n),
            // Suppressed: "<5 cases opened", worded as for the threshold itself.
            Cell::Small(t) => {
                i18n::plural(lang, key, u64::from(t)).replacen(&t.to_string(), &format!("<{t}"), 1)
            }
            Cell::Hidden => i18n::plural(lang, key, 0).replacen('0', "x", 1),
        }
    };
    let mut text = format!("{}: {}", period_text(period), parts.join(", "));
    let people = a.participants_by_kind.total;
    if people != Cell::Count(0) {
        text.push_str(&counted("report.news.participants", people));
    }
    let case_part = counted;
    text.push_str("; ");
    text.push_str(&case_part("report.news.opened", cases.opened));
    text.push_str(", ");
    text.push_str(&case_part("report.news.referred", cases.referred));
    text.push_str(", ");
    text.push_str(&case_part("report.news.closed", cases.closed));
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_names_for_files() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(period_slug(Period { from: d(2026, 10, 1), to: d(2026, 12, 31) }), "2026-Q4");
        assert_eq!(period_slug(Period { from: d(2026, 11, 1), to: d(2026, 11, 30) }), "2026-11");
        assert_eq!(period_slug(Period { from: d(2026, 1, 1), to: d(2026, 6, 30) }), "2026-H1");
        assert_eq!(period_slug(Period { from: d(2026, 1, 1), to: d(2026, 12, 31) }), "2026");
        assert_eq!(period_slug(Period { from: d(2026, 5, 10), to: d(2026, 5, 19) }), "2026-05-10_2026-05-19");
        assert_eq!(period_text(Period { from: d(2026, 5, 1), to: d(2026, 12, 31) }), "1.5.2026–31.12.2026");
    }
}
