//! A case's workflow: `new → assessment → referred → follow-up → closed`, with `reopened` after a
//! close. Closing needs a reason (and a note when the reason is "other"); reopening needs a note.
use crate::MAX_TEXT;
use crate::validation::{Checker, Invalid, codes};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Assessment,
    Referred,
    FollowUp,
    Closed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Assessment,
        Status::Referred,
        Status::FollowUp,
        Status::Closed,
        Status::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assessment => "assessment",
            Status::Referred => "referred",
            Status::FollowUp => "follow_up",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// The statuses a case in this status may move to.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[Assessment, Referred, Closed],
            Assessment => &[Referred, FollowUp, Closed],
            Referred => &[FollowUp, Closed],
            FollowUp => &[Referred, Closed],
            Closed => &[Reopened],
            Reopened => &[Assessment, Referred, FollowUp, Closed],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    Resolved,
    ReferredCompleted,
    Withdrawn,
    NotDiscrimination,
    LostContact,
    Other,
}

impl CloseReason {
    pub const ALL: [CloseReason; 6] = [
        CloseReason::Resolved,
        CloseReason::ReferredCompleted,
        CloseReason::Withdrawn,
        CloseReason::NotDiscrimination,
        CloseReason::LostContact,
        CloseReason::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Resolved => "resolved",
            CloseReason::ReferredCompleted => "referred_completed",
            CloseReason::Withdrawn => "withdrawn",
            CloseReason::NotDiscrimination => "not_discrimination",
            CloseReason::LostContact => "lost_contact",
            CloseReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A request to move a case to another status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub to: Status,
    #[serde(default)]
    pub close_reason: Option<CloseReason>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("a case that is {} cannot move to {}", from.as_str(), to.as_str())]
    NotAllowed { from: Status, to: Status },
    #[error(transparent)]
    Invalid(#[from] Invalid),
}

/// Checks that a case in `from` may take `t`.
pub fn check(from: Status, t: &Transition) -> Result<(), WorkflowError> {
    if !from.next().contains(&t.to) {
        return Err(WorkflowError::NotAllowed { from, to: t.to });
    }
    let mut c = Checker::new();
    let note = t.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        c.max_len("note", n, MAX_TEXT);
    }
    match t.to {
        Status::Closed => match t.close_reason {
            None => c.fail("close_reason", codes::REQUIRED),
            Some(CloseReason::Other) if note.is_none() => c.fail("note", codes::REQUIRED),
            Some(_) => {}
        },
        _ if t.close_reason.is_some() => c.fail("close_reason", codes::NOT_ALLOWED),
        Status::Reopened if note.is_none() => c.fail("note", codes::REQUIRED),
        _ => {}
    }
    c.finish().map_err(WorkflowError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(s: Status) -> Transition {
        Transition { to: s, close_reason: None, note: None }
    }

    #[test]
    fn the_usual_path_from_intake_to_closing_is_allowed() {
        assert_eq!(check(Status::New, &to(Status::Assessment)), Ok(()));
        assert_eq!(check(Status::Assessment, &to(Status::Referred)), Ok(()));
        assert_eq!(check(Status::Referred, &to(Status::FollowUp)), Ok(()));
        let close = Transition { to: Status::Closed, close_reason: Some(CloseReason::Resolved), note: None };
        assert_eq!(check(Status::FollowUp, &close), Ok(()));
    }

    #[test]
    fn a_closed_case_can_only_be_reopened_and_only_with_a_note() {
        for s in Status::ALL {
            if s != Status::Reopened {
                assert!(
                    matches!(check(Status::Closed, &to(s)), Err(WorkflowError::NotAllowed { .. })),
                    "closed -> {} must be refused",
                    s.as_str()
                );
            }
        }
        let err = check(Status::Closed, &to(Status::Reopened)).unwrap_err();
        assert!(matches!(&err, WorkflowError::Invalid(i) if i.has("note", codes::REQUIRED)), "{err}");
        let reopen = Transition { to: Status::Reopened, close_reason: None, note: Some("New facts".into()) };
        assert_eq!(check(Status::Closed, &reopen), Ok(()));
    }

    #[test]
    fn closing_needs_a_reason_and_other_needs_a_note() {
        let err = check(Status::New, &to(Status::Closed)).unwrap_err();
        assert!(matches!(&err, WorkflowError::Invalid(i) if i.has("close_reason", codes::REQUIRED)));
        let other =
            Transition { to: Status::Closed, close_reason: Some(CloseReason::Other), note: Some(" ".into()) };
        let err = check(Status::New, &other).unwrap_err();
        assert!(matches!(&err, WorkflowError::Invalid(i) if i.has("note", codes::REQUIRED)), "{err}");
    }

    #[test]
    fn a_close_reason_is_only_given_when_closing() {
        let t = Transition { to: Status::Assessment, close_reason: Some(CloseReason::Resolved), note: None };
        assert!(matches!(check(Status::New, &t), Err(WorkflowError::Invalid(_))));
    }

    #[test]
    fn no_status_moves_to_itself_or_back_to_new() {
        for s in Status::ALL {
            assert!(!s.next().contains(&s), "{} -> itself is not a transition", s.as_str());
            assert!(!s.next().contains(&Status::New), "no case returns to new");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for r in CloseReason::ALL {
            assert_eq!(CloseReason::parse(r.as_str()), Some(r));
        }
    }
}
