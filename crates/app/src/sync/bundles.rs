//! Exporting and importing bundles.
//!
//! **Export** gathers the changes a peer has not acknowledged (or all of them), signs them with this
//! device's key, encrypts them to the peer, and writes the file; the bundle's number and hash are
//! kept so the next bundle names it as `prev`.
//!
//! **Import** checks, in this order and before anything is written: the file's size, the age
//! layer (is it for us?), the signature over the exact bytes, the signer (in the registry, not
//! revoked), then parses: the addressee, the sender's series (replayed, older, forked), the changes
//! (no holes, nothing missing they build on), the merge, and the domain rules for every record the
//! bundle changes. Then, in one transaction, it stores the new changes and re-derives every record
//! they touch. A dry run does all of it and rolls back, so its report is exactly what an import
//! would do.
use super::{SyncError, derive_held, held_changes, insert_change, millis, parse_changes, records, trust};
use crate::error::Result;
use crate::setup::Desk;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rightsdesk_domain::clock::stamp;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::task::TaskDraft;
use rightsdesk_domain::timeline::{EntryDraft, EntryKind};
use rightsdesk_store::{Connection, activities, cases, sync as table};
use rightsdesk_sync::bundle::{self, Bundle, Recipient, Scope};
use rightsdesk_sync::digest::{StateDigest, hex, sha256_hex};
use rightsdesk_sync::knowledge::{self, Have};
use rightsdesk_sync::registry::{Device, Registry};
use rightsdesk_sync::{Change, ChangeRef, Kind, RecordState, crypt, envelope, keys};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use uuid::Uuid;

/// What to export.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportRequest {
    /// The peer: a device id, the start of one (at least 4 characters), or `central`.
    pub to: String,
    /// Every change held, not only what the peer has not acknowledged.
    #[serde(default)]
    pub full: bool,
    /// Signed but not encrypted: only for bundles without case data (registry, activities).
    #[serde(default)]
    pub plain: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub path: String,
    pub recipient: Uuid,
    pub recipient_office: String,
    pub seq: u64,
    pub n: u64,
    pub changes: usize,
    pub encrypted: bool,
    pub hash: String,
    pub bytes: u64,
}

/// Per kind of record: how many the bundle adds, changes, or already matched.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct KindCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A conflict the bundle opens (or leaves open with new values).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConflictLine {
    pub kind: String,
    pub record: Uuid,
    pub case_number: Option<String>,
    pub field: String,
}

/// A record the bundle cannot bring in, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rejection {
    pub kind: String,
    pub record: Uuid,
    pub field: String,
    /// A stable code: a validation code (`unknown_code`, `required`, ...), `unreadable_value`,
    /// `fixed_at_creation` or `refers_to_missing_record`.
    pub reason: String,
    /// What was wrong in more detail (English, for the technically minded), when there is more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What an import does (or did): shown before anything is written and kept in the history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImportReport {
    pub sender: Uuid,
    pub sender_office: String,
    pub sender_officer: String,
    pub sender_municipality: String,
    pub seq: u64,
    /// The sender's count of bundles to this office.
    pub n: u64,
    pub created: DateTime<Utc>,
    pub scope: Scope,
    pub encrypted: bool,
    pub changes: u64,
    pub new_changes: u64,
    pub by_kind: BTreeMap<String, KindCounts>,
    pub conflicts: Vec<ConflictLine>,
    pub rejected: Vec<Rejection>,
    pub registry_updated: bool,
    /// Bundles from this sender to this office still missing after this one (by their `n`).
    pub missing: Vec<u64>,
    /// Whether it was written (false for a dry run, or when something was rejected).
    pub applied: bool,
}

impl ImportReport {
    pub fn totals(&self) -> KindCounts {
        self.by_kind.values().fold(KindCounts::default(), |mut t, k| {
            t.new += k.new;
            t.updated += k.updated;
            t.unchanged += k.unchanged;
            t
        })
    }
}

/// A bundle that passed every check before its changes are read.
#[derive(Debug, Clone)]
pub struct Checked {
    pub bundle: Bundle,
    /// The registry entry of the device that signed it.
    pub signer: Device,
    /// The sender's count of bundles to this office.
    pub n: u64,
    /// SHA-256 (hex) of the signed file (inside the age layer, if any).
    pub hash: String,
    pub encrypted: bool,
    pub fingerprint: String,
}

