//! The merge laws of `rightsdesk-sync`, checked on in-memory [`Replica`]s (no store, no IO).
//!
//! 1. **Import is a join of change sets.** Random histories of edits by 2–4 offices (cases, acts and
//!    tasks; sets, deletes, restores, resolves, completions; timestamps from a tiny range so ties
//!    happen), interleaved with whole and truncated exchanges, give batches (each office's change
//!    set) whose import is commutative, associative and idempotent, compared by `digest()` and
//!    `records()`.
//! 2. **`RecordState::derive` depends on the set only**: shuffling and repeating a record's changes
//!    derives an equal state.
//! 3. **Offices converge over a lossy network and never resolve a conflict silently.** 3–6 offices
//!    edit (including deliberately concurrent edits of one field) while bundles are dropped, delivered
//!    twice, delivered late and out of order, or built from a stale guess of the receiver's knowledge
//!    (so they leave a gap and must be refused whole). After a final all-pairs exchange every office
//!    has the same digest, and each record matches an oracle built from what every change's author
//!    had seen when making it: a value is a candidate exactly when no later writer of its field had
//!    seen it, so two concurrent values stay in conflict until someone who saw both writes.
//! 4. **Named scenarios**: different fields, same field, resolve-then-sync, delete against a concurrent
//!    edit, a task completed twice, imports with holes, missing predecessors or forged duplicates.
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rightsdesk_sync::change::{Action, Change, ChangeRef, Kind};
use rightsdesk_sync::knowledge::{GapError, Have, holds};
use rightsdesk_sync::merge::{DELETED, RecordState, by_record};
use rightsdesk_sync::replica::{Replica, ReplicaError};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------------------------------

const FIELDS: [&str; 3] = ["risk", "status", "note"];
/// Records created per history, at most: few enough that offices keep editing the same ones.
const MAX_RECORDS: usize = 5;

fn device(i: usize) -> Uuid {
    Uuid::from_u128(0xD000 + i as u128)
}

fn at(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000 + t, 0).expect("a small offset from mid-2025 is a valid time")
}

fn value(i: usize) -> Value {
    match i % 5 {
        0 => Value::Null,
        1 => json!(1),
        2 => json!(2),
        3 => json!("low"),
        _ => json!("high"),
    }
}

fn object(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("the literal is a JSON object")
}

/// What an office holds, compared before and after an import that must not change it.
fn fingerprint(office: &Replica) -> (String, Have, Vec<ChangeRef>) {
    let digest = office.digest().expect("an office only ever holds changes that derive");
    (digest, office.have().clone(), office.changes().map(Change::id).collect())
}

fn digest(office: &Replica) -> String {
    office.digest().expect("an office only ever holds changes that derive")
}

fn records(office: &Replica) -> Vec<RecordState> {
    office.records().expect("an office only ever holds changes that derive")
}

fn held_count(have: &Have) -> u64 {
    have.values().sum()
}

/// Imports `batch` into `office` and checks the import is whole or nothing: refused batches (only
/// ever for a gap, since every change was made by a real office) leave it untouched, accepted ones
/// grow it by exactly the count returned.
fn deliver(office: &mut Replica, batch: &[Change]) -> Result<usize, ReplicaError> {
    let before = fingerprint(office);
    let result = office.apply(batch);
    match &result {
        Ok(n) => {
            assert_eq!(
                held_count(office.have()),
                held_count(&before.1) + *n as u64,
                "an accepted batch adds exactly the number of new changes it reports"
            );
            if *n == 0 {
                assert_eq!(fingerprint(office), before, "a batch with nothing new changes nothing");
            }
        }
        Err(e) => {
            assert!(
                matches!(e, ReplicaError::Gap(_)),
                "changes made by real offices can only be refused for a gap, not: {e}"
            );
            assert_eq!(
                fingerprint(office),
                before,
                "a refused batch must leave the office exactly as it was"
            );
        }
    }
    result
}

// ---------------------------------------------------------------------------------------------------
// A world of offices, and the oracle of who saw what
// ---------------------------------------------------------------------------------------------------

/// One local edit, in raw numbers interpreted against the current state (so every generated edit is
/// valid and shrinking stays meaningful).
#[derive(Clone, Debug)]
struct Edit {
    office: usize,
    record: usize,
    action: u8,
    field: usize,
    value: usize,
    at: i64,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0..6usize, 0..6usize, 0..6u8, 0..3usize, 0..5usize, 0..4i64).prop_map(
        |(office, record, action, field, value, at)| Edit { office, record, action, field, value, at },
    )
}

struct World {
    offices: Vec<Replica>,
    /// What its author held just before making each change.
    seen_by: HashMap<ChangeRef, Have>,
    /// Every record created so far: its kind, id and `create` change.
    records: Vec<(Kind, Uuid, ChangeRef)>,
}

impl World {
    fn new(n: usize) -> Self {
        World {
            offices: (0..n).map(|i| Replica::new(device(i))).collect(),
            seen_by: HashMap::new(),
            records: Vec::new(),
        }
    }

    fn n(&self) -> usize {
        self.offices.len()
    }

    /// Makes one change on office `o` and remembers what the office held when it made it.
    fn issue(
        &mut self,
        o: usize,
        make: impl FnOnce(&mut Replica) -> Result<ChangeRef, ReplicaError>,
    ) -> ChangeRef {
        let before = self.offices[o].have().clone();
        let id = make(&mut self.offices[o]).expect("a local edit of a held record is always accepted");
        assert_eq!(id.origin, self.offices[o].device, "an office signs its changes with its own device");
        assert_eq!(
            id.n,
            before.get(&id.origin).copied().unwrap_or(0) + 1,
            "an office numbers its own changes 1, 2, 3, ... without holes"
        );
        self.seen_by.insert(id, before);
        id
    }

