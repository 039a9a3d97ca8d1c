//! A case's timeline: notes, actions taken, status changes and task events, in the order they
//! were recorded. It is append-only: an entry is never rewritten; a mistake is corrected by a
//! new `correction` entry that points at the one it corrects.
use crate::MAX_TEXT;
use crate::ids::{CaseId, DeviceId, EntryId};
use crate::referral::ReferralMark;
use crate::validation::{Checker, Invalid, codes};
use crate::vocab::{self, Vocabularies};
use crate::workflow::Status;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A free note.
    Note,
    /// Something the officer did (`action_type` from the `action_types` vocabulary).
    Action,
    /// Corrects an earlier entry (`corrects`).
    Correction,
    /// Written by the app when the case changes status.
    StatusChange,
    /// Written by the app when the case is opened.
    Opened,
    /// Written by the app when a task is set or completed.
    TaskAdded,
    TaskDone,
    /// Written by the app when the case's details are edited.
    Edited,
    /// Written by the app when the case is referred to an institution (`referral`).
    Referred,
    /// Written by the app when a referral moves to another status (`referral.status`); the text is
    /// the institution's answer or the officer's note.
    ReferralUpdate,
    /// Written by the app when a referral letter is saved or printed (`referral.letter`: its hash).
    Letter,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::Action => "action",
            EntryKind::Correction => "correction",
            EntryKind::StatusChange => "status_change",
            EntryKind::Opened => "opened",
            EntryKind::TaskAdded => "task_added",
            EntryKind::TaskDone => "task_done",
            EntryKind::Edited => "edited",
            EntryKind::Referred => "referred",
            EntryKind::ReferralUpdate => "referral_update",
            EntryKind::Letter => "letter",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        use EntryKind::*;
        [
            Note,
            Action,
            Correction,
            StatusChange,
            Opened,
            TaskAdded,
            TaskDone,
            Edited,
            Referred,
            ReferralUpdate,
            Letter,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What the officer writes on the timeline: a note, an action, or a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDraft {
    pub kind: EntryKind,
    #[serde(default)]
    pub action_type: Option<String>,
    /// The day it happened (an action may be recorded a few days later).
    pub occurred_on: NaiveDate,
    pub text: String,
    #[serde(default)]
    pub corrects: Option<EntryId>,
}

impl EntryDraft {
    pub fn validate(&self, v: &Vocabularies, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::new();
        match self.kind {
            EntryKind::Note | EntryKind::Correction => {
                if self.action_type.is_some() {
                    c.fail("action_type", codes::NOT_ALLOWED);
                }
            }
            EntryKind::Action => match &self.action_type {
                Some(a) => c.code("action_type", v, vocab::ACTION_TYPES, a),
                None => c.fail("action_type", codes::REQUIRED),
            },
            _ => c.fail("kind", codes::NOT_ALLOWED),
        }
        match (self.kind, self.corrects) {
            (EntryKind::Correction, None) => c.fail("corrects", codes::REQUIRED),
            (EntryKind::Correction, Some(_)) | (_, None) => {}
            (_, Some(_)) => c.fail("corrects", codes::NOT_ALLOWED),
        }
        c.past_date("occurred_on", self.occurred_on, today);
        c.required_text("text", &self.text, MAX_TEXT);
        c.finish()
    }
}

/// A stored timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub case_id: CaseId,
    pub kind: EntryKind,
    pub action_type: Option<String>,
    pub occurred_on: NaiveDate,
    pub text: String,
    pub corrects: Option<EntryId>,
    pub status_from: Option<Status>,
    pub status_to: Option<Status>,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub device_id: DeviceId,
    /// The referral the entry is about (referral entries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralMark>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn note(text: &str) -> EntryDraft {
        EntryDraft {
            kind: EntryKind::Note,
            action_type: None,
            occurred_on: today(),
            text: text.into(),
            corrects: None,
        }
    }

    #[test]
    fn an_action_needs_a_known_action_type() {
        let v = Vocabularies::builtin();
        let mut e = note("Called the school director");
        e.kind = EntryKind::Action;
        assert!(e.validate(v, today()).unwrap_err().has("action_type", codes::REQUIRED));
        e.action_type = Some("phone_call".into());
        assert_eq!(e.validate(v, today()), Ok(()));
    }

    #[test]
    fn a_correction_points_at_what_it_corrects() {
        let v = Vocabularies::builtin();
        let mut e = note("The date was the 3rd, not the 2nd");
        e.kind = EntryKind::Correction;
        assert!(e.validate(v, today()).unwrap_err().has("corrects", codes::REQUIRED));
        e.corrects = Some(EntryId(uuid::Uuid::nil()));
        assert_eq!(e.validate(v, today()), Ok(()));
    }

    #[test]
    fn officers_cannot_write_the_entries_the_app_writes() {
        let v = Vocabularies::builtin();
        let mut e = note("Closed");
        e.kind = EntryKind::StatusChange;
        assert!(e.validate(v, today()).unwrap_err().has("kind", codes::NOT_ALLOWED));
    }

    #[test]
    fn an_empty_note_is_refused() {
        assert!(
            note(" ").validate(Vocabularies::builtin(), today()).unwrap_err().has("text", codes::REQUIRED)
        );
    }
}
