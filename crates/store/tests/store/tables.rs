//! Rules the tables enforce themselves, whatever code writes to them: the timeline is
//! append-only, case numbers are unique, an act stays with its case, a task is completed once, and
//! a write that fails half-way leaves nothing behind.
use super::support::{DEVICE, day, insert_case, new_store, now, opened, sample_case};
use chrono::Duration;
use rightsdesk_domain::ids::{IdGen, TaskId};
use rightsdesk_domain::task::Task;
use rightsdesk_store::{StoreError, cases, search, stats, tasks, timeline};

#[test]
fn the_timeline_refuses_updates_and_deletes() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(20);
    let case = sample_case(&mut ids, 1, "Drita Krasniqi");
    insert_case(&mut store, &mut ids, &case);
    let before = timeline::of_case(store.conn(), case.id).expect("reading the timeline");
    assert_eq!(before.len(), 1, "the sample case has its opened entry");
    let conn = store.conn();

    let err = conn.execute("UPDATE case_timeline SET text = 'rewritten'", []).expect_err("no rewriting");
    assert!(
        err.to_string().contains("never rewritten"),
        "a raw UPDATE is refused by the trigger, with a message that says to add a correction: {err}"
    );
    let err = conn.execute("DELETE FROM case_timeline", []).expect_err("no deleting");
    assert!(err.to_string().contains("never deleted"), "a raw DELETE is refused by the trigger: {err}");
    let upsert =
        "INSERT INTO case_timeline (id, case_id, kind, occurred_on, text, author, created_at, device_id)
                  SELECT id, case_id, kind, occurred_on, 'rewritten', author, created_at, device_id
                  FROM case_timeline WHERE true
                  ON CONFLICT (id) DO UPDATE SET text = excluded.text";
    assert!(conn.execute(upsert, []).is_err(), "an upsert is an UPDATE and is refused too");
    let replace = "INSERT OR REPLACE INTO case_timeline
                       (id, case_id, kind, occurred_on, text, author, created_at, device_id)
                   SELECT id, case_id, kind, occurred_on, 'rewritten', author, created_at, device_id
                   FROM case_timeline";
    assert!(conn.execute(replace, []).is_err(), "INSERT OR REPLACE deletes the old row, and is refused too");

    let mut same_id = opened(&mut IdGen::seeded(20_000), &case);
    same_id.id = before[0].id;
    assert!(timeline::append(conn, &same_id).is_err(), "appending an entry with a taken id fails");
    assert_eq!(
        timeline::of_case(conn, case.id).expect("reading the timeline"),
        before,
        "after every attempt the recorded entry is exactly as it was"
    );
}

#[test]
fn a_case_number_is_taken_once() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(21);
    let first = sample_case(&mut ids, 1, "Arta Berisha");
    insert_case(&mut store, &mut ids, &first);
    let twin = sample_case(&mut ids, 1, "Milica Savić");
    let tx = store.transaction().expect("a write transaction");
    let err = cases::insert(&tx, &twin).expect_err("the number is already taken");
    assert!(
        matches!(&err, StoreError::NumberTaken(n) if *n == first.number),
        "a taken number is reported as NumberTaken with the number, not as a raw SQLite error: {err:?}"
    );
    drop(tx);
    assert_eq!(stats::counts(store.conn()).expect("counts").cases, 1, "the refused case was not stored");
}

#[test]
fn numbering_is_derived_per_device_and_year() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(22);
    for seq in [1, 2, 7] {
        let case = sample_case(&mut ids, seq, "Vjosa Morina");
        insert_case(&mut store, &mut ids, &case);
    }
    let conn = store.conn();
    assert_eq!(cases::last_number_seq(conn, DEVICE, 2026).expect("seq"), 7, "the highest number in use");
    assert_eq!(cases::last_number_seq(conn, DEVICE, 2025).expect("seq"), 0, "another year starts afresh");
    assert_eq!(
        cases::last_number_seq(conn, "ZZZZ", 2026).expect("seq"),
        0,
        "another device has its own series"
    );
}

