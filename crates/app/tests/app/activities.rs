//! Trainings, round tables and outreach meetings; attendance is counted, never named; a case taken
//! at an outreach meeting links back to it.
use super::support::{Office, assert_invalid, attendance, case_draft, outreach, training};
use rightsdesk_domain::activity::ActivityKind;
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::ActivityId;
use rightsdesk_domain::validation::codes;
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::activities::{ActivityFilter, ActivitySummary};

fn titles(items: &[ActivitySummary]) -> Vec<&str> {
    let mut t: Vec<&str> = items.iter().map(|a| a.title.as_str()).collect();
    t.sort();
    t
}

#[test]
fn a_training_is_saved_with_its_attendance_and_an_edit_replaces_it_whole() {
    let mut office = Office::new(60);
    let draft = training("Zakon o zaštiti od diskriminacije", "prishtine");
    let saved = office.desk.save_activity(None, draft.clone()).expect("a valid training");
    let a = &saved.activity;
    assert_eq!(a.draft, draft, "the training reads back as entered, attendance included");
    assert_eq!(
        (a.created_at, a.updated_at),
        (office.clock.now(), office.clock.now()),
        "stamped by the clock"
    );
    assert!(saved.linked_cases.is_empty(), "no case was opened at a training");

    office.tick();
    let mut edit = draft.clone();
    edit.title = "Zakon o zaštiti od diskriminacije (II)".into();
    edit.attendance = vec![attendance("roma", 4, 4)];
    let edited = office.desk.save_activity(Some(a.id), edit.clone()).expect("editing");
    assert_eq!(edited.activity.id, a.id, "an edit keeps the activity's id");
    assert_eq!(
        edited.activity.draft, edit,
        "the new attendance replaces the old, rows no longer there are gone"
    );
    assert_eq!(
        edited.activity.created_at, a.created_at,
        "an edit keeps when the activity was first recorded"
    );
    assert_eq!(edited.activity.updated_at, office.clock.now(), "and stamps when it was changed");

    let page = office.desk.list_activities(&ActivityFilter::default()).expect("listing");
    assert_eq!(page.total, 1, "an edit does not add a second activity");
    let line = &page.items[0];
    assert_eq!((line.attendance_total, line.attendance_female), (8, 4), "the list sums the new attendance");
    assert_eq!(line.communities, vec!["roma".to_string()], "and names the communities reached");

    let err =
        office.desk.save_activity(Some(ActivityId(uuid::Uuid::nil())), edit).expect_err("no such activity");
    assert_eq!(err.code(), "not_found", "editing an activity that does not exist is not_found: {err:?}");
}

