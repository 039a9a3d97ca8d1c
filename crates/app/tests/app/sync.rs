//! Bundles between offices: what a unit sends arrives whole at the central office; importing twice
//! or previewing writes nothing; concurrent edits become conflicts that a person resolves; and every
//! kind of bad bundle is refused with its own code, leaving the office as it was.
use super::support::{Office, case_draft, note};
use super::sync_support::{Network, digest, import, preview};
use rightsdesk_domain::case::Risk;
use rightsdesk_domain::task::TaskDraft;

fn open_case(office: &mut Office, name: &str) -> rightsdesk_domain::ids::CaseId {
    office.desk.create_case(case_draft(name)).expect("opening a valid case").case.id
}

#[test]
fn a_units_case_arrives_whole_at_the_central_office() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let id = open_case(&mut unit, "Drita Krasniqi");
    unit.tick();
    unit.desk.add_entry(id, note("Called the social work centre.")).expect("a note");
    unit.desk
        .add_task(id, TaskDraft { title: "Call back".into(), due: unit.today(), assignee: String::new() })
        .expect("a task");
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    let file = net.bundle(&mut unit, &central, false);
    assert!(file.starts_with(b"age-encryption.org/v1\n"), "a bundle with case data is encrypted by default");

    let report = import(&mut central, &file).expect("the central office imports an enrolled unit's bundle");
    assert!(report.applied, "the import was written");
    assert_eq!(report.by_kind["case"].new, 1, "one new case: {report:?}");
    assert_eq!(report.by_kind["act"].new, 1, "its act");
    assert_eq!(report.by_kind["task"].new, 1, "its task");
    assert_eq!(report.by_kind["entry"].new, 3, "opened, the note, task added");
    assert!(report.conflicts.is_empty() && report.rejected.is_empty(), "nothing to resolve: {report:?}");

    let there = central.desk.case_detail(id).expect("the case is at the central office");
    let here = unit.desk.case_detail(id).expect("the case at the unit");
    assert_eq!(there.case.number, here.case.number, "the case keeps its number");
    assert_eq!(there.case.draft, here.case.draft, "every field arrives as entered");
    assert_eq!(there.timeline.len(), here.timeline.len(), "the whole timeline arrives");
    assert_eq!(there.tasks.len(), 1, "the task arrives");
    assert_eq!(digest(&central), digest(&unit), "both offices now hold the same data");
    let found = central.desk.list_cases(&super::support::text("Krasniqi")).expect("searching");
    assert_eq!(found.total, 1, "an imported case is found by the person's name at once");
}

#[test]
fn importing_a_bundle_twice_is_refused_and_writes_no_rows() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    open_case(&mut unit, "Besa Morina");
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    let file = net.bundle(&mut unit, &central, false);
    import(&mut central, &file).expect("the first import");
    let before = (digest(&central), central.desk.rows_written());
    let err = import(&mut central, &file).expect_err("the same bundle a second time");
    assert_eq!(err.code(), "bundle_replayed", "the officer is told it was already imported: {err}");
    assert_eq!((digest(&central), central.desk.rows_written()), before, "and not a single row was written");
}

#[test]
fn a_preview_reports_what_an_import_would_do_and_changes_nothing() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    open_case(&mut unit, "Besa Morina");
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    let file = net.bundle(&mut unit, &central, false);
    let before = (digest(&central), central.counts());
    let shown = preview(&mut central, &file).expect("previewing a good bundle");
    assert!(!shown.applied, "a preview is not applied");
    assert_eq!((digest(&central), central.counts()), before, "a preview leaves the data as it was");
    let done = import(&mut central, &file).expect("importing it after the preview");
    assert_eq!(
        (shown.by_kind.clone(), shown.conflicts.clone(), shown.missing.clone()),
        (done.by_kind.clone(), done.conflicts.clone(), done.missing.clone()),
        "the preview said exactly what the import did"
    );
}