#[test]
fn an_act_of_another_case_is_refused_and_the_failed_update_leaves_nothing_behind() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(23);
    let a = sample_case(&mut ids, 1, "Fitore Hoxha");
    let b = sample_case(&mut ids, 2, "Nenad Ilić");
    insert_case(&mut store, &mut ids, &a);
    insert_case(&mut store, &mut ids, &b);

    // B's update first rewrites B's row and drops B's own act, then meets A's act: the store must
    // refuse it, and the transaction must take the earlier writes back with it.
    let mut hijack = b.clone();
    hijack.draft.person.name = Some("Changed Name".into());
    hijack.draft.acts = vec![a.draft.acts[0].clone()];
    hijack.updated_at = now() + Duration::hours(1);
    let tx = store.transaction().expect("a write transaction");
    let err = cases::update(&tx, &hijack).expect_err("an act belongs to one case");
    assert!(matches!(err, StoreError::BadValue(_)), "the refusal is a typed error: {err:?}");
    drop(tx);

    let conn = store.conn();
    assert_eq!(cases::get(conn, a.id).expect("reading A").as_ref(), Some(&a), "case A is untouched");
    assert_eq!(
        cases::get(conn, b.id).expect("reading B").as_ref(),
        Some(&b),
        "case B is as it was: its row, its act and the act's grounds all rolled back"
    );
}

#[test]
fn a_task_is_completed_once_and_must_belong_to_a_case() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(24);
    let case = sample_case(&mut ids, 1, "Gëzim Shala");
    insert_case(&mut store, &mut ids, &case);
    let task = Task {
        id: ids.next(now()),
        case_id: case.id,
        title: "Call back".into(),
        due: day(2026, 11, 25),
        assignee: "Arben Gashi".into(),
        done_at: None,
        done_by: None,
        created_at: now(),
        device_id: case.device_id,
    };
    let conn = store.conn();
    tasks::insert(conn, &task).expect("inserting a task");
    let first = now() + Duration::hours(1);
    assert!(
        tasks::complete(conn, task.id, "Arben Gashi", first, case.device_id).expect("completing"),
        "completing an open task reports that it changed"
    );
    let later = now() + Duration::days(2);
    assert!(
        !tasks::complete(conn, task.id, "Vjosa Morina", later, case.device_id).expect("completing again"),
        "completing a done task reports that nothing changed"
    );
    let stored = tasks::get(conn, task.id).expect("reading").expect("the task exists");
    assert_eq!(
        (stored.done_at, stored.done_by.as_deref()),
        (Some(first), Some("Arben Gashi")),
        "the first completion is kept: who did it and when is not overwritten"
    );

    let mut orphan = task.clone();
    orphan.id = ids.next::<TaskId>(now());
    orphan.case_id = ids.next(now());
    assert!(tasks::insert(conn, &orphan).is_err(), "foreign keys are on: a task needs an existing case");
}

#[test]
fn the_search_index_is_rewritten_not_duplicated() {
    let (_dir, mut store) = new_store();
    let mut ids = IdGen::seeded(25);
    let case = sample_case(&mut ids, 1, "Shpend Kelmendi");
    insert_case(&mut store, &mut ids, &case);
    let row = cases::get_with_seq(store.conn(), case.id).expect("reading").expect("the case exists").1;
    let mut renamed = case.clone();
    renamed.draft.person.name = Some("Agon Rexhepi".into());
    for _ in 0..3 {
        search::index_case(store.conn(), row, &renamed).expect("reindexing");
    }
    let rows: i64 =
        store.conn().query_row("SELECT count(*) FROM case_search", [], |r| r.get(0)).expect("counting");
    assert_eq!(rows, 1, "reindexing a case replaces its entry, so a case is never found twice");
    let hits = |word: &str| -> i64 {
        let m = search::match_expression(word).expect("a query with a word");
        store
            .conn()
            .query_row("SELECT count(*) FROM case_search WHERE case_search MATCH ?1", [m], |r| r.get(0))
            .expect("searching")
    };
    assert_eq!(hits("Kelmendi"), 0, "the old name is gone from the index");
    assert_eq!(hits("Rexhepi"), 1, "the new name is in it");
}

#[test]
fn what_the_user_types_is_never_read_as_search_syntax() {
    assert_eq!(
        search::match_expression("\"kras\" OR gash*").as_deref(),
        Some("\"kras\"* \"OR\"* \"gash\"*"),
        "every word is quoted and made a prefix; operators are plain words"
    );
    for nothing in ["", "   ", "-", "*", "()", "\"", "^:+"] {
        assert_eq!(
            search::match_expression(nothing),
            None,
            "{nothing:?} has no words, so it does not filter"
        );
    }
}
