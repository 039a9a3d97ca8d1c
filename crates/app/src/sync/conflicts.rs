//! The conflict queue: fields two offices changed without seeing each other's change, and records
//! deleted on one office while edited on another. Each waits, with every candidate value, until a
//! person picks one; the pick is a change like any other and syncs to every office.
use super::records::{self, StoredCandidate};
use super::{SyncError, capture, held_state, insert_change, millis};
use crate::error::{AppError, Result};
use crate::setup::Desk;
use chrono::{DateTime, Utc};
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_store::{activities, cases, sync as table, timeline};
use rightsdesk_sync::merge::DELETED;
use rightsdesk_sync::{Action, Change, Kind};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    /// The change that wrote this value (`device:number`): what a resolution names.
    pub change: String,
    pub device: Uuid,
    pub office: Option<String>,
    pub officer: Option<String>,
    pub municipality: Option<String>,
    pub at: DateTime<Utc>,
    pub value: Value,
    /// For `$deleted`: the field an edit made without seeing the deletion wrote (keeping it
    /// restores the record); `None` for the deletion itself.
    pub field: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    pub record: Uuid,
    pub kind: String,
    /// The field, or `$deleted` for a record deleted on one office and edited on another.
    pub field: String,
    pub case_id: Option<CaseId>,
    pub case_number: Option<String>,
    /// Which record of the case (or which activity) this is, in words: `Act 2: Qendra...` is
    /// written by the UI from `act_number` and this; an activity's title or venue.
    pub record_label: Option<String>,
    /// For an act: its place in the case's list, from 1.
    pub act_number: Option<u32>,
    /// The value shown meanwhile comes first.
    pub candidates: Vec<CandidateView>,
}

impl Desk {
    /// Every open conflict, by case.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>> {
        let conn = self.store.conn();
        let registry = self.registry()?;
        let mut out = Vec::new();
        for row in table::conflicts(conn)? {
            let stored: Vec<StoredCandidate> = serde_json::from_str(&row.candidates).unwrap_or_default();
            let case_id: Option<CaseId> = row.case_id.as_deref().and_then(|c| c.parse().ok());
            let case_number = match case_id {
                Some(c) => cases::get(conn, c)?.map(|c| c.number),
                None => None,
            };
            let candidates = stored
                .into_iter()
                .map(|c| {
                    let who = registry.as_ref().and_then(|r| r.device(c.device));
                    CandidateView {
                        office: who.map(|d| d.office.clone()),
                        officer: who.map(|d| d.officer.clone()),
                        municipality: who.map(|d| d.municipality.clone()),
                        change: c.change,
                        device: c.device,
                        at: c.at,
                        value: c.value,
                        field: c.field,
                    }
                })
                .collect();
            let record: Uuid = row.record.parse().unwrap_or_default();
            let (record_label, act_number) = match row.kind.as_str() {
                "act" => match case_id {
                    Some(c) => cases::get(conn, c)?
                        .and_then(|c| {
                            let i = c
                                .draft
                                .acts
                                .iter()
                                .position(|a| a.id.map(|x| x.as_uuid()) == Some(record))?;
                            Some((Some(c.draft.acts[i].place.clone()), Some(i as u32 + 1)))
                        })
                        .unwrap_or((None, None)),
                    None => (None, None),
                },
                "activity" => (
                    activities::get(conn, &record.into())?
                        .map(|a| if a.draft.title.is_empty() { a.draft.venue } else { a.draft.title }),
                    None,
                ),
                "referral" => {
                    (rightsdesk_store::referrals::get(conn, record.into())?.map(|r| r.draft.protocol), None)
                }
                "institution" => (
                    rightsdesk_store::referrals::get_institution(conn, record.into())?
                        .and_then(|i| i.draft.name.values().next().cloned()),
                    None,
                ),
                _ => (None, None),
            };
            out.push(ConflictView {
                record_label,
                act_number,
                record: row.record.parse().unwrap_or_default(),
                kind: row.kind,
                field: row.field,
                case_id,
                case_number,
                candidates,
            });
        }
        Ok(out)
    }

    pub fn conflict_count(&self) -> Result<u64> {
        Ok(table::conflict_count(self.store.conn())?.max(0) as u64)
    }

    /// Resolves a conflict by choosing the value written by `choice` (a candidate's `change`). For
    /// `$deleted`, `choice` may also be `restore` or `delete`.
    pub fn resolve_conflict(&mut self, record: Uuid, field: &str, choice: &str) -> Result<()> {
        let not_found = || AppError::NotFound { what: "conflict", id: format!("{record}/{field}") };
        let state = held_state(self.store.conn(), record)?.ok_or_else(not_found)?;
        let conflict = state.conflicts().into_iter().find(|c| c.field == field).ok_or_else(not_found)?;
        let value = match choice {
            "restore" if field == DELETED => Value::Bool(false),
            "delete" if field == DELETED => Value::Bool(true),
            _ => match conflict.candidates.iter().find(|c| c.change.to_string() == choice) {
                Some(c) => c.value.clone(),
                // Keeping an edit made without seeing the deletion brings the record back.
                None if conflict.edits.iter().any(|(_, c)| c.change.to_string() == choice) => {
                    Value::Bool(false)
                }
                None => return Err(not_found()),
            },
        };
        let me = self.profile.device_id.as_uuid();
        let now = self.clock.now();
        let n = table::last_n(self.store.conn(), &me.to_string())? as u64 + 1;
        let mut change = Change {
            origin: me,
            n,
            at: millis(now),
            kind: state.kind,
            record,
            action: Action::Set,
            fields: None,
            field: None,
            value: Value::Null,
            preds: Vec::new(),
        };
        if field == DELETED {
            if value == Value::Bool(true) {
                change.action = Action::Delete;
                change.preds = state.delete_preds();
            } else {
                change.action = Action::Restore;
                change.preds = state.deletion.heads();
            }
        } else {
            change.field = Some(field.to_string());
            change.value = value;
            change.preds = state.set_preds(field);
        }
        let case = records::case_of(&state);
        let entry = case
            .map(|case_id| self.entry(case_id, EntryKind::Edited, format!("{field} (conflict resolved)")));
        let tx = self.store.transaction()?;
        insert_change(&tx, &change)?;
        let merged = held_state(&tx, record)?.ok_or_else(not_found)?;
        if let Err(e) = records::materialize(&tx, &merged)? {
            return Err(SyncError::InvalidRecord {
                kind: merged.kind.as_str(),
                record,
                field: e.field.unwrap_or_default(),
                reason: e.reason,
            }
            .into());
        }
        records::store_conflicts(&tx, &merged)?;
        if let Some(case) = case {
            records::reindex(&tx, case)?;
        }
        if let Some(e) = entry {
            timeline::append(&tx, &e)?;
            cases::touch(&tx, e.case_id, e.created_at, e.device_id)?;
            capture(&tx, me, now, &[(Kind::Entry, e.id.as_uuid())])?;
        }
        rightsdesk_store::commit(tx)?;
        Ok(())
    }
}
