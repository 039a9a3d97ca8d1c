//! A **referral**: the unit asks another institution (the Ombudsperson, a court, the police, a
//! Centre for Social Work...) to act on a case, by a letter. The referral names the institution, the
//! type of request, the acts and grounds it concerns, what is asked and by when an answer is expected,
//! then follows the institution's answer through its statuses.
//!
//! Referring a case passes the person's data to another institution: it needs the person's consent
//! to referral, recorded on the case, or an override with a reason (an urgent risk to the person,
//! an obligation to report) that stays on the record.
use crate::case::Case;
use crate::ids::{ActId, CaseId, DeviceId, ReferralId};
use crate::validation::{Checker, Invalid, codes};
use crate::vocab::{self, Vocabularies};
use crate::{MAX_LINE, MAX_TEXT};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// The letter was sent; no word from the institution yet.
    Sent,
    /// The institution confirmed it received the referral.
    Acknowledged,
    /// The institution answered (the answer is recorded).
    Answered,
    /// The matter is settled for the unit.
    Done,
    /// The institution declined to act (its reasons are recorded).
    Rejected,
    /// The unit withdrew the referral.
    Revoked,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 6] = [
        ReferralStatus::Sent,
        ReferralStatus::Acknowledged,
        ReferralStatus::Answered,
        ReferralStatus::Done,
        ReferralStatus::Rejected,
        ReferralStatus::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "sent",
            ReferralStatus::Acknowledged => "acknowledged",
            ReferralStatus::Answered => "answered",
            ReferralStatus::Done => "done",
            ReferralStatus::Rejected => "rejected",
            ReferralStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The statuses a referral may move to from this one.
    pub fn next(self) -> &'static [ReferralStatus] {
        use ReferralStatus::*;
        match self {
            Sent => &[Acknowledged, Answered, Rejected, Revoked],
            Acknowledged => &[Answered, Rejected, Revoked],
            Answered => &[Done],
            Done | Rejected | Revoked => &[],
        }
    }

    /// Still waiting for the institution's answer.
    pub fn awaits_answer(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Acknowledged)
    }
}

/// What the officer enters to refer a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralDraft {
    /// A code of the built-in directory (`ombudsperson`) or the id of one of the unit's own
    /// institutions.
    pub institution: String,
    /// Code from the `request_types` vocabulary.
    pub request_type: String,
    /// The acts of the case the referral concerns (at least one).
    pub acts: Vec<ActId>,
    /// The grounds it concerns: some or all of those acts' grounds.
    pub grounds: Vec<String>,
    /// What the institution is asked to do.
    pub asked: String,
    /// The date the letter carries.
    pub sent_on: NaiveDate,
    /// By when an answer is expected.
    pub deadline: NaiveDate,
    /// The unit's protocol number for the letter; blank: the app gives one.
    #[serde(default)]
    pub protocol: String,
    /// What goes with the letter (a copy of the complaint, the person's consent form...).
    #[serde(default)]
    pub enclosures: Vec<String>,
    /// Why the case is referred although the person has not consented to referral.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Most enclosures one letter may list.
pub const MAX_ENCLOSURES: usize = 20;

impl ReferralDraft {
    pub fn normalise(&mut self) {
        self.institution = self.institution.trim().to_string();
        self.asked = self.asked.trim().to_string();
        self.protocol = self.protocol.trim().to_string();
        self.enclosures =
            self.enclosures.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        self.override_reason = crate::validation::clean(self.override_reason.take());
        crate::validation::dedup(&mut self.grounds);
        crate::validation::dedup(&mut self.acts);
    }

    /// Checks the referral against its case: the acts are the case's, the grounds are those acts',
    /// and consent to referral is recorded or overridden with a reason.
    pub fn validate(&self, case: &Case, v: &Vocabularies, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.required_text("institution", &self.institution, MAX_LINE);
        c.code("request_type", v, vocab::REQUEST_TYPES, &self.request_type);
        if self.acts.is_empty() {
            c.fail("acts", codes::AT_LEAST_ONE);
        }
        let chosen: Vec<_> =
            case.draft.acts.iter().filter(|a| a.id.is_some_and(|id| self.acts.contains(&id))).collect();
        if chosen.len() != self.acts.len() {
            c.fail("acts", codes::UNKNOWN_CODE);
        }
        if self.grounds.is_empty() {
            c.fail("grounds", codes::AT_LEAST_ONE);
        } else if self.grounds.iter().any(|g| !chosen.iter().any(|a| a.grounds.contains(g))) {
            // Only grounds the chosen acts were recorded with: a letter never alleges more.
            c.fail("grounds", codes::UNKNOWN_CODE);
        } else if chosen.iter().any(|a| !a.grounds.iter().any(|g| self.grounds.contains(g))) {
            // Each act referred is referred on at least one of its grounds.
            c.fail("grounds", codes::AT_LEAST_ONE);
        }
        c.required_text("asked", &self.asked, MAX_TEXT);
        c.past_date("sent_on", self.sent_on, today);
        c.plausible_date("deadline", self.deadline);
        if self.deadline < self.sent_on {
            c.fail("deadline", codes::END_BEFORE_START);
        }
        c.max_len("protocol", &self.protocol, MAX_LINE);
        if self.enclosures.len() > MAX_ENCLOSURES {
            c.fail("enclosures", codes::TOO_LARGE);
        }
        for (i, e) in self.enclosures.iter().enumerate() {
            c.max_len(&format!("enclosures[{i}]"), e, MAX_LINE);
        }
        match (&self.override_reason, case.draft.person.consent_referral) {
            (None, false) => c.fail("consent", codes::NOT_WITHOUT_CONSENT),
            (Some(r), false) => c.max_len("override_reason", r, MAX_TEXT),
            // With consent recorded there is nothing to override.
            (Some(_), true) => c.fail("override_reason", codes::NOT_ALLOWED),
            (None, true) => {}
        }
        c.finish()
    }
}

