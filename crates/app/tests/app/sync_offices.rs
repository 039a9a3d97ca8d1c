//! Many offices, random edits and lossy exchanges: all end with the same state digest.
//!
//! The pure merge laws are checked on in-memory replicas in `crates/sync/tests/merge_laws.rs`; this
//! is the same scenario on real encrypted stores, so it also checks what only the app does: that
//! every local write is captured as changes, that imported changes are materialized into the rows
//! the screens read (case list, case detail, search), and that bundles travel as real files.
//!
//! A central office and two to five units (of one or two municipalities) open cases, edit them
//! (risk, officer, age band, an act's narrative), write notes, set and complete tasks, move cases
//! through the workflow, remove acts and record activities. Between edits, bundles are exported
//! between random pairs and delivered, dropped, delivered twice (the second time must be refused as
//! replayed, writing nothing) or delivered after a newer one (refused as older). Some steps are
//! deliberately concurrent: two offices edit the same field of the same record without having
//! exchanged in between. At the end every pair exchanges until nothing new travels; then every
//! office must hold the same data, show the same cases, and list every concurrent edit nobody
//! resolved as a conflict with both values.
use super::support::{Office, act, all_pages, case_draft, note, text, training};
use super::sync_support::{Network, bundle_to, digest, import, open_bundle};
use proptest::prelude::*;
use rightsdesk_domain::case::{Case, CaseDraft, Risk};
use rightsdesk_domain::ids::{ActId, CaseId, EntryId, TaskId};
use rightsdesk_domain::task::{Task, TaskDraft};
use rightsdesk_domain::timeline::Entry;
use rightsdesk_domain::workflow::{CloseReason, Status, Transition};
use rightsdesk_store::search::{CaseFilter, CaseSort, CaseSummary};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

const AGE_BANDS: [&str; 8] = [
    "age_0_13",
    "age_14_17",
    "age_18_24",
    "age_25_34",
    "age_35_49",
    "age_50_64",
    "age_65_plus",
    "not_stated",
];

/// The fields the steps edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Risk,
    Officer,
    AgeBand,
    Narrative,
}

impl Field {
    /// Its name in changes and conflicts.
    fn name(self) -> &'static str {
        match self {
            Field::Risk => "risk",
            Field::Officer => "assigned_officer",
            Field::AgeBand => "person.age_band",
            Field::Narrative => "narrative",
        }
    }
}

/// One step of a history. Offices, cases, tasks and bundles are picked by index modulo what exists
/// when the step runs, so every generated history can run (a step with nothing to act on is skipped).
#[derive(Debug, Clone)]
enum Step {
    Open {
        office: usize,
        acts: usize,
    },
    Edit {
        office: usize,
        case: usize,
        field: Field,
        pick: usize,
    },
    /// `a` and `b` edit the same field of the same record, neither having seen the other's edit (`b`
    /// first gets the case from `a` if it does not hold it).
    Concurrent {
        a: usize,
        b: usize,
        case: usize,
        field: Field,
        pick: usize,
    },
    Note {
        office: usize,
        case: usize,
    },
    AddTask {
        office: usize,
        case: usize,
    },
    CompleteTask {
        office: usize,
        task: usize,
    },
    Transition {
        office: usize,
        case: usize,
        pick: usize,
    },
    RemoveAct {
        office: usize,
        case: usize,
        pick: usize,
    },
    /// A new act, inserted anywhere in the case\'s list of acts.
    AddAct {
        office: usize,
        case: usize,
        pick: usize,
    },
    Activity {
        office: usize,
    },
    Export {
        from: usize,
        to: usize,
    },
    Deliver {
        pick: usize,
        twice: bool,
    },
    Drop {
        pick: usize,
    },
    /// Two bundles from `from` to `to`; the newer arrives first, the older after it.
    Late {
        from: usize,
        to: usize,
    },
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![Just(Field::Risk), Just(Field::Officer), Just(Field::AgeBand), Just(Field::Narrative)]
}