    /// The records office `o` holds.
    fn held(&self, o: usize) -> Vec<(Kind, Uuid, ChangeRef)> {
        self.records.iter().filter(|(_, _, create)| holds(self.offices[o].have(), *create)).copied().collect()
    }

    fn edit(&mut self, e: &Edit) -> Option<ChangeRef> {
        let o = e.office % self.n();
        let held = self.held(o);
        let mut pick = e.record % (held.len() + 1);
        if pick == held.len() {
            if self.records.len() < MAX_RECORDS {
                let kind = [Kind::Case, Kind::Act, Kind::Task][usize::from(e.action) % 3];
                let id = Uuid::from_u128(0xEC00 + self.records.len() as u128);
                let fields: Map<String, Value> = if kind == Kind::Task {
                    object(json!({ "title": "call back" }))
                } else {
                    FIELDS
                        .iter()
                        .take(e.field)
                        .enumerate()
                        .map(|(i, f)| (f.to_string(), value(e.value + i)))
                        .collect()
                };
                let create = self.issue(o, |r| r.create(at(e.at), kind, id, fields));
                self.records.push((kind, id, create));
                return Some(create);
            }
            if held.is_empty() {
                return None;
            }
            pick = e.record % held.len();
        }
        let (kind, id, _) = held[pick];
        let t = at(e.at);
        let field = FIELDS[e.field % FIELDS.len()];
        let v = value(e.value);
        Some(match (kind, e.action % 6) {
            (Kind::Task, _) => self.issue(o, |r| r.complete(t, id, &format!("officer {}", e.value % 3))),
            (Kind::Act, 2) => self.issue(o, |r| r.delete(t, id)),
            (Kind::Act, 3) => self.issue(o, |r| r.restore(t, id)),
            (_, 4 | 5) => self.resolve_or_set(o, id, e, field, v),
            _ => self.issue(o, |r| r.set(t, id, field, v)),
        })
    }

    /// Resolves one of the record's open conflicts (choosing one of its candidates, or keep/undo the
    /// deletion), or sets the field when there is none.
    fn resolve_or_set(&mut self, o: usize, id: Uuid, e: &Edit, field: &str, v: Value) -> ChangeRef {
        let t = at(e.at);
        let conflicts = self.offices[o].record(id).expect("the office holds the record").conflicts();
        if conflicts.is_empty() {
            return self.issue(o, |r| r.set(t, id, field, v));
        }
        let conflict = &conflicts[e.field % conflicts.len()];
        let chosen = if conflict.field == DELETED {
            Value::Bool(e.value.is_multiple_of(2))
        } else {
            conflict.candidates[e.value % conflict.candidates.len()].value.clone()
        };
        let name = conflict.field.clone();
        let change = self.issue(o, |r| r.resolve(t, id, &name, chosen));
        let after = self.offices[o].record(id).expect("the office still holds the record");
        assert!(
            after.conflicts().iter().all(|c| c.field != name),
            "resolving the conflict of `{name}` on an office clears it there at once"
        );
        change
    }

    /// `to` imports everything `from` holds that it lacks: always accepted, all of it new.
    fn exchange(&mut self, from: usize, to: usize) -> usize {
        let batch = self.offices[from].since(self.offices[to].have());
        let n = deliver(&mut self.offices[to], &batch).expect(
            "a bundle of everything the receiver lacks, built from its own knowledge, is always accepted",
        );
        assert_eq!(n, batch.len(), "every change in since(receiver.have()) is new to the receiver");
        n
    }

    /// All-pairs exchanges until nothing moves.
    fn settle(&mut self) {
        loop {
            let mut moved = 0;
            for from in 0..self.n() {
                for to in 0..self.n() {
                    if from != to {
                        moved += self.exchange(from, to);
                    }
                }
            }
            if moved == 0 {
                break;
            }
        }
    }

    fn change_set(&self, o: usize) -> Vec<Change> {
        self.offices[o].changes().cloned().collect()
    }

    /// The union of every office's changes.
    fn all_changes(&self) -> Vec<Change> {
        let mut all: BTreeMap<ChangeRef, Change> = BTreeMap::new();
        for office in &self.offices {
            for c in office.changes() {
                all.entry(c.id()).or_insert_with(|| c.clone());
            }
        }
        all.into_values().collect()
    }
}

/// The changes `of` transitively supersedes through `preds`, itself included.
fn ancestry(changes: &HashMap<ChangeRef, &Change>, of: ChangeRef) -> BTreeSet<ChangeRef> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![of];
    while let Some(r) = stack.pop() {
        if seen.insert(r)
            && let Some(c) = changes.get(&r)
        {
            stack.extend(c.preds.iter().copied());
        }
    }
    seen
}

