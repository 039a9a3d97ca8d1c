//! A case: a complaint taken by the unit. It concerns one **person**, holds one or more alleged
//! **acts** (each with its grounds, area, form and respondent), a risk level and an assigned officer.
//! [`CaseDraft`] is what the officer enters; [`Case`] is a stored case with its number and status.
use crate::ids::{ActId, ActivityId, CaseId, DeviceId};
use crate::validation::{Checker, Invalid, clean, codes};
use crate::vocab::{self, Vocabularies};
use crate::workflow::{CloseReason, Status};
use crate::{MAX_LINE, MAX_TEXT};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The person concerned. Name and contact are optional; everything about them is
/// special-category personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    pub gender: String,
    pub age_band: String,
    pub community: String,
    pub language: String,
    /// Consent to the processing of their data by the unit.
    pub consent_processing: bool,
    /// Consent to their case being referred to another institution.
    pub consent_referral: bool,
    /// Consent to their case being counted in anonymous statistics.
    pub consent_statistics: bool,
}

/// One alleged act of discrimination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Act {
    /// Set once stored; `None` for an act added in this edit.
    #[serde(default)]
    pub id: Option<ActId>,
    /// When it happened: one day (`date_to` empty) or a period. Both empty when unknown.
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    #[serde(default)]
    pub place: String,
    pub narrative: String,
    /// Codes from the `grounds` vocabulary (Law 05/L-021 Art. 1); `other` needs `ground_other`.
    pub grounds: Vec<String>,
    #[serde(default)]
    pub ground_other: Option<String>,
    pub area: String,
    pub form: String,
    pub respondent_type: String,
    #[serde(default)]
    pub respondent_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Risk::Low, Risk::Medium, Risk::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What the officer enters when opening or editing a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDraft {
    pub intake_date: NaiveDate,
    /// Code from the `channels` vocabulary.
    pub channel: String,
    /// The outreach meeting the complaint was taken at, if any.
    #[serde(default)]
    pub source_activity: Option<ActivityId>,
    pub person: Person,
    pub acts: Vec<Act>,
    pub risk: Risk,
    pub assigned_officer: String,
}

/// Most acts one case may hold.
pub const MAX_ACTS: usize = 50;

impl CaseDraft {
    /// Trims texts, turns blanks into `None` and removes repeated grounds.
    pub fn normalise(&mut self) {
        let p = &mut self.person;
        p.name = clean(p.name.take());
        p.contact = clean(p.contact.take());
        self.assigned_officer = self.assigned_officer.trim().to_string();
        for act in &mut self.acts {
            act.place = act.place.trim().to_string();
            act.narrative = act.narrative.trim().to_string();
            act.respondent_name = act.respondent_name.trim().to_string();
            act.ground_other = clean(act.ground_other.take());
            crate::validation::dedup(&mut act.grounds);
            if !act.grounds.iter().any(|g| g == vocab::OTHER) {
                act.ground_other = None;
            }
            if act.date_to.is_some() && act.date_to == act.date_from {
                act.date_to = None;
            }
        }
    }

