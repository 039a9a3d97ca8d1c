//! The golden files in `tests/fixtures/bundle/`, written once by format version 1 and frozen.
//!
//! Two promises, tested separately:
//! - **they keep importing**, in this and every future version: the frozen files (never regenerated)
//!   are imported into laptop B, set up again from its seed, and what arrives is checked;
//! - **the writer has not changed**: the scenario is run again and must write the same bytes (the
//!   signed file inside the encrypted bundle is compared by its SHA-256, since age encryption is
//!   randomized).
use crate::scenario::{self, ENCRYPTED, ENROLMENT, PLAIN, REGISTRY, fixture, import, ready_recipient};
use rightsdesk_domain::ids::ActivityId;
use rightsdesk_domain::workflow::Status;
use rightsdesk_sync::bundle::{Bundle, Scope};
use rightsdesk_sync::digest::sha256_hex;

/// Laptop A's device id (the sender of both golden bundles).
pub const SENDER_DEVICE: &str = "01a1f8d3-ea00-740f-b14f-35d6be6f0bf5";
/// Laptop B's device id: the golden bundles are addressed to it.
pub const RECIPIENT_DEVICE: &str = "01a1f8d3-ea00-73b5-8783-7a3a54e739ab";
/// The number laptop A gave the case in the encrypted golden bundle.
pub const CASE_NUMBER: &str = "GJI-2026-B9QX-0001";

/// Says where two byte strings first differ, instead of printing thousands of numbers.
fn assert_same_bytes(written: &[u8], frozen: &[u8], what: &str) {
    if written == frozen {
        return;
    }
    let at = written.iter().zip(frozen).position(|(a, b)| a != b).unwrap_or(written.len().min(frozen.len()));
    let around =
        |b: &[u8]| String::from_utf8_lossy(&b[at.saturating_sub(40)..(at + 40).min(b.len())]).into_owned();
    panic!(
        "{what}: the writer no longer writes the frozen bytes (lengths {} and {}, first difference at byte \
         {at}).\n  written: …{}…\n  frozen:  …{}…\nA change of the format is a new format version with new \
         golden files, never a rewrite of these. If only ids or times moved (the scenario draws them in \
         another order), fix tests/bundle/scenario.rs, not the file (tests/fixtures/README.md).",
        written.len(),
        frozen.len(),
        around(written),
        around(frozen)
    );
}

#[test]
fn the_writer_still_writes_the_golden_files_byte_for_byte() {
    let written = scenario::write_all();
    scenario::bless_if_asked(&written);
    assert_same_bytes(&written.registry, &fixture(REGISTRY), "the central office's registry");
    assert_same_bytes(&written.enrolment, &fixture(ENROLMENT), "laptop B's enrolment request");
    assert_same_bytes(&written.plain, &fixture(PLAIN), "the plain bundle");

    let (_clock, b) = ready_recipient();
    let frozen =
        b.desk.check_bundle(&fixture(ENCRYPTED)).expect("laptop B decrypts and checks the frozen bundle");
    assert_eq!(
        frozen.hash, written.encrypted_export.hash,
        "the signed file inside the encrypted bundle is written byte for byte as when it was frozen"
    );
    assert!(written.encrypted_export.encrypted, "the second bundle is encrypted: it carries a case");
}

#[test]
fn laptop_b_is_set_up_again_with_the_same_identity() {
    let (_clock, b) = ready_recipient();
    assert_eq!(
        b.desk.profile().device_id.to_string(),
        RECIPIENT_DEVICE,
        "Desk::setup with IdGen::seeded({}) no longer gives laptop B its device id: the golden bundles are \
         addressed to that id and encrypted to that seed's key, so set-up from a seed must stay as it was \
         (or this test must rebuild laptop B another way); never regenerate the golden files",
        scenario::RECIPIENT_SEED
    );
}

