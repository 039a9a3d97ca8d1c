//! Opening and editing a case, and what its timeline records of that.
use super::support::{Office, act, assert_invalid, case_draft, day};
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_domain::case::CaseDraft;
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::{ActId, CaseId};
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_domain::validation::codes;
use rightsdesk_domain::workflow::Status;

/// A case of two acts; the first has the open ground "other", specified.
fn two_acts() -> CaseDraft {
    let mut d = case_draft("Drita Krasniqi");
    d.acts[0].grounds = vec!["ethnicity".into(), "language".into(), "other".into()];
    d.acts[0].ground_other = Some("Place of residence".into());
    let mut second = act("The health centre refused to register her child without a fee.", &["disability"]);
    second.area = "health".into();
    second.form = "harassment".into();
    second.date_from = Some(day(2026, 9, 1));
    second.date_to = Some(day(2026, 9, 30));
    d.acts.push(second);
    d
}

fn act_ids(detail: &CaseDetail) -> Vec<ActId> {
    detail.case.draft.acts.iter().map(|a| a.id.expect("stored acts have ids")).collect()
}

/// How many rows of `table` belong to the act `id`.
fn rows_of_act(office: &Office, table: &str, column: &str, id: ActId) -> i64 {
    let sql = format!("SELECT count(*) FROM {table} WHERE {column} = ?1");
    office.desk.store().conn().query_row(&sql, [id.to_string()], |r| r.get(0)).expect("counting rows")
}

#[test]
fn a_new_case_reads_back_as_entered_with_ids_a_number_and_an_opened_entry() {
    let mut office = Office::new(10);
    let draft = two_acts();
    let detail = office.desk.create_case(draft.clone()).expect("a valid case is opened");

    let ids = act_ids(&detail);
    assert_eq!(ids.len(), 2, "both acts are stored");
    assert_ne!(ids[0], ids[1], "each act gets its own id");
    let mut expected = draft;
    for (a, id) in expected.acts.iter_mut().zip(&ids) {
        a.id = Some(*id);
    }
    assert_eq!(
        detail.case.draft, expected,
        "everything entered reads back unchanged, in order, grounds included"
    );
    let case = &detail.case;
    assert_eq!(case.status, Status::New, "a new case starts as new");
    assert_eq!(case.close_reason, None, "an open case has no close reason");
    assert_eq!(case.municipality, "prishtine", "the case belongs to the unit's municipality");
    assert_eq!(
        (case.created_at, case.updated_at),
        (office.clock.now(), office.clock.now()),
        "stamped by the clock"
    );
    assert_eq!(case.device_id, office.desk.profile().device_id, "the case records the device that wrote it");

    assert_eq!(detail.timeline.len(), 1, "opening writes exactly one timeline entry");
    let opened = &detail.timeline[0];
    assert_eq!(opened.kind, EntryKind::Opened, "the first entry says the case was opened");
    assert_eq!(opened.author, "Arben Gashi", "by the officer of this installation");
    assert_eq!(opened.occurred_on, office.today(), "today");
    assert_eq!(
        detail.next,
        vec![Status::Assessment, Status::Referred, Status::Closed],
        "what a new case may become"
    );
    assert!(detail.tasks.is_empty() && detail.source_activity.is_none(), "nothing else is attached");

    let again = office.desk.case_detail(case.id).expect("reading the case again");
    assert_eq!(again.case, detail.case, "reading again gives the same case");
    assert_eq!(
        office.desk.case_by_number(&case.number).expect("lookup"),
        Some(case.id),
        "found by its number"
    );
    assert_eq!(
        office.desk.case_by_number(&case.number.to_lowercase()).expect("lookup"),
        Some(case.id),
        "a number typed in lower case finds the case too"
    );
}

