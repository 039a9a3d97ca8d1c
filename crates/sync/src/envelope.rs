//! The signed envelope every Rightsdesk file travels in (bundles, enrolment requests, registries).
//!
//! ```text
//! {"sig":"<88 chars: base64 of the 64-byte Ed25519 signature>","key":"<44 chars: base64 of the
//! 32-byte public key>","signed":<the signed bytes: one JSON object>}\n
//! ```
//!
//! The first 160 bytes and the last 2 bytes (`}` and a line feed) are fixed in shape, so a reader
//! cuts the signed bytes out by position and verifies the signature over **exactly those bytes**
//! before parsing anything ([`open`]). Nothing is re-serialized before verifying, so any change of
//! any byte (a space, the order of two keys) fails the signature. The whole file is still one JSON
//! document that any JSON reader can open. `docs/bundle-format.md` specifies it for other readers.
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

const P_SIG: &[u8] = br#"{"sig":""#;
const P_KEY: &[u8] = br#"","key":""#;
const P_SIGNED: &[u8] = br#"","signed":"#;
const SIG_LEN: usize = 88;
const KEY_LEN: usize = 44;
/// Bytes before the signed bytes.
pub const PREFIX_LEN: usize = P_SIG.len() + SIG_LEN + P_KEY.len() + KEY_LEN + P_SIGNED.len();
const SUFFIX: &[u8] = b"}\n";

/// The largest file accepted (bundles of 100,000 cases with their acts, timelines and tasks are
/// well under this).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The deepest nesting of JSON arrays and objects accepted in signed bytes.
pub const MAX_DEPTH: usize = 12;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file ends too early: it was cut off while being copied")]
    Truncated,
    #[error("the file is not a Rightsdesk signed file")]
    NotEnvelope,
    #[error("the signature does not match the content: the file was changed after it was signed")]
    BadSignature,
    #[error("the signed content is not valid UTF-8 JSON")]
    NotJson,
    #[error("the signed content is nested deeper than {limit} levels")]
    TooDeep { limit: usize },
}

/// A file whose signature has been verified; nothing in `signed` has been parsed yet.
#[derive(Debug, Clone, Copy)]
pub struct Opened<'a> {
    pub key: VerifyingKey,
    pub signed: &'a [u8],
    /// SHA-256 of the whole file: the name the next bundle's `prev` uses.
    pub hash: [u8; 32],
}

/// Wraps `signed` (one JSON object, UTF-8, no trailing line feed) in a signed envelope.
pub fn seal(signed: &[u8], key: &SigningKey) -> Vec<u8> {
    let sig = key.sign(signed);
    let mut out = Vec::with_capacity(PREFIX_LEN + signed.len() + SUFFIX.len());
    out.extend_from_slice(P_SIG);
    out.extend_from_slice(B64.encode(sig.to_bytes()).as_bytes());
    out.extend_from_slice(P_KEY);
    out.extend_from_slice(B64.encode(key.verifying_key().to_bytes()).as_bytes());
    out.extend_from_slice(P_SIGNED);
    out.extend_from_slice(signed);
    out.extend_from_slice(SUFFIX);
    out
}

/// Checks the frame and the signature, then that the signed bytes are JSON no deeper than
/// [`MAX_DEPTH`] (a byte scan, before any parser allocates).
pub fn open(file: &[u8]) -> Result<Opened<'_>, EnvelopeError> {
    if file.is_empty() {
        return Err(EnvelopeError::Empty);
    }
    if file.len() as u64 > MAX_FILE_BYTES {
        return Err(EnvelopeError::TooLarge { limit: MAX_FILE_BYTES });
    }
    // A proper prefix of a well-formed start is a file cut short.
    let probe = &file[..file.len().min(P_SIG.len())];
    if !P_SIG.starts_with(probe) {
        return Err(EnvelopeError::NotEnvelope);
    }
    if file.len() < P_SIG.len() {
        return Err(EnvelopeError::Truncated);
    }
    if file.len() < PREFIX_LEN + 2 + SUFFIX.len() || !file.ends_with(SUFFIX) {
        return Err(if looks_cut(file) { EnvelopeError::Truncated } else { EnvelopeError::NotEnvelope });
    }
    let mut at = P_SIG.len();
    let sig_b64 = &file[at..at + SIG_LEN];
    at += SIG_LEN;
    if &file[at..at + P_KEY.len()] != P_KEY {
        return Err(EnvelopeError::NotEnvelope);
    }
    at += P_KEY.len();
    let key_b64 = &file[at..at + KEY_LEN];
    at += KEY_LEN;
    if &file[at..at + P_SIGNED.len()] != P_SIGNED {
        return Err(EnvelopeError::NotEnvelope);
    }
    at += P_SIGNED.len();
    let signed = &file[at..file.len() - SUFFIX.len()];

    let sig: [u8; 64] = decode_exact(sig_b64).ok_or(EnvelopeError::NotEnvelope)?;
    let key: [u8; 32] = decode_exact(key_b64).ok_or(EnvelopeError::NotEnvelope)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| EnvelopeError::BadSignature)?;
    key.verify_strict(signed, &Signature::from_bytes(&sig)).map_err(|_| EnvelopeError::BadSignature)?;

    check_depth(signed)?;
    Ok(Opened { key, signed, hash: Sha256::digest(file).into() })
}

