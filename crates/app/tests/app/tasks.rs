//! Follow-up tasks: due, overdue the day after their due date, done once.
use super::support::{Office, assert_invalid, case_draft};
use chrono::Duration;
use rightsdesk_domain::clock::Clock;
use rightsdesk_domain::ids::TaskId;
use rightsdesk_domain::task::TaskDraft;
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_domain::validation::codes;
use rightsdesk_store::search::CaseFilter;

fn overdue() -> CaseFilter {
    CaseFilter { overdue: true, ..CaseFilter::default() }
}

#[test]
fn a_task_past_its_due_date_makes_the_case_overdue_until_it_is_done() {
    let mut office = Office::new(50);
    let late = office.desk.create_case(case_draft("Arta Kelmendi")).expect("opening").case.id;
    let fine = office.desk.create_case(case_draft("Dejan Savić")).expect("opening").case.id;
    let today = office.today();
    office.tick();
    let yesterday = TaskDraft {
        title: "Call the person back".into(),
        due: today - Duration::days(1),
        assignee: "".into(),
    };
    let detail = office.desk.add_task(late, yesterday).expect("a task due yesterday");
    let task = detail.tasks[0].clone();
    assert_eq!(task.assignee, "Arben Gashi", "an unassigned task goes to the officer who set it");
    let added = detail.timeline.last().expect("an entry for the task");
    assert_eq!(added.kind, EntryKind::TaskAdded, "setting a task is recorded");
    assert_eq!(added.text, format!("Call the person back ({})", task.due), "with its title and due date");
    let due_today =
        TaskDraft { title: "Check the reply".into(), due: today, assignee: "Vjosa Morina".into() };
    office.desk.add_task(fine, due_today).expect("a task due today");
    let later =
        TaskDraft { title: "Visit the school".into(), due: today + Duration::days(10), assignee: "".into() };
    office.desk.add_task(fine, later).expect("a task due in ten days");

    let page = office.desk.list_cases(&overdue()).expect("listing overdue cases");
    let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![late],
        "only the case with a task past its due date is overdue (due today is not yet)"
    );
    assert_eq!(
        (page.items[0].open_tasks, page.items[0].overdue_tasks),
        (1, 1),
        "the list shows its task counts"
    );
    assert_eq!(page.total, 1, "and the total agrees");

    let due = office.desk.due_tasks(0).expect("tasks due by today");
    let marks: Vec<(&str, bool)> = due.iter().map(|d| (d.task.title.as_str(), d.overdue)).collect();
    assert_eq!(
        marks,
        vec![("Call the person back", true), ("Check the reply", false)],
        "due by today: oldest first, only the one past its date marked overdue"
    );
    assert_eq!(
        due[0].case_number,
        office.desk.case_detail(late).expect("reading").case.number,
        "with its case"
    );
    assert_eq!(
        office.desk.due_tasks(14).expect("two weeks ahead").len(),
        3,
        "a longer horizon shows later tasks"
    );

    office.tick();
    let done = office.desk.complete_task(task.id).expect("completing");
    let stored = &done.tasks[0];
    assert_eq!(stored.done_at, Some(office.clock.now()), "done now");
    assert_eq!(stored.done_by.as_deref(), Some("Arben Gashi"), "by this officer");
    assert!(
        office.desk.list_cases(&overdue()).expect("listing").items.is_empty(),
        "a done task is not overdue"
    );
    assert!(office.desk.due_tasks(0).expect("due").iter().all(|d| d.task.id != task.id), "nor due any more");

    office.tick();
    let again = office.desk.complete_task(task.id).expect("completing twice is harmless");
    let done_entries = again.timeline.iter().filter(|e| e.kind == EntryKind::TaskDone).count();
    assert_eq!(done_entries, 1, "completing twice records one task_done, not two");
    assert_eq!(again.tasks[0].done_at, stored.done_at, "the first completion time is kept");
    assert_eq!(again.case.updated_at, done.case.updated_at, "and the case is not touched again");
}

#[test]
fn a_task_needs_a_title_and_an_existing_case() {
    let mut office = Office::new(51);
    let id = office.desk.create_case(case_draft("Fatmir Thaçi")).expect("opening").case.id;
    let before = office.counts();
    let blank = TaskDraft { title: "  ".into(), due: office.today(), assignee: "".into() };
    assert_invalid(office.desk.add_task(id, blank), &[("title", codes::REQUIRED)], "a task needs a title");
    assert_eq!(office.counts(), before, "a refused task writes nothing");
    let err = office.desk.complete_task(TaskId(uuid::Uuid::nil())).expect_err("no such task");
    assert_eq!(err.code(), "not_found", "completing a task that does not exist is not_found: {err:?}");
}
