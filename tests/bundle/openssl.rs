//! The signature of a Rightsdesk file checked by a tool that is not ours: OpenSSL 3, following only
//! `docs/bundle-format.md` (section 3: the parts cut out by byte offset, the raw Ed25519 key wrapped
//! as a SubjectPublicKeyInfo with the fixed DER prefix, `openssl pkeyutl -verify -rawin`).
use crate::markdown::{block, spec};
use crate::scenario::{ENROLMENT, PLAIN, REGISTRY, fixture};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::Path;
use std::process::{Command, Output};

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (section 13.3), before the 32 key bytes.
const ED25519_SPKI_PREFIX: [u8; 12] =
    [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

fn require_openssl() {
    let found = Command::new("openssl").arg("version").output();
    let version = match found {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        _ => panic!(
            "`openssl` is not installed: `scripts/setup --test` installs it. The bundle signature must be \
             checked by a tool that is not ours"
        ),
    };
    assert!(
        version.starts_with("OpenSSL 3"),
        "the verification needs OpenSSL 3 (for -rawin), found {version}"
    );
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Runs the document's own command lines (section 13.3) with bash in `dir`.
fn run_documented_script(dir: &Path) -> Output {
    let script = block(&spec(), "verify-script: v1-plain.rdbundle");
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(dir)
        .output()
        .expect("running bash")
}

#[test]
fn openssl_verifies_the_golden_bundle_with_the_documents_own_commands() {
    require_openssl();
    let dir = tempfile::tempdir().expect("a working folder");
    std::fs::write(dir.path().join(PLAIN), fixture(PLAIN)).expect("copying the golden file");
    let out = run_documented_script(dir.path());
    assert!(out.status.success(), "the documented commands succeed on the golden file:\n{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        block(&spec(), "verify-output: v1-plain.rdbundle"),
        "they print what section 13.3 says they print"
    );
    let pem = std::fs::read_to_string(dir.path().join("key.pem")).expect("the commands wrote key.pem");
    assert_eq!(pem, block(&spec(), "key-pem: v1-plain.rdbundle"), "key.pem is the one section 13.3 shows");
}

#[test]
fn the_documents_commands_fail_on_a_bundle_with_one_byte_changed() {
    require_openssl();
    let file = fixture(PLAIN);
    // One byte in the signed content (a digit of the attendance), one in the signature, one in the key.
    let digit = file.windows(9).position(|w| w == b"\"female\":").expect("the attendance") + 9;
    for at in [digit, 8 + 40, 105 + 20] {
        let mut changed = file.clone();
        changed[at] = if changed[at] == b'8' { b'7' } else { b'8' };
        let dir = tempfile::tempdir().expect("a working folder");
        std::fs::write(dir.path().join(PLAIN), &changed).expect("writing the changed copy");
        let out = run_documented_script(dir.path());
        assert!(
            !out.status.success(),
            "byte {at} changed: the documented commands must fail:\n{}",
            text(&out)
        );
        assert!(
            text(&out).contains("Signature Verification Failure"),
            "byte {at} changed: OpenSSL says the signature fails:\n{}",
            text(&out)
        );
    }
}

/// Verifies `file` with OpenSSL, cutting it up in Rust by the document's offsets.
fn openssl_verifies(file: &[u8], dir: &Path) -> (bool, String) {
    assert_eq!(&file[..8], br#"{"sig":""#, "bytes 0–7 (section 3.1)");
    assert_eq!(&file[96..105], br#"","key":""#, "bytes 96–104");
    assert_eq!(&file[149..160], br#"","signed":"#, "bytes 149–159");
    assert_eq!(&file[file.len() - 2..], b"}\n", "the last two bytes");
    let sig = B64.decode(&file[8..96]).expect("bytes 8–95 are base64");
    let key = B64.decode(&file[105..149]).expect("bytes 105–148 are base64");
    assert_eq!((sig.len(), key.len()), (64, 32), "a 64-byte signature and a 32-byte key");
    let der: Vec<u8> = ED25519_SPKI_PREFIX.iter().copied().chain(key).collect();
    let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", B64.encode(der));
    std::fs::write(dir.join("key.pem"), pem).expect("writing key.pem");
    std::fs::write(dir.join("sig.bin"), sig).expect("writing sig.bin");
    std::fs::write(dir.join("signed.bin"), &file[160..file.len() - 2]).expect("writing signed.bin");
    let out = Command::new("openssl")
        .args(["pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in", "signed.bin"])
        .args(["-sigfile", "sig.bin"])
        .current_dir(dir)
        .output()
        .expect("running openssl");
    (out.status.success(), text(&out))
}

#[test]
fn openssl_verifies_every_golden_signed_file_and_refuses_changed_content() {
    require_openssl();
    let dir = tempfile::tempdir().expect("a working folder");
    for name in [PLAIN, REGISTRY, ENROLMENT] {
        let file = fixture(name);
        let (ok, said) = openssl_verifies(&file, dir.path());
        assert!(
            ok && said.contains("Signature Verified Successfully"),
            "{name}: OpenSSL verifies it:\n{said}"
        );
        // A sample of one-byte changes spread over the signed bytes (the exhaustive test is ours).
        for at in (160..file.len() - 2).step_by(331).chain([160, file.len() - 3]) {
            let mut changed = file.clone();
            changed[at] ^= 0x01;
            let (ok, said) = openssl_verifies(&changed, dir.path());
            assert!(
                !ok && said.contains("Signature Verification Failure"),
                "{name}, byte {at} changed: OpenSSL refuses the signature:\n{said}"
            );
        }
    }
}