/// A step of a long import, for a progress bar: `done` of `total` records.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Reads a whole file, refusing one larger than a bundle may be before allocating for it.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| crate::AppError::io(path, e))?;
    let len = file.metadata().map_err(|e| crate::AppError::io(path, e))?.len();
    if len > envelope::MAX_FILE_BYTES {
        return Err(SyncError::FileTooLarge(path.display().to_string()).into());
    }
    let mut out = Vec::with_capacity(len as usize);
    file.take(envelope::MAX_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| crate::AppError::io(path, e))?;
    if out.len() as u64 > envelope::MAX_FILE_BYTES {
        return Err(SyncError::FileTooLarge(path.display().to_string()).into());
    }
    Ok(out)
}

fn have_of(conn: &Connection) -> Result<Have> {
    let mut have = Have::new();
    for (origin, n) in table::have(conn)? {
        if let Ok(o) = Uuid::parse_str(&origin) {
            have.insert(o, n as u64);
        }
    }
    Ok(have)
}

impl Desk {
    fn trusted_registry(&self) -> Result<Registry> {
        self.registry()?.ok_or_else(|| SyncError::NoRegistry.into())
    }

    /// Finds a peer in the registry by id, fingerprint, id prefix (4+ characters) or `central`.
    pub fn find_peer(&self, spec: &str) -> Result<Device> {
        let registry = self.trusted_registry()?;
        let spec = spec.trim().to_ascii_lowercase();
        let me = self.profile.device_id.as_uuid();
        let fp = |d: &Device| {
            keys::parse_public_key(&d.key).map(|k| keys::fingerprint(&k).replace('-', "")).unwrap_or_default()
        };
        let bare: String =
            spec.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
        let matches: Vec<&Device> = if spec == "central" {
            registry.devices.iter().filter(|d| d.device == registry.issuer).collect()
        } else if let Some(d) = registry.devices.iter().find(|d| d.device.to_string() == spec) {
            vec![d]
        } else if bare.len() == 16 && registry.devices.iter().any(|d| fp(d) == bare) {
            // Its fingerprint, as read aloud (dashes and case do not matter).
            registry.devices.iter().filter(|d| fp(d) == bare).collect()
        } else if spec.len() >= 4 {
            registry.devices.iter().filter(|d| d.device.to_string().starts_with(&spec)).collect()
        } else {
            Vec::new()
        };
        match matches.as_slice() {
            [one] if one.device != me && one.revoked.is_none() => Ok((*one).clone()),
            [one] if one.revoked.is_some() => Err(SyncError::Revoked { device: one.device }.into()),
            _ => Err(SyncError::UnknownPeer { peer: spec }.into()),
        }
    }

