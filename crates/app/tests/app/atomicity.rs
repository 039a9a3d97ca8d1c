//! A write that fails half-way leaves nothing behind: each use-case is one transaction.
use super::support::{Office, PASS, act, case_draft, text};
use rightsdesk_app::Desk;
use rightsdesk_domain::ids::IdGen;

#[test]
fn a_case_whose_acts_fail_to_save_leaves_no_row_number_or_search_entry() {
    let office = Office::new(70);
    let dir = office.desk.dir().clone();
    let open = || Desk::open(dir.clone(), PASS, office.clock.clone(), IdGen::seeded(7)).expect("unlocking");
    // Two desks on one database drawing the same ids at the same instant: the second one's new
    // case row is written, then its first act collides with the first desk's act. That forces a
    // failure half-way through `create_case`, after the case row and before the timeline entry.
    let mut first = open();
    let mut second = open();
    let kept = first.create_case(case_draft("Lirije Sylejmani")).expect("the first desk opens a case").case;
    let before = first.stats().expect("counts");

    let mut doomed = case_draft("Zoran Đukić");
    doomed.acts.push(act("A second act.", &["language"]));
    let err = second.create_case(doomed).expect_err("the second desk's act id is already taken");
    assert_eq!(err.code(), "internal", "this is not the user's mistake: {err:?}");

    assert_eq!(second.stats().expect("counts"), before, "no case, act, grounds or timeline row was kept");
    let found = second.list_cases(&text("Đukić")).expect("searching");
    assert_eq!(found.total, 0, "the failed case left no entry in the search index");
    assert_eq!(
        second.case_detail(kept.id).expect("reading the first case").case,
        kept,
        "the case whose act id collided is untouched"
    );
    let next = first.create_case(case_draft("Shqipe Morina")).expect("opening another case").case;
    let seq = |n: &str| n.rsplit('-').next().map(str::to_string);
    assert_eq!(seq(&next.number).as_deref(), Some("0002"), "the failed case did not use up a number");
}
