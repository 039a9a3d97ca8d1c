//! The merge rules: what a record looks like, given the set of changes an office holds for it.
//!
//! [`RecordState::derive`] is a pure function of the **set** of changes (their order does not matter),
//! so offices that hold the same changes hold the same data, whatever order the bundles came in and
//! however often each was imported. That is the whole convergence argument; the property tests in
//! `tests/merge_laws.rs` check it.
//!
//! - A field's **candidates** are the values no other known change of that field supersedes. One
//!   candidate is the field's value. Two or more are a **conflict**: all are kept, the one with the
//!   latest `(at, origin, n)` is shown meanwhile, and a person resolves it with a `set` that
//!   supersedes them all.
//! - Deletion is a register of its own (`create` and `restore` write `false`, `delete` writes `true`) with
//!   the same rule, so a delete and a concurrent restore conflict. A record shown as deleted while a
//!   field holds a value its deleter never saw is a **delete/edit conflict**.
//! - Task completions are append-only: the earliest completion counts, the others are kept.
use crate::change::{Action, Change, ChangeRef, Kind};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// One value a field may hold and the change that wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub change: ChangeRef,
    pub at: DateTime<Utc>,
    pub value: Value,
}

/// A field of a record: its candidates, best first. `candidates[0]` is the value shown.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldState {
    pub candidates: Vec<Candidate>,
}

impl FieldState {
    pub fn value(&self) -> &Value {
        self.candidates.first().map_or(&Value::Null, |c| &c.value)
    }
    /// Two or more candidates that differ. Concurrent writes of the same value leave several
    /// candidates (a later write supersedes them all) but nothing for a person to decide.
    pub fn in_conflict(&self) -> bool {
        self.candidates.iter().any(|c| c.value != self.candidates[0].value)
    }
    /// The changes a new value of this field supersedes.
    pub fn heads(&self) -> Vec<ChangeRef> {
        let mut heads: Vec<ChangeRef> = self.candidates.iter().map(|c| c.change).collect();
        heads.sort();
        heads
    }
}

/// Why a record cannot be derived from its changes. Import refuses such a set before writing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    #[error("record {record} has no `create` change")]
    NotCreated { record: Uuid },
    #[error("record {record} is created twice ({first} and {second})")]
    CreatedTwice { record: Uuid, first: ChangeRef, second: ChangeRef },
    #[error("change {change} is about a {found} but record {record} is a {expected}")]
    KindMismatch { record: Uuid, change: ChangeRef, expected: &'static str, found: &'static str },
    #[error("change {change} supersedes {pred}, which is not a change of record {record}")]
    UnknownPred { record: Uuid, change: ChangeRef, pred: ChangeRef },
    #[error("change {change} is not well formed: {reason}")]
    Malformed { change: ChangeRef, reason: String },
}

/// A record as the merge rules see it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordState {
    pub kind: Kind,
    pub id: Uuid,
    pub created: ChangeRef,
    pub created_at: DateTime<Utc>,
    /// The latest `at` of any of its changes.
    pub updated_at: DateTime<Utc>,
    /// The device that made the latest change (latest `(at, origin, n)`).
    pub updated_by: Uuid,
    pub fields: BTreeMap<String, FieldState>,
    /// The deletion register ([`DELETED`]): candidates with value `true` (deleted) or `false`.
    pub deletion: FieldState,
    /// Field values written by changes that no shown deletion has seen. Non-empty only while the
    /// record is shown as deleted: a delete/edit conflict.
    pub unseen_by_delete: Vec<ChangeRef>,
    /// Task completions, earliest first: `(change, at, who)`.
    pub completions: Vec<Candidate>,
}

/// Orders candidates so the first is the one shown: latest `at`, then highest origin, then number.
fn best_first(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    (b.at, b.change).cmp(&(a.at, a.change))
}