/// A stored referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub case_id: CaseId,
    #[serde(flatten)]
    pub draft: ReferralDraft,
    pub status: ReferralStatus,
    /// When the institution confirmed receipt.
    #[serde(default)]
    pub acknowledged_on: Option<NaiveDate>,
    /// When the institution answered (or declined).
    #[serde(default)]
    pub answered_on: Option<NaiveDate>,
    /// The institution's answer, or why it declined.
    #[serde(default)]
    pub answer: Option<String>,
    /// When the unit closed or withdrew the referral.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// The officer who made it.
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub device_id: DeviceId,
}

impl Referral {
    /// Waiting for an answer past its deadline.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.awaits_answer() && self.draft.deadline < today
    }
}

/// A move of a referral to another status, with what the institution said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralUpdate {
    pub to: ReferralStatus,
    /// The day it happened (the institution's letter, the unit's decision).
    pub on: NaiveDate,
    /// `answered`, `rejected`: the institution's answer or reasons (required). `revoked`: why
    /// (required). Otherwise an optional note.
    #[serde(default)]
    pub text: Option<String>,
}

impl ReferralUpdate {
    /// Checks the move is allowed from `r`'s status and carries what it needs.
    pub fn validate(&self, r: &Referral, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::new();
        if !r.status.next().contains(&self.to) {
            c.fail("to", codes::NOT_ALLOWED);
        }
        c.past_date("on", self.on, today);
        if self.on < r.draft.sent_on {
            c.fail("on", codes::END_BEFORE_START);
        }
        let needs_text =
            matches!(self.to, ReferralStatus::Answered | ReferralStatus::Rejected | ReferralStatus::Revoked);
        match self.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None if needs_text => c.fail("text", codes::REQUIRED),
            Some(t) => c.max_len("text", t, MAX_TEXT),
            None => {}
        }
        c.finish()
    }

    /// The referral after the move (the caller has validated it).
    pub fn apply(&self, r: &mut Referral) {
        let text = self.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        r.status = self.to;
        match self.to {
            ReferralStatus::Sent => {}
            ReferralStatus::Acknowledged => r.acknowledged_on = Some(self.on),
            ReferralStatus::Answered | ReferralStatus::Rejected => {
                r.answered_on = Some(self.on);
                r.answer = text;
            }
            ReferralStatus::Done | ReferralStatus::Revoked => r.closed_on = Some(self.on),
        }
    }
}

/// Checks a referral that arrived in a bundle is a referral this app could have written (its
/// relation to its case is checked where the case is at hand).
pub fn check_stored(r: &Referral, v: &Vocabularies) -> Result<(), Invalid> {
    let mut c = Checker::new();
    c.required_text("institution", &r.draft.institution, MAX_LINE);
    c.code("request_type", v, vocab::REQUEST_TYPES, &r.draft.request_type);
    for g in &r.draft.grounds {
        c.code("grounds", v, vocab::GROUNDS, g);
    }
    c.max_len("asked", &r.draft.asked, MAX_TEXT);
    c.max_len("protocol", &r.draft.protocol, MAX_LINE);
    c.plausible_date("sent_on", r.draft.sent_on);
    c.plausible_date("deadline", r.draft.deadline);
    if r.draft.enclosures.len() > MAX_ENCLOSURES {
        c.fail("enclosures", codes::TOO_LARGE);
    }
    if let Some(a) = &r.answer {
        c.max_len("answer", a, MAX_TEXT);
    }
    c.finish()
}

