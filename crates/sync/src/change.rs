//! A **change** is one signed-off fact about one record, made on one device: the record was created
//! with these fields, one field was set, the record was deleted or restored, a task was completed.
//!
//! Every device numbers the changes it makes 1, 2, 3, ... (its *origin series*), so a change is named
//! by `origin:n` (an [`ChangeRef`]) everywhere. Changes are never edited or removed: a device's data is
//! derived from the set of changes it holds ([`crate::merge`]), and syncing is exchanging the changes
//! the other side does not have yet.
//!
//! A `set`, `delete` or `restore` names the changes it supersedes (`preds`): the values its author
//! saw when they made it. Two values of one field neither of which names the other were made without
//! seeing each other: that is a conflict, never a silent overwrite.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The name of a change: the device that made it and its number in that device's series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChangeRef {
    pub origin: Uuid,
    pub n: u64,
}

impl fmt::Display for ChangeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.origin.hyphenated(), self.n)
    }
}

impl FromStr for ChangeRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (origin, n) = s.split_once(':').ok_or_else(|| format!("`{s}` is not `device:number`"))?;
        let origin = Uuid::parse_str(origin).map_err(|_| format!("`{origin}` is not a device id"))?;
        let n: u64 = n.parse().map_err(|_| format!("`{n}` is not a change number"))?;
        if n == 0 {
            return Err("change numbers start at 1".into());
        }
        Ok(ChangeRef { origin, n })
    }
}

impl Serialize for ChangeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ChangeRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The record comes into being with `fields`. Every record has exactly one.
    Create,
    /// One field takes `value`, superseding `preds`.
    Set,
    /// The record is deleted (a tombstone), superseding `preds`: the record's `delete`/`restore`
    /// changes its author saw and the latest value of each field they saw.
    Delete,
    /// A deleted record is brought back, superseding the `delete` changes in `preds`.
    Restore,
    /// A task is done. Completions are append-only: the earliest one counts.
    Complete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Set => "set",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Complete => "complete",
        }
    }
}

/// The kinds of record that sync, and whether a kind can be edited after it is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A case (its person, risk, status, officer).
    Case,
    /// One alleged act of a case.
    Act,
    /// A timeline entry: append-only, never edited.
    Entry,
    /// A follow-up task: created, then completed once.
    Task,
    /// A training, round table or outreach meeting.
    Activity,
    /// A referral of a case to an institution, followed until the institution answers.
    Referral,
    /// One of a unit's own institutions (the built-in directory is not synced: every office has it).
    Institution,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Case, Kind::Act, Kind::Entry, Kind::Task, Kind::Activity, Kind::Referral, Kind::Institution];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Case => "case",
            Kind::Act => "act",
            Kind::Entry => "entry",
            Kind::Task => "task",
            Kind::Activity => "activity",
            Kind::Referral => "referral",
            Kind::Institution => "institution",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Which actions a record of this kind accepts after its `create`.
    pub fn allows(self, action: Action) -> bool {
        match (self, action) {
            (_, Action::Create) => true,
            (Kind::Entry, _) => false,
            (Kind::Task, Action::Complete) => true,
            (_, Action::Complete) => false,
            (Kind::Task, _) => false,
            // Only an act is ever removed (from its case); cases are closed, activities kept,
            // referrals revoked.
            (
                Kind::Case | Kind::Activity | Kind::Referral | Kind::Institution,
                Action::Delete | Action::Restore,
            ) => false,
            (_, Action::Set | Action::Delete | Action::Restore) => true,
        }
    }
}

/// One change, as it travels in a bundle and as it is kept in the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub origin: Uuid,
    pub n: u64,
    /// When its author made it, by their device's clock. Used only to pick which of two conflicting
    /// values is shown until a person resolves the conflict, never to silently drop one.
    pub at: DateTime<Utc>,
    pub kind: Kind,
    pub record: Uuid,
    pub action: Action,
    /// `create`: the record's fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Map<String, Value>>,
    /// `set`: the field's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `set`: the new value (`null` clears the field). `complete`: who completed the task.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
    /// `set`, `delete`, `restore`: the changes this one supersedes. `complete`: the task's `create`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preds: Vec<ChangeRef>,
}

impl Change {
    pub fn id(&self) -> ChangeRef {
        ChangeRef { origin: self.origin, n: self.n }
    }

    /// Checks the change is well formed for its action and kind (not that its values make sense for
    /// the domain: that is the caller's business).
    pub fn check_shape(&self) -> Result<(), String> {
        if self.n == 0 {
            return Err("change numbers start at 1".into());
        }
        if !self.kind.allows(self.action) {
            return Err(format!(
                "a {} record cannot be changed by `{}`",
                self.kind.as_str(),
                self.action.as_str()
            ));
        }
        let has_fields = self.fields.is_some();
        let has_field = self.field.is_some();
        match self.action {
            Action::Create => {
                if !has_fields || has_field || !self.preds.is_empty() || !self.value.is_null() {
                    return Err("`create` carries `fields` and nothing else".into());
                }
            }
            Action::Set => {
                let Some(field) = &self.field else {
                    return Err("`set` needs `field`".into());
                };
                if field.is_empty() || field.starts_with('$') {
                    return Err(format!("`{field}` is not a field name"));
                }
                if has_fields || self.preds.is_empty() {
                    return Err("`set` carries `field`, `value` and the `preds` it supersedes".into());
                }
            }
            Action::Delete | Action::Restore => {
                if has_fields || has_field || self.preds.is_empty() || !self.value.is_null() {
                    return Err(format!("`{}` carries only the `preds` it supersedes", self.action.as_str()));
                }
            }
            Action::Complete => {
                if has_fields || has_field || self.preds.len() != 1 {
                    return Err("`complete` carries `value` (who completed the task) and `preds`: the task's `create`".into());
                }
            }
        }
        if self.preds.iter().any(|p| *p == self.id()) {
            return Err("a change cannot supersede itself".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_refs_round_trip_and_reject_nonsense() {
        let r = ChangeRef { origin: Uuid::from_u128(7), n: 42 };
        let s = r.to_string();
        assert_eq!(s, "00000000-0000-0000-0000-000000000007:42", "a ref is `device:number`");
        assert_eq!(s.parse::<ChangeRef>(), Ok(r), "a ref reads back as itself");
        for bad in
            ["", "x:1", "00000000-0000-0000-0000-000000000007", "00000000-0000-0000-0000-000000000007:0"]
        {
            assert!(bad.parse::<ChangeRef>().is_err(), "`{bad}` must not read as a change ref");
        }
    }

    #[test]
    fn entries_are_append_only_and_tasks_only_complete() {
        assert!(!Kind::Entry.allows(Action::Set), "timeline entries are never edited");
        assert!(!Kind::Entry.allows(Action::Delete), "timeline entries are never deleted");
        assert!(Kind::Task.allows(Action::Complete));
        assert!(!Kind::Case.allows(Action::Complete), "only tasks complete");
        assert!(Kind::Act.allows(Action::Delete), "an act removed from a case is a tombstone");
    }
}
