//! Reading a bundle without importing it: `bundle verify` and `bundle inspect`.
//!
//! [`Desk::verify_bundle`] is exactly the checks an import makes before it reads the changes
//! ([`Desk::check_bundle`]), as a report. [`Desk::inspect_bundle`] shows what is inside a bundle
//! **without** requiring its signer to be trusted, so a coordinator can look at a bundle from a device
//! that is not enrolled yet, or at one whose signature fails: it decrypts with this device's key,
//! checks the signature, says who signed it (as this office's registry knows them), and reads the
//! header and the changes. Nothing is written, and nothing read here is trusted: a bundle whose
//! signature fails is still shown, but marked so.
use super::SyncError;
use crate::error::Result;
use crate::setup::Desk;
use chrono::{DateTime, Utc};
use rightsdesk_sync::bundle::{self, Bundle, Scope};
use rightsdesk_sync::digest::sha256_hex;
use rightsdesk_sync::envelope::{self, EnvelopeError};
use rightsdesk_sync::knowledge::Have;
use rightsdesk_sync::registry::{Device, DeviceRole, Registry};
use rightsdesk_sync::{crypt, keys};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A bundle that passed every check an import makes before reading its changes.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub signer: Uuid,
    pub signer_office: String,
    pub signer_officer: String,
    pub signer_municipality: String,
    pub fingerprint: String,
    pub seq: u64,
    /// The sender's count of bundles to this office.
    pub n: u64,
    pub created: DateTime<Utc>,
    pub scope: Scope,
    pub changes: u64,
    pub encrypted: bool,
    /// SHA-256 (hex) of the signed file: what the sender's next bundle names as `prev`.
    pub hash: String,
    /// The version of the trust registry the bundle carries, if it carries one.
    pub registry_version: Option<u64>,
}

/// Whether the signature matches the signed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureCheck {
    Valid,
    /// The file was changed after it was signed (or signed with another key than it names).
    Invalid,
}

/// Who the signing key belongs to, as this office's trust registry knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerStatus {
    /// A device in the registry, not revoked.
    Trusted,
    /// A device in the registry that was revoked (bundles after its `after_seq` are refused).
    Revoked,
    /// A key the registry does not list.
    Unknown,
    /// This device's own key.
    ThisDevice,
    /// This office holds no registry yet, so no signer can be known.
    NoRegistry,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignerInfo {
    pub status: SignerStatus,
    /// The signing key's fingerprint, to read aloud and compare.
    pub fingerprint: String,
    pub public_key: String,
    /// The registry's entry for the key, if it has one.
    pub device: Option<Uuid>,
    pub office: Option<String>,
    pub officer: Option<String>,
    pub municipality: Option<String>,
    pub role: Option<DeviceRole>,
    /// Set when revoked: the last bundle number of it that stays valid.
    pub revoked_after_seq: Option<u64>,
    /// Whether the sender the bundle names is the device the key belongs to (`None` when the key is
    /// not in the registry or the header could not be read).
    pub matches_sender: Option<bool>,
}

/// One addressee, with its office when the registry knows it.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientInfo {
    pub device: Uuid,
    pub n: u64,
    pub office: Option<String>,
    pub this_device: bool,
}

/// The bundle's header: everything but the changes.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderInfo {
    pub format: String,
    pub sender: Uuid,
    pub sender_office: Option<String>,
    pub recipients: Vec<RecipientInfo>,
    pub seq: u64,
    pub prev: Option<String>,
    pub created: DateTime<Utc>,
    pub scope: Scope,
    pub have: Have,
}

/// The trust registry a bundle carries.
#[derive(Debug, Clone, Serialize)]
pub struct EmbeddedRegistry {
    /// Whether it opens: signed by its issuer's own key, every key well formed.
    pub valid: bool,
    pub problem: Option<Problem>,
    pub version: Option<u64>,
    pub issuer: Option<Uuid>,
    pub issuer_fingerprint: Option<String>,
    pub devices: u64,
    pub revoked: u64,
    /// Whether it comes from the central office this office trusts (`None`: no registry held yet).
    pub from_our_central: Option<bool>,
    /// Whether it is newer than the one this office holds (`None`: no registry held yet).
    pub newer: Option<bool>,
}

/// Why something could not be read, with the same stable codes as errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

impl Problem {
    fn of(e: &crate::AppError) -> Self {
        Problem { code: e.code().to_string(), message: e.to_string() }
    }
}

