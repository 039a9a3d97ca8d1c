//! Sync between offices, as the app does it: every local write also records the [`Change`]s it made
//! ([`Desk::capture`], in the same transaction), bundles carry changes between offices
//! ([`export`](Desk::export_bundle), [`import`](Desk::import_bundle)), and the case and activity
//! tables are re-derived from the changes of every record a bundle touched.
//!
//! The rules themselves (what conflicts, what a delete means, what converges) are
//! `rightsdesk-sync`'s; this module applies them to the store.
pub mod bundles;
pub mod conflicts;
pub mod inspect;
pub mod records;
pub mod status;
pub mod trust;

use crate::error::Result;
use crate::setup::Desk;
use chrono::{DateTime, Utc};
use rightsdesk_store::{Connection, sync as table};
use rightsdesk_sync::{Action, Change, Kind, RecordState};
use serde_json::Value;
use uuid::Uuid;

/// Why a sync operation was refused. Every variant leaves the database as it was.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this installation has no device keys")]
    NoKeys,
    #[error("this office has no trust registry yet: import the central office's registry first")]
    NoRegistry,
    #[error("only the central office's coordinator installation can do this")]
    NotCoordinator,
    #[error("device {device} is revoked; it cannot be approved again")]
    Revoked { device: Uuid },
    #[error("a device cannot revoke itself")]
    CannotRevokeSelf,
    #[error("`{peer}` is not a device in the trust registry (or matches more than one)")]
    UnknownPeer { peer: String },
    #[error(
        "confirm the central office's fingerprint {fingerprint}: ask the coordinator to read theirs aloud and \
         enter it if it is the same"
    )]
    ConfirmCentral { fingerprint: String },
    #[error("this installation issues the registry; it does not import one")]
    OwnRegistry,
    #[error("the registry is signed by {fingerprint}, not by the central office this office trusts")]
    RegistryNotFromCentral { fingerprint: String },
    #[error(transparent)]
    Trust(#[from] rightsdesk_sync::registry::TrustError),
    #[error(transparent)]
    Read(#[from] rightsdesk_sync::bundle::ReadError),
    #[error(transparent)]
    Crypt(#[from] rightsdesk_sync::crypt::CryptError),
    #[error(
        "the bundle is signed by a device that is not in this office's trust registry (fingerprint {fingerprint})"
    )]
    UnknownSigner { fingerprint: String },
    #[error(
        "the bundle is signed by device {device}, which was revoked; bundles after its number {after_seq} are refused"
    )]
    RevokedSigner { device: Uuid, after_seq: u64 },
    #[error("the bundle says it comes from {claimed}, but it is signed with another device's key")]
    SignerMismatch { claimed: Uuid },
    #[error("the bundle is addressed to other offices, not to this one")]
    NotForUs,
    #[error("this bundle was made on this device")]
    OwnBundle,
    #[error("bundle {seq} from this sender was already imported on {on}; nothing was changed")]
    AlreadyImported { seq: u64, on: String },
    #[error("the bundle's header is not valid: {0}")]
    BadHeader(String),
    #[error(
        "bundle {seq} is older than bundle {last} from the same sender, which was already imported; its changes came with that one"
    )]
    Older { seq: u64, last: u64 },
    #[error(
        "bundle {seq} does not follow the sender's bundle {prev} that was imported here: the sender's series has forked (a restored backup?)"
    )]
    Forked { seq: u64, prev: u64 },
    #[error(
        "device {origin} has two different histories (change {n} differs): it was probably restored from an \
         old copy; nothing was imported — ask the coordinator"
    )]
    ForkedOrigin { origin: Uuid, n: u64 },
    #[error(transparent)]
    Gap(#[from] rightsdesk_sync::knowledge::GapError),
    #[error(transparent)]
    Merge(#[from] rightsdesk_sync::merge::MergeError),
    #[error("{kind} {record}, field `{field}`: {reason}")]
    InvalidRecord { kind: &'static str, record: Uuid, field: String, reason: String },
    #[error("a bundle with case data must be encrypted; only activities and the registry may travel plain")]
    PlainWithPersonalData,
    #[error("cannot read {0}: the file is larger than Rightsdesk accepts")]
    FileTooLarge(String),
}

impl SyncError {
    pub fn code(&self) -> &'static str {
        use rightsdesk_sync::bundle::ReadError as R;
        use rightsdesk_sync::crypt::CryptError as C;
        use rightsdesk_sync::envelope::EnvelopeError as E;
        use rightsdesk_sync::knowledge::GapError as G;
        use rightsdesk_sync::registry::TrustError as T;
        let read = |r: &R| match r {
            R::Envelope(E::Empty | E::Truncated) => "bundle_truncated",
            R::Envelope(E::NotEnvelope) => "bundle_not_rightsdesk",
            R::Envelope(E::BadSignature) => "bundle_bad_signature",
            R::Envelope(E::NotJson) | R::Malformed(_) => "bundle_malformed",
            R::Envelope(E::TooLarge { .. }) => "bundle_too_large",
            R::Envelope(E::TooDeep { .. }) => "bundle_too_deep",
            R::UnknownVersion { .. } => "bundle_unknown_version",
            R::WrongDocument { .. } => "bundle_wrong_document",
        };
        match self {
            SyncError::NoKeys => "internal",
            SyncError::NoRegistry => "registry_missing",
            SyncError::NotCoordinator => "not_coordinator",
            SyncError::Revoked { .. } => "device_revoked",
            SyncError::CannotRevokeSelf => "cannot_revoke_self",
            SyncError::UnknownPeer { .. } => "unknown_peer",
            SyncError::ConfirmCentral { .. } => "confirm_central",
            SyncError::OwnRegistry => "own_registry",
            SyncError::RegistryNotFromCentral { .. } => "registry_not_from_central",
            SyncError::Trust(T::Read(r)) | SyncError::Read(r) => read(r),
            SyncError::Trust(T::RegistryKeyMismatch) => "registry_not_from_central",
            SyncError::Trust(_) => "bad_enrolment",
            SyncError::Crypt(C::NotForUs) | SyncError::NotForUs => "bundle_not_for_us",
            SyncError::Crypt(C::Damaged) => "bundle_truncated",
            SyncError::Crypt(C::TooLarge { .. }) | SyncError::FileTooLarge(_) => "bundle_too_large",
            SyncError::Crypt(C::NoRecipients) => "internal",
            SyncError::UnknownSigner { .. } | SyncError::SignerMismatch { .. } => "bundle_unknown_signer",
            SyncError::RevokedSigner { .. } => "bundle_revoked_signer",
            SyncError::OwnBundle => "bundle_own",
            SyncError::AlreadyImported { .. } => "bundle_replayed",
            SyncError::Older { .. } => "bundle_older",
            SyncError::Forked { .. } | SyncError::ForkedOrigin { .. } => "bundle_forked",
            SyncError::Gap(G::Malformed { .. } | G::Duplicate { .. }) => "bundle_invalid_record",
            SyncError::Gap(_) => "bundle_missing_changes",
            SyncError::Merge(_) | SyncError::InvalidRecord { .. } => "bundle_invalid_record",
            SyncError::BadHeader(_) => "bundle_malformed",
            SyncError::PlainWithPersonalData => "bundle_plain_refused",
        }
    }
}

/// The time of a task's `create`, held or just made (a completion never precedes it).
fn at_of(made: &[Change], held: &Option<RecordState>) -> DateTime<Utc> {
    held.as_ref().map(|s| s.created_at).or_else(|| made.first().map(|c| c.at)).unwrap_or_default()
}

/// Times in changes are kept to the millisecond, as everywhere in the store.
pub(crate) fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

/// Parses stored change bodies (written by this code, so damage means a damaged database).
pub(crate) fn parse_changes(bodies: &[String]) -> Result<Vec<Change>> {
    bodies
        .iter()
        .map(|b| {
            serde_json::from_str(b)
                .map_err(|e| rightsdesk_store::StoreError::BadValue(format!("stored change: {e}")).into())
        })
        .collect()
}

/// Every change held for a record.
pub(crate) fn held_changes(conn: &Connection, record: Uuid) -> Result<Vec<Change>> {
    parse_changes(&table::changes_of(conn, &record.to_string())?)
}

/// The merged state of `changes`, all of one record held in this database (`None` for none).
pub(crate) fn derive_held(record: Uuid, changes: &[Change]) -> Result<Option<RecordState>> {
    if changes.is_empty() {
        return Ok(None);
    }
    RecordState::derive(changes).map(Some).map_err(|e| {
        rightsdesk_store::StoreError::BadValue(format!("stored changes of {record}: {e}")).into()
    })
}

/// The merged state of a record from the changes held, or `None` if none are held.
pub(crate) fn held_state(conn: &Connection, record: Uuid) -> Result<Option<RecordState>> {
    derive_held(record, &held_changes(conn, record)?)
}

pub(crate) fn insert_change(conn: &Connection, c: &Change) -> Result<()> {
    let body = serde_json::to_string(c).map_err(|e| rightsdesk_store::StoreError::BadValue(e.to_string()))?;
    table::insert_change(
        conn,
        &table::ChangeRow {
            origin: c.origin.to_string(),
            n: c.n as i64,
            kind: c.kind.as_str().to_string(),
            record: c.record.to_string(),
            body,
        },
    )?;
    Ok(())
}

/// Records, as changes made on this device, how the rows of `touched` records differ from
/// what their changes say: a `create` for a record no change describes yet, a `set` for each
/// field that differs, a `delete` for a row that is gone, a `complete` for a task newly done.
/// Called inside the transaction of every local write, by device `me` at time `at`.
pub(crate) fn capture(
    conn: &Connection,
    me: Uuid,
    at: DateTime<Utc>,
    touched: &[(Kind, Uuid)],
) -> Result<()> {
    let mut n = table::last_n(conn, &me.to_string())? as u64;
    let at = millis(at);
    for &(kind, record) in touched {
        let current = records::encode(conn, kind, record)?;
        let held = held_state(conn, record)?;
        let mut made: Vec<Change> = Vec::new();
        let mut change = |action: Action| {
            n += 1;
            Change {
                origin: me,
                n,
                at,
                kind,
                record,
                action,
                fields: None,
                field: None,
                value: Value::Null,
                preds: Vec::new(),
            }
        };
        match (&held, current) {
            (None, None) => {}
            (None, Some(row)) => {
                let mut c = change(Action::Create);
                // A record written before sync keeps its own time; a new one was written now.
                c.at = millis(row.created_at).min(at);
                c.fields = Some(row.fields);
                made.push(c);
            }
            (Some(state), None) => {
                if !state.deleted() && kind.allows(Action::Delete) {
                    let mut c = change(Action::Delete);
                    c.preds = state.delete_preds();
                    made.push(c);
                }
            }
            (Some(state), Some(row)) => {
                for (name, value) in &row.fields {
                    if records::FIXED.contains(&(kind, name.as_str())) || state.value(name) == value {
                        continue;
                    }
                    let mut c = change(Action::Set);
                    c.field = Some(name.clone());
                    c.value = value.clone();
                    c.preds = state.set_preds(name);
                    made.push(c);
                }
            }
        }
        if kind == Kind::Task
            && let Some(task) = rightsdesk_store::tasks::get(conn, record.into())?
            && let (Some(done_at), Some(by)) = (task.done_at, task.done_by)
            && held.as_ref().is_none_or(|s| s.completions.is_empty())
        {
            // A completion names the task's `create`: held already, or made just above.
            let create = held.as_ref().map(|s| s.created).or_else(|| made.first().map(Change::id));
            if let Some(create) = create {
                let mut c = change(Action::Complete);
                c.at = millis(done_at).max(at_of(&made, &held));
                c.value = Value::String(by);
                c.preds = vec![create];
                made.push(c);
            }
        }
        if made.is_empty() {
            continue;
        }
        for c in &made {
            insert_change(conn, c)?;
        }
        if let Some(state) = held_state(conn, record)? {
            records::store_conflicts(conn, &state)?;
        }
    }
    Ok(())
}

impl Desk {
    /// Gives every record written before sync existed its `create` change, once.
    pub(crate) fn adopt_unsynced(&mut self) -> Result<usize> {
        let pending = table::unsynced(self.store.conn())?;
        if pending.is_empty() {
            return Ok(0);
        }
        let touched: Vec<(Kind, Uuid)> =
            pending.iter().filter_map(|(k, id)| Some((Kind::parse(k)?, Uuid::parse_str(id).ok()?))).collect();
        let (me, at) = (self.profile.device_id.as_uuid(), self.clock.now());
        let tx = self.store.transaction()?;
        capture(&tx, me, at, &touched)?;
        rightsdesk_store::commit(tx)?;
        Ok(touched.len())
    }
}