#[test]
fn edits_of_different_fields_merge_and_the_same_field_conflicts_until_resolved() {
    let mut net = Network::new(&["gjilan", "gjilan"]);
    let mut b = net.units.remove(1);
    let mut a = net.units.remove(0);
    let id = open_case(&mut a, "Drita Krasniqi");
    let file = net.bundle(&mut a, &b, false);
    import(&mut b, &file).expect("laptop B gets the case");

    // Both laptops edit offline: different fields, and the same field differently.
    a.tick();
    let mut on_a = a.desk.case_detail(id).expect("case on A").case.draft;
    on_a.risk = Risk::High;
    on_a.person.age_band = "age_35_49".into();
    a.desk.update_case(id, on_a).expect("A edits");
    let mut on_b = b.desk.case_detail(id).expect("case on B").case.draft;
    on_b.risk = Risk::Low;
    on_b.assigned_officer = "Vesa Hoxha".into();
    b.desk.update_case(id, on_b).expect("B edits");

    let to_b = net.bundle(&mut a, &b, false);
    let to_a = net.bundle(&mut b, &a, false);
    let rb = import(&mut b, &to_b).expect("B imports A's edits");
    import(&mut a, &to_a).expect("A imports B's edits");
    assert_eq!(rb.conflicts.len(), 1, "only the field both edited conflicts: {:?}", rb.conflicts);
    assert_eq!(rb.conflicts[0].field, "risk");
    assert_eq!(digest(&a), digest(&b), "both laptops converge, conflict included");
    let case_a = a.desk.case_detail(id).expect("case on A").case;
    let case_b = b.desk.case_detail(id).expect("case on B").case;
    assert_eq!(case_a.draft, case_b.draft, "both show the same values meanwhile");
    assert_eq!(case_a.draft.person.age_band, "age_35_49", "A's other edit arrived");
    assert_eq!(case_a.draft.assigned_officer, "Vesa Hoxha", "B's other edit arrived");

    let conflicts = a.desk.conflicts().expect("the conflict queue");
    assert_eq!(conflicts.len(), 1, "one conflict waits for a person");
    let values: Vec<_> = conflicts[0].candidates.iter().map(|c| c.value.clone()).collect();
    assert!(
        values.contains(&"high".into()) && values.contains(&"low".into()),
        "both values are kept: {values:?}"
    );

    a.tick();
    let choice =
        conflicts[0].candidates.iter().find(|c| c.value == "high").expect("A's value").change.clone();
    a.desk.resolve_conflict(conflicts[0].record, &conflicts[0].field, &choice).expect("resolving");
    assert!(a.desk.conflicts().expect("queue").is_empty(), "resolved on A");
    let file = net.bundle(&mut a, &b, false);
    import(&mut b, &file).expect("B gets the resolution");
    assert!(b.desk.conflicts().expect("queue").is_empty(), "the resolution syncs: resolved on B too");
    assert_eq!(b.desk.case_detail(id).expect("case").case.draft.risk, Risk::High, "with the chosen value");
    assert_eq!(digest(&a), digest(&b), "and both laptops agree");
}

#[test]
fn an_incremental_bundle_carries_only_what_the_peer_has_not_acknowledged() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    open_case(&mut unit, "Besa Morina");
    let first = net.bundle(&mut unit, &central, false);
    import(&mut central, &first).expect("first bundle");
    // Before the central office acknowledges, the next bundle carries everything again.
    open_case(&mut unit, "Arta Hoxha");
    let second = net.bundle(&mut unit, &central, false);
    let r = import(&mut central, &second).expect("second bundle");
    assert_eq!(r.by_kind["case"].new, 1, "the new case is new");
    assert_eq!(
        r.by_kind["case"].unchanged, 1,
        "the first case came again, unacknowledged, and changed nothing"
    );
    // The central office answers; its bundle acknowledges what it holds.
    let ack = net.bundle(&mut central, &unit, false);
    import(&mut unit, &ack).expect("the central office's answer");
    open_case(&mut unit, "Teuta Rama");
    let third = net.bundle(&mut unit, &central, false);
    let r = import(&mut central, &third).expect("third bundle");
    assert_eq!(r.changes, r.new_changes, "after the acknowledgement only new changes travel: {r:?}");
    assert_eq!(r.by_kind["case"].new, 1);
    assert_eq!(r.by_kind.get("case").map(|k| k.unchanged), Some(0));
}

#[test]
fn a_missing_bundle_shows_as_a_gap_and_its_changes_still_arrive_with_the_next() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    open_case(&mut unit, "Besa Morina");
    let _lost = net.bundle(&mut unit, &central, false);
    open_case(&mut unit, "Arta Hoxha");
    let next = net.bundle(&mut unit, &central, false);
    let r = import(&mut central, &next).expect("bundle 2 arrives without bundle 1");
    assert_eq!(r.missing, vec![1], "bundle 1 to the central office is shown as missing");
    assert_eq!(
        r.by_kind["case"].new, 2,
        "but both cases arrived: bundle 2 carried what was not acknowledged"
    );
    assert_eq!(digest(&central), digest(&unit), "nothing was lost");
}