#[test]
fn the_golden_plain_bundle_imports() {
    let (_clock, mut b) = ready_recipient();
    let file = fixture(PLAIN);
    let report = import(&mut b, &file).expect("the frozen plain bundle imports into laptop B");
    assert!(report.applied, "the import was written: {report:?}");
    assert!(!report.encrypted, "the golden plain bundle travels unencrypted");
    assert_eq!(report.sender.to_string(), SENDER_DEVICE, "it comes from laptop A");
    assert_eq!((report.seq, report.n), (1, 1), "laptop A's first bundle, and its first to laptop B");
    assert_eq!(report.scope, Scope::Incremental, "an incremental bundle");
    assert_eq!(report.by_kind.len(), 1, "it carries only an activity: {:?}", report.by_kind);
    assert_eq!(report.by_kind["activity"].new, 1, "one new activity: {report:?}");
    assert!(report.conflicts.is_empty(), "nothing to resolve: {:?}", report.conflicts);
    assert!(report.rejected.is_empty(), "nothing rejected: {:?}", report.rejected);
    assert!(report.missing.is_empty(), "no bundle from laptop A is missing");

    let (_, bundle) = Bundle::open(&file).expect("the golden plain bundle reads");
    let id = ActivityId(bundle.changes[0].record);
    let arrived = b.desk.activity_detail(id).expect("the outreach meeting is on laptop B").activity;
    assert_eq!(
        arrived.draft,
        scenario::outreach(),
        "every field of the meeting arrives as laptop A entered it"
    );
    assert_eq!(arrived.device_id.to_string(), SENDER_DEVICE, "it is shown as written on laptop A");
    assert!(b.desk.conflicts().expect("the conflict queue").is_empty(), "the conflict queue stays empty");
}

#[test]
fn the_golden_encrypted_bundle_imports_after_the_plain_one() {
    let (_clock, mut b) = ready_recipient();
    import(&mut b, &fixture(PLAIN)).expect("the frozen plain bundle imports first");
    let report = import(&mut b, &fixture(ENCRYPTED)).expect("the frozen encrypted bundle imports next");
    assert!(report.applied && report.encrypted, "the encrypted bundle was decrypted and written: {report:?}");
    assert_eq!((report.seq, report.n), (2, 2), "laptop A's second bundle, its second to laptop B");
    assert_eq!(report.by_kind["case"].new, 1, "one new case: {report:?}");
    assert_eq!(report.by_kind["act"].new, 1, "its one act");
    assert_eq!(report.by_kind["entry"].new, 1, "its `opened` timeline entry");
    assert_eq!(
        report.by_kind["activity"].unchanged, 1,
        "the meeting came again (laptop B had not acknowledged it) and changed nothing"
    );
    assert!(report.conflicts.is_empty() && report.rejected.is_empty(), "nothing to resolve: {report:?}");
    assert!(report.missing.is_empty(), "bundles 1 and 2 both arrived");

    let id = b.desk.case_by_number(CASE_NUMBER).expect("finding by number").expect("the case is on laptop B");
    let case = b.desk.case_detail(id).expect("the case's detail");
    let mut expected = scenario::case();
    expected.acts[0].id = case.case.draft.acts[0].id;
    assert_eq!(case.case.draft, expected, "every field of the case and its act arrives as entered");
    assert_eq!(case.case.number, CASE_NUMBER, "the case keeps the number laptop A gave it");
    assert_eq!(case.case.municipality, "gjilan", "and its municipality");
    assert_eq!(case.case.status, Status::New, "and its status");
    assert_eq!(case.timeline.len(), 1, "the timeline holds the `opened` entry");
    assert!(b.desk.conflicts().expect("the conflict queue").is_empty(), "the conflict queue stays empty");
}

#[test]
fn the_golden_encrypted_bundle_imports_alone_and_shows_the_plain_one_missing() {
    let (_clock, mut b) = ready_recipient();
    let report = import(&mut b, &fixture(ENCRYPTED)).expect("the frozen encrypted bundle imports on its own");
    assert_eq!(report.missing, vec![1], "bundle 1 from laptop A is shown as missing");
    assert_eq!(report.by_kind["activity"].new, 1, "the meeting still arrives: it was not acknowledged");
    assert_eq!(report.by_kind["case"].new, 1, "and the case");
    let err = import(&mut b, &fixture(PLAIN)).expect_err("the older bundle after the newer one");
    assert_eq!(err.code(), "bundle_older", "its changes came with bundle 2: {err}");
}

#[test]
fn the_golden_bundles_form_a_series() {
    let (_clock, b) = ready_recipient();
    let plain = fixture(PLAIN);
    let second = b.desk.check_bundle(&fixture(ENCRYPTED)).expect("laptop B decrypts the encrypted bundle");
    assert_eq!(
        second.bundle.prev.as_deref(),
        Some(sha256_hex(&plain).as_str()),
        "bundle 2's `prev` is the SHA-256 of bundle 1's whole file"
    );
    assert_eq!(second.bundle.seq, 2, "and its `seq` is one more");
    let (_, first) = Bundle::open(&plain).expect("the golden plain bundle reads");
    assert_eq!((first.seq, first.prev), (1, None), "a sender's first bundle has no `prev`");
}