fn step() -> impl Strategy<Value = Step> {
    let i = || 0..64usize;
    prop_oneof![
        3 => (i(), 1..=3usize).prop_map(|(office, acts)| Step::Open { office, acts }),
        4 => (i(), i(), field(), i()).prop_map(|(office, case, field, pick)| Step::Edit { office, case, field, pick }),
        5 => (i(), i(), i(), field(), i())
            .prop_map(|(a, b, case, field, pick)| Step::Concurrent { a, b, case, field, pick }),
        1 => (i(), i()).prop_map(|(office, case)| Step::Note { office, case }),
        1 => (i(), i()).prop_map(|(office, case)| Step::AddTask { office, case }),
        1 => (i(), i()).prop_map(|(office, task)| Step::CompleteTask { office, task }),
        1 => (i(), i(), i()).prop_map(|(office, case, pick)| Step::Transition { office, case, pick }),
        1 => (i(), i(), i()).prop_map(|(office, case, pick)| Step::RemoveAct { office, case, pick }),
        1 => (i(), i(), i()).prop_map(|(office, case, pick)| Step::AddAct { office, case, pick }),
        1 => i().prop_map(|office| Step::Activity { office }),
        6 => (i(), i()).prop_map(|(from, to)| Step::Export { from, to }),
        5 => (i(), any::<bool>()).prop_map(|(pick, twice)| Step::Deliver { pick, twice }),
        1 => i().prop_map(|pick| Step::Drop { pick }),
        1 => (i(), i()).prop_map(|(from, to)| Step::Late { from, to }),
    ]
}

/// A bundle written but not delivered yet.
struct Pending {
    from: usize,
    to: usize,
    seq: u64,
    file: Vec<u8>,
}

/// Two values written to one field without either writer seeing the other's.
#[derive(Debug)]
struct Pair {
    record: Uuid,
    field: &'static str,
    values: [Value; 2],
    offices: [usize; 2],
}