/// What is inside a bundle, read without importing it and without trusting its signer.
#[derive(Debug, Clone, Serialize)]
pub struct BundleInfo {
    pub bytes: u64,
    pub encrypted: bool,
    /// SHA-256 (hex) of the signed file (inside the encryption): how the sender's next bundle names it.
    pub hash: String,
    pub signature: SignatureCheck,
    pub signer: Option<SignerInfo>,
    /// The `format` the signed content names, if it names one.
    pub document: Option<String>,
    /// Set when the signed content is not a bundle this version reads.
    pub content_problem: Option<Problem>,
    pub header: Option<HeaderInfo>,
    pub changes: u64,
    /// Changes per kind of record, then per action (`case` → `create` → 12).
    pub by_kind: BTreeMap<String, BTreeMap<String, u64>>,
    /// Distinct records per kind.
    pub records: BTreeMap<String, u64>,
    /// Changes per origin device (a bundle passes on what its sender received from others).
    pub by_origin: BTreeMap<Uuid, u64>,
    pub registry: Option<EmbeddedRegistry>,
    /// What an import here would say before reading the changes: `None` if it would go ahead.
    pub import_check: Option<Problem>,
}

/// Only the signing key of an envelope, read without verifying anything.
#[derive(Deserialize)]
struct Frame {
    key: String,
}

#[derive(Deserialize)]
struct Head {
    format: String,
}

impl Desk {
    /// Runs the checks an import makes before reading the changes (see [`Desk::check_bundle`]).
    pub fn verify_bundle(&self, file: &[u8]) -> Result<Verified> {
        let c = self.check_bundle(file)?;
        let registry_version = c
            .bundle
            .registry
            .as_deref()
            .and_then(|r| Registry::open(r.as_bytes()).ok().map(|(_, r)| r.version));
        Ok(Verified {
            signer: c.signer.device,
            signer_office: c.signer.office,
            signer_officer: c.signer.officer,
            signer_municipality: c.signer.municipality,
            fingerprint: c.fingerprint,
            seq: c.bundle.seq,
            n: c.n,
            created: c.bundle.created,
            scope: c.bundle.scope,
            changes: c.bundle.changes.len() as u64,
            encrypted: c.encrypted,
            hash: c.hash,
            registry_version,
        })
    }

