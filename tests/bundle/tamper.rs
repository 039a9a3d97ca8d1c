//! Every single-byte change of a signed bundle is refused, exhaustively, on the golden plain bundle:
//! each byte flipped (lowest bit, highest bit) and replaced by a JSON-significant printable
//! character, each byte deleted, a byte inserted before each byte, and the file cut at every length.
//! Each damaged file is refused both by the envelope reader (`rightsdesk_sync::envelope::open`,
//! with the error the byte's place in the file calls for) and by laptop B's full import, which must
//! write not a single row. The encrypted golden bundle gets every byte flipped and every cut too.
use crate::scenario::{ENCRYPTED, Office, PLAIN, fixture, import, ready_recipient};
use rightsdesk_sync::envelope::{self, EnvelopeError, PREFIX_LEN};
use std::time::Instant;

/// Printable characters that mean something to JSON, used as replacements.
const PRINTABLE: &[u8] = b" \"0}]:,\\aZ";

/// One damaged copy of a file.
struct Damaged {
    what: String,
    /// The position of the byte changed in place (`None` when a byte was deleted or inserted).
    at: Option<usize>,
    file: Vec<u8>,
}

/// Every single-byte change of `file`.
fn single_byte_changes(file: &[u8]) -> Vec<Damaged> {
    let mut out = Vec::with_capacity(file.len() * 5 + 1);
    for at in 0..file.len() {
        let printable = PRINTABLE.iter().cycle().skip(at % PRINTABLE.len()).find(|c| **c != file[at]);
        let printable = *printable.expect("PRINTABLE holds more than one character");
        for (what, b) in [
            (format!("byte {at} xor 0x01"), file[at] ^ 0x01),
            (format!("byte {at} xor 0x80"), file[at] ^ 0x80),
            (format!("byte {at} set to {:?}", printable as char), printable),
        ] {
            let mut damaged = file.to_vec();
            damaged[at] = b;
            out.push(Damaged { what, at: Some(at), file: damaged });
        }
        let mut deleted = file.to_vec();
        deleted.remove(at);
        out.push(Damaged { what: format!("byte {at} deleted"), at: None, file: deleted });
        let mut inserted = file.to_vec();
        inserted.insert(at, b' ');
        out.push(Damaged { what: format!("a space inserted before byte {at}"), at: None, file: inserted });
    }
    let mut appended = file.to_vec();
    appended.push(b' ');
    out.push(Damaged { what: "a space appended".into(), at: None, file: appended });
    out
}

/// Imports `damaged` into laptop B and asserts it is refused with one of `codes` and writes nothing.
fn assert_refused(b: &mut Office, damaged: &[u8], codes: &[&str], what: &str) {
    let rows = b.desk.rows_written();
    let err = import(b, damaged).expect_err(what);
    assert!(
        codes.contains(&err.code()),
        "{what}: refused as `{}` ({err}), expected one of {codes:?}",
        err.code()
    );
    assert_eq!(b.desk.rows_written(), rows, "{what}: a refused bundle writes not a single row");
}

#[test]
fn every_single_byte_change_of_the_golden_plain_bundle_is_refused() {
    let file = fixture(PLAIN);
    let (_clock, mut b) = ready_recipient();
    let before = b.desk.state_digest().expect("laptop B's digest");
    let sig = 8..96;
    let key = 105..149;
    let signed = PREFIX_LEN..file.len() - 2;
    let started = Instant::now();
    let changes = single_byte_changes(&file);
    for Damaged { what, at, file: damaged } in &changes {
        let err = envelope::open(damaged).expect_err(what);
        match at {
            Some(at) if signed.contains(at) => {
                assert_eq!(
                    err,
                    EnvelopeError::BadSignature,
                    "{what}: a change in the signed bytes fails the signature"
                )
            }
            Some(at) if sig.contains(at) || key.contains(at) => assert!(
                matches!(err, EnvelopeError::BadSignature | EnvelopeError::NotEnvelope),
                "{what}: a changed signature or key is a bad signature or a broken frame, not {err:?}"
            ),
            Some(_) => assert!(
                matches!(err, EnvelopeError::NotEnvelope | EnvelopeError::Truncated),
                "{what}: a change in the frame's fixed text breaks the frame, not {err:?}"
            ),
            None => {}
        }
        assert_refused(
            &mut b,
            damaged,
            &["bundle_bad_signature", "bundle_not_rightsdesk", "bundle_truncated"],
            what,
        );
    }
    eprintln!("{} single-byte changes refused in {:?}", changes.len(), started.elapsed());
    assert_eq!(b.desk.state_digest().expect("laptop B's digest"), before, "laptop B holds what it held");
    let report = import(&mut b, &file).expect("the undamaged file still imports into the same laptop B");
    assert_eq!(
        report.by_kind["activity"].new, 1,
        "so it was the damage, and only the damage, that was refused"
    );
}

#[test]
fn the_golden_plain_bundle_cut_at_any_length_is_refused() {
    let file = fixture(PLAIN);
    let (_clock, mut b) = ready_recipient();
    for len in 0..file.len() {
        let what = format!("the file cut to {len} bytes");
        let err = envelope::open(&file[..len]).expect_err(&what);
        let expected = if len == 0 { EnvelopeError::Empty } else { EnvelopeError::Truncated };
        assert_eq!(err, expected, "{what}: refused as {expected:?}");
        assert_refused(&mut b, &file[..len], &["bundle_truncated"], &what);
    }
}

#[test]
fn every_byte_of_the_golden_encrypted_bundle_is_protected() {
    let file = fixture(ENCRYPTED);
    let (_clock, mut b) = ready_recipient();
    let started = Instant::now();
    for at in 0..file.len() {
        let mut damaged = file.clone();
        damaged[at] ^= 0x01;
        let what = format!("encrypted bundle, byte {at} xor 0x01");
        assert_refused(
            &mut b,
            &damaged,
            &["bundle_truncated", "bundle_not_for_us", "bundle_not_rightsdesk", "bundle_bad_signature"],
            &what,
        );
    }
    for len in 0..file.len() {
        let what = format!("encrypted bundle cut to {len} bytes");
        assert_refused(&mut b, &file[..len], &["bundle_truncated"], &what);
    }
    eprintln!("{} damaged encrypted bundles refused in {:?}", 2 * file.len(), started.elapsed());
    import(&mut b, &file).expect("the undamaged encrypted file still imports into the same laptop B");
}
