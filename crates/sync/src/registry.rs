//! Trust: who may send bundles. A device asks to join with an **enrolment request** (its id, its
//! public keys, its municipality and officer), signed with its own key. The central office's
//! coordinator checks the fingerprint by phone and approves it into the **registry**, which the
//! central office signs and sends to every office. A unit pins the central office's key the first time
//! it imports a registry (after confirming its fingerprint) and accepts later registries only from
//! that key, and only newer ones.
//!
//! Revoking a device records the last bundle number of it that was accepted (`after_seq`): any bundle
//! it signs with a higher number is refused wherever the new registry has arrived.
use crate::bundle::{ReadError, read_document};
use crate::envelope::{self, Opened};
use crate::keys::{self, KeyError};
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const REGISTRY_FORMAT: &str = "rightsdesk-registry/1";
pub const ENROLMENT_FORMAT: &str = "rightsdesk-enrolment/1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceRole {
    Officer,
    Coordinator,
}

/// What a device says about itself when it asks to join.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    pub format: String,
    pub device: Uuid,
    /// Base64 Ed25519 public key; the request must be signed with it.
    pub key: String,
    /// age X25519 recipient (`age1...`) that bundles to this device are encrypted to.
    pub age: String,
    pub municipality: String,
    pub office: String,
    pub officer: String,
    pub role: DeviceRole,
    pub created: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub at: DateTime<Utc>,
    /// The highest bundle number of this device that remains valid.
    pub after_seq: u64,
    pub reason: String,
}

/// One trusted device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub device: Uuid,
    pub key: String,
    pub age: String,
    pub municipality: String,
    pub office: String,
    pub officer: String,
    pub role: DeviceRole,
    pub approved: DateTime<Utc>,
    #[serde(default)]
    pub revoked: Option<Revocation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub format: String,
    /// The central office device that signs the registry.
    pub issuer: Uuid,
    /// Raised by one with every change; an office keeps the highest it has seen.
    pub version: u64,
    pub issued: DateTime<Utc>,
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrustError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the enrolment request is signed with another key than the one it asks to enrol")]
    EnrolmentKeyMismatch,
    #[error("the registry is signed by a key that is not the issuer's own entry in it")]
    RegistryKeyMismatch,
}

impl Enrolment {
    pub fn seal(&self, key: &SigningKey) -> Vec<u8> {
        envelope::seal(&serde_json::to_vec(self).unwrap_or_default(), key)
    }

    /// Verifies and reads an enrolment request; it must be signed by the key it carries.
    pub fn open(file: &[u8]) -> Result<(Opened<'_>, Enrolment), TrustError> {
        let opened = envelope::open(file).map_err(ReadError::from)?;
        let e: Enrolment = read_document(&opened, ENROLMENT_FORMAT)?;
        if keys::parse_public_key(&e.key)? != opened.key {
            return Err(TrustError::EnrolmentKeyMismatch);
        }
        keys::parse_age_recipient(&e.age)?;
        Ok((opened, e))
    }
}

impl Registry {
    pub fn seal(&self, key: &SigningKey) -> Vec<u8> {
        envelope::seal(&serde_json::to_vec(self).unwrap_or_default(), key)
    }

    /// Verifies and reads a registry; it must be signed by its issuer's key as listed in it. Whether
    /// that issuer is the central office this office trusts is the caller's check.
    pub fn open(file: &[u8]) -> Result<(Opened<'_>, Registry), TrustError> {
        let opened = envelope::open(file).map_err(ReadError::from)?;
        let r: Registry = read_document(&opened, REGISTRY_FORMAT)?;
        let issuer = r.device(r.issuer).ok_or(TrustError::RegistryKeyMismatch)?;
        if keys::parse_public_key(&issuer.key)? != opened.key {
            return Err(TrustError::RegistryKeyMismatch);
        }
        for d in &r.devices {
            keys::parse_public_key(&d.key)?;
            keys::parse_age_recipient(&d.age)?;
        }
        Ok((opened, r))
    }

    pub fn device(&self, id: Uuid) -> Option<&Device> {
        self.devices.iter().find(|d| d.device == id)
    }
}