/// The offices and what the test knows of what they did.
struct World {
    offices: Vec<Office>,
    /// Every case opened anywhere, and every task set.
    cases: Vec<CaseId>,
    tasks: Vec<TaskId>,
    pool: Vec<Pending>,
    /// The highest bundle number each office imported from each other: `(to, from)`.
    imported: HashMap<(usize, usize), u64>,
    /// Every value a local edit wrote, by record and field.
    writes: HashMap<(Uuid, &'static str), Vec<Value>>,
    /// Fields of records no step edits after a concurrent pair was written to them.
    frozen: HashSet<(Uuid, &'static str)>,
    pairs: Vec<Pair>,
    removed: HashSet<Uuid>,
    counter: u64,
    /// What happened, for the failure message.
    log: Vec<String>,
}

/// A field's value in a case draft (for `narrative`, of the act `act`).
fn value_of(draft: &CaseDraft, field: Field, act: Option<ActId>) -> Option<Value> {
    Some(match field {
        Field::Risk => json!(draft.risk),
        Field::Officer => json!(draft.assigned_officer),
        Field::AgeBand => json!(draft.person.age_band),
        Field::Narrative => json!(draft.acts.iter().find(|a| a.id == act)?.narrative),
    })
}

fn set_value(draft: &mut CaseDraft, field: Field, act: Option<ActId>, value: &Value) {
    let s = value.as_str().expect("the edited fields hold strings").to_string();
    match field {
        Field::Risk => draft.risk = serde_json::from_value(value.clone()).expect("a risk code"),
        Field::Officer => draft.assigned_officer = s,
        Field::AgeBand => draft.person.age_band = s,
        Field::Narrative => {
            if let Some(a) = draft.acts.iter_mut().find(|a| a.id == act) {
                a.narrative = s;
            }
        }
    }
}

impl World {
    fn new(units: usize, two_municipalities: bool) -> Self {
        let municipalities: Vec<&str> =
            (0..units).map(|i| if two_municipalities && i % 2 == 1 { "prizren" } else { "gjilan" }).collect();
        let Network { central, units, .. } = Network::new(&municipalities);
        let mut offices = vec![central];
        offices.extend(units);
        World {
            offices,
            cases: Vec::new(),
            tasks: Vec::new(),
            pool: Vec::new(),
            imported: HashMap::new(),
            writes: HashMap::new(),
            frozen: HashSet::new(),
            pairs: Vec::new(),
            removed: HashSet::new(),
            counter: 0,
            log: Vec::new(),
        }
    }

    fn n(&self) -> usize {
        self.offices.len()
    }

    fn fresh(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// The cases office `o` holds.
    fn known(&self, o: usize) -> Vec<CaseId> {
        self.cases.iter().copied().filter(|c| self.offices[o].desk.case_detail(*c).is_ok()).collect()
    }

    fn pick_case(&self, o: usize, pick: usize) -> Option<CaseId> {
        let known = self.known(o);
        (!known.is_empty()).then(|| known[pick % known.len()])
    }

    fn draft(&self, o: usize, case: CaseId) -> CaseDraft {
        self.offices[o].desk.case_detail(case).expect("a case the office holds").case.draft
    }

    /// A value for `field` different from `current` and from `avoid`.
    fn new_value(&mut self, field: Field, pick: usize, current: &Value, avoid: Option<&Value>) -> Value {
        let k = self.fresh();
        let options: Vec<Value> = match field {
            Field::Risk => Risk::ALL.iter().map(|r| json!(r)).collect(),
            Field::AgeBand => AGE_BANDS.iter().map(|a| json!(a)).collect(),
            Field::Officer => return json!(format!("Officer {k}")),
            Field::Narrative => return json!(format!("Narrative {k}: what happened, as told again.")),
        };
        (0..options.len())
            .map(|i| options[(pick + i) % options.len()].clone())
            .find(|v| v != current && Some(v) != avoid)
            .expect("three or more options leave one that differs from two values")
    }

    /// Writes `value` to `field` on office `o` through `update_case`, and remembers it.
    fn write(&mut self, o: usize, case: CaseId, field: Field, act: Option<ActId>, value: Value) -> Uuid {
        let mut draft = self.draft(o, case);
        set_value(&mut draft, field, act, &value);
        self.offices[o].desk.update_case(case, draft).expect("a valid edit of a held case saves");
        let record = match field {
            Field::Narrative => act.expect("a narrative belongs to an act").as_uuid(),
            _ => case.as_uuid(),
        };
        self.writes.entry((record, field.name())).or_default().push(value);
        record
    }

    /// The act a narrative edit on office `o` (and `also`) changes, if both hold one.
    fn pick_act(&self, o: usize, also: Option<usize>, case: CaseId, pick: usize) -> Option<ActId> {
        let ids = |o: usize| -> Vec<ActId> { self.draft(o, case).acts.iter().filter_map(|a| a.id).collect() };
        let mut acts = ids(o);
        if let Some(b) = also {
            let theirs = ids(b);
            acts.retain(|a| theirs.contains(a));
        }
        acts.sort();
        (!acts.is_empty()).then(|| acts[pick % acts.len()])
    }

    fn record_of(field: Field, case: CaseId, act: Option<ActId>) -> Option<Uuid> {
        match field {
            Field::Narrative => act.map(|a| a.as_uuid()),
            _ => Some(case.as_uuid()),
        }
    }

    fn run(&mut self, step: &Step) {
        let n = self.n();
        self.offices[0].tick();
        match *step {
            Step::Open { office, acts } => {
                let o = office % n;
                let k = self.fresh();
                let mut draft = case_draft(&format!("Person {k}"));
                for i in 1..acts {
                    draft.acts.push(act(&format!("Act {i} of case {k}: refused service."), &["ethnicity"]));
                }
                let id = self.offices[o].desk.create_case(draft).expect("opening a valid case").case.id;
                self.cases.push(id);
                self.log.push(format!("{o} opens case {id} with {acts} acts"));
            }
            Step::Edit { office, case, field, pick } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let act = match field {
                    Field::Narrative => match self.pick_act(o, None, case, pick) {
                        Some(a) => Some(a),
                        None => return,
                    },
                    _ => None,
                };
                let Some(record) = Self::record_of(field, case, act) else { return };
                if self.frozen.contains(&(record, field.name())) || self.draft(o, case).acts.is_empty() {
                    return;
                }
                let current = value_of(&self.draft(o, case), field, act).expect("the field exists");
                let value = self.new_value(field, pick, &current, None);
                self.log.push(format!("{o} sets {} of {record} to {value}", field.name()));
                self.write(o, case, field, act, value);
            }
            Step::Concurrent { a, b, case, field, pick } => {
                let a = a % n;
                let b = if b % n == a { (a + 1) % n } else { b % n };
                let Some(case) = self.pick_case(a, case) else { return };
                if !self.known(b).contains(&case) {
                    // B first learns of the case; the two edits then happen without an exchange.
                    let p = self.export(a, b);
                    self.deliver(&p, false);
                }
                let act = match field {
                    Field::Narrative => match self.pick_act(a, Some(b), case, pick) {
                        Some(x) => Some(x),
                        None => return,
                    },
                    _ => None,
                };
                let Some(record) = Self::record_of(field, case, act) else { return };
                if self.frozen.contains(&(record, field.name()))
                    || self.draft(a, case).acts.is_empty()
                    || self.draft(b, case).acts.is_empty()
                {
                    return;
                }
                let cur_a = value_of(&self.draft(a, case), field, act).expect("the field exists on A");
                let va = self.new_value(field, pick, &cur_a, None);
                let cur_b = value_of(&self.draft(b, case), field, act).expect("the field exists on B");
                let vb = self.new_value(field, pick + 1, &cur_b, Some(&va));
                self.log.push(format!(
                    "{a} and {b} concurrently set {} of {record} to {va} and {vb}",
                    field.name()
                ));
                self.write(a, case, field, act, va.clone());
                self.write(b, case, field, act, vb.clone());
                self.frozen.insert((record, field.name()));
                self.pairs.push(Pair { record, field: field.name(), values: [va, vb], offices: [a, b] });
            }
            Step::Note { office, case } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let k = self.fresh();
                self.offices[o].desk.add_entry(case, note(&format!("Note {k}"))).expect("a valid note");
                self.log.push(format!("{o} notes on {case}"));
            }
            Step::AddTask { office, case } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let k = self.fresh();
                let today = self.offices[o].today();
                let draft = TaskDraft { title: format!("Task {k}"), due: today, assignee: String::new() };
                let detail = self.offices[o].desk.add_task(case, draft).expect("a valid task");
                let new = detail.tasks.iter().map(|t| t.id).find(|t| !self.tasks.contains(t));
                self.tasks.push(new.expect("the new task is on the case"));
                self.log.push(format!("{o} sets a task on {case}"));
            }
            Step::CompleteTask { office, task } => {
                let o = office % n;
                let open: Vec<TaskId> = self
                    .known(o)
                    .into_iter()
                    .flat_map(|c| self.offices[o].desk.case_detail(c).expect("held").tasks)
                    .filter(|t| t.done_at.is_none())
                    .map(|t| t.id)
                    .collect();
                if open.is_empty() {
                    return;
                }
                let t = open[task % open.len()];
                self.offices[o].desk.complete_task(t).expect("completing a held task");
                self.log.push(format!("{o} completes task {t}"));
            }
            Step::Transition { office, case, pick } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let next = self.offices[o].desk.case_detail(case).expect("held").next;
                if next.is_empty() {
                    return;
                }
                let to = next[pick % next.len()];
                let t = Transition {
                    to,
                    close_reason: (to == Status::Closed).then_some(CloseReason::Resolved),
                    note: (to == Status::Reopened).then(|| "New facts came to light.".to_string()),
                };
                self.offices[o].desk.transition(case, t).expect("an allowed transition");
                self.writes.entry((case.as_uuid(), "status")).or_default().push(json!(to));
                self.log.push(format!("{o} moves {case} to {}", to.as_str()));
            }
            Step::RemoveAct { office, case, pick } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let mut draft = self.draft(o, case);
                if draft.acts.len() < 2 {
                    return;
                }
                let gone = draft.acts.remove(pick % draft.acts.len());
                self.offices[o].desk.update_case(case, draft).expect("removing one of several acts");
                let gone = gone.id.expect("a held act has an id").as_uuid();
                self.removed.insert(gone);
                self.log.push(format!("{o} removes act {gone} from {case}"));
            }
            Step::AddAct { office, case, pick } => {
                let o = office % n;
                let Some(case) = self.pick_case(o, case) else { return };
                let mut draft = self.draft(o, case);
                if draft.acts.is_empty() {
                    return;
                }
                let k = self.fresh();
                let at = pick % (draft.acts.len() + 1);
                draft
                    .acts
                    .insert(at, act(&format!("Act added later ({k}): refused a permit."), &["language"]));
                self.offices[o].desk.update_case(case, draft).expect("adding a valid act");
                self.log.push(format!("{o} adds an act to {case} at place {at}"));
            }
            Step::Activity { office } => {
                let o = office % n;
                let k = self.fresh();
                let municipality = self.offices[o].desk.profile().municipality.clone();
                let draft = training(&format!("Training {k}"), &municipality);
                self.offices[o].desk.save_activity(None, draft).expect("a valid training");
                self.log.push(format!("{o} records training {k}"));
            }
            Step::Export { from, to } => {
                let (from, to) = (from % n, to % n);
                if from != to {
                    let p = self.export(from, to);
                    self.pool.push(p);
                }
            }
            Step::Deliver { pick, twice } => {
                if !self.pool.is_empty() {
                    let p = self.pool.remove(pick % self.pool.len());
                    self.deliver(&p, twice);
                }
            }
            Step::Drop { pick } => {
                if !self.pool.is_empty() {
                    let p = self.pool.remove(pick % self.pool.len());
                    self.log.push(format!("bundle {} from {} to {} is lost", p.seq, p.from, p.to));
                }
            }
            Step::Late { from, to } => {
                let (from, to) = (from % n, to % n);
                if from != to {
                    let older = self.export(from, to);
                    let newer = self.export(from, to);
                    self.deliver(&newer, false);
                    self.deliver(&older, false);
                }
            }
        }
    }

    fn export(&mut self, from: usize, to: usize) -> Pending {
        let (a, b) = two(&mut self.offices, from, to);
        let file = bundle_to(a, b);
        let seq = open_bundle(&file, b).seq;
        self.log.push(format!("{from} writes bundle {seq} to {to}"));
        Pending { from, to, seq, file }
    }

    /// Imports `p` where it is addressed, checking the outcome is the one its number calls for; a
    /// second delivery must be refused as a replay that writes nothing.
    fn deliver(&mut self, p: &Pending, twice: bool) -> u64 {
        let last = self.imported.get(&(p.to, p.from)).copied().unwrap_or(0);
        let why =
            format!("bundle {} from office {} to office {} (last imported: {last})", p.seq, p.from, p.to);
        let office = &mut self.offices[p.to];
        let before = digest(office);
        let result = import(office, &p.file);
        if p.seq < last {
            let err = result.expect_err(&why);
            assert_eq!(
                err.code(),
                "bundle_older",
                "{why}: a bundle older than one imported is refused: {err}"
            );
            assert_eq!(digest(office), before, "{why}: and changes nothing");
            self.log.push(format!("{why}: refused as older"));
            return 0;
        }
        let report = result.unwrap_or_else(|e| {
            panic!(
                "{why}: an import may fail only as a replay or an older bundle, not with {}: {e}",
                e.code()
            )
        });
        assert!(report.applied && report.rejected.is_empty(), "{why}: applied whole: {report:?}");
        self.imported.insert((p.to, p.from), p.seq);
        self.log.push(format!("{why}: imported, {} new changes", report.new_changes));
        if twice {
            let office = &mut self.offices[p.to];
            let (rows, held) = (office.desk.rows_written(), digest(office));
            let err = import(office, &p.file).expect_err(&why);
            assert_eq!(
                err.code(),
                "bundle_replayed",
                "{why}: delivered twice, it is refused the second time"
            );
            assert_eq!(
                (office.desk.rows_written(), digest(office)),
                (rows, held),
                "{why}: a replayed bundle writes not a single row"
            );
        }
        report.new_changes
    }

    /// Every pair exchanges, round after round, until a whole round brings nothing new.
    fn settle(&mut self) {
        self.pool.clear();
        for round in 0..8 {
            let mut brought = 0;
            for from in 0..self.n() {
                for to in 0..self.n() {
                    if from != to {
                        let p = self.export(from, to);
                        brought += self.deliver(&p, false);
                    }
                }
            }
            if brought == 0 {
                return;
            }
            assert!(round < 7, "all-pairs exchanges keep bringing changes after {round} rounds");
        }
    }
}