    /// Shows what a bundle holds without importing it and without requiring its signer to be trusted.
    ///
    /// Refused (an error) only when nothing inside can be shown: a file too large, encrypted to other
    /// offices or damaged, not a Rightsdesk signed file, cut off, or nested too deep to parse safely.
    /// A failing signature is reported, and the content it claims is still shown.
    pub fn inspect_bundle(&self, file: &[u8]) -> Result<BundleInfo> {
        if file.len() as u64 > envelope::MAX_FILE_BYTES {
            return Err(SyncError::FileTooLarge("the bundle".into()).into());
        }
        let own = self.keys()?;
        let encrypted = crypt::is_encrypted(file);
        let plain =
            if encrypted { crypt::decrypt(file, &own.age).map_err(SyncError::from)? } else { file.to_vec() };

        // The signature, then (valid or not) the key that claims to have made it and what it signed.
        let (signature, opened) = match envelope::open(&plain) {
            Ok(opened) => (SignatureCheck::Valid, Some(opened)),
            Err(EnvelopeError::BadSignature) => {
                // The frame is well formed (`open` checks it before the signature): the signed bytes
                // sit between the fixed-length prefix and the final `}` and line feed.
                let signed =
                    plain.get(envelope::PREFIX_LEN..plain.len().saturating_sub(2)).unwrap_or_default();
                envelope::check_depth(signed).map_err(|e| SyncError::Read(e.into()))?;
                let key = serde_json::from_slice::<Frame>(&plain)
                    .ok()
                    .and_then(|f| keys::parse_public_key(&f.key).ok());
                // `read_document` reads only the signed bytes; the hash is not used.
                (SignatureCheck::Invalid, key.map(|key| envelope::Opened { key, signed, hash: [0; 32] }))
            }
            Err(e) => return Err(SyncError::Read(e.into()).into()),
        };
        let key = opened.map(|o| o.key);
        let document = opened.and_then(|o| serde_json::from_slice::<Head>(o.signed).ok()).map(|h| h.format);
        let (bundle, content_problem) = match opened
            .map(|o| bundle::read_document::<Bundle>(&o, bundle::FORMAT))
        {
            Some(Ok(b)) => (Some(b), None),
            Some(Err(e)) => (None, Some(Problem::of(&SyncError::Read(e).into()))),
            // A key that is not a key: nothing it claims to have signed can be attributed.
            None => (None, Some(Problem::of(&SyncError::Read(EnvelopeError::BadSignature.into()).into()))),
        };
        let held = self.registry()?;
        let me = self.profile.device_id.as_uuid();

        let signer = key.map(|key| {
            let public_key = keys::public_key_string(&key);
            let entry: Option<&Device> = held.as_ref().and_then(|r| {
                r.devices.iter().find(|d| keys::parse_public_key(&d.key).is_ok_and(|k| k == key))
            });
            let status = if public_key == own.public() {
                SignerStatus::ThisDevice
            } else if held.is_none() {
                SignerStatus::NoRegistry
            } else {
                match entry {
                    Some(d) if d.revoked.is_some() => SignerStatus::Revoked,
                    Some(_) => SignerStatus::Trusted,
                    None => SignerStatus::Unknown,
                }
            };
            SignerInfo {
                status,
                fingerprint: keys::fingerprint(&key),
                public_key,
                device: entry.map(|d| d.device),
                office: entry.map(|d| d.office.clone()),
                officer: entry.map(|d| d.officer.clone()),
                municipality: entry.map(|d| d.municipality.clone()),
                role: entry.map(|d| d.role),
                revoked_after_seq: entry.and_then(|d| d.revoked.as_ref().map(|r| r.after_seq)),
                matches_sender: match (&bundle, entry, status) {
                    (Some(b), _, SignerStatus::ThisDevice) => Some(b.sender == me),
                    (Some(b), Some(d), _) => Some(b.sender == d.device),
                    _ => None,
                },
            }
        });

        let office_of = |id: Uuid| held.as_ref().and_then(|r| r.device(id)).map(|d| d.office.clone());
        let mut info = BundleInfo {
            bytes: file.len() as u64,
            encrypted,
            hash: sha256_hex(&plain),
            signature,
            signer,
            document,
            content_problem,
            header: None,
            changes: 0,
            by_kind: BTreeMap::new(),
            records: BTreeMap::new(),
            by_origin: BTreeMap::new(),
            registry: None,
            import_check: self.check_bundle(file).err().map(|e| Problem::of(&e)),
        };
        let Some(b) = bundle else { return Ok(info) };

        info.changes = b.changes.len() as u64;
        let mut records: BTreeMap<&str, BTreeSet<Uuid>> = BTreeMap::new();
        for c in &b.changes {
            let kind = c.kind.as_str();
            *info
                .by_kind
                .entry(kind.to_string())
                .or_default()
                .entry(c.action.as_str().to_string())
                .or_default() += 1;
            records.entry(kind).or_default().insert(c.record);
            *info.by_origin.entry(c.origin).or_default() += 1;
        }
        info.records = records.into_iter().map(|(k, ids)| (k.to_string(), ids.len() as u64)).collect();
        info.registry = b.registry.as_deref().map(|r| embedded_registry(r.as_bytes(), held.as_ref()));
        info.header = Some(HeaderInfo {
            sender_office: office_of(b.sender),
            recipients: b
                .recipients
                .iter()
                .map(|r| RecipientInfo {
                    device: r.device,
                    n: r.n,
                    office: office_of(r.device),
                    this_device: r.device == me,
                })
                .collect(),
            format: b.format,
            sender: b.sender,
            seq: b.seq,
            prev: b.prev,
            created: b.created,
            scope: b.scope,
            have: b.have,
        });
        Ok(info)
    }
}

fn embedded_registry(file: &[u8], held: Option<&Registry>) -> EmbeddedRegistry {
    match Registry::open(file) {
        Ok((opened, r)) => {
            let held_key = held.and_then(|h| h.device(h.issuer)).map(|d| d.key.clone());
            let ours = held.map(|h| {
                h.issuer == r.issuer
                    && held_key
                        .as_deref()
                        .and_then(|k| keys::parse_public_key(k).ok())
                        .is_some_and(|k| k == opened.key)
            });
            EmbeddedRegistry {
                valid: true,
                problem: None,
                version: Some(r.version),
                issuer: Some(r.issuer),
                issuer_fingerprint: Some(keys::fingerprint(&opened.key)),
                devices: r.devices.len() as u64,
                revoked: r.devices.iter().filter(|d| d.revoked.is_some()).count() as u64,
                from_our_central: ours,
                newer: held.map(|h| r.version > h.version),
            }
        }
        Err(e) => EmbeddedRegistry {
            valid: false,
            problem: Some(Problem::of(&SyncError::Trust(e).into())),
            version: None,
            issuer: None,
            issuer_fingerprint: None,
            devices: 0,
            revoked: 0,
            from_our_central: None,
            newer: None,
        },
    }
}
