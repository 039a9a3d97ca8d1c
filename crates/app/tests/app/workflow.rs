//! Moving a case through its statuses: `new → assessment → referred → follow-up → closed`, and
//! `reopened` after a close. Every move is recorded on the timeline; a refused move writes nothing.
use super::support::{Office, assert_invalid, case_draft};
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_domain::validation::codes;
use rightsdesk_domain::workflow::{CloseReason, Status, Transition};

fn to(status: Status) -> Transition {
    Transition { to: status, close_reason: None, note: None }
}

#[test]
fn each_step_of_the_usual_path_is_recorded_with_where_it_came_from() {
    let mut office = Office::new(30);
    let id = office.desk.create_case(case_draft("Hana Zeqiri")).expect("opening").case.id;
    let path = [Status::Assessment, Status::Referred, Status::FollowUp];
    let mut from = Status::New;
    for status in path {
        office.tick();
        let detail = office.desk.transition(id, to(status)).expect("an allowed step");
        assert_eq!(detail.case.status, status, "the case is now {}", status.as_str());
        assert_eq!(detail.case.updated_at, office.clock.now(), "the move is the case's latest change");
        assert_eq!(detail.next, status.next(), "the case screen offers the moves allowed from here");
        let entry = detail.timeline.last().expect("an entry for the move");
        assert_eq!(entry.kind, EntryKind::StatusChange, "each move writes a status change");
        assert_eq!(
            (entry.status_from, entry.status_to),
            (Some(from), Some(status)),
            "the entry says where the case came from and where it went"
        );
        from = status;
    }

    office.tick();
    let close = Transition {
        to: Status::Closed,
        close_reason: Some(CloseReason::Resolved),
        note: Some("  The school enrolled the child.  ".into()),
    };
    let closed = office.desk.transition(id, close).expect("closing with a reason");
    assert_eq!(closed.case.status, Status::Closed, "the case is closed");
    assert_eq!(closed.case.close_reason, Some(CloseReason::Resolved), "the reason is kept on the case");
    let entry = closed.timeline.last().expect("an entry for the close");
    assert_eq!(
        (entry.status_from, entry.status_to),
        (Some(Status::FollowUp), Some(Status::Closed)),
        "recorded"
    );
    assert_eq!(entry.action_type.as_deref(), Some("resolved"), "the timeline keeps the reason too");
    assert_eq!(entry.text, "The school enrolled the child.", "the note is kept, trimmed");
    assert_eq!(closed.next, vec![Status::Reopened], "a closed case can only be reopened");

    let kinds: Vec<EntryKind> = closed.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [vec![EntryKind::Opened], vec![EntryKind::StatusChange; 4]].concat(),
        "opened, then one entry per move, in the order they happened"
    );
    let open = office.counts().open_cases;
    assert_eq!(open, 0, "a closed case no longer counts as open");
}

#[test]
fn closing_without_a_reason_is_refused_and_changes_nothing() {
    let mut office = Office::new(31);
    let opened = office.desk.create_case(case_draft("Teuta Hoxha")).expect("opening");
    let before = office.counts();
    office.tick();
    assert_invalid(
        office.desk.transition(opened.case.id, to(Status::Closed)),
        &[("close_reason", codes::REQUIRED)],
        "closing needs a reason",
    );
    let other =
        Transition { to: Status::Closed, close_reason: Some(CloseReason::Other), note: Some(" ".into()) };
    assert_invalid(
        office.desk.transition(opened.case.id, other),
        &[("note", codes::REQUIRED)],
        "closing for an 'other' reason needs a note saying which",
    );
    assert_eq!(office.counts(), before, "no timeline entry was written");
    assert_eq!(
        office.desk.case_detail(opened.case.id).expect("reading").case,
        opened.case,
        "the case keeps its status and its last change time"
    );
}

#[test]
fn a_closed_case_only_reopens_and_only_with_a_note() {
    let mut office = Office::new(32);
    let id = office.desk.create_case(case_draft("Nikola Marković")).expect("opening").case.id;
    let close = Transition { to: Status::Closed, close_reason: Some(CloseReason::Withdrawn), note: None };
    let closed = office.desk.transition(id, close).expect("a new case may be closed at once");
    let before = office.counts();

    office.tick();
    let err = office.desk.transition(id, to(Status::Assessment)).expect_err("closed cases do not move on");
    assert_eq!(err.code(), "transition_not_allowed", "the UI gets a code, not a field error: {err:?}");
    assert!(err.fields().is_empty(), "a disallowed move is not about a field");
    assert_invalid(
        office.desk.transition(id, to(Status::Reopened)),
        &[("note", codes::REQUIRED)],
        "reopening must say why",
    );
    assert_eq!(office.counts(), before, "refused moves write nothing");
    assert_eq!(office.desk.case_detail(id).expect("reading").case, closed.case, "the case is as it was");

    let reopen = Transition { to: Status::Reopened, close_reason: None, note: Some("New facts".into()) };
    let reopened = office.desk.transition(id, reopen).expect("reopening with a note");
    assert_eq!(reopened.case.status, Status::Reopened, "the case is open again");
    assert_eq!(reopened.case.close_reason, None, "an open case has no close reason");
    let entry = reopened.timeline.last().expect("an entry for the reopening");
    assert_eq!(entry.text, "New facts", "the reason for reopening is on the timeline");
    assert_eq!(office.counts().open_cases, 1, "it counts as open again");

    let err =
        office.desk.transition(CaseId(uuid::Uuid::nil()), to(Status::Assessment)).expect_err("no such case");
    assert_eq!(err.code(), "not_found", "moving a case that does not exist is not_found: {err:?}");
}