    /// Writes a bundle for a peer to `out` (via a temporary file, so a failure leaves no half file).
    pub fn export_bundle(&mut self, req: &ExportRequest, out: &Path) -> Result<Exported> {
        let peer = self.find_peer(&req.to)?;
        let keys = self.keys()?;
        let conn = self.store.conn();
        let me = self.profile.device_id.as_uuid();
        // What the peer acknowledged stays as it is: only its answer moves it on.
        let (acked, sent_n) =
            table::peer(conn, &peer.device.to_string())?.unwrap_or_else(|| ("{}".into(), 0));
        let sent_n = sent_n as u64;
        let peer_have: Have = serde_json::from_str(&acked).unwrap_or_default();
        let since = if req.full { Have::new() } else { peer_have };
        let have = have_of(conn)?;
        let mut bodies = Vec::new();
        for origin in have.keys() {
            let after = since.get(origin).copied().unwrap_or(0);
            bodies.extend(table::changes_after(conn, &origin.to_string(), after as i64)?);
        }
        let changes = parse_changes(&bodies)?;
        if req.plain && changes.iter().any(|c| c.kind != Kind::Activity) {
            return Err(SyncError::PlainWithPersonalData.into());
        }
        let last = table::last_sent(conn)?;
        let seq = last.as_ref().map_or(1, |s| s.seq as u64 + 1);
        let now = self.clock.now();
        let n = sent_n + 1;
        let registry = table::registry(conn)?.and_then(|r| String::from_utf8(r.file).ok());
        let bundle = Bundle {
            format: bundle::FORMAT.to_string(),
            sender: me,
            recipients: vec![Recipient { device: peer.device, n }],
            seq,
            prev: last.map(|s| s.hash),
            created: millis(now),
            scope: if req.full { Scope::Full } else { Scope::Incremental },
            have,
            registry,
            changes,
        };
        let sealed = bundle.seal(&keys.signing);
        let hash = sha256_hex(&sealed);
        let file = if req.plain {
            sealed
        } else {
            let recipient = keys::parse_age_recipient(&peer.age)
                .map_err(|e| SyncError::Trust(rightsdesk_sync::registry::TrustError::Key(e)))?;
            // Also to this device, so the sender can still open what it sent.
            crypt::encrypt(&sealed, &[recipient, keys.age.to_public()]).map_err(SyncError::from)?
        };
        let mut part = out.as_os_str().to_owned();
        part.push(".part");
        let part = std::path::PathBuf::from(part);
        std::fs::write(&part, &file).map_err(|e| crate::AppError::io(&part, e))?;
        let recipients = serde_json::to_string(&bundle.recipients).unwrap_or_default();
        let tx = self.store.transaction()?;
        table::insert_sent(
            &tx,
            &table::SentRow {
                seq: seq as i64,
                hash: hash.clone(),
                recipients,
                scope: if req.full { "full" } else { "incremental" }.into(),
                changes: bundle.changes.len() as i64,
                created_at: stamp(now),
            },
        )?;
        table::put_peer(&tx, &peer.device.to_string(), &acked, n as i64, &stamp(now))?;
        if let Err(e) = rightsdesk_store::commit(tx) {
            let _ = std::fs::remove_file(&part);
            return Err(e.into());
        }
        std::fs::rename(&part, out).map_err(|e| crate::AppError::io(out, e))?;
        Ok(Exported {
            path: out.display().to_string(),
            recipient: peer.device,
            recipient_office: peer.office,
            seq,
            n,
            changes: bundle.changes.len(),
            encrypted: !req.plain,
            hash,
            bytes: file.len() as u64,
        })
    }

    /// Checks a bundle and reports what importing it would do, without writing anything.
    pub fn preview_bundle(&mut self, file: &[u8], progress: Progress<'_>) -> Result<ImportReport> {
        self.import_inner(file, true, progress)
    }

    /// Imports a bundle whole, or refuses it and changes nothing.
    pub fn import_bundle(&mut self, file: &[u8], progress: Progress<'_>) -> Result<ImportReport> {
        let report = self.import_inner(file, false, progress)?;
        if let Some(r) = report.rejected.first() {
            return Err(SyncError::InvalidRecord {
                kind: Kind::parse(&r.kind).map_or("record", Kind::as_str),
                record: r.record,
                field: r.field.clone(),
                reason: r.detail.clone().unwrap_or_else(|| r.reason.clone()),
            }
            .into());
        }
        Ok(report)
    }