/// Checks every record `office` holds against what the authors of its changes had seen, and returns
/// how many pairs of concurrent same-field values it checked.
fn check_oracle(seen_by: &HashMap<ChangeRef, Have>, office: &Replica) -> usize {
    let saw = |who: ChangeRef, what: ChangeRef| holds(&seen_by[&who], what);
    let by_id: HashMap<ChangeRef, &Change> = office.changes().map(|c| (c.id(), c)).collect();
    let mut concurrent_pairs = 0;
    for (record, cs) in by_record(office.changes()) {
        let state = office.record(record).expect("a held record derives");
        let create =
            cs.iter().find(|c| c.action == Action::Create).expect("every held record has its create");
        let initial = create.fields.clone().unwrap_or_default();

        // Fields: a value is a candidate exactly when no writer of its field had seen it.
        let mut names: BTreeSet<String> = initial.keys().cloned().collect();
        names.extend(cs.iter().filter(|c| c.action == Action::Set).filter_map(|c| c.field.clone()));
        for name in &names {
            let writers: Vec<ChangeRef> = cs
                .iter()
                .filter(|c| c.action == Action::Set && c.field.as_deref() == Some(name))
                .map(|c| c.id())
                .collect();
            let mut values = writers.clone();
            if initial.contains_key(name) {
                values.push(create.id());
            }
            let expected: BTreeSet<ChangeRef> =
                values.iter().copied().filter(|v| !writers.iter().any(|w| saw(*w, *v))).collect();
            let field = state.fields.get(name);
            let actual: BTreeSet<ChangeRef> =
                field.map(|f| f.candidates.iter().map(|c| c.change).collect()).unwrap_or_default();
            assert_eq!(
                actual, expected,
                "the candidates of `{name}` of {record} must be exactly the values no later writer of \
                 `{name}` had seen: an unseen value is never dropped, a seen one never lingers"
            );
            if let Some(f) = field {
                let latest = f.candidates.iter().max_by_key(|c| (c.at, c.change));
                assert_eq!(
                    f.candidates.first(),
                    latest,
                    "the value shown is the candidate with latest (at, origin, n)"
                );
            }

            // Concurrent pairs: neither author had seen the other's value.
            for (i, &c1) in writers.iter().enumerate() {
                for &c2 in &writers[i + 1..] {
                    if saw(c1, c2) || saw(c2, c1) {
                        continue;
                    }
                    concurrent_pairs += 1;
                    let covered = writers.iter().any(|&s| saw(s, c1) && saw(s, c2));
                    let touched = writers.iter().any(|&s| saw(s, c1) || saw(s, c2));
                    if !touched {
                        assert!(
                            actual.contains(&c1) && actual.contains(&c2),
                            "concurrent values {c1} and {c2} of `{name}` that nobody has seen since are both \
                             still candidates: a conflict is never resolved silently"
                        );
                    }
                    if !covered {
                        let f = field.expect("a field with writers has candidates");
                        assert!(
                            f.candidates.len() > 1,
                            "concurrent values {c1} and {c2} of `{name}` with no later write by someone who saw \
                             both must both stay candidates"
                        );
                        let differ = f.candidates.iter().any(|c| c.value != f.candidates[0].value);
                        assert_eq!(
                            f.in_conflict(),
                            differ,
                            "the field is in conflict exactly when its candidates differ: concurrent writes of the \
                             same value leave nothing for a person to decide"
                        );
                        // Checked through `preds` alone, as a receiver sees it: distinct candidates
                        // descend from each of the two values.
                        let lines: Vec<BTreeSet<ChangeRef>> =
                            f.candidates.iter().map(|k| ancestry(&by_id, k.change)).collect();
                        let split = lines.iter().enumerate().any(|(i, a)| {
                            a.contains(&c1)
                                && lines.iter().enumerate().any(|(j, b)| i != j && b.contains(&c2))
                        });
                        assert!(
                            split,
                            "while unresolved, {c1} and {c2} of `{name}` each live on in a different candidate"
                        );
                    } else {
                        let supersedes_both = by_id.values().any(|s| {
                            s.action == Action::Set && s.field.as_deref() == Some(name.as_str()) && {
                                let a = ancestry(&by_id, s.id());
                                a.contains(&c1) && a.contains(&c2)
                            }
                        });
                        assert!(
                            supersedes_both,
                            "a write that saw both {c1} and {c2} of `{name}` names both through its preds"
                        );
                    }
                }
            }
        }

        // The deletion register follows the same rule with deletes and restores as its writers.
        let movers: Vec<ChangeRef> = cs
            .iter()
            .filter(|c| matches!(c.action, Action::Delete | Action::Restore))
            .map(|c| c.id())
            .collect();
        let expected: BTreeSet<ChangeRef> = cs
            .iter()
            .filter(|c| matches!(c.action, Action::Create | Action::Delete | Action::Restore))
            .map(|c| c.id())
            .filter(|r| !movers.iter().any(|m| saw(*m, *r)))
            .collect();
        let actual: BTreeSet<ChangeRef> = state.deletion.candidates.iter().map(|c| c.change).collect();
        assert_eq!(
            actual, expected,
            "the deletion register of {record} holds exactly the creates/deletes/restores no later \
             delete or restore had seen"
        );
        for cand in &state.deletion.candidates {
            let is_delete = by_id[&cand.change].action == Action::Delete;
            assert_eq!(
                cand.value,
                Value::Bool(is_delete),
                "a delete writes `true`, create and restore `false`"
            );
        }

        // Delete/edit conflicts: shown deleted while some value was written unseen by every delete shown.
        let expected_unseen: BTreeSet<ChangeRef> = if state.deleted() {
            let deleters: Vec<ChangeRef> = state
                .deletion
                .candidates
                .iter()
                .filter(|c| c.value == Value::Bool(true))
                .map(|c| c.change)
                .collect();
            state
                .fields
                .values()
                .flat_map(|f| f.candidates.iter().map(|c| c.change))
                .filter(|c| *c != create.id() && !deleters.iter().any(|d| saw(*d, *c)))
                .collect()
        } else {
            BTreeSet::new()
        };
        assert_eq!(
            state.unseen_by_delete.iter().copied().collect::<BTreeSet<_>>(),
            expected_unseen,
            "a record shown deleted conflicts with exactly the values its deleters never saw"
        );
        let flagged = state.conflicts().iter().any(|c| c.field == DELETED);
        assert_eq!(
            flagged,
            state.deletion.candidates.iter().any(|c| c.value != state.deletion.candidates[0].value)
                || !expected_unseen.is_empty(),
            "`$deleted` is in conflict exactly for a concurrent delete and restore or a delete/edit clash \
             (two concurrent deletes agree: nothing to decide)"
        );

        // Completions: all kept, earliest first.
        let mut completions: Vec<(DateTime<Utc>, ChangeRef)> =
            cs.iter().filter(|c| c.action == Action::Complete).map(|c| (c.at, c.id())).collect();
        completions.sort();
        assert_eq!(
            state.completions.iter().map(|c| (c.at, c.change)).collect::<Vec<_>>(),
            completions,
            "every completion of a task is kept, earliest first"
        );
    }
    concurrent_pairs
}