    /// Checks every field; the error names each field at fault.
    pub fn validate(&self, v: &Vocabularies, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.past_date("intake_date", self.intake_date, today);
        c.code("channel", v, vocab::CHANNELS, &self.channel);
        if self.source_activity.is_some() && self.channel != "outreach_meeting" {
            c.fail("source_activity", codes::NOT_ALLOWED);
        }
        let p = &self.person;
        c.optional_text("person.name", p.name.as_deref(), MAX_LINE);
        c.optional_text("person.contact", p.contact.as_deref(), MAX_LINE);
        if !p.consent_processing {
            // Without consent to processing, the unit may not keep who the person is.
            if p.name.is_some() {
                c.fail("person.name", codes::NOT_WITHOUT_CONSENT);
            }
            if p.contact.is_some() {
                c.fail("person.contact", codes::NOT_WITHOUT_CONSENT);
            }
        }
        c.code("person.gender", v, vocab::GENDERS, &p.gender);
        c.code("person.age_band", v, vocab::AGE_BANDS, &p.age_band);
        c.code("person.community", v, vocab::COMMUNITIES, &p.community);
        c.code("person.language", v, vocab::PERSON_LANGUAGES, &p.language);
        c.required_text("assigned_officer", &self.assigned_officer, MAX_LINE);
        if self.acts.is_empty() {
            c.fail("acts", codes::AT_LEAST_ONE);
        } else if self.acts.len() > MAX_ACTS {
            c.fail("acts", codes::TOO_LARGE);
        }
        for (i, act) in self.acts.iter().enumerate() {
            let f = |name: &str| format!("acts[{i}].{name}");
            if let Some(d) = act.date_from {
                c.past_date(&f("date_from"), d, today);
            }
            if let Some(d) = act.date_to {
                c.past_date(&f("date_to"), d, today);
                if act.date_from.is_none() {
                    c.fail(f("date_from"), codes::REQUIRED);
                }
            }
            c.order(&f("date_to"), act.date_from, act.date_to);
            c.max_len(&f("place"), &act.place, MAX_LINE);
            c.required_text(&f("narrative"), &act.narrative, MAX_TEXT);
            if act.grounds.is_empty() {
                c.fail(f("grounds"), codes::AT_LEAST_ONE);
            } else if act.grounds.iter().any(|g| !v.contains(vocab::GROUNDS, g)) {
                c.fail(f("grounds"), codes::UNKNOWN_CODE);
            }
            if act.grounds.iter().any(|g| g == vocab::OTHER) {
                match &act.ground_other {
                    None => c.fail(f("ground_other"), codes::REQUIRED),
                    Some(o) => c.max_len(&f("ground_other"), o, MAX_LINE),
                }
            }
            c.code(&f("area"), v, vocab::AREAS, &act.area);
            c.code(&f("form"), v, vocab::FORMS, &act.form);
            c.code(&f("respondent_type"), v, vocab::RESPONDENT_TYPES, &act.respondent_type);
            c.max_len(&f("respondent_name"), &act.respondent_name, MAX_LINE);
        }
        c.finish()
    }
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// The human case number, e.g. `PRI-2026-K7QX-0042` (see [`crate::case_number`]).
    pub number: String,
    /// The municipality of the unit that opened the case.
    pub municipality: String,
    pub status: Status,
    pub close_reason: Option<CloseReason>,
    #[serde(flatten)]
    pub draft: CaseDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The device that last wrote the case.
    pub device_id: DeviceId,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    pub(crate) fn draft() -> CaseDraft {
        CaseDraft {
            intake_date: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
            channel: "walk_in".into(),
            source_activity: None,
            person: Person {
                name: Some("Drita Krasniqi".into()),
                contact: Some("044 123 456".into()),
                gender: "female".into(),
                age_band: "age_25_34".into(),
                community: "ashkali".into(),
                language: "albanian".into(),
                consent_processing: true,
                consent_referral: true,
                consent_statistics: true,
            },
            acts: vec![Act {
                id: None,
                date_from: NaiveDate::from_ymd_opt(2026, 11, 2),
                date_to: None,
                place: "Qendra për Punë Sociale".into(),
                narrative: "Refused social assistance application because of her community.".into(),
                grounds: vec!["ethnicity".into(), "social_or_personal_status".into()],
                ground_other: None,
                area: "social_assistance".into(),
                form: "direct".into(),
                respondent_type: "municipal_institution".into(),
                respondent_name: "QPS Fushë Kosovë".into(),
            }],
            risk: Risk::Medium,
            assigned_officer: "Arben Gashi".into(),
        }
    }

    fn check(d: &CaseDraft) -> Result<(), Invalid> {
        d.validate(Vocabularies::builtin(), today())
    }

    #[test]
    fn a_complete_case_is_valid() {
        assert_eq!(check(&draft()), Ok(()), "the sample case has every required field");
    }