/// Two distinct offices of a list, the first mutable.
fn two(offices: &mut [Office], a: usize, b: usize) -> (&mut Office, &Office) {
    assert_ne!(a, b, "an office does not send to itself");
    if a < b {
        let (l, r) = offices.split_at_mut(b);
        (&mut l[a], &r[0])
    } else {
        let (l, r) = offices.split_at_mut(a);
        (&mut r[0], &l[b])
    }
}

/// A case as the screens show it: its acts, timeline and tasks in the order they are listed.
#[derive(Debug, PartialEq)]
struct Shown {
    case: Case,
    timeline: Vec<Entry>,
    tasks: Vec<Task>,
}

fn shown(office: &Office, id: CaseId) -> Shown {
    let d = office.desk.case_detail(id).expect("every office holds every case after settling");
    // Compared exactly as the screens show them: the case's last change and device, and the order
    // of entries and tasks, must agree on every office (see the two focused tests below).
    Shown { case: d.case, timeline: d.timeline, tasks: d.tasks }
}

fn case_list(office: &Office) -> Vec<CaseSummary> {
    let mut list = all_pages(&office.desk, &CaseFilter::default(), 50);
    list.sort_by_key(|c| c.id);
    list
}

/// Open conflicts as `(record, field) -> the changes of its candidates`.
fn conflict_table(office: &Office) -> BTreeMap<(Uuid, String), Vec<String>> {
    office
        .desk
        .conflicts()
        .expect("the conflict queue")
        .into_iter()
        .map(|c| {
            let mut changes: Vec<String> = c.candidates.into_iter().map(|x| x.change).collect();
            changes.sort();
            ((c.record, c.field), changes)
        })
        .collect()
}