impl RecordState {
    /// Derives a record from all the changes an office holds for it (any order, no duplicates
    /// needed: duplicates of one change are ignored).
    pub fn derive<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Result<RecordState, MergeError> {
        let mut by_id: BTreeMap<ChangeRef, &Change> = BTreeMap::new();
        let mut record = None;
        for c in changes {
            record.get_or_insert(c.record);
            by_id.insert(c.id(), c);
        }
        let record = record.ok_or(MergeError::NotCreated { record: Uuid::nil() })?;
        let mut create: Option<&Change> = None;
        for c in by_id.values() {
            c.check_shape().map_err(|reason| MergeError::Malformed { change: c.id(), reason })?;
            if c.action == Action::Create {
                if let Some(first) = create {
                    return Err(MergeError::CreatedTwice { record, first: first.id(), second: c.id() });
                }
                create = Some(c);
            }
        }
        let create = create.ok_or(MergeError::NotCreated { record })?;
        let kind = create.kind;
        for c in by_id.values() {
            if c.kind != kind || c.record != record {
                return Err(MergeError::KindMismatch {
                    record,
                    change: c.id(),
                    expected: kind.as_str(),
                    found: c.kind.as_str(),
                });
            }
            if let Some(pred) = c.preds.iter().find(|p| !by_id.contains_key(p)) {
                return Err(MergeError::UnknownPred { record, change: c.id(), pred: *pred });
            }
        }

        let created_ref = create.id();
        // Which changes each change supersedes, by register: a `set` supersedes values of its own
        // field (the create's initial value or earlier sets), a delete or restore the deletion
        // register's changes.
        let mut superseded_field: HashSet<(&str, ChangeRef)> = HashSet::new();
        let mut superseded_deletion: HashSet<ChangeRef> = HashSet::new();
        for c in by_id.values() {
            match c.action {
                Action::Set => {
                    let field = c.field.as_deref().unwrap_or_default();
                    for p in &c.preds {
                        let pred = by_id[p];
                        let same_field = pred.action == Action::Create
                            || (pred.action == Action::Set && pred.field.as_deref() == Some(field));
                        if !same_field {
                            return Err(MergeError::Malformed {
                                change: c.id(),
                                reason: format!(
                                    "a `set` of `{field}` can only supersede values of `{field}`"
                                ),
                            });
                        }
                        superseded_field.insert((field, *p));
                    }
                }
                Action::Delete | Action::Restore => {
                    for p in &c.preds {
                        let pred = by_id[p];
                        match pred.action {
                            Action::Create | Action::Delete | Action::Restore => {
                                superseded_deletion.insert(*p);
                            }
                            Action::Set => {}
                            Action::Complete => {
                                return Err(MergeError::Malformed {
                                    change: c.id(),
                                    reason: "a deletion cannot supersede a completion".into(),
                                });
                            }
                        }
                    }
                }
                Action::Complete => {
                    if c.preds != [created_ref] {
                        return Err(MergeError::Malformed {
                            change: c.id(),
                            reason: "a completion names the task's `create` in `preds`".into(),
                        });
                    }
                }
                Action::Create => {}
            }
        }

        // Field candidates: the create's value unless superseded, plus unsuperseded sets.
        let mut fields: BTreeMap<String, FieldState> = BTreeMap::new();
        let created = create.id();
        if let Some(initial) = &create.fields {
            for (name, value) in initial {
                if !superseded_field.contains(&(name.as_str(), created)) {
                    fields
                        .entry(name.clone())
                        .or_insert_with(|| FieldState { candidates: Vec::new() })
                        .candidates
                        .push(Candidate { change: created, at: create.at, value: value.clone() });
                }
            }
        }
        for c in by_id.values() {
            let Some(field) = c.field.as_deref() else { continue };
            if c.action == Action::Set && !superseded_field.contains(&(field, c.id())) {
                fields
                    .entry(field.to_string())
                    .or_insert_with(|| FieldState { candidates: Vec::new() })
                    .candidates
                    .push(Candidate { change: c.id(), at: c.at, value: c.value.clone() });
            }
        }
        for f in fields.values_mut() {
            f.candidates.sort_by(best_first);
        }

        // The deletion register.
        let mut deletion = FieldState { candidates: Vec::new() };
        for c in by_id.values() {
            let value = match c.action {
                Action::Create => false,
                Action::Restore => false,
                Action::Delete => true,
                Action::Set | Action::Complete => continue,
            };
            if !superseded_deletion.contains(&c.id()) {
                deletion.candidates.push(Candidate { change: c.id(), at: c.at, value: Value::Bool(value) });
            }
        }
        deletion.candidates.sort_by(best_first);

        // A record shown as deleted conflicts with every field value no shown delete has seen.
        let mut unseen_by_delete = Vec::new();
        if deletion.value() == &Value::Bool(true) {
            let mut seen: HashSet<ChangeRef> = HashSet::new();
            let mut stack: Vec<ChangeRef> = deletion
                .candidates
                .iter()
                .filter(|c| c.value == Value::Bool(true))
                .flat_map(|c| by_id.get(&c.change).map(|d| d.preds.clone()).unwrap_or_default())
                .collect();
            while let Some(r) = stack.pop() {
                if seen.insert(r)
                    && let Some(c) = by_id.get(&r)
                {
                    stack.extend(c.preds.iter().copied());
                }
            }
            let mut unseen: BTreeSet<ChangeRef> = BTreeSet::new();
            for f in fields.values() {
                for cand in &f.candidates {
                    if cand.change != created && !seen.contains(&cand.change) {
                        unseen.insert(cand.change);
                    }
                }
            }
            unseen_by_delete = unseen.into_iter().collect();
        }

        let mut completions: Vec<Candidate> = by_id
            .values()
            .filter(|c| c.action == Action::Complete)
            .map(|c| Candidate { change: c.id(), at: c.at, value: c.value.clone() })
            .collect();
        completions.sort_by_key(|a| (a.at, a.change));

        let latest = by_id.values().max_by_key(|c| (c.at, c.id())).copied().unwrap_or(create);
        let (updated_at, updated_by) = (latest.at, latest.origin);
        Ok(RecordState {
            kind,
            id: record,
            created,
            created_at: create.at,
            updated_at,
            updated_by,
            fields,
            deletion,
            unseen_by_delete,
            completions,
        })
    }