    /// Everything import checks before it reads the changes: size, encryption, signature, signer,
    /// addressee and the sender's series. `bundle verify` stops here.
    pub fn check_bundle(&self, file: &[u8]) -> Result<Checked> {
        if file.len() as u64 > envelope::MAX_FILE_BYTES {
            return Err(SyncError::FileTooLarge("the bundle".into()).into());
        }
        let me = self.profile.device_id.as_uuid();
        let keys = self.keys()?;
        let encrypted = crypt::is_encrypted(file);
        let plain =
            if encrypted { crypt::decrypt(file, &keys.age).map_err(SyncError::from)? } else { file.to_vec() };

        // Signature first, then the signer, before the content is parsed.
        let opened = envelope::open(&plain).map_err(|e| SyncError::Read(e.into()))?;
        let registry = self.trusted_registry()?;
        let signer = registry
            .devices
            .iter()
            .find(|d| keys::parse_public_key(&d.key).is_ok_and(|k| k == opened.key))
            .cloned()
            .ok_or_else(|| SyncError::UnknownSigner { fingerprint: keys::fingerprint(&opened.key) })?;
        let bundle: Bundle = bundle::read_document(&opened, bundle::FORMAT).map_err(SyncError::from)?;
        if bundle.sender != signer.device {
            return Err(SyncError::SignerMismatch { claimed: bundle.sender }.into());
        }
        if let Some(r) = &signer.revoked
            && bundle.seq > r.after_seq
        {
            return Err(SyncError::RevokedSigner { device: signer.device, after_seq: r.after_seq }.into());
        }
        if bundle.sender == me {
            return Err(SyncError::OwnBundle.into());
        }
        let n = bundle.addressed_to(me).ok_or(SyncError::NotForUs)?.n;
        let hex64 =
            |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if bundle.seq == 0 || n == 0 {
            return Err(SyncError::BadHeader("bundle numbers start at 1".into()).into());
        }
        if bundle.prev.as_deref().is_some_and(|p| !hex64(p)) || (bundle.seq > 1) != bundle.prev.is_some() {
            return Err(
                SyncError::BadHeader("`prev` names the previous bundle by 64 hex digits".into()).into()
            );
        }
        let hash = hex(&opened.hash);
        let sender = bundle.sender.to_string();
        let conn = self.store.conn();
        if let Some(h) = table::received_hash(conn, &sender, bundle.seq as i64)? {
            if h == hash {
                let on = table::received(conn, Some(&sender))?
                    .into_iter()
                    .find(|r| r.seq as u64 == bundle.seq)
                    .map(|r| r.imported_at)
                    .unwrap_or_default();
                return Err(SyncError::AlreadyImported { seq: bundle.seq, on }.into());
            }
            return Err(SyncError::Forked { seq: bundle.seq, prev: bundle.seq }.into());
        }
        if let Some((last, _)) = table::last_received(conn, &sender)?
            && bundle.seq < last as u64
        {
            return Err(SyncError::Older { seq: bundle.seq, last: last as u64 }.into());
        }
        if bundle.seq > 1
            && let Some(prev) = table::received_hash(conn, &sender, bundle.seq as i64 - 1)?
            && bundle.prev.as_deref() != Some(prev.as_str())
        {
            return Err(SyncError::Forked { seq: bundle.seq, prev: bundle.seq - 1 }.into());
        }
        if !encrypted && bundle.changes.iter().any(|c| c.kind != Kind::Activity) {
            // Case data must never have travelled in the clear; the sender is asked to export again.
            return Err(SyncError::PlainWithPersonalData.into());
        }
        Ok(Checked { bundle, signer, n, hash, encrypted, fingerprint: keys::fingerprint(&opened.key) })
    }