#[test]
fn the_activity_list_filters_by_kind_community_municipality_and_text() {
    let mut office = Office::new(61);
    let mut round_table = training("Round table with school directors", "gjakove");
    round_table.kind = ActivityKind::RoundTable;
    round_table.attendance = vec![attendance("egyptian", 2, 3)];
    for draft in [
        training("Gjuha dhe të drejtat e komuniteteve", "prishtine"),
        round_table,
        outreach("Lagjja e Romëve", "gjakove"),
        outreach("Naselje Plemetina", "obiliq"),
    ] {
        office.desk.save_activity(None, draft).expect("a valid activity");
    }
    let list = |f: ActivityFilter| office.desk.list_activities(&f).expect("listing activities");

    let all = list(ActivityFilter::default());
    assert_eq!((all.total, all.items.len()), (4, 4), "no filter lists everything");
    let dates: Vec<_> = all.items.iter().map(|a| a.date_from).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let meetings = list(ActivityFilter { kinds: vec![ActivityKind::Outreach], ..Default::default() });
    assert_eq!(meetings.total, 2, "two outreach meetings");
    assert!(meetings.items.iter().all(|a| a.kind == ActivityKind::Outreach), "and nothing else");
    let both = list(ActivityFilter {
        kinds: vec![ActivityKind::Training, ActivityKind::RoundTable],
        ..Default::default()
    });
    assert_eq!(
        titles(&both.items),
        vec!["Gjuha dhe të drejtat e komuniteteve", "Round table with school directors"],
        "several kinds at once: either kind"
    );

    let egyptian = list(ActivityFilter { community: Some("egyptian".into()), ..Default::default() });
    assert_eq!(titles(&egyptian.items), vec!["Round table with school directors"], "the community reached");
    let roma = list(ActivityFilter { community: Some("roma".into()), ..Default::default() });
    assert_eq!(roma.total, 2, "both outreach meetings reached Roma people");

    let gjakove = list(ActivityFilter { municipality: Some("gjakove".into()), ..Default::default() });
    assert_eq!(gjakove.total, 2, "two activities in Gjakovë");
    assert!(gjakove.items.iter().all(|a| a.municipality == "gjakove"), "and only those");

    let words = list(ActivityFilter { text: Some("school DIRECTORS".into()), ..Default::default() });
    assert_eq!(
        titles(&words.items),
        vec!["Round table with school directors"],
        "every word must match, any case"
    );
    let venue = list(ActivityFilter { text: Some("Plemetina".into()), ..Default::default() });
    assert_eq!(
        venue.items.iter().map(|a| a.venue.as_str()).collect::<Vec<_>>(),
        vec!["Naselje Plemetina"],
        "the venue is searched too"
    );
    for odd in ["100%", "_", "\\", "'", "\"; DROP TABLE activities; --"] {
        let none = list(ActivityFilter { text: Some(odd.into()), ..Default::default() });
        assert_eq!(none.total, 0, "{odd:?} is searched as literal text, never as a pattern or SQL");
    }
}

#[test]
fn a_case_opened_at_an_outreach_meeting_links_both_ways() {
    let mut office = Office::new(62);
    let meeting =
        office.desk.save_activity(None, outreach("Lagjja e Romëve", "prishtine")).expect("a meeting");
    let mut draft = case_draft("Sabrije Salihu");
    draft.channel = "outreach_meeting".into();
    draft.source_activity = Some(meeting.activity.id);
    let case = office.desk.create_case(draft).expect("a case taken at the meeting");

    let source = case.source_activity.as_ref().expect("the case shows where it was taken");
    assert_eq!(source.id, meeting.activity.id.to_string(), "it names the meeting");
    assert_eq!(source.venue, "Lagjja e Romëve", "with its place");
    let detail = office.desk.activity_detail(meeting.activity.id).expect("reading the meeting");
    let linked: Vec<_> = detail.linked_cases.iter().map(|c| (c.id, c.number.clone(), c.status)).collect();
    assert_eq!(
        linked,
        vec![(case.case.id, case.case.number.clone(), Status::New)],
        "the meeting lists the case"
    );
    let page = office.desk.list_activities(&ActivityFilter::default()).expect("listing");
    assert_eq!(page.items[0].linked_cases, 1, "the activities list counts the cases taken at each meeting");

    let before = office.counts();
    let mut dangling = case_draft("Mentor Ademi");
    dangling.channel = "outreach_meeting".into();
    dangling.source_activity = Some(ActivityId(uuid::Uuid::nil()));
    assert_invalid(
        office.desk.create_case(dangling),
        &[("source_activity", codes::UNKNOWN_CODE)],
        "a case cannot point at a meeting that was never recorded",
    );
    assert_eq!(office.counts(), before, "and nothing is written");
}

#[test]
fn an_invalid_activity_names_its_fields_and_writes_nothing() {
    let mut office = Office::new(63);
    let mut bad = outreach("  ", "atlantis");
    bad.format = None;
    bad.attendance.push(attendance("roma", 1, 1));
    assert_invalid(
        office.desk.save_activity(None, bad),
        &[
            ("venue", codes::REQUIRED),
            ("municipality", codes::UNKNOWN_CODE),
            ("format", codes::REQUIRED),
            ("attendance[1].community", codes::DUPLICATE),
        ],
        "an outreach meeting needs a place, a known municipality, a format, and counts a community once",
    );
    assert_eq!(office.counts(), Default::default(), "nothing is written");
}