impl World {
    fn check(&self) {
        let log = self.log.join("\n");
        let first = &self.offices[0];
        let d0 = digest(first);
        for (i, o) in self.offices.iter().enumerate() {
            assert_eq!(
                digest(o),
                d0,
                "office {i} holds the same data as the central office after settling\n{log}"
            );
        }
        let list0 = case_list(first);
        assert_eq!(
            list0.len(),
            self.cases.len(),
            "the central office lists every case opened anywhere\n{log}"
        );
        let conflicts0 = conflict_table(first);
        for (i, o) in self.offices.iter().enumerate().skip(1) {
            assert_eq!(o.counts(), first.counts(), "office {i} has as many rows of each kind\n{log}");
            assert_eq!(case_list(o), list0, "office {i} shows the same case list\n{log}");
            assert_eq!(conflict_table(o), conflicts0, "office {i} has the same conflicts waiting\n{log}");
            for &id in &self.cases {
                assert_eq!(
                    shown(o, id),
                    shown(first, id),
                    "office {i} shows case {id} as the central office does\n{log}"
                );
            }
        }
        for o in &self.offices {
            for &id in &self.cases {
                let number = o.desk.case_detail(id).expect("held").case.number;
                let found = o.desk.list_cases(&text(&number)).expect("searching");
                assert!(
                    found.items.iter().any(|c| c.id == id),
                    "case {number} is found by its number on every office\n{log}"
                );
            }
        }
        for p in &self.pairs {
            for (i, o) in self.offices.iter().enumerate() {
                let queue = o.desk.conflicts().expect("the conflict queue");
                let c = queue.iter().find(|c| c.record == p.record && c.field == p.field);
                let c = c.unwrap_or_else(|| {
                    panic!("office {i}: the concurrent edits {p:?} wait as a conflict: {queue:?}\n{log}")
                });
                let values: Vec<&Value> = c.candidates.iter().map(|x| &x.value).collect();
                for (v, by) in p.values.iter().zip(p.offices) {
                    assert!(
                        values.contains(&v),
                        "office {i}: the value {v} written by office {by} ({p:?}) is kept: {values:?}\n{log}"
                    );
                }
            }
        }
        // What every office shows is a value some office wrote; a field written once shows it.
        for ((record, field), written) in &self.writes {
            if self.removed.contains(record) {
                continue;
            }
            for (i, o) in self.offices.iter().enumerate() {
                let Some(value) = self.shown_value(o, *record, field) else { continue };
                assert!(
                    written.contains(&value),
                    "office {i}: `{field}` of {record} shows {value}, one of the values written {written:?}\n{log}"
                );
                if written.len() == 1 {
                    assert_eq!(
                        value, written[0],
                        "office {i}: `{field}` of {record} was written once\n{log}"
                    );
                }
            }
        }
    }