    fn import_inner(&mut self, file: &[u8], dry_run: bool, progress: Progress<'_>) -> Result<ImportReport> {
        let Checked { bundle, signer, n, hash, encrypted, .. } = self.check_bundle(file)?;
        let me = self.profile.device_id.as_uuid();
        let sender = bundle.sender.to_string();
        let conn = self.store.conn();
        let have = have_of(conn)?;
        // A change already held must be the same change: a device restored from an old copy numbers
        // new changes like ones it made before, and those must not be dropped in silence. Held
        // changes are read back per origin, one range at a time, and compared as written.
        let mut held_by_origin: BTreeMap<Uuid, Vec<&Change>> = BTreeMap::new();
        for c in bundle.changes.iter().filter(|c| knowledge::holds(&have, c.id())) {
            held_by_origin.entry(c.origin).or_default().push(c);
        }
        for (origin, incoming) in &held_by_origin {
            let lo = incoming.iter().map(|c| c.n).min().unwrap_or(1);
            let hi = incoming.iter().map(|c| c.n).max().unwrap_or(0);
            let stored: HashMap<u64, String> =
                table::change_bodies(conn, &origin.to_string(), lo as i64, hi as i64)?
                    .into_iter()
                    .map(|(n, b)| (n as u64, b))
                    .collect();
            for c in incoming {
                let same = stored.get(&c.n).is_some_and(|b| {
                    serde_json::to_string(c).is_ok_and(|mine| mine == *b)
                        || serde_json::from_str::<Change>(b).is_ok_and(|s| s == **c)
                });
                if !same {
                    return Err(SyncError::ForkedOrigin { origin: c.origin, n: c.n }.into());
                }
            }
        }
        let fresh: Vec<&Change> = knowledge::new_changes(&have, &bundle.changes).map_err(SyncError::from)?;
        let fresh_ids: HashSet<ChangeRef> = fresh.iter().map(|c| c.id()).collect();
        let mut by_record: HashMap<Uuid, Vec<&Change>> = HashMap::new();
        for c in &fresh {
            by_record.entry(c.record).or_default().push(c);
        }
        let mut report = ImportReport {
            sender: signer.device,
            sender_office: signer.office.clone(),
            sender_officer: signer.officer.clone(),
            sender_municipality: signer.municipality.clone(),
            seq: bundle.seq,
            n,
            created: bundle.created,
            scope: bundle.scope,
            encrypted,
            changes: bundle.changes.len() as u64,
            new_changes: fresh.len() as u64,
            by_kind: BTreeMap::new(),
            conflicts: Vec::new(),
            rejected: Vec::new(),
            registry_updated: false,
            missing: Vec::new(),
            applied: false,
        };
        // Records the bundle carries but that bring nothing new.
        let mut seen_unchanged: HashSet<Uuid> = HashSet::new();
        for c in &bundle.changes {
            if !by_record.contains_key(&c.record) && seen_unchanged.insert(c.record) {
                report.by_kind.entry(c.kind.as_str().to_string()).or_default().unchanged += 1;
            }
        }

        let today = self.clock.today().max(bundle.created.date_naive()) + Duration::days(1);
        let now = stamp(self.clock.now());
        let vocab = self.vocab;
        let tx = self.store.transaction()?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON").map_err(rightsdesk_store::StoreError::from)?;
        if let Some(reg) = &bundle.registry {
            match trust::accept_registry(&tx, me, reg.as_bytes(), None, &now) {
                Ok(changed) => report.registry_updated = changed,
                // The central office's own copy, or one this office has not pinned yet: not an error
                // for the changes the bundle carries.
                Err(crate::AppError::Sync(
                    SyncError::OwnRegistry
                    | SyncError::ConfirmCentral { .. }
                    | SyncError::RegistryNotFromCentral { .. },
                )) => {}
                Err(e) => return Err(e),
            }
        }

        // Merge every touched record, parents first so rows can refer to them.
        let mut touched: Vec<(Kind, Uuid)> = by_record.iter().map(|(id, cs)| (cs[0].kind, *id)).collect();
        touched.sort_by_key(|(k, id)| (order(*k), *id));
        let total = touched.len() as u64;
        let mut cases_to_check: BTreeSet<CaseId> = BTreeSet::new();
        let mut states: HashMap<Uuid, RecordState> = HashMap::with_capacity(touched.len());
        for (i, (kind, id)) in touched.iter().enumerate() {
            let held_changes = held_changes(&tx, *id)?;
            let held = derive_held(*id, &held_changes)?;
            let incoming = by_record.get(id).map(Vec::as_slice).unwrap_or_default();
            let state = RecordState::derive(held_changes.iter().chain(incoming.iter().copied()))
                .map_err(SyncError::from)?;
            let counts = report.by_kind.entry(kind.as_str().to_string()).or_default();
            match &held {
                None => counts.new += 1,
                Some(h) if h.values() != state.values() || h.deleted() != state.deleted() => {
                    counts.updated += 1
                }
                Some(h) if h.conflicts() != state.conflicts() || h.completions != state.completions => {
                    counts.updated += 1
                }
                Some(_) => counts.unchanged += 1,
            }
            let before: HashSet<String> = held
                .as_ref()
                .map(|h| h.conflicts().into_iter().map(|c| c.field).collect())
                .unwrap_or_default();
            for c in state.conflicts() {
                let grew =
                    !before.contains(&c.field) || c.candidates.iter().any(|x| fresh_ids.contains(&x.change));
                if grew {
                    report.conflicts.push(ConflictLine {
                        kind: kind.as_str().to_string(),
                        record: *id,
                        case_number: None,
                        field: c.field,
                    });
                }
            }
            for c in incoming {
                if let Some(f) = c.field.as_deref()
                    && records::FIXED.contains(&(c.kind, f))
                {
                    report.rejected.push(Rejection {
                        kind: kind.as_str().to_string(),
                        record: *id,
                        field: f.to_string(),
                        reason: "fixed_at_creation".into(),
                        detail: None,
                    });
                }
                insert_change(&tx, c)?;
            }
            if let Err(e) = records::materialize(&tx, &state)? {
                report.rejected.push(Rejection {
                    kind: kind.as_str().to_string(),
                    record: *id,
                    field: e.field.unwrap_or_default(),
                    reason: "unreadable_value".into(),
                    detail: Some(e.reason),
                });
            } else {
                records::store_conflicts(&tx, &state)?;
            }
            if let Some(case) = records::case_of(&state)
                && matches!(kind, Kind::Case | Kind::Act)
            {
                cases_to_check.insert(case);
            }
            states.insert(*id, state);
            if i % 512 == 0 || i as u64 + 1 == total {
                progress(i as u64 + 1, total);
            }
        }

        // The domain's rules, for every value this bundle brought.
        if report.rejected.is_empty() {
            for case in &cases_to_check {
                records::reindex(&tx, *case)?;
                check_case(&tx, *case, vocab, today, &states, &fresh_ids, &mut report.rejected)?;
            }
            for (kind, id) in &touched {
                let Some(state) = states.get(id) else { continue };
                check_other(&tx, *kind, state, vocab, today, &fresh_ids, &mut report.rejected)?;
            }
        }
        for line in &mut report.conflicts {
            let case = states.get(&line.record).and_then(records::case_of);
            if let Some(case) = case {
                line.case_number = cases::get(&tx, case)?.map(|c| c.number);
            }
        }

        let mut received_n: BTreeSet<u64> =
            table::received(&tx, Some(&sender))?.into_iter().map(|r| r.n as u64).collect();
        received_n.insert(n);
        let max_n = received_n.iter().max().copied().unwrap_or(0);
        report.missing = (1..=max_n).filter(|k| !received_n.contains(k)).collect();

        // Rows that refer to records neither held nor carried: a real import fails on them when it
        // commits (foreign keys are checked then); a preview, which never commits, looks for them.
        if dry_run && report.rejected.is_empty() {
            for (table_name, parent) in table::dangling_references(&tx)? {
                report.rejected.push(Rejection {
                    kind: table_name,
                    record: Uuid::nil(),
                    field: parent,
                    reason: "refers_to_missing_record".into(),
                    detail: None,
                });
            }
        }

        if dry_run || !report.rejected.is_empty() {
            drop(tx);
            return Ok(report);
        }
        report.applied = true;
        table::insert_received(
            &tx,
            &table::ReceivedRow {
                sender: sender.clone(),
                seq: bundle.seq as i64,
                n: n as i64,
                hash,
                created_at: stamp(bundle.created),
                imported_at: now.clone(),
                report: serde_json::to_string(&report).unwrap_or_default(),
            },
        )?;
        let sent_n = table::peer(&tx, &sender)?.map_or(0, |(_, n)| n);
        let acked = serde_json::to_string(&bundle.have).unwrap_or_default();
        table::put_peer(&tx, &sender, &acked, sent_n, &now)?;
        rightsdesk_store::commit(tx).map_err(|e| match e {
            rightsdesk_store::StoreError::Sqlite(ref s) if s.to_string().contains("FOREIGN KEY") => {
                crate::AppError::Sync(SyncError::InvalidRecord {
                    kind: "record",
                    record: Uuid::nil(),
                    field: String::new(),
                    reason: "the bundle refers to records it does not carry".into(),
                })
            }
            other => other.into(),
        })?;
        Ok(report)
    }