fn decode_exact<const N: usize>(b64: &[u8]) -> Option<[u8; N]> {
    let bytes = B64.decode(b64).ok()?;
    // Only the canonical encoding is accepted, so the envelope has exactly one spelling.
    if B64.encode(&bytes).as_bytes() != b64 {
        return None;
    }
    bytes.try_into().ok()
}

/// A file that starts like an envelope but lost its end.
fn looks_cut(file: &[u8]) -> bool {
    file.starts_with(P_SIG) && !file.ends_with(SUFFIX)
}

/// Checks `signed` is UTF-8, starts and ends as one JSON object, and never nests deeper than
/// [`MAX_DEPTH`]. Strings (and escaped quotes inside them) are skipped.
pub fn check_depth(signed: &[u8]) -> Result<(), EnvelopeError> {
    if std::str::from_utf8(signed).is_err() || signed.first() != Some(&b'{') || signed.last() != Some(&b'}') {
        return Err(EnvelopeError::NotJson);
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in signed {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(EnvelopeError::TooDeep { limit: MAX_DEPTH });
                }
            }
            b'}' | b']' => depth = depth.checked_sub(1).ok_or(EnvelopeError::NotJson)?,
            _ => {}
        }
    }
    if depth != 0 || in_string {
        return Err(EnvelopeError::NotJson);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn the_prefix_has_the_documented_length() {
        assert_eq!(PREFIX_LEN, 160, "docs/bundle-format.md says the signed bytes start at byte 160");
        let file = seal(br#"{"a":1}"#, &key());
        assert_eq!(&file[PREFIX_LEN..], b"{\"a\":1}}\n", "the signed bytes follow the prefix verbatim");
    }

    #[test]
    fn a_sealed_file_opens_with_its_exact_bytes() {
        let file = seal(br#"{"a":[1,{"b":"}"}]}"#, &key());
        let opened = open(&file).expect("a freshly sealed file opens");
        assert_eq!(opened.signed, br#"{"a":[1,{"b":"}"}]}"#, "open returns the signed bytes untouched");
        assert_eq!(opened.key, key().verifying_key(), "open names the signing key");
    }

    #[test]
    fn damage_of_every_kind_has_its_own_error() {
        let file = seal(br#"{"a":1}"#, &key());
        assert_eq!(open(b"").err(), Some(EnvelopeError::Empty));
        assert_eq!(open(&file[..100]).err(), Some(EnvelopeError::Truncated), "a cut file says so");
        assert_eq!(open(&file[..file.len() - 1]).err(), Some(EnvelopeError::Truncated));
        assert_eq!(open(b"PK\x03\x04zip").err(), Some(EnvelopeError::NotEnvelope), "another file type");
        assert_eq!(open(b"{\"format\":1}").err(), Some(EnvelopeError::NotEnvelope), "JSON without a frame");
        let mut changed = file.clone();
        changed[PREFIX_LEN + 5] = b'2';
        assert_eq!(open(&changed).err(), Some(EnvelopeError::BadSignature), "a changed value");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let file = seal(deep.as_bytes(), &key());
        assert_eq!(open(&file).err(), Some(EnvelopeError::TooDeep { limit: MAX_DEPTH }));
        let ok = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(open(&seal(ok.as_bytes(), &key())).is_ok(), "nesting up to the limit is fine");
        let brackets_in_strings = format!("{{\"a\":\"{}\\\"{}\"}}", "[".repeat(50), "{".repeat(50));
        assert!(
            open(&seal(brackets_in_strings.as_bytes(), &key())).is_ok(),
            "brackets inside strings do not count"
        );
    }
}