    /// The value an office shows for a field of a case or act (`None`: the act is not shown).
    fn shown_value(&self, o: &Office, record: Uuid, field: &str) -> Option<Value> {
        if let Some(case) = self.cases.iter().find(|c| c.as_uuid() == record) {
            let c = o.desk.case_detail(*case).expect("held").case;
            return Some(match field {
                "risk" => json!(c.draft.risk),
                "assigned_officer" => json!(c.draft.assigned_officer),
                "person.age_band" => json!(c.draft.person.age_band),
                "status" => json!(c.status),
                other => panic!("no such tracked field {other}"),
            });
        }
        self.cases.iter().find_map(|c| {
            let acts = o.desk.case_detail(*c).ok()?.case.draft.acts;
            acts.into_iter().find(|a| a.id.map(|i| i.as_uuid()) == Some(record)).map(|a| json!(a.narrative))
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 24, ..ProptestConfig::default() })]

    /// Whatever the offices do and however their bundles travel, after a final exchange they hold
    /// the same data, show the same cases, and keep every unresolved concurrent edit as a conflict.
    #[test]
    fn offices_converge_and_keep_every_concurrent_edit(
        units in 2..=5usize,
        two_municipalities in any::<bool>(),
        steps in prop::collection::vec(step(), 20..60),
    ) {
        let mut world = World::new(units, two_municipalities);
        for s in &steps {
            world.run(s);
        }
        world.settle();
        world.check();
    }
}