// ---------------------------------------------------------------------------------------------------
// 1. Merge laws on random histories
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Step {
    Edit(Edit),
    /// `to` imports what `from` has that it lacks; with `prefix`, only the first changes of that
    /// bundle (in series order), which may leave a hole or a missing predecessor.
    Exchange {
        from: usize,
        to: usize,
        prefix: Option<usize>,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => edit().prop_map(Step::Edit),
        1 => (0..6usize, 0..6usize, prop::option::weighted(0.3, 0..8usize))
            .prop_map(|(from, to, prefix)| Step::Exchange { from, to, prefix }),
    ]
}

fn history() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (2..=4usize, prop::collection::vec(step(), 0..50))
}

fn run_history(offices: usize, steps: &[Step]) -> World {
    let mut world = World::new(offices);
    for s in steps {
        match s {
            Step::Edit(e) => {
                world.edit(e);
            }
            Step::Exchange { from, to, prefix } => {
                let from = from % world.n();
                let to = to % world.n();
                if from == to {
                    continue;
                }
                match prefix {
                    None => {
                        world.exchange(from, to);
                    }
                    Some(k) => {
                        let mut batch = world.offices[from].since(world.offices[to].have());
                        batch.truncate(*k);
                        // Either accepted or refused whole; `deliver` checks which.
                        let _ = deliver(&mut world.offices[to], &batch);
                    }
                }
            }
        }
    }
    world
}

/// A new office that imported `batches` in order; each must be accepted.
fn fresh_with(batches: &[&[Change]]) -> Replica {
    let mut office = Replica::new(device(99));
    for b in batches {
        deliver(&mut office, b).expect("whole office change sets (and unions of them) are causally complete");
    }
    office
}

fn concat(a: &[Change], b: &[Change]) -> Vec<Change> {
    a.iter().chain(b).cloned().collect()
}

fn assert_same(x: &Replica, y: &Replica, why: &str) {
    assert_eq!(digest(x), digest(y), "equal digests: {why}");
    assert_eq!(records(x), records(y), "equal records: {why}");
    assert_eq!(x.have(), y.have(), "equal knowledge: {why}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn import_is_commutative_associative_and_idempotent((offices, steps) in history()) {
        let mut world = run_history(offices, &steps);
        let batches: Vec<Vec<Change>> = (0..world.n()).map(|o| world.change_set(o)).collect();

        // Commutative, for every pair of offices.
        for i in 0..batches.len() {
            for j in i + 1..batches.len() {
                let ab = fresh_with(&[&batches[i], &batches[j]]);
                let ba = fresh_with(&[&batches[j], &batches[i]]);
                assert_same(&ab, &ba, "importing A then B equals importing B then A");
            }
        }

        // Associative.
        let (a, b, c) = (&batches[0], &batches[1], &batches[2 % batches.len()]);
        let left = fresh_with(&[&concat(a, b), c]);
        let right = fresh_with(&[a, &concat(b, c)]);
        assert_same(&left, &right, "(A ∪ B) ∪ C equals A ∪ (B ∪ C)");
        let one_by_one = fresh_with(&[a, b, c]);
        assert_same(&left, &one_by_one, "one union batch equals its parts imported one by one");

        // Idempotent.
        let mut once = fresh_with(&[a]);
        let before = fingerprint(&once);
        let again = deliver(&mut once, a).expect("re-importing what is held is accepted");
        assert_eq!(again, 0, "re-importing a batch already held brings nothing new");
        assert_eq!(fingerprint(&once), before, "re-importing a batch already held changes nothing");
        let doubled = fresh_with(&[&concat(a, a)]);
        assert_same(&once, &doubled, "a batch that repeats each of its changes equals the batch once");

        // Every order of all batches, and the offices after syncing, agree with the oracle.
        let all: Vec<&[Change]> = batches.iter().map(Vec::as_slice).collect();
        let forward = fresh_with(&all);
        let backward = fresh_with(&all.iter().rev().copied().collect::<Vec<_>>());
        assert_same(&forward, &backward, "the union of all batches does not depend on import order");
        world.settle();
        for office in &world.offices {
            assert_eq!(digest(office), digest(&forward), "synced offices hold the union of all change sets");
        }
        check_oracle(&world.seen_by, &forward);
    }
}

