//! What the app tests share: an office (a data folder with its fixed clock and unlocked desk),
//! sample drafts, and helpers to read errors and page through lists.
use chrono::{Duration, NaiveDate};
use rightsdesk_app::find::CasePage;
use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::activity::{ActivityDraft, ActivityKind, AttendanceRow, Counts};
use rightsdesk_domain::case::{Act, CaseDraft, Person, Risk};
use rightsdesk_domain::clock::{Clock, FixedClock};
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::timeline::{EntryDraft, EntryKind};
use rightsdesk_store::search::{CaseFilter, CaseSummary};
use rightsdesk_store::stats::Counts as TableCounts;
use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;
use tempfile::TempDir;

/// The passphrase every test installation is set up with.
pub const PASS: &str = "dëshmi e fortë 2026";

/// The day the tests run on (the fixed clock stands at noon UTC of it).
pub fn today() -> NaiveDate {
    day(2026, 11, 20)
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at_date(2026, 11, 20))
}

/// What the set-up wizard asks for.
pub fn profile(municipality: &str) -> ProfileDraft {
    ProfileDraft {
        municipality: municipality.into(),
        office: "Njësia për të Drejtat e Njeriut".into(),
        officer: "Arben Gashi".into(),
        role: Role::Officer,
        lang: "en".into(),
    }
}

/// One installation: a temporary data folder, its fixed clock and the unlocked desk.
pub struct Office {
    /// Holds the temporary folder: it is deleted when the office is dropped.
    _tmp: TempDir,
    pub clock: Arc<FixedClock>,
    pub desk: Desk,
}

impl Office {
    /// A new installation in Prishtinë whose ids come from `seed`.
    pub fn new(seed: u64) -> Self {
        Self::with_clock(seed, "prishtine", clock())
    }

    /// A new installation in `municipality`, on a clock shared with other offices if wanted.
    pub fn with_clock(seed: u64, municipality: &str, clock: Arc<FixedClock>) -> Self {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = DataDir::new(tmp.path().join("data"));
        let desk =
            Desk::setup(dir, profile(municipality), PASS, Some(PASS), clock.clone(), IdGen::seeded(seed))
                .expect("setting up a valid profile in an empty folder");
        Self { _tmp: tmp, clock, desk }
    }

    /// An office from a set-up desk and the folder holding it.
    pub fn from_parts(tmp: TempDir, clock: Arc<FixedClock>, desk: Desk) -> Self {
        Self { _tmp: tmp, clock, desk }
    }