#[test]
fn editing_records_the_changed_fields_and_acts_keep_their_ids() {
    let mut office = Office::new(11);
    let opened = office.desk.create_case(two_acts()).expect("opening");
    let id = opened.case.id;
    let [removed, kept] = act_ids(&opened)[..] else { panic!("two acts were stored") };

    office.tick();
    let mut draft = opened.case.draft.clone();
    draft.acts.remove(0);
    draft.acts[0].narrative =
        "The health centre refused to register her child; the fee was waived later.".into();
    draft.person.contact = Some("049 555 111".into());
    let edited = office.desk.update_case(id, draft.clone()).expect("a valid edit is saved");

    assert_eq!(
        act_ids(&edited),
        vec![kept],
        "the kept act keeps its id; the removed one is gone from the case"
    );
    assert_eq!(edited.case.draft, draft, "the edit reads back as saved");
    assert_eq!(rows_of_act(&office, "case_acts", "id", removed), 0, "the removed act is deleted, not hidden");
    assert_eq!(rows_of_act(&office, "case_act_grounds", "act_id", removed), 0, "and so are its grounds");
    assert_eq!(
        edited.case.created_at, opened.case.created_at,
        "editing does not change when the case was opened"
    );
    assert_eq!(edited.case.updated_at, office.clock.now(), "but it is the last change");
    let kinds: Vec<EntryKind> = edited.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EntryKind::Opened, EntryKind::Edited], "the edit is recorded on the timeline");
    assert_eq!(edited.timeline[1].text, "person, acts", "the entry lists which parts of the case changed");

    office.tick();
    let same = office.desk.update_case(id, draft.clone()).expect("saving without changes");
    assert_eq!(same.timeline.len(), 2, "saving a case unchanged writes no entry");
    assert_eq!(same.case.updated_at, edited.case.updated_at, "and does not count as a change");
    let mut padded = draft.clone();
    padded.person.name = Some("  Drita Krasniqi ".into());
    padded.assigned_officer = " Arben Gashi".into();
    let same = office.desk.update_case(id, padded).expect("saving with stray spaces");
    assert_eq!(same.timeline.len(), 2, "stray spaces are trimmed before comparing, so they are no change");

    office.tick();
    let mut one_act = draft.clone();
    one_act.acts[0].respondent_name = "Dom zdravlja".into();
    let changed = office.desk.update_case(id, one_act.clone()).expect("editing one act");
    assert_eq!(
        changed.timeline.last().map(|e| e.text.as_str()),
        Some("acts[0]"),
        "names the act that changed"
    );

    office.tick();
    let mut added = one_act;
    added.acts.push(act("A second refusal at the same counter.", &["age"]));
    let grown = office.desk.update_case(id, added).expect("adding an act");
    let ids = act_ids(&grown);
    assert_eq!(ids.len(), 2, "the new act is stored");
    assert_eq!(ids[0], kept, "the existing act keeps its id when another is added");
    assert!(ids[1] != kept && ids[1] != removed, "the new act gets a new id");
    assert_eq!(grown.timeline.last().map(|e| e.text.as_str()), Some("acts"), "a new act changes the acts");
}

#[test]
fn an_invalid_draft_is_refused_with_its_fields_and_nothing_is_written() {
    let mut office = Office::new(12);
    let before = office.counts();
    let mut bad = two_acts();
    bad.intake_date = office.today().succ_opt().expect("tomorrow");
    bad.acts[0].ground_other = None;
    bad.acts[1].grounds.clear();
    bad.person.consent_processing = false;
    assert_invalid(
        office.desk.create_case(bad),
        &[
            ("intake_date", codes::IN_FUTURE),
            ("acts[0].ground_other", codes::REQUIRED),
            ("acts[1].grounds", codes::AT_LEAST_ONE),
            ("person.name", codes::NOT_WITHOUT_CONSENT),
            ("person.contact", codes::NOT_WITHOUT_CONSENT),
        ],
        "an invalid case is refused",
    );
    assert_eq!(office.counts(), before, "a refused case writes nothing");

    let a = office.desk.create_case(case_draft("Arta Berisha")).expect("opening A");
    let b = office.desk.create_case(case_draft("Milica Savić")).expect("opening B");
    let before = office.counts();
    let mut stolen = b.case.draft.clone();
    stolen.acts = a.case.draft.acts.clone();
    assert_invalid(
        office.desk.update_case(b.case.id, stolen),
        &[("acts[0]", codes::UNKNOWN_CODE)],
        "an act of another case cannot be moved into this one",
    );
    assert_eq!(office.counts(), before, "the refused edit writes nothing");
    assert_eq!(office.desk.case_detail(b.case.id).expect("reading B").case, b.case, "case B is unchanged");
    assert_eq!(office.desk.case_detail(a.case.id).expect("reading A").case, a.case, "case A is unchanged");

    let nobody = CaseId(uuid::Uuid::nil());
    let err = office.desk.update_case(nobody, case_draft("X")).expect_err("there is no such case");
    assert_eq!(err.code(), "not_found", "editing a case that does not exist is not_found: {err:?}");
}

#[test]
fn the_same_act_twice_in_one_edit_is_refused() {
    // Regression: an edit listing one stored act twice (a UI that copies an act with its id) was
    // saved as one act, silently dropping the first copy's text.
    let mut office = Office::new(13);
    let opened = office.desk.create_case(two_acts()).expect("opening");
    let before = office.counts();
    let mut twice = opened.case.draft.clone();
    twice.acts[1] = twice.acts[0].clone();
    twice.acts[1].narrative = "A different text for the copy.".into();
    assert_invalid(
        office.desk.update_case(opened.case.id, twice),
        &[("acts[1]", codes::DUPLICATE)],
        "an act id may appear once in a case",
    );
    assert_eq!(office.counts(), before, "nothing is written");
    assert_eq!(
        office.desk.case_detail(opened.case.id).expect("reading").case,
        opened.case,
        "the case is as it was"
    );
}
