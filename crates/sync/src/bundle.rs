//! The bundle: the signed document that carries changes from one office to others
//! (`rightsdesk-bundle/1`, specified in `docs/bundle-format.md`).
//!
//! Its header names the sender, the recipients (each with the count of bundles the sender has
//! addressed to them, so a missing one shows as a gap), the sender's own bundle sequence number and
//! the hash of its previous bundle (so a replayed, reordered or forked series is caught), when it was
//! made, and what the sender holds (`have`, which acknowledges what the recipients sent it).
use crate::change::Change;
use crate::envelope::{self, EnvelopeError, Opened};
use crate::knowledge::Have;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const FORMAT: &str = "rightsdesk-bundle/1";
/// The `format` prefix every Rightsdesk signed document shares.
pub const FAMILY: &str = "rightsdesk-";

/// One addressee of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub device: Uuid,
    /// This is the `n`-th bundle the sender addressed to this device (1, 2, 3, ...).
    pub n: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The changes the recipients had not acknowledged.
    Incremental,
    /// Every change the sender holds.
    Full,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub sender: Uuid,
    pub recipients: Vec<Recipient>,
    /// The sender's bundle number: 1 for its first bundle, one more for each bundle after.
    pub seq: u64,
    /// SHA-256 (hex) of the sender's previous bundle file (its signed envelope), `null` for seq 1.
    pub prev: Option<String>,
    pub created: DateTime<Utc>,
    pub scope: Scope,
    /// For each origin device, the highest change number the sender holds.
    pub have: Have,
    /// The central office's trust registry (a signed `rightsdesk-registry/1` file, as a string),
    /// when the sender has one to pass on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    #[error("the file is a `{found}`, not a `{expected}`")]
    WrongDocument { found: String, expected: &'static str },
    #[error("format `{found}` is not known to this version of Rightsdesk (it reads `{expected}`)")]
    UnknownVersion { found: String, expected: &'static str },
    #[error("the signed content does not follow the format: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
struct Head {
    format: String,
}

/// Parses the signed bytes of an opened envelope as the document `expected` (a format name).
pub fn read_document<T: serde::de::DeserializeOwned>(
    opened: &Opened<'_>,
    expected: &'static str,
) -> Result<T, ReadError> {
    match serde_json::from_slice::<T>(opened.signed) {
        Ok(doc) => {
            // A document of another family member may parse by accident only if its format says so.
            let head: Head =
                serde_json::from_slice(opened.signed).map_err(|e| ReadError::Malformed(e.to_string()))?;
            check_format(&head.format, expected)?;
            Ok(doc)
        }
        Err(e) => {
            if let Ok(head) = serde_json::from_slice::<Head>(opened.signed) {
                check_format(&head.format, expected)?;
            }
            Err(ReadError::Malformed(e.to_string()))
        }
    }
}

fn check_format(found: &str, expected: &'static str) -> Result<(), ReadError> {
    if found == expected {
        return Ok(());
    }
    let family =
        |s: &str| s.rsplit_once('/').map(|(name, _)| name.to_string()).unwrap_or_else(|| s.to_string());
    if found.starts_with(FAMILY) && family(found) == family(expected) {
        return Err(ReadError::UnknownVersion { found: found.to_string(), expected });
    }
    Err(ReadError::WrongDocument { found: found.to_string(), expected })
}

impl Bundle {
    /// The signed bytes of this bundle: compact JSON in the field order of the struct.
    pub fn to_signed_bytes(&self) -> Vec<u8> {
        // Serializing plain data into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn seal(&self, key: &SigningKey) -> Vec<u8> {
        envelope::seal(&self.to_signed_bytes(), key)
    }

    /// Verifies the signature, then parses.
    pub fn open(file: &[u8]) -> Result<(Opened<'_>, Bundle), ReadError> {
        let opened = envelope::open(file)?;
        let bundle = read_document(&opened, FORMAT)?;
        Ok((opened, bundle))
    }

    pub fn addressed_to(&self, device: Uuid) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.device == device)
    }
}