    /// The record's shown values, as one JSON object (conflicts show their best candidate).
    pub fn values(&self) -> Map<String, Value> {
        self.fields.iter().map(|(k, f)| (k.clone(), f.value().clone())).collect()
    }

    pub fn value(&self, field: &str) -> &Value {
        self.fields.get(field).map_or(&Value::Null, FieldState::value)
    }

    pub fn deleted(&self) -> bool {
        self.deletion.value() == &Value::Bool(true)
    }

    /// Every open conflict of this record, by field; the deletion register is `$deleted`.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut out: Vec<Conflict> = self
            .fields
            .iter()
            .filter(|(_, f)| f.in_conflict())
            .map(|(name, f)| Conflict {
                field: name.clone(),
                candidates: f.candidates.clone(),
                edits: Vec::new(),
            })
            .collect();
        if self.deletion.in_conflict() || !self.unseen_by_delete.is_empty() {
            let edits = self
                .fields
                .iter()
                .flat_map(|(name, f)| f.candidates.iter().map(move |c| (name, c)))
                .filter(|(_, c)| self.unseen_by_delete.contains(&c.change))
                .map(|(name, c)| (name.clone(), c.clone()))
                .collect();
            out.push(Conflict {
                field: DELETED.to_string(),
                candidates: self.deletion.candidates.clone(),
                edits,
            });
        }
        out
    }

    /// The changes a delete of this record supersedes: the deletion register's heads and the latest
    /// value of every field (so the delete has seen them).
    pub fn delete_preds(&self) -> Vec<ChangeRef> {
        let mut preds: BTreeSet<ChangeRef> = self.deletion.heads().into_iter().collect();
        for f in self.fields.values() {
            preds.extend(f.heads());
        }
        preds.into_iter().collect()
    }
}

/// The pseudo-field name of the deletion register in conflicts and resolutions.
pub const DELETED: &str = "$deleted";

/// An open conflict: a field (or [`DELETED`]) with differing candidates, or a delete/edit clash.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub field: String,
    pub candidates: Vec<Candidate>,
    /// For [`DELETED`]: the field values written without seeing the deletion, by field.
    pub edits: Vec<(String, Candidate)>,
}

/// Groups changes by record, keeping each change once.
pub fn by_record<'a>(changes: impl IntoIterator<Item = &'a Change>) -> HashMap<Uuid, Vec<&'a Change>> {
    let mut out: HashMap<Uuid, Vec<&'a Change>> = HashMap::new();
    for c in changes {
        out.entry(c.record).or_default().push(c);
    }
    out
}

impl RecordState {
    /// The changes a new value of `field` supersedes: its current candidates, or the record's
    /// `create` when the field has never had a value.
    pub fn set_preds(&self, field: &str) -> Vec<ChangeRef> {
        match self.fields.get(field) {
            Some(f) if !f.candidates.is_empty() => f.heads(),
            _ => vec![self.created],
        }
    }
}