    /// The state digest: equal on two offices exactly when they hold the same synced data.
    pub fn state_digest(&self) -> Result<(String, u64)> {
        let mut digest = StateDigest::new();
        let mut err = None;
        table::for_each_record(self.store.conn(), |record, bodies| {
            let derived = parse_changes(&bodies)
                .and_then(|cs| RecordState::derive(&cs).map_err(|e| SyncError::Merge(e).into()));
            match derived {
                Ok(state) => digest.add(&state),
                Err(e) => {
                    err.get_or_insert_with(|| format!("{record}: {e}"));
                }
            }
            Ok(())
        })?;
        if let Some(e) = err {
            return Err(rightsdesk_store::StoreError::BadValue(e).into());
        }
        let records = digest.records();
        Ok((digest.finish(), records))
    }
}

/// Parents before children: activities, cases, then what belongs to cases.
fn order(k: Kind) -> u8 {
    match k {
        Kind::Activity | Kind::Institution => 0,
        Kind::Case => 1,
        Kind::Act => 2,
        Kind::Entry => 3,
        Kind::Task => 4,
        Kind::Referral => 5,
    }
}

/// Whether the shown value of `field` of `state` came with this bundle.
fn brought(state: &RecordState, field: &str, fresh: &HashSet<ChangeRef>) -> bool {
    state.fields.get(field).is_some_and(|f| f.candidates.iter().any(|c| fresh.contains(&c.change)))
}