// ---------------------------------------------------------------------------------------------------
// What the property test found, each on its own
// ---------------------------------------------------------------------------------------------------

/// A central office and one unit of Gjilan.
fn central_and_unit() -> (Office, Office) {
    let Network { central, units, .. } = Network::new(&["gjilan"]);
    (central, units.into_iter().next().expect("the network has one unit"))
}

#[test]
fn a_case_shows_the_same_last_change_on_every_office() {
    let (mut central, mut unit) = central_and_unit();
    let first = unit.desk.create_case(case_draft("Drita Krasniqi")).expect("a case").case.id;
    unit.tick();
    unit.desk.create_case(case_draft("Besa Morina")).expect("a second case");
    unit.tick();
    unit.desk.add_entry(first, note("Called the social work centre.")).expect("a note on the first case");
    let sent = bundle_to(&mut unit, &central);
    import(&mut central, &sent).expect("the central office imports the unit's");
    assert_eq!(digest(&central), digest(&unit), "both offices hold the same data");

    let here = unit.desk.case_detail(first).expect("the case at the unit").case;
    let there = central.desk.case_detail(first).expect("the case at the central office").case;
    assert_eq!(
        (here.updated_at, here.device_id),
        (there.updated_at, there.device_id),
        "the same data shows the same last change of the case on both offices"
    );
    let by_change = CaseFilter { sort: CaseSort::UpdatedDesc, ..CaseFilter::default() };
    let order = |o: &Office| -> Vec<CaseId> {
        o.desk.list_cases(&by_change).expect("listing cases").items.iter().map(|c| c.id).collect()
    };
    assert_eq!(order(&unit), order(&central), "sorted by last change, both list the cases in one order");
}

