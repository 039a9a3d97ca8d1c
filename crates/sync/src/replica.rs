//! An office reduced to its synced data: the set of changes it holds. The property tests run many of
//! these through random edits and exchanges; the store keeps the same set in SQLite and derives the
//! same records with the same [`RecordState::derive`].
use crate::change::{Action, Change, ChangeRef, Kind};
use crate::digest::StateDigest;
use crate::knowledge::{self, GapError, Have};
use crate::merge::{DELETED, MergeError, RecordState, by_record};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error(transparent)]
    Gap(#[from] GapError),
    #[error(transparent)]
    Merge(#[from] MergeError),
    #[error("record {0} is not held here")]
    NoRecord(Uuid),
}

#[derive(Clone, Debug)]
pub struct Replica {
    pub device: Uuid,
    changes: BTreeMap<ChangeRef, Change>,
    have: Have,
}

impl Replica {
    pub fn new(device: Uuid) -> Self {
        Replica { device, changes: BTreeMap::new(), have: Have::new() }
    }

    pub fn have(&self) -> &Have {
        &self.have
    }

    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.values()
    }

    /// The changes a peer that holds `peer_have` lacks, in series order.
    pub fn since(&self, peer_have: &Have) -> Vec<Change> {
        self.changes.values().filter(|c| !knowledge::holds(peer_have, c.id())).cloned().collect()
    }

    /// Applies a batch of changes whole or not at all; returns how many were new.
    pub fn apply(&mut self, incoming: &[Change]) -> Result<usize, ReplicaError> {
        let fresh = knowledge::new_changes(&self.have, incoming)?;
        // Every touched record must still derive with the new changes.
        let touched: BTreeSet<Uuid> = fresh.iter().map(|c| c.record).collect();
        for record in &touched {
            let held = self.changes.values().filter(|c| c.record == *record);
            let new = fresh.iter().copied().filter(|c| c.record == *record);
            RecordState::derive(held.chain(new))?;
        }
        knowledge::advance(&mut self.have, &fresh);
        let count = fresh.len();
        for c in fresh {
            self.changes.insert(c.id(), c.clone());
        }
        Ok(count)
    }

    pub fn record(&self, id: Uuid) -> Result<RecordState, ReplicaError> {
        let changes: Vec<&Change> = self.changes.values().filter(|c| c.record == id).collect();
        if changes.is_empty() {
            return Err(ReplicaError::NoRecord(id));
        }
        Ok(RecordState::derive(changes)?)
    }

    /// Every record, sorted by `(kind, id)`.
    pub fn records(&self) -> Result<Vec<RecordState>, MergeError> {
        let mut out = by_record(self.changes.values())
            .into_values()
            .map(RecordState::derive)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| (a.kind.as_str(), a.id).cmp(&(b.kind.as_str(), b.id)));
        Ok(out)
    }

    pub fn digest(&self) -> Result<String, MergeError> {
        let mut d = StateDigest::new();
        for r in self.records()? {
            d.add(&r);
        }
        Ok(d.finish())
    }

    fn next(&self) -> u64 {
        self.have.get(&self.device).copied().unwrap_or(0) + 1
    }

    fn make(&mut self, at: DateTime<Utc>, kind: Kind, record: Uuid, action: Action) -> Change {
        Change {
            origin: self.device,
            n: self.next(),
            at,
            kind,
            record,
            action,
            fields: None,
            field: None,
            value: Value::Null,
            preds: Vec::new(),
        }
    }

    fn commit(&mut self, c: Change) -> Result<ChangeRef, ReplicaError> {
        let id = c.id();
        self.apply(std::slice::from_ref(&c))?;
        Ok(id)
    }

    pub fn create(
        &mut self,
        at: DateTime<Utc>,
        kind: Kind,
        record: Uuid,
        fields: Map<String, Value>,
    ) -> Result<ChangeRef, ReplicaError> {
        let mut c = self.make(at, kind, record, Action::Create);
        c.fields = Some(fields);
        self.commit(c)
    }

    /// Sets one field, superseding every value of it this office holds (so setting a field in
    /// conflict resolves the conflict).
    pub fn set(
        &mut self,
        at: DateTime<Utc>,
        record: Uuid,
        field: &str,
        value: Value,
    ) -> Result<ChangeRef, ReplicaError> {
        let state = self.record(record)?;
        let mut c = self.make(at, state.kind, record, Action::Set);
        c.field = Some(field.to_string());
        c.value = value;
        c.preds = state.set_preds(field);
        self.commit(c)
    }

    pub fn delete(&mut self, at: DateTime<Utc>, record: Uuid) -> Result<ChangeRef, ReplicaError> {
        let state = self.record(record)?;
        let mut c = self.make(at, state.kind, record, Action::Delete);
        c.preds = state.delete_preds();
        self.commit(c)
    }

    pub fn restore(&mut self, at: DateTime<Utc>, record: Uuid) -> Result<ChangeRef, ReplicaError> {
        let state = self.record(record)?;
        let mut c = self.make(at, state.kind, record, Action::Restore);
        c.preds = state.deletion.heads();
        self.commit(c)
    }

    /// Resolves the conflict of `field` by choosing `value`; for [`DELETED`], `true` keeps the record
    /// deleted and `false` restores it.
    pub fn resolve(
        &mut self,
        at: DateTime<Utc>,
        record: Uuid,
        field: &str,
        value: Value,
    ) -> Result<ChangeRef, ReplicaError> {
        if field == DELETED {
            return if value == Value::Bool(true) {
                self.delete(at, record)
            } else {
                self.restore(at, record)
            };
        }
        self.set(at, record, field, value)
    }

    pub fn complete(
        &mut self,
        at: DateTime<Utc>,
        record: Uuid,
        who: &str,
    ) -> Result<ChangeRef, ReplicaError> {
        let state = self.record(record)?;
        let mut c = self.make(at, state.kind, record, Action::Complete);
        c.value = Value::String(who.to_string());
        c.preds = vec![state.created];
        self.commit(c)
    }
}