/// A case's rules, applied to the values this bundle brought (rules about the whole case, such as
/// "at least one act", are not: concurrent removals on two offices may legitimately break them).
fn check_case(
    conn: &Connection,
    case: CaseId,
    vocab: &rightsdesk_domain::vocab::Vocabularies,
    today: NaiveDate,
    states: &HashMap<Uuid, RecordState>,
    fresh: &HashSet<ChangeRef>,
    out: &mut Vec<Rejection>,
) -> Result<()> {
    let Some(c) = cases::get(conn, case)? else { return Ok(()) };
    let Err(invalid) = c.draft.validate(vocab, today) else { return Ok(()) };
    for e in invalid.fields {
        let (record, field) = match e.field.strip_prefix("acts[") {
            Some(rest) => {
                let Some((i, f)) = rest.split_once("].") else { continue };
                let Some(act) = i.parse::<usize>().ok().and_then(|i| c.draft.acts.get(i)).and_then(|a| a.id)
                else {
                    continue;
                };
                (act.as_uuid(), f.to_string())
            }
            None if e.field == "acts" => continue,
            None => (case.as_uuid(), e.field.clone()),
        };
        let Some(state) = states.get(&record) else { continue };
        if brought(state, &field, fresh) {
            out.push(Rejection {
                kind: state.kind.as_str().to_string(),
                record,
                field,
                reason: e.code.to_string(),
                detail: None,
            });
        }
    }
    Ok(())
}

fn check_other(
    conn: &Connection,
    kind: Kind,
    state: &RecordState,
    vocab: &rightsdesk_domain::vocab::Vocabularies,
    today: NaiveDate,
    fresh: &HashSet<ChangeRef>,
    out: &mut Vec<Rejection>,
) -> Result<()> {
    let invalid = match kind {
        Kind::Activity => {
            let Some(a) = activities::get(conn, &state.id.into())? else { return Ok(()) };
            a.draft.validate(vocab, today).err()
        }
        Kind::Entry => {
            let Ok(e) = records::decode_entry(state) else { return Ok(()) };
            if matches!(e.kind, EntryKind::Note | EntryKind::Action | EntryKind::Correction) {
                EntryDraft {
                    kind: e.kind,
                    action_type: e.action_type,
                    occurred_on: e.occurred_on,
                    text: e.text,
                    corrects: e.corrects,
                }
                .validate(vocab, today)
                .err()
            } else {
                None
            }
        }
        Kind::Task => {
            let Ok(t) = records::decode_task(state) else { return Ok(()) };
            TaskDraft { title: t.title, due: t.due, assignee: t.assignee }.validate().err()
        }
        Kind::Referral => {
            let Ok(r) = records::decode_referral(state) else { return Ok(()) };
            rightsdesk_domain::referral::check_stored(&r, vocab).err()
        }
        Kind::Institution => {
            let Ok(i) = records::decode_institution(state) else { return Ok(()) };
            i.draft.validate().err()
        }
        Kind::Case | Kind::Act => None,
    };
    for e in invalid.map(|i| i.fields).unwrap_or_default() {
        let field = e.field.split(['.', '[']).next().unwrap_or_default().to_string();
        if brought(state, &field, fresh) {
            out.push(Rejection {
                kind: kind.as_str().to_string(),
                record: state.id,
                field: e.field,
                reason: e.code.to_string(),
                detail: None,
            });
        }
    }
    Ok(())
}
