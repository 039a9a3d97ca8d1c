//! What the officer writes on a case's timeline: notes, actions and corrections. Entries are only
//! ever added; a mistake is corrected by a new entry that points at an entry of the same case.
use super::support::{Office, assert_invalid, case_draft, day, note};
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::{CaseId, EntryId};
use rightsdesk_domain::timeline::{EntryDraft, EntryKind};
use rightsdesk_domain::validation::codes;

fn correction(of: EntryId, text: &str) -> EntryDraft {
    EntryDraft { corrects: Some(of), kind: EntryKind::Correction, ..note(text) }
}

#[test]
fn notes_and_actions_are_appended_with_their_day_and_author() {
    let mut office = Office::new(40);
    let id = office.desk.create_case(case_draft("Elira Mehmeti")).expect("opening").case.id;
    office.tick();
    let detail = office.desk.add_entry(id, note("  Called the school director.  ")).expect("a note");
    let entry = detail.timeline.last().expect("the note");
    assert_eq!(
        (entry.kind, entry.text.as_str()),
        (EntryKind::Note, "Called the school director."),
        "trimmed"
    );
    assert_eq!(entry.author, "Arben Gashi", "written by this installation's officer");
    assert_eq!(detail.case.updated_at, office.clock.now(), "a note counts as a change of the case");

    office.tick();
    let action = EntryDraft {
        kind: EntryKind::Action,
        action_type: Some("home_visit".into()),
        occurred_on: day(2026, 11, 17),
        ..note("Visited the family.")
    };
    let detail = office.desk.add_entry(id, action).expect("an action done three days ago");
    let entry = detail.timeline.last().expect("the action");
    assert_eq!(entry.action_type.as_deref(), Some("home_visit"), "the kind of action is kept");
    assert_eq!(entry.occurred_on, day(2026, 11, 17), "the day it happened, not the day it was written");
    assert_eq!(detail.timeline.len(), 3, "opened, the note and the action");
}

#[test]
fn empty_or_app_only_entries_are_refused_and_nothing_is_written() {
    let mut office = Office::new(41);
    let id = office.desk.create_case(case_draft("Blerta Rexhepi")).expect("opening").case.id;
    let before = office.counts();
    assert_invalid(office.desk.add_entry(id, note("   ")), &[("text", codes::REQUIRED)], "a note needs text");
    let forged = EntryDraft { kind: EntryKind::StatusChange, ..note("Closed") };
    assert_invalid(
        office.desk.add_entry(id, forged),
        &[("kind", codes::NOT_ALLOWED)],
        "only the app writes status changes, so the timeline cannot claim a move that did not happen",
    );
    let tomorrow =
        EntryDraft { occurred_on: office.today().succ_opt().expect("tomorrow"), ..note("Planned call") };
    assert_invalid(
        office.desk.add_entry(id, tomorrow),
        &[("occurred_on", codes::IN_FUTURE)],
        "not yet happened",
    );
    assert_eq!(office.counts(), before, "refused entries write nothing");

    let err = office.desk.add_entry(CaseId(uuid::Uuid::nil()), note("Lost")).expect_err("no such case");
    assert_eq!(err.code(), "not_found", "a note on a case that does not exist is not_found: {err:?}");
}

#[test]
fn a_correction_points_at_an_entry_of_the_same_case() {
    let mut office = Office::new(42);
    let a = office.desk.create_case(case_draft("Ilir Bytyqi")).expect("opening A").case.id;
    let b = office.desk.create_case(case_draft("Jovana Stojanović")).expect("opening B").case.id;
    office.tick();
    let wrong = office.desk.add_entry(a, note("Met the person on the 3rd.")).expect("a note on A");
    let wrong_id = wrong.timeline.last().expect("the note").id;
    let of_b = office.desk.case_detail(b).expect("reading B").timeline[0].id;
    let before = office.counts();

    assert_invalid(
        office.desk.add_entry(a, correction(of_b, "Wrong case")),
        &[("corrects", codes::UNKNOWN_CODE)],
        "a correction cannot point into another case's timeline",
    );
    assert_invalid(
        office.desk.add_entry(a, correction(EntryId(uuid::Uuid::nil()), "Nothing")),
        &[("corrects", codes::UNKNOWN_CODE)],
        "nor at an entry that does not exist",
    );
    assert_invalid(
        office.desk.add_entry(a, EntryDraft { kind: EntryKind::Correction, ..note("Which one?") }),
        &[("corrects", codes::REQUIRED)],
        "a correction must say what it corrects",
    );
    assert_eq!(office.counts(), before, "refused corrections write nothing");

    office.tick();
    let fixed =
        office.desk.add_entry(a, correction(wrong_id, "It was the 4th, not the 3rd.")).expect("correcting");
    let last = fixed.timeline.last().expect("the correction");
    assert_eq!((last.kind, last.corrects), (EntryKind::Correction, Some(wrong_id)), "it points at the note");
    let original =
        fixed.timeline.iter().find(|e| e.id == wrong_id).expect("the corrected note is still there");
    assert_eq!(original.text, "Met the person on the 3rd.", "the corrected entry is kept as it was written");
}