    #[test]
    fn each_error_names_its_field() {
        let mut d = draft();
        d.acts[0].grounds = vec!["ethnicity".into(), "astrology".into()];
        d.acts[0].narrative = "  ".into();
        d.person.community = "".into();
        let err = check(&d).unwrap_err();
        assert!(err.has("acts[0].grounds", codes::UNKNOWN_CODE), "an unknown ground is named: {err}");
        assert!(err.has("acts[0].narrative", codes::REQUIRED), "a blank narrative is named: {err}");
        assert!(err.has("person.community", codes::REQUIRED), "a missing community is named: {err}");
        assert_eq!(err.fields.len(), 3, "nothing else is reported: {err}");
    }

    #[test]
    fn other_ground_needs_a_specification() {
        let mut d = draft();
        d.acts[0].grounds.push("other".into());
        assert!(check(&d).unwrap_err().has("acts[0].ground_other", codes::REQUIRED));
        d.acts[0].ground_other = Some("Place of residence".into());
        assert_eq!(check(&d), Ok(()), "'other' with a specification is accepted");
    }

    #[test]
    fn a_case_needs_at_least_one_act_and_one_ground() {
        let mut d = draft();
        d.acts[0].grounds.clear();
        assert!(check(&d).unwrap_err().has("acts[0].grounds", codes::AT_LEAST_ONE));
        d.acts.clear();
        assert!(check(&d).unwrap_err().has("acts", codes::AT_LEAST_ONE));
    }

    #[test]
    fn dates_are_not_in_the_future_and_periods_end_after_they_start() {
        let mut d = draft();
        d.intake_date = today().succ_opt().unwrap();
        d.acts[0].date_from = NaiveDate::from_ymd_opt(2026, 10, 5);
        d.acts[0].date_to = NaiveDate::from_ymd_opt(2026, 10, 1);
        let err = check(&d).unwrap_err();
        assert!(err.has("intake_date", codes::IN_FUTURE), "{err}");
        assert!(err.has("acts[0].date_to", codes::END_BEFORE_START), "{err}");
    }

    #[test]
    fn without_consent_to_processing_no_name_or_contact_is_kept() {
        let mut d = draft();
        d.person.consent_processing = false;
        let err = check(&d).unwrap_err();
        assert!(err.has("person.name", codes::NOT_WITHOUT_CONSENT), "data minimisation: {err}");
        assert!(err.has("person.contact", codes::NOT_WITHOUT_CONSENT), "data minimisation: {err}");
        d.person.name = None;
        d.person.contact = None;
        assert_eq!(check(&d), Ok(()), "an anonymous case is still recorded");
    }

    #[test]
    fn texts_have_limits() {
        let mut d = draft();
        d.person.name = Some("x".repeat(MAX_LINE + 1));
        assert!(check(&d).unwrap_err().has("person.name", codes::TOO_LONG));
        d.person.name = Some("ë".repeat(MAX_LINE));
        assert_eq!(check(&d), Ok(()), "limits count characters, not bytes");
    }

    #[test]
    fn normalising_trims_and_removes_repeated_grounds() {
        let mut d = draft();
        d.person.name = Some("   ".into());
        d.acts[0].grounds = vec!["ethnicity".into(), "age".into(), "ethnicity".into()];
        d.acts[0].ground_other = Some("left over".into());
        d.normalise();
        assert_eq!(d.person.name, None, "a blank name is no name");
        assert_eq!(d.acts[0].grounds, vec!["ethnicity".to_string(), "age".to_string()]);
        assert_eq!(d.acts[0].ground_other, None, "a specification without 'other' is dropped");
    }

    #[test]
    fn a_meeting_is_only_linked_when_the_channel_is_an_outreach_meeting() {
        let mut d = draft();
        d.source_activity = Some(ActivityId(uuid::Uuid::nil()));
        assert!(check(&d).unwrap_err().has("source_activity", codes::NOT_ALLOWED));
        d.channel = "outreach_meeting".into();
        assert_eq!(check(&d), Ok(()));
    }
}