/// The fingerprint of a letter as it was issued: enough to prove later which letter was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRecord {
    /// `sq`, `sr-Latn`, `sr-Cyrl`, `en`, `sq+sr-Latn`, `sq+sr-Cyrl`.
    pub lang: String,
    /// SHA-256 of the PDF, lower-case hex.
    pub sha256: String,
    pub bytes: u64,
    pub pages: u32,
}

/// What a timeline entry says about a referral: which one, the status it moved to, the letter
/// issued for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralMark {
    pub id: ReferralId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReferralStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterRecord>,
}

/// The languages a letter can be written in.
pub const LETTER_LANGS: [&str; 6] = ["sq", "sr-Latn", "sr-Cyrl", "en", "sq+sr-Latn", "sq+sr-Cyrl"];

/// A letter language as typed (`sq+sr` is Albanian with Serbian in Latin script, as Kosovo's
/// institutions print it).
pub fn parse_letter_lang(s: &str) -> Option<&'static str> {
    let s = s.trim();
    let s = match s {
        "sq+sr" => "sq+sr-Latn",
        "sr" => "sr-Latn",
        other => other,
    };
    LETTER_LANGS.into_iter().find(|l| l.eq_ignore_ascii_case(s))
}

/// One of the unit's own institutions, added in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionDraft {
    /// Its name as letters should print it; in the languages the unit knows it in (at least one).
    pub name: std::collections::BTreeMap<String, String>,
    /// Postal address, as many lines as needed.
    #[serde(default)]
    pub address: String,
    /// One of [`crate::institution::CATEGORIES`].
    pub category: String,
}

