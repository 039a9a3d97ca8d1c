//! Activities the unit holds or attends: **trainings** (e.g. on the anti-discrimination law for
//! municipal officials), **round tables** with stakeholders, and **outreach meetings** with
//! communities. Attendance is recorded as counts by community and gender, never names
//! (data minimisation); the communities reached are the communities with attendance.
use crate::ids::{ActivityId, DeviceId};
use crate::validation::{Checker, Invalid, codes};
use crate::vocab::{self, Vocabularies};
use crate::{MAX_LINE, MAX_TEXT};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Training,
    RoundTable,
    Outreach,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 3] =
        [ActivityKind::Training, ActivityKind::RoundTable, ActivityKind::Outreach];
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Training => "training",
            ActivityKind::RoundTable => "round_table",
            ActivityKind::Outreach => "outreach",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Attendance of one community, by gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Counts {
    pub female: u32,
    pub male: u32,
    pub other: u32,
    pub not_stated: u32,
}

impl Counts {
    pub fn total(&self) -> u64 {
        u64::from(self.female) + u64::from(self.male) + u64::from(self.other) + u64::from(self.not_stated)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    /// Code from the `communities` vocabulary.
    pub community: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Most people one row may count: more is a typing mistake.
pub const MAX_COUNT: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDraft {
    pub kind: ActivityKind,
    /// Required for trainings and round tables; optional for outreach meetings.
    #[serde(default)]
    pub title: String,
    pub date_from: NaiveDate,
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// Venue of a training; place or settlement of an outreach meeting.
    #[serde(default)]
    pub venue: String,
    pub municipality: String,
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub trainers: String,
    #[serde(default)]
    pub topics: String,
    /// Trainings and round tables: codes from `target_groups`.
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// Outreach meetings: code from `meeting_formats`.
    #[serde(default)]
    pub format: Option<String>,
    /// Outreach meetings: what people raised.
    #[serde(default)]
    pub issues_raised: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub attendance: Vec<AttendanceRow>,
}

impl ActivityDraft {
    pub fn normalise(&mut self) {
        for s in [
            &mut self.title,
            &mut self.venue,
            &mut self.organiser,
            &mut self.trainers,
            &mut self.topics,
            &mut self.issues_raised,
            &mut self.notes,
        ] {
            *s = s.trim().to_string();
        }
        if self.date_to == Some(self.date_from) {
            self.date_to = None;
        }
        let mut seen = Vec::new();
        self.target_groups.retain(|g| {
            let new = !seen.contains(g);
            seen.push(g.clone());
            new
        });
        self.format = self.format.take().filter(|f| !f.trim().is_empty());
    }

    pub fn validate(&self, v: &Vocabularies, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::new();
        let outreach = self.kind == ActivityKind::Outreach;
        if outreach {
            c.max_len("title", &self.title, MAX_LINE);
            c.required_text("venue", &self.venue, MAX_LINE);
            match &self.format {
                Some(f) => c.code("format", v, vocab::MEETING_FORMATS, f),
                None => c.fail("format", codes::REQUIRED),
            }
            if !self.target_groups.is_empty() {
                c.fail("target_groups", codes::NOT_ALLOWED);
            }
        } else {
            c.required_text("title", &self.title, MAX_LINE);
            c.max_len("venue", &self.venue, MAX_LINE);
            if self.format.is_some() {
                c.fail("format", codes::NOT_ALLOWED);
            }
            if self.target_groups.is_empty() {
                c.fail("target_groups", codes::AT_LEAST_ONE);
            } else if self.target_groups.iter().any(|g| !v.contains(vocab::TARGET_GROUPS, g)) {
                c.fail("target_groups", codes::UNKNOWN_CODE);
            }
        }
        c.past_date("date_from", self.date_from, today);
        if let Some(to) = self.date_to {
            c.past_date("date_to", to, today);
        }
        c.order("date_to", Some(self.date_from), self.date_to);
        c.code("municipality", v, vocab::MUNICIPALITIES, &self.municipality);
        c.max_len("organiser", &self.organiser, MAX_LINE);
        c.max_len("trainers", &self.trainers, MAX_TEXT);
        c.max_len("topics", &self.topics, MAX_TEXT);
        c.max_len("issues_raised", &self.issues_raised, MAX_TEXT);
        c.max_len("notes", &self.notes, MAX_TEXT);
        let mut seen: Vec<&str> = Vec::new();
        for (i, row) in self.attendance.iter().enumerate() {
            let field = format!("attendance[{i}].community");
            c.code(&field, v, vocab::COMMUNITIES, &row.community);
            if seen.contains(&row.community.as_str()) {
                c.fail(field, codes::DUPLICATE);
            }
            seen.push(&row.community);
            let n = row.counts;
            for (name, value) in
                [("female", n.female), ("male", n.male), ("other", n.other), ("not_stated", n.not_stated)]
            {
                if value > MAX_COUNT {
                    c.fail(format!("attendance[{i}].{name}"), codes::TOO_LARGE);
                }
            }
        }
        c.finish()
    }

    /// Everyone counted, all communities and genders.
    pub fn total_attendance(&self) -> u64 {
        self.attendance.iter().map(|r| r.counts.total()).sum()
    }
}

/// A stored activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    #[serde(flatten)]
    pub draft: ActivityDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub device_id: DeviceId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn training() -> ActivityDraft {
        ActivityDraft {
            kind: ActivityKind::Training,
            title: "Protection from discrimination: Law 05/L-021".into(),
            date_from: NaiveDate::from_ymd_opt(2026, 10, 14).unwrap(),
            date_to: NaiveDate::from_ymd_opt(2026, 10, 15),
            venue: "Municipal assembly hall".into(),
            municipality: "lipjan".into(),
            organiser: "MHRU Lipjan".into(),
            trainers: "Ombudsperson Institution".into(),
            topics: "International standards; local legal framework".into(),
            target_groups: vec!["municipal_officials".into()],
            format: None,
            issues_raised: String::new(),
            notes: String::new(),
            attendance: vec![AttendanceRow {
                community: "albanian".into(),
                counts: Counts { female: 7, male: 5, other: 0, not_stated: 0 },
            }],
        }
    }

    #[test]
    fn a_complete_training_is_valid_and_counts_its_attendance() {
        let t = training();
        assert_eq!(t.validate(Vocabularies::builtin(), today()), Ok(()));
        assert_eq!(t.total_attendance(), 12);
    }

    #[test]
    fn a_training_needs_a_title_and_a_target_group() {
        let mut t = training();
        t.title.clear();
        t.target_groups.clear();
        let err = t.validate(Vocabularies::builtin(), today()).unwrap_err();
        assert!(err.has("title", codes::REQUIRED), "{err}");
        assert!(err.has("target_groups", codes::AT_LEAST_ONE), "{err}");
    }

    #[test]
    fn an_outreach_meeting_needs_a_place_and_a_format_but_no_title() {
        let mut m = training();
        m.kind = ActivityKind::Outreach;
        m.title.clear();
        m.target_groups.clear();
        m.venue.clear();
        let err = m.validate(Vocabularies::builtin(), today()).unwrap_err();
        assert!(err.has("venue", codes::REQUIRED), "{err}");
        assert!(err.has("format", codes::REQUIRED), "{err}");
        assert!(!err.has("title", codes::REQUIRED), "{err}");
    }

    #[test]
    fn a_community_is_counted_once_and_counts_are_plausible() {
        let mut t = training();
        t.attendance.push(AttendanceRow {
            community: "albanian".into(),
            counts: Counts { female: 1, ..Counts::default() },
        });
        t.attendance[0].counts.male = MAX_COUNT + 1;
        let err = t.validate(Vocabularies::builtin(), today()).unwrap_err();
        assert!(err.has("attendance[1].community", codes::DUPLICATE), "{err}");
        assert!(err.has("attendance[0].male", codes::TOO_LARGE), "{err}");
    }
}
