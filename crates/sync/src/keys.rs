//! A device's identity: an Ed25519 key pair that signs everything the device sends, and an X25519
//! (age) key pair that bundles addressed to it are encrypted to. Both secrets live only inside the
//! device's encrypted database.
use age::secrecy::ExposeSecret as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};
use std::str::FromStr;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KeyError {
    #[error("`{0}` is not a public signing key (44 characters of base64)")]
    BadPublicKey(String),
    #[error("`{0}` is not an encryption key (age1...)")]
    BadAgeRecipient(String),
    #[error("the stored device keys are damaged")]
    BadSecret,
}

/// A device's secrets.
pub struct DeviceKeys {
    pub signing: SigningKey,
    pub age: age::x25519::Identity,
}

impl DeviceKeys {
    /// New keys from 64 random bytes: the first 32 are the Ed25519 secret, the last 32 the X25519
    /// (age) secret. The randomness is passed in, so tests and fixtures can make the same keys again.
    pub fn generate(seed: [u8; 64]) -> Self {
        let mut signing = [0u8; 32];
        let mut agekey = [0u8; 32];
        signing.copy_from_slice(&seed[..32]);
        agekey.copy_from_slice(&seed[32..]);
        DeviceKeys { signing: SigningKey::from_bytes(&signing), age: age_identity(&agekey) }
    }

    /// The secrets as two strings, to keep in the encrypted database.
    pub fn to_secret_strings(&self) -> (String, String) {
        (B64.encode(self.signing.to_bytes()), self.age.to_string().expose_secret().to_string())
    }

    pub fn from_secret_strings(signing: &str, age_secret: &str) -> Result<Self, KeyError> {
        let bytes: [u8; 32] =
            B64.decode(signing).ok().and_then(|b| b.try_into().ok()).ok_or(KeyError::BadSecret)?;
        let age = age::x25519::Identity::from_str(age_secret).map_err(|_| KeyError::BadSecret)?;
        Ok(DeviceKeys { signing: SigningKey::from_bytes(&bytes), age })
    }

    pub fn public(&self) -> String {
        public_key_string(&self.signing.verifying_key())
    }

    pub fn age_recipient(&self) -> String {
        self.age.to_public().to_string()
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.signing.verifying_key())
    }
}

/// An age X25519 identity from its 32 secret bytes, through its standard text form
/// (`AGE-SECRET-KEY-1...`, Bech32), which is what the age crate reads.
fn age_identity(secret: &[u8; 32]) -> age::x25519::Identity {
    let hrp = bech32::Hrp::parse_unchecked("age-secret-key-");
    // Encoding 32 bytes under a fixed, valid prefix cannot fail, and the age crate reads what it writes.
    let text = bech32::encode::<bech32::Bech32>(hrp, secret).unwrap_or_default().to_uppercase();
    age::x25519::Identity::from_str(&text).unwrap_or_else(|_| age::x25519::Identity::generate())
}

pub fn public_key_string(key: &VerifyingKey) -> String {
    B64.encode(key.to_bytes())
}

pub fn parse_public_key(s: &str) -> Result<VerifyingKey, KeyError> {
    let bytes: [u8; 32] = B64
        .decode(s)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| KeyError::BadPublicKey(s.to_string()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::BadPublicKey(s.to_string()))
}

pub fn parse_age_recipient(s: &str) -> Result<age::x25519::Recipient, KeyError> {
    age::x25519::Recipient::from_str(s).map_err(|_| KeyError::BadAgeRecipient(s.to_string()))
}

/// A public key's fingerprint, short enough to read aloud over the phone: the first 80 bits of the
/// key's SHA-256 in Crockford base32, in four groups of four (`7KQX-M2PA-9R0C-T4VW`).
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.to_bytes());
    let mut bits: u128 = 0;
    for b in &digest[..10] {
        bits = bits << 8 | u128::from(*b);
    }
    let chars: Vec<char> =
        (0..16).rev().map(|i| CROCKFORD[((bits >> (5 * i)) & 31) as usize] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_sixteen_readable_characters() {
        let keys = DeviceKeys::generate([3u8; 64]);
        let fp = keys.fingerprint();
        assert_eq!(fp.len(), 19, "four groups of four and three dashes: {fp}");
        assert!(fp.chars().all(|c| c == '-' || CROCKFORD.contains(&(c as u8))), "no I, L, O or U to misread");
        assert_eq!(fp, fingerprint(&keys.signing.verifying_key()), "the fingerprint depends on the key only");
        assert_ne!(fp, DeviceKeys::generate([4u8; 64]).fingerprint(), "different keys read differently");
    }

    #[test]
    fn secrets_round_trip_through_their_strings() {
        let keys = DeviceKeys::generate([9u8; 64]);
        let (s, a) = keys.to_secret_strings();
        let back = DeviceKeys::from_secret_strings(&s, &a).expect("stored secrets read back");
        assert_eq!(back.public(), keys.public(), "the signing key survives");
        assert_eq!(back.age_recipient(), keys.age_recipient(), "the encryption key survives");
        assert!(DeviceKeys::from_secret_strings("nonsense", &a).is_err(), "damage is reported");
        let again = DeviceKeys::generate([9u8; 64]);
        assert_eq!(again.to_secret_strings(), (s, a), "the same randomness makes the same keys");
        assert!(again.age_recipient().starts_with("age1"), "a standard age recipient");
    }
}