impl InstitutionDraft {
    pub fn normalise(&mut self) {
        self.name = std::mem::take(&mut self.name)
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        self.address = self.address.trim().to_string();
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        if self.name.is_empty() {
            c.fail("name", codes::REQUIRED);
        }
        for (lang, n) in &self.name {
            if !crate::i18n::is_supported(lang) {
                c.fail(format!("name.{lang}"), codes::UNKNOWN_CODE);
            }
            c.max_len(&format!("name.{lang}"), n, MAX_LINE);
        }
        c.max_len("address", &self.address, 1000);
        if !crate::institution::CATEGORIES.contains(&self.category.as_str()) && self.category != "other" {
            c.fail("category", codes::UNKNOWN_CODE);
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Act, CaseDraft, Person, Risk};
    use crate::workflow::Status;
    use uuid::Uuid;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn case(consent: bool) -> Case {
        let act = |n: u128, grounds: &[&str]| Act {
            id: Some(ActId(Uuid::from_u128(n))),
            date_from: Some(day(2)),
            date_to: None,
            place: "Gjilan".into(),
            narrative: "Refused service".into(),
            grounds: grounds.iter().map(|g| g.to_string()).collect(),
            ground_other: None,
            area: "goods_and_services".into(),
            form: "direct".into(),
            respondent_type: "private_business".into(),
            respondent_name: String::new(),
        };
        Case {
            id: CaseId(Uuid::from_u128(1)),
            number: "GJI-2026-K7QX-0001".into(),
            municipality: "gjilan".into(),
            status: Status::New,
            close_reason: None,
            draft: CaseDraft {
                intake_date: day(3),
                channel: "walk_in".into(),
                source_activity: None,
                person: Person {
                    name: Some("Drita Krasniqi".into()),
                    contact: None,
                    gender: "female".into(),
                    age_band: "25_34".into(),
                    community: "roma".into(),
                    language: "sq".into(),
                    consent_processing: true,
                    consent_referral: consent,
                    consent_statistics: true,
                },
                acts: vec![act(10, &["ethnicity", "gender"]), act(11, &["disability"])],
                risk: Risk::Medium,
                assigned_officer: "Arben".into(),
            },
            created_at: DateTime::<Utc>::default(),
            updated_at: DateTime::<Utc>::default(),
            device_id: DeviceId(Uuid::nil()),
        }
    }

    fn draft() -> ReferralDraft {
        ReferralDraft {
            institution: "ombudsperson".into(),
            request_type: "investigation".into(),
            acts: vec![ActId(Uuid::from_u128(10))],
            grounds: vec!["ethnicity".into()],
            asked: "Examine the refusal and take measures.".into(),
            sent_on: day(5),
            deadline: day(25),
            protocol: String::new(),
            enclosures: vec![],
            override_reason: None,
        }
    }

    #[test]
    fn referral_needs_consent_or_an_override_with_a_reason() {
        let v = Vocabularies::builtin();
        let err = draft().validate(&case(false), v, day(20)).unwrap_err();
        assert!(err.has("consent", codes::NOT_WITHOUT_CONSENT), "no consent, no override: refused ({err})");
        let mut d = draft();
        d.override_reason = Some("Urgent risk to the person's safety".into());
        assert_eq!(d.validate(&case(false), v, day(20)), Ok(()), "an override with a reason is accepted");
        assert_eq!(draft().validate(&case(true), v, day(20)), Ok(()), "consent recorded: accepted");
        let err = d.validate(&case(true), v, day(20)).unwrap_err();
        assert!(err.has("override_reason", codes::NOT_ALLOWED), "nothing to override when consent is given");
    }

    #[test]
    fn a_referral_concerns_the_cases_acts_and_only_their_grounds() {
        let v = Vocabularies::builtin();
        let mut d = draft();
        d.acts = vec![ActId(Uuid::from_u128(99))];
        assert!(d.validate(&case(true), v, day(20)).unwrap_err().has("acts", codes::UNKNOWN_CODE));
        let mut d = draft();
        d.grounds = vec!["disability".into()];
        assert!(
            d.validate(&case(true), v, day(20)).unwrap_err().has("grounds", codes::UNKNOWN_CODE),
            "disability belongs to the other act, not the one referred"
        );
        let mut d = draft();
        d.acts.push(ActId(Uuid::from_u128(11)));
        assert!(
            d.validate(&case(true), v, day(20)).unwrap_err().has("grounds", codes::AT_LEAST_ONE),
            "the second act is referred on none of its grounds"
        );
        d.grounds.push("disability".into());
        assert_eq!(d.validate(&case(true), v, day(20)), Ok(()), "each act on one of its grounds");
        let mut d = draft();
        d.request_type = "complaint".into();
        d.deadline = day(1);
        let err = d.validate(&case(true), v, day(20)).unwrap_err();
        assert!(err.has("request_type", codes::UNKNOWN_CODE), "{err}");
        assert!(err.has("deadline", codes::END_BEFORE_START), "{err}");
    }

    fn stored() -> Referral {
        Referral {
            id: ReferralId(Uuid::from_u128(5)),
            case_id: CaseId(Uuid::from_u128(1)),
            draft: draft(),
            status: ReferralStatus::Sent,
            acknowledged_on: None,
            answered_on: None,
            answer: None,
            closed_on: None,
            author: "Arben".into(),
            created_at: DateTime::<Utc>::default(),
            updated_at: DateTime::<Utc>::default(),
            device_id: DeviceId(Uuid::nil()),
        }
    }

    #[test]
    fn statuses_move_forward_only_and_answers_are_recorded() {
        let mut r = stored();
        let up = |to, text: Option<&str>| ReferralUpdate { to, on: day(15), text: text.map(str::to_string) };
        let err = up(ReferralStatus::Done, None).validate(&r, day(20)).unwrap_err();
        assert!(err.has("to", codes::NOT_ALLOWED), "a sent referral is not done before an answer");
        let err = up(ReferralStatus::Answered, Some(" ")).validate(&r, day(20)).unwrap_err();
        assert!(err.has("text", codes::REQUIRED), "an answer is recorded with its content");
        let ack = up(ReferralStatus::Acknowledged, None);
        assert_eq!(ack.validate(&r, day(20)), Ok(()));
        ack.apply(&mut r);
        assert_eq!(r.acknowledged_on, Some(day(15)));
        let ans = up(ReferralStatus::Answered, Some("Investigation opened, ref. 12/26"));
        ans.apply(&mut r);
        assert_eq!(
            (r.answered_on, r.answer.as_deref()),
            (Some(day(15)), Some("Investigation opened, ref. 12/26"))
        );
        assert_eq!(r.status.next(), &[ReferralStatus::Done], "after the answer the unit closes it");
        for s in [ReferralStatus::Done, ReferralStatus::Rejected, ReferralStatus::Revoked] {
            assert!(s.next().is_empty(), "{} is final", s.as_str());
        }
        let early = ReferralUpdate { to: ReferralStatus::Done, on: day(1), text: None };
        assert!(early.validate(&r, day(20)).unwrap_err().has("on", codes::END_BEFORE_START));
    }

    #[test]
    fn a_referral_is_overdue_while_unanswered_after_its_deadline() {
        let mut r = stored();
        assert!(!r.is_overdue(day(25)), "on the deadline itself it is not yet overdue");
        assert!(r.is_overdue(day(26)), "the day after, it is");
        r.status = ReferralStatus::Acknowledged;
        assert!(r.is_overdue(day(26)), "an acknowledgement is not an answer");
        r.status = ReferralStatus::Answered;
        assert!(!r.is_overdue(day(26)), "an answered referral is never overdue");
    }

    #[test]
    fn letter_languages_are_read_as_typed() {
        assert_eq!(parse_letter_lang("sq+sr"), Some("sq+sr-Latn"));
        assert_eq!(parse_letter_lang("sr-cyrl"), Some("sr-Cyrl"));
        assert_eq!(parse_letter_lang("de"), None);
    }
}