    /// Moves the clock on a minute, so that what is written next is recorded after what came before.
    pub fn tick(&self) {
        self.clock.advance(Duration::minutes(1));
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Row counts of every table.
    pub fn counts(&self) -> TableCounts {
        self.desk.stats().expect("counting rows")
    }
}

/// A valid one-act case about `name`.
pub fn case_draft(name: &str) -> CaseDraft {
    CaseDraft {
        intake_date: day(2026, 11, 18),
        channel: "walk_in".into(),
        source_activity: None,
        person: Person {
            name: Some(name.into()),
            contact: Some("044 123 456".into()),
            gender: "female".into(),
            age_band: "age_25_34".into(),
            community: "ashkali".into(),
            language: "albanian".into(),
            consent_processing: true,
            consent_referral: true,
            consent_statistics: true,
        },
        acts: vec![act("Refused social assistance because of her community.", &["ethnicity"])],
        risk: Risk::Medium,
        assigned_officer: "Arben Gashi".into(),
    }
}

/// A valid act with this narrative and these grounds.
pub fn act(narrative: &str, grounds: &[&str]) -> Act {
    Act {
        id: None,
        date_from: Some(day(2026, 11, 2)),
        date_to: None,
        place: "Qendra për Punë Sociale".into(),
        narrative: narrative.into(),
        grounds: grounds.iter().map(|g| g.to_string()).collect(),
        ground_other: None,
        area: "social_assistance".into(),
        form: "direct".into(),
        respondent_type: "municipal_institution".into(),
        respondent_name: "QPS Prishtinë".into(),
    }
}

/// A note written today.
pub fn note(text: &str) -> EntryDraft {
    EntryDraft {
        kind: EntryKind::Note,
        action_type: None,
        occurred_on: today(),
        text: text.into(),
        corrects: None,
    }
}

/// A valid training held a month ago in `municipality`.
pub fn training(title: &str, municipality: &str) -> ActivityDraft {
    ActivityDraft {
        kind: ActivityKind::Training,
        title: title.into(),
        date_from: day(2026, 10, 14),
        date_to: Some(day(2026, 10, 15)),
        venue: "Salla e Kuvendit Komunal".into(),
        municipality: municipality.into(),
        organiser: "MHRU".into(),
        trainers: "Ombudsperson Institution".into(),
        topics: "Law 05/L-021 on protection from discrimination".into(),
        target_groups: vec!["municipal_officials".into()],
        format: None,
        issues_raised: String::new(),
        notes: String::new(),
        attendance: vec![attendance("albanian", 7, 5), attendance("serbian", 3, 2)],
    }
}

/// A valid outreach meeting held in `municipality` at `venue`.
pub fn outreach(venue: &str, municipality: &str) -> ActivityDraft {
    ActivityDraft {
        kind: ActivityKind::Outreach,
        title: String::new(),
        date_from: day(2026, 11, 10),
        date_to: None,
        venue: venue.into(),
        municipality: municipality.into(),
        organiser: "MHRU".into(),
        trainers: String::new(),
        topics: "How to report discrimination".into(),
        target_groups: vec![],
        format: Some("community_meeting".into()),
        issues_raised: "Civil registration documents".into(),
        notes: String::new(),
        attendance: vec![attendance("roma", 9, 4)],
    }
}

pub fn attendance(community: &str, female: u32, male: u32) -> AttendanceRow {
    AttendanceRow { community: community.into(), counts: Counts { female, male, other: 0, not_stated: 0 } }
}

/// The fields (and their codes) a validation error names; empty for any other error.
pub fn fields(err: &AppError) -> Vec<(String, &'static str)> {
    err.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
}

/// Asserts `res` is a validation error naming exactly `expected` (field, code) pairs.
pub fn assert_invalid<T: Debug>(res: Result<T, AppError>, expected: &[(&str, &str)], why: &str) {
    let err = res.expect_err(why);
    assert_eq!(err.code(), "validation", "{why}: a field error, not {err:?}");
    let mut got: Vec<(String, &str)> = fields(&err);
    got.sort();
    let mut want: Vec<(String, &str)> = expected.iter().map(|(f, c)| (f.to_string(), *c)).collect();
    want.sort();
    assert_eq!(got, want, "{why}: the error names exactly these fields");
}

/// Every case the filter matches, page by page (`page_size` at a time), checking that no case
/// comes twice and that the list's total is the number of cases it pages through.
pub fn all_pages(desk: &Desk, filter: &CaseFilter, page_size: u32) -> Vec<CaseSummary> {
    let mut out = Vec::new();
    let mut f = filter.clone();
    f.limit = page_size;
    f.offset = 0;
    let total = loop {
        let CasePage { items, total } = desk.list_cases(&f).expect("listing cases");
        let n = items.len() as u32;
        out.extend(items);
        if n < page_size {
            break total;
        }
        f.offset += page_size;
    };
    assert_eq!(
        total,
        out.len() as i64,
        "the list's total counts exactly the cases its pages hold ({filter:?})"
    );
    let ids: HashSet<_> = out.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), out.len(), "paging gives every case once, none twice ({filter:?})");
    out
}

/// A filter that matches these words.
pub fn text(words: &str) -> CaseFilter {
    CaseFilter { text: Some(words.into()), ..CaseFilter::default() }
}