// ---------------------------------------------------------------------------------------------------
// 2. derive is a function of the set of changes
// ---------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn derive_ignores_order_and_repetition(
        (offices, steps) in history(),
        keys in prop::collection::vec(any::<u32>(), 1..40),
        repeats in prop::collection::vec(0..3usize, 1..40),
    ) {
        let world = run_history(offices, &steps);
        let mut sets: Vec<Vec<Change>> = (0..world.n()).map(|o| world.change_set(o)).collect();
        sets.push(world.all_changes());
        for set in &sets {
            for (record, changes) in by_record(set) {
                let canonical = RecordState::derive(changes.iter().copied())
                    .expect("the changes of a record held by an office derive");
                let mut shuffled: Vec<(u32, usize, &Change)> = Vec::new();
                for (i, c) in changes.iter().enumerate() {
                    for copy in 0..=repeats[i % repeats.len()] {
                        shuffled.push((keys[(i * 7 + copy) % keys.len()], i * 3 + copy, c));
                    }
                }
                shuffled.sort_by_key(|(k, tie, _)| (*k, *tie));
                let permuted = RecordState::derive(shuffled.iter().map(|(_, _, c)| *c))
                    .expect("a shuffled, repeated set of derivable changes derives");
                assert_eq!(permuted, canonical, "derive of {record} depends only on the set of its changes");
                let reversed = RecordState::derive(changes.iter().rev().copied())
                    .expect("a reversed set of derivable changes derives");
                assert_eq!(reversed, canonical, "derive of {record} does not depend on order");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// 3. N offices over a lossy network
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Fate {
    /// Delivered at once.
    Now,
    /// Put in flight, delivered later in any order.
    Late,
    /// Lost.
    Dropped,
    /// Delivered at once, then again.
    Twice,
}

#[derive(Clone, Debug)]
enum NetStep {
    Edit(Edit),
    /// Two offices set the same field of a record both hold, neither having the other's new value.
    Concurrent {
        a: usize,
        b: usize,
        record: usize,
        field: usize,
        va: usize,
        vb: usize,
        at_a: i64,
        at_b: i64,
    },
    /// `from` bundles for `to` what it believes `to` lacks: from `to`'s real knowledge (an
    /// acknowledgement came back), or `optimistic`ally assuming every earlier bundle arrived.
    Send {
        from: usize,
        to: usize,
        fate: Fate,
        optimistic: bool,
    },
    /// One bundle in flight arrives.
    Deliver {
        pick: usize,
    },
}

fn net_step() -> impl Strategy<Value = NetStep> {
    let fate = prop_oneof![2 => Just(Fate::Now), 2 => Just(Fate::Late), 1 => Just(Fate::Dropped), 1 => Just(Fate::Twice)];
    prop_oneof![
        4 => edit().prop_map(NetStep::Edit),
        2 => (0..6usize, 0..6usize, 0..6usize, 0..3usize, 0..5usize, 0..5usize, 0..4i64, 0..4i64).prop_map(
            |(a, b, record, field, va, vb, at_a, at_b)| NetStep::Concurrent { a, b, record, field, va, vb, at_a, at_b }
        ),
        3 => (0..6usize, 0..6usize, fate, prop::bool::weighted(0.4))
            .prop_map(|(from, to, fate, optimistic)| NetStep::Send { from, to, fate, optimistic }),
        2 => (0..8usize).prop_map(|pick| NetStep::Deliver { pick }),
    ]
}

struct InFlight {
    to: usize,
    batch: Vec<Change>,
    /// Built from the receiver's real knowledge at the time, so it must still be accepted later:
    /// knowledge only grows.
    exact: bool,
}

/// Delivers a bundle that may have waited in flight.
fn land(world: &mut World, f: &InFlight) {
    let result = deliver(&mut world.offices[f.to], &f.batch);
    if f.exact {
        result.expect("a bundle built from the receiver's real knowledge stays acceptable, however late");
    }
}

fn run_network(offices: usize, steps: &[NetStep]) -> (World, Vec<(ChangeRef, ChangeRef)>) {
    let mut world = World::new(offices);
    let n = world.n();
    // What each sender assumes each receiver holds.
    let mut belief: Vec<Vec<Have>> = vec![vec![Have::new(); n]; n];
    let mut in_flight: Vec<InFlight> = Vec::new();
    let mut pairs = Vec::new();

    for s in steps {
        match *s {
            NetStep::Edit(ref e) => {
                world.edit(e);
            }
            NetStep::Concurrent { a, b, record, field, va, vb, at_a, at_b } => {
                let oa = a % n;
                let ob = (oa + 1 + b % (n - 1)) % n;
                let shared: Vec<Uuid> = world
                    .held(oa)
                    .into_iter()
                    .filter(|(kind, _, create)| {
                        *kind != Kind::Task && holds(world.offices[ob].have(), *create)
                    })
                    .map(|(_, id, _)| id)
                    .collect();
                if shared.is_empty() {
                    continue;
                }
                let id = shared[record % shared.len()];
                let name = FIELDS[field % FIELDS.len()];
                let c1 = world.issue(oa, |r| r.set(at(at_a), id, name, value(va)));
                let c2 = world.issue(ob, |r| r.set(at(at_b), id, name, value(vb)));
                assert!(
                    !holds(&world.seen_by[&c2], c1) && !holds(&world.seen_by[&c1], c2),
                    "two offices that have not exchanged since make concurrent edits"
                );
                pairs.push((c1, c2));
            }
            NetStep::Send { from, to, fate, optimistic } => {
                let from = from % n;
                let to = (from + 1 + to % (n - 1)) % n;
                let batch = if optimistic {
                    world.offices[from].since(&belief[from][to])
                } else {
                    world.offices[from].since(world.offices[to].have())
                };
                belief[from][to] = world.offices[from].have().clone();
                let f = InFlight { to, batch, exact: !optimistic };
                match fate {
                    Fate::Now => land(&mut world, &f),
                    Fate::Twice => {
                        let first = deliver(&mut world.offices[to], &f.batch);
                        let second = deliver(&mut world.offices[to], &f.batch);
                        match (first, second) {
                            (Ok(_), Ok(again)) => {
                                assert_eq!(
                                    again, 0,
                                    "a bundle delivered twice brings nothing new the second time"
                                )
                            }
                            (Err(e), Err(_)) => {
                                assert!(
                                    !f.exact,
                                    "a bundle built from the receiver's knowledge is accepted: {e}"
                                );
                            }
                            (first, second) => panic!(
                                "the same bundle delivered twice in a row must be accepted both times or refused \
                                 both times, got {first:?} then {second:?}"
                            ),
                        }
                    }
                    Fate::Late => in_flight.push(f),
                    Fate::Dropped => {}
                }
            }
            NetStep::Deliver { pick } => {
                if !in_flight.is_empty() {
                    let f = in_flight.remove(pick % in_flight.len());
                    land(&mut world, &f);
                }
            }
        }
    }
    // Stragglers arrive, in whatever order they are left in, then everyone syncs.
    for f in in_flight.drain(..).rev() {
        land(&mut world, &f);
    }
    world.settle();
    (world, pairs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn offices_converge_over_a_lossy_network_and_keep_every_conflict(
        offices in 3..=6usize,
        steps in prop::collection::vec(net_step(), 0..70),
    ) {
        let (world, pairs) = run_network(offices, &steps);
        let reference = &world.offices[0];
        for office in &world.offices[1..] {
            assert_eq!(
                digest(office), digest(reference),
                "after a full exchange every office holds the same data (same digest)"
            );
            assert_eq!(records(office), records(reference), "after a full exchange every office derives the same records");
        }
        assert_eq!(
            held_count(reference.have()) as usize, world.seen_by.len(),
            "no change made anywhere is lost, whatever bundles were dropped"
        );
        check_oracle(&world.seen_by, reference);

        // The concurrent edits made on purpose: still both candidates, unless someone who saw both
        // (or someone who saw one of them) wrote the field since.
        for (c1, c2) in pairs {
            let change = reference.changes().find(|c| c.id() == c1).expect("the edit reached every office");
            let name = change.field.clone().expect("a set names its field");
            let state = reference.record(change.record).expect("the record is held");
            let later: Vec<ChangeRef> = reference
                .changes()
                .filter(|c| c.record == change.record && c.action == Action::Set && c.field.as_ref() == Some(&name))
                .map(|c| c.id())
                .filter(|s| holds(&world.seen_by[s], c1) || holds(&world.seen_by[s], c2))
                .collect();
            let candidates: Vec<ChangeRef> = state.fields[&name].candidates.iter().map(|c| c.change).collect();
            if later.is_empty() {
                assert!(
                    candidates.contains(&c1) && candidates.contains(&c2),
                    "concurrent edits {c1} and {c2} of `{name}` that nobody wrote over stay a conflict with both values"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// 4. Named scenarios
// ---------------------------------------------------------------------------------------------------

/// Both offices import everything the other has.
fn sync(a: &mut Replica, b: &mut Replica) {
    let to_b = a.since(b.have());
    deliver(b, &to_b).expect("a bundle built from the receiver's knowledge is accepted");
    let to_a = b.since(a.have());
    deliver(a, &to_a).expect("a bundle built from the receiver's knowledge is accepted");
    assert_eq!(digest(a), digest(b), "two offices that exchanged everything hold the same data");
}

/// Two offices (device 1 < device 2) that both hold one record of `kind` created by the first.
fn two_offices_with(kind: Kind, fields: Value) -> (Replica, Replica, Uuid) {
    let mut a = Replica::new(device(1));
    let mut b = Replica::new(device(2));
    let id = Uuid::from_u128(0xCA5E);
    a.create(at(0), kind, id, object(fields)).expect("creating a record is accepted");
    sync(&mut a, &mut b);
    (a, b, id)
}

fn record(office: &Replica, id: Uuid) -> RecordState {
    office.record(id).expect("the office holds the record")
}

#[test]
fn different_fields_edited_on_two_offices_merge_without_conflict() {
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low", "status": "open" }));
    a.set(at(10), id, "risk", json!("high")).expect("setting a field is accepted");
    b.set(at(10), id, "status", json!("closed")).expect("setting a field is accepted");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        assert!(state.conflicts().is_empty(), "edits of different fields never conflict");
        assert_eq!(state.value("risk"), &json!("high"), "office A's edit of `risk` arrives everywhere");
        assert_eq!(state.value("status"), &json!("closed"), "office B's edit of `status` arrives everywhere");
    }
}

#[test]
fn same_field_edited_on_two_offices_is_a_conflict_showing_the_latest() {
    // Later `at` wins the display even from the lower device.
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    let ca = a.set(at(20), id, "risk", json!("high")).expect("setting a field is accepted");
    let cb = b.set(at(10), id, "risk", json!("medium")).expect("setting a field is accepted");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        let conflicts = state.conflicts();
        assert_eq!(conflicts.len(), 1, "two unseen values of one field are one conflict");
        assert_eq!(conflicts[0].field, "risk", "the conflict is on the field both edited");
        let kept: Vec<(ChangeRef, Value)> =
            conflicts[0].candidates.iter().map(|c| (c.change, c.value.clone())).collect();
        assert_eq!(
            kept,
            vec![(ca, json!("high")), (cb, json!("medium"))],
            "both values are kept, latest `at` first"
        );
        assert_eq!(state.value("risk"), &json!("high"), "the value with the latest `at` is shown");
    }

    // Same `at`: the higher device wins the display.
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    a.set(at(10), id, "risk", json!("high")).expect("setting a field is accepted");
    let cb = b.set(at(10), id, "risk", json!("medium")).expect("setting a field is accepted");
    sync(&mut a, &mut b);
    let state = record(&a, id);
    assert!(state.fields["risk"].in_conflict(), "equal timestamps still conflict");
    assert_eq!(state.fields["risk"].candidates[0].change, cb, "on equal `at` the higher origin is shown");
    assert_eq!(state.value("risk"), &json!("medium"), "on equal `at` the higher origin's value is shown");
}

#[test]
fn a_concurrent_value_overwritten_on_its_own_office_lives_on_in_its_successor() {
    // c1 and c2 are concurrent; A then overwrites c1 with c3 (seeing c1, not c2). After syncing, c1 is
    // neither a candidate nor superseded by a change that saw both: the conflict is c3 against c2.
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    let c1 = a.set(at(1), id, "risk", json!(1)).expect("setting a field is accepted");
    let c2 = b.set(at(1), id, "risk", json!(2)).expect("setting a field is accepted");
    let c3 = a.set(at(2), id, "risk", json!(3)).expect("setting a field is accepted");
    sync(&mut a, &mut b);
    let state = record(&a, id);
    assert_eq!(state.fields["risk"].heads(), vec![c3, c2], "c2 still conflicts, now with c1's successor c3");
    assert!(!state.fields["risk"].heads().contains(&c1), "c1 was overwritten by its own office, knowingly");
}

#[test]
fn resolving_on_one_office_clears_the_conflict_everywhere() {
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    a.set(at(10), id, "risk", json!("high")).expect("setting a field is accepted");
    b.set(at(20), id, "risk", json!("medium")).expect("setting a field is accepted");
    sync(&mut a, &mut b);
    assert!(!record(&b, id).conflicts().is_empty(), "the scenario starts with a conflict on both offices");
    let resolution = a.resolve(at(5), id, "risk", json!("high")).expect("resolving a conflict is accepted");
    assert!(record(&a, id).conflicts().is_empty(), "the resolving office sees no conflict at once");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        assert!(state.conflicts().is_empty(), "a resolution clears the conflict on every office it reaches");
        assert_eq!(state.value("risk"), &json!("high"), "the chosen value wins even with an earlier `at`");
        assert_eq!(state.fields["risk"].heads(), vec![resolution], "only the resolution remains a candidate");
    }
}

#[test]
fn delete_against_a_concurrent_edit_is_a_deleted_conflict_until_restored_or_kept() {
    let (mut a, mut b, id) = two_offices_with(Kind::Act, json!({ "note": "first" }));
    let deletion = a.delete(at(10), id).expect("deleting an act is accepted");
    let edit = b.set(at(5), id, "note", json!("second")).expect("editing an act is accepted");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        assert!(state.deleted(), "the delete is the only deletion candidate, so the act is shown deleted");
        assert_eq!(state.deletion.heads(), vec![deletion], "the delete superseded the create");
        assert_eq!(state.unseen_by_delete, vec![edit], "the deleter never saw the concurrent edit");
        assert!(
            state.conflicts().iter().any(|c| c.field == DELETED),
            "a delete that did not see an edit is a `$deleted` conflict, not a silent loss of the edit"
        );
        assert_eq!(state.value("note"), &json!("second"), "the unseen edit is kept");
    }

    // Restoring clears it, and keeps the edit.
    let (mut a2, mut b2) = (a.clone(), b.clone());
    b2.restore(at(30), id).expect("restoring a deleted act is accepted");
    sync(&mut a2, &mut b2);
    for office in [&a2, &b2] {
        let state = record(office, id);
        assert!(!state.deleted(), "a restore that saw the delete brings the act back");
        assert!(state.conflicts().is_empty(), "restoring resolves the delete/edit conflict");
        assert_eq!(state.value("note"), &json!("second"), "the edit survives the restore");
    }

    // Resolving `$deleted` as restore (false) does the same.
    let (mut a3, mut b3) = (a.clone(), b.clone());
    a3.resolve(at(30), id, DELETED, json!(false)).expect("resolving `$deleted` by restoring is accepted");
    sync(&mut a3, &mut b3);
    assert!(!record(&b3, id).deleted(), "resolving `$deleted` with false restores the act everywhere");
    assert!(record(&b3, id).conflicts().is_empty(), "and clears the conflict");

    // Keeping it deleted (true) clears it too: the new delete has seen the edit.
    a.resolve(at(30), id, DELETED, json!(true))
        .expect("resolving `$deleted` by keeping the deletion is accepted");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        assert!(state.deleted(), "keep deleted leaves the act deleted");
        assert!(state.unseen_by_delete.is_empty(), "the second delete saw the edit");
        assert!(state.conflicts().is_empty(), "keep deleted resolves the delete/edit conflict");
    }
}

#[test]
fn concurrent_delete_and_restore_conflict_on_the_deletion_register() {
    let (mut a, mut b, id) = two_offices_with(Kind::Act, json!({ "note": "x" }));
    a.delete(at(10), id).expect("deleting an act is accepted");
    sync(&mut a, &mut b);
    a.restore(at(20), id).expect("restoring is accepted");
    b.delete(at(30), id).expect("deleting again is accepted");
    sync(&mut a, &mut b);
    let state = record(&a, id);
    assert!(state.deletion.in_conflict(), "a restore and a delete made without seeing each other conflict");
    assert!(state.conflicts().iter().any(|c| c.field == DELETED), "the clash is reported as `$deleted`");
}

#[test]
fn a_task_completed_on_two_offices_keeps_both_completions_earliest_first() {
    let (mut a, mut b, id) = two_offices_with(Kind::Task, json!({ "title": "call back" }));
    let late = a.complete(at(20), id, "ana").expect("completing a task is accepted");
    let early = b.complete(at(10), id, "ben").expect("completing a task is accepted");
    sync(&mut a, &mut b);
    for office in [&a, &b] {
        let state = record(office, id);
        let completions: Vec<(ChangeRef, Value)> =
            state.completions.iter().map(|c| (c.change, c.value.clone())).collect();
        assert_eq!(
            completions,
            vec![(early, json!("ben")), (late, json!("ana"))],
            "both completions are kept, the earliest (which counts) first"
        );
        assert!(state.conflicts().is_empty(), "completing twice is not a conflict");
    }
}

#[test]
fn kinds_refuse_actions_they_do_not_allow_and_leave_the_office_unchanged() {
    let (mut a, _, case) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    let task = Uuid::from_u128(0x7A5C);
    a.create(at(1), Kind::Task, task, object(json!({ "title": "t" }))).expect("creating a task is accepted");
    let before = fingerprint(&a);
    assert!(a.delete(at(2), case).is_err(), "a case is never deleted");
    assert!(a.set(at(2), task, "title", json!("u")).is_err(), "a task is never edited, only completed");
    assert!(a.complete(at(2), case, "ana").is_err(), "only tasks complete");
    assert_eq!(fingerprint(&a), before, "a refused local change leaves no trace, not even a used number");
}

#[test]
fn an_import_that_skips_a_change_number_is_refused_and_changes_nothing() {
    let (mut a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    a.set(at(1), id, "risk", json!("high")).expect("setting a field is accepted");
    a.set(at(2), id, "status", json!("open")).expect("setting a field is accepted");
    let changes: Vec<Change> = a.changes().cloned().collect();
    assert_eq!(changes.iter().map(|c| c.n).collect::<Vec<_>>(), vec![1, 2, 3], "A made changes 1, 2, 3");

    // B holds 1; a batch of 3 alone skips 2.
    let before = fingerprint(&b);
    let err = b.apply(&changes[2..]).expect_err("a batch that skips change 2 must be refused");
    assert!(
        matches!(
            err,
            ReplicaError::Gap(GapError::Missing { origin, from: 2, to: 2, to_next: 3 }) if origin == a.device
        ),
        "the refusal names the missing change: {err:?}"
    );
    assert_eq!(fingerprint(&b), before, "a refused batch leaves the office unchanged");

    // A new office given 2 and 3 without 1, and 1 and 3 without 2.
    let mut c = Replica::new(device(3));
    let empty = fingerprint(&c);
    for batch in [vec![changes[1].clone(), changes[2].clone()], vec![changes[0].clone(), changes[2].clone()]]
    {
        let err = c.apply(&batch).expect_err("a batch with a hole in a series must be refused");
        assert!(matches!(err, ReplicaError::Gap(GapError::Missing { .. })), "the refusal is a gap: {err:?}");
        assert_eq!(fingerprint(&c), empty, "the good changes of a refused batch are not kept either");
    }
}

#[test]
fn an_import_missing_a_predecessor_from_another_office_is_refused() {
    // A created the case; B edited it; C has never heard of A and gets only B's edit.
    let (_, b, _) = {
        let (a, mut b, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
        b.set(at(5), id, "risk", json!("high")).expect("setting a field is accepted");
        (a, b, id)
    };
    let mut c = Replica::new(device(3));
    let only_b: Vec<Change> = b.changes().filter(|ch| ch.origin == b.device).cloned().collect();
    let err = c.apply(&only_b).expect_err("an edit of a record whose create is missing must be refused");
    assert!(
        matches!(err, ReplicaError::Gap(GapError::MissingPred { .. })),
        "the refusal names the missing pred: {err:?}"
    );
    assert_eq!(
        fingerprint(&c),
        fingerprint(&Replica::new(device(3))),
        "nothing is kept from a refused batch"
    );
}

#[test]
fn a_batch_carrying_two_versions_of_one_change_is_refused() {
    let (a, _, id) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    let original: Change = a.changes().next().cloned().expect("A holds its create");
    let mut forged = original.clone();
    forged.fields = Some(object(json!({ "risk": "none" })));
    let mut c = Replica::new(device(3));
    let err = c.apply(&[original, forged]).expect_err("two different changes under one name must be refused");
    assert!(
        matches!(err, ReplicaError::Gap(GapError::Duplicate { .. })),
        "the refusal is a duplicate: {err:?}"
    );
    assert!(c.record(id).is_err(), "neither version is kept");
}

#[test]
fn a_change_numbered_zero_is_refused_not_a_panic() {
    let (a, _, _) = two_offices_with(Kind::Case, json!({ "risk": "low" }));
    let mut zero: Change = a.changes().next().cloned().expect("A holds its create");
    zero.n = 0;
    let mut c = Replica::new(device(3));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.apply(&[zero])));
    let result = result.expect("importing a malformed bundle from a peer must not panic");
    assert!(result.is_err(), "change numbers start at 1: a change numbered 0 is refused");
}

#[test]
fn a_completion_of_an_unknown_task_is_refused_as_a_gap() {
    // Office A created a task, office B got it and completed it; office C gets only B's own change.
    let (_, mut b, task) = two_offices_with(Kind::Task, json!({ "title": "call back" }));
    b.complete(at(1), task, "ben").expect("completing a task is accepted");
    let completion: Vec<Change> = b.changes().filter(|c| c.origin == b.device).cloned().collect();
    let mut c = Replica::new(device(3));
    let err = c.apply(&completion).expect_err("a completion of a task the office lacks must be refused");
    assert!(
        matches!(err, ReplicaError::Gap(GapError::MissingPred { .. })),
        "a batch that lacks what its changes build on is a gap (the peer should resend), not a broken record: {err:?}"
    );
}