#[test]
fn acts_are_listed_in_the_same_order_on_every_office() {
    let (mut central, mut unit) = central_and_unit();
    let mut draft = case_draft("Drita Krasniqi");
    for i in 1..4 {
        draft.acts.push(act(&format!("Act {i}: refused service."), &["ethnicity"]));
    }
    let id = unit.desk.create_case(draft).expect("a four-act case").case.id;
    let sent = bundle_to(&mut unit, &central);
    import(&mut central, &sent).expect("the central office imports the case");
    let acts = |o: &Office| -> Vec<Option<ActId>> {
        o.desk.case_detail(id).expect("the case").case.draft.acts.iter().map(|a| a.id).collect()
    };
    assert_eq!(acts(&unit), acts(&central), "acts saved together are listed in one order everywhere");
}

#[test]
fn an_act_added_later_is_listed_in_the_same_place_on_every_office() {
    let (mut central, mut unit) = central_and_unit();
    let id = unit.desk.create_case(case_draft("Drita Krasniqi")).expect("a case").case.id;
    let sent = bundle_to(&mut unit, &central);
    import(&mut central, &sent).expect("the central office imports the case");
    unit.tick();
    let mut draft = unit.desk.case_detail(id).expect("the case").case.draft;
    draft.acts.insert(0, act("Was refused a permit in her language.", &["language"]));
    unit.desk.update_case(id, draft).expect("adding an act before the first");
    let sent = bundle_to(&mut unit, &central);
    import(&mut central, &sent).expect("the central office imports the new act");
    assert_eq!(digest(&central), digest(&unit), "both offices hold the same data");
    let acts = |o: &Office| -> Vec<Option<ActId>> {
        o.desk.case_detail(id).expect("the case").case.draft.acts.iter().map(|a| a.id).collect()
    };
    assert_eq!(acts(&unit), acts(&central), "the same data lists the case's acts in the same order");
}

#[test]
fn entries_made_at_the_same_moment_are_listed_in_one_order_everywhere() {
    let Network { units, .. } = Network::new(&["gjilan", "gjilan"]);
    let mut units = units.into_iter();
    let (mut a, mut b) = (units.next().expect("laptop A"), units.next().expect("laptop B"));
    let id = a.desk.create_case(case_draft("Drita Krasniqi")).expect("a case").case.id;
    let sent = bundle_to(&mut a, &b);
    import(&mut b, &sent).expect("B gets the case");
    a.tick();
    // Both laptops write at the same moment (the clocks agree to the second).
    for (o, who) in [(&mut a, "A"), (&mut b, "B")] {
        o.desk.add_entry(id, note(&format!("Note from {who}"))).expect("a note");
        let task = TaskDraft { title: format!("Call back ({who})"), due: o.today(), assignee: String::new() };
        o.desk.add_task(id, task).expect("a task");
    }
    let (to_b, to_a) = (bundle_to(&mut a, &b), bundle_to(&mut b, &a));
    import(&mut b, &to_b).expect("B imports A's");
    import(&mut a, &to_a).expect("A imports B's");
    assert_eq!(digest(&a), digest(&b), "both laptops hold the same data");
    let timeline = |o: &Office| -> Vec<EntryId> {
        o.desk.case_detail(id).expect("the case").timeline.iter().map(|e| e.id).collect()
    };
    let tasks = |o: &Office| -> Vec<TaskId> {
        o.desk.case_detail(id).expect("the case").tasks.iter().map(|t| t.id).collect()
    };
    assert_eq!(timeline(&a), timeline(&b), "the same timeline is listed in the same order on both laptops");
    assert_eq!(tasks(&a), tasks(&b), "the same tasks are listed in the same order on both laptops");
}
