//! Encryption of bundles to their recipients with age (<https://age-encryption.org/v1>), X25519
//! recipients taken from the trust registry. The signed envelope is encrypted whole, so a lost USB
//! stick shows nothing but the age header.
use crate::envelope::MAX_FILE_BYTES;
use std::io::{Read as _, Write as _};

/// How every age file begins.
pub const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CryptError {
    #[error("the bundle is encrypted for other offices, not for this one")]
    NotForUs,
    #[error("the encrypted bundle is damaged or cut off")]
    Damaged,
    #[error("the decrypted bundle is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("there is no one to encrypt the bundle to")]
    NoRecipients,
}

/// Whether the file is an age file, or the start of one cut short (which then fails to decrypt as
/// damaged, not as "not a Rightsdesk file").
pub fn is_encrypted(file: &[u8]) -> bool {
    file.starts_with(AGE_MAGIC) || (!file.is_empty() && AGE_MAGIC.starts_with(file))
}

pub fn encrypt(plain: &[u8], recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>, CryptError> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|_| CryptError::NoRecipients)?;
    let mut out = Vec::with_capacity(plain.len() + 1024);
    let mut writer = encryptor.wrap_output(&mut out).map_err(|_| CryptError::Damaged)?;
    writer.write_all(plain).map_err(|_| CryptError::Damaged)?;
    writer.finish().map_err(|_| CryptError::Damaged)?;
    Ok(out)
}

/// Decrypts with this device's identity, reading at most [`MAX_FILE_BYTES`] of plaintext.
pub fn decrypt(file: &[u8], identity: &age::x25519::Identity) -> Result<Vec<u8>, CryptError> {
    let decryptor = age::Decryptor::new(file).map_err(|_| CryptError::Damaged)?;
    let reader = decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => CryptError::NotForUs,
        _ => CryptError::Damaged,
    })?;
    let mut out = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut out).map_err(|_| CryptError::Damaged)?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(CryptError::TooLarge { limit: MAX_FILE_BYTES });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_recipient_can_read_a_bundle() {
        let ours = age::x25519::Identity::generate();
        let theirs = age::x25519::Identity::generate();
        let file = encrypt(b"{\"secret\":1}", &[ours.to_public()]).expect("encrypts");
        assert!(is_encrypted(&file), "an age file starts with the age magic line");
        assert_eq!(decrypt(&file, &ours).expect("the recipient decrypts"), b"{\"secret\":1}");
        assert_eq!(decrypt(&file, &theirs), Err(CryptError::NotForUs), "others are told it is not for them");
        assert_eq!(
            decrypt(&file[..file.len() - 3], &ours),
            Err(CryptError::Damaged),
            "a cut file is damaged"
        );
        assert_eq!(encrypt(b"x", &[]), Err(CryptError::NoRecipients));
    }
}
