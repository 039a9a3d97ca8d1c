//! Generated demonstration data: the same seed gives the same data, and every record passes the
//! validation an officer's input goes through.
use super::support::{Office, all_pages, clock};
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::activities::ActivityFilter;
use rightsdesk_store::search::CaseFilter;

#[test]
fn the_same_seed_gives_the_same_data_and_every_record_is_valid() {
    let shared = clock();
    let mut one = Office::with_clock(80, "prishtine", shared.clone());
    let mut two = Office::with_clock(80, "prishtine", shared);
    let summary = one.desk.generate_demo(500, 2026).expect("generating demo data");
    let again = two.desk.generate_demo(500, 2026).expect("generating it again elsewhere");
    assert_eq!(summary, again, "the same seed and clock give the same amounts");
    let counts = one.counts();
    assert_eq!(counts, two.counts(), "and the same rows in every table");
    assert_eq!(
        (counts.cases, counts.timeline_entries, counts.tasks),
        (summary.cases as i64, summary.timeline_entries as i64, summary.tasks as i64),
        "the summary reports what was written"
    );
    assert_eq!(counts.cases, 500, "as many cases as asked for");
    let activities = counts.trainings + counts.round_tables + counts.outreach_meetings;
    assert_eq!(activities, summary.activities as i64, "and the activities it reports");

    let everything = CaseFilter::default();
    let list_one = all_pages(&one.desk, &everything, 500);
    assert_eq!(
        list_one,
        all_pages(&two.desk, &everything, 500),
        "the same cases, numbers and all, in the same order"
    );

    let desk = &one.desk;
    let today = one.clock.today();
    let vocab = desk.vocab();
    for line in list_one.iter().step_by(7) {
        let detail = desk.case_detail(line.id).expect("reading a generated case");
        let case = &detail.case;
        assert_eq!(
            case.draft.validate(vocab, today),
            Ok(()),
            "generated case {} passes validation",
            case.number
        );
        assert_eq!(
            case.close_reason.is_some(),
            case.status == Status::Closed,
            "{}: closed iff a reason",
            case.number
        );
        let moves: Vec<_> = detail.timeline.iter().filter_map(|e| e.status_from.zip(e.status_to)).collect();
        let mut at = Status::New;
        for (from, to) in &moves {
            assert_eq!(*from, at, "{}: each recorded move starts where the last one ended", case.number);
            assert!(from.next().contains(to), "{}: {from:?} -> {to:?} is an allowed move", case.number);
            at = *to;
        }
        assert_eq!(at, case.status, "{}: the timeline's moves end at the case's status", case.number);
        let times: Vec<_> = detail.timeline.iter().map(|e| e.created_at).collect();
        assert!(
            times.windows(2).all(|w| w[0] < w[1]),
            "{}: timeline entries are in recorded order",
            case.number
        );
    }
    let page =
        desk.list_activities(&ActivityFilter { limit: 500, ..Default::default() }).expect("activities");
    for line in &page.items {
        let a = desk.activity_detail(line.id).expect("reading a generated activity").activity;
        assert_eq!(a.draft.validate(vocab, today), Ok(()), "generated activity {} passes validation", a.id);
    }
}
