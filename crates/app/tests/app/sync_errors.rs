//! Every kind of bad bundle is refused with its own code and changes nothing.
//!
//! A refusal that happens before the import's transaction opens (the file, its encryption, its
//! signature, its signer, its addressee, the sender's series, holes in the changes) must not write a
//! single row, not even one rolled back (`rows_written`); one that happens while merging (a record the
//! domain refuses) rolls back whole: same state digest, same row counts, same import history.
//!
//! Bundles that the app itself would never write are forged with the sync crate: the bundle a unit
//! really exported is decrypted with the central office's key (read from its database, as only a test
//! may), changed, signed again with the unit's own key (likewise) and encrypted again. So every
//! check after the signature's is reached with a signature that is valid and a signer that is trusted.
use super::support::{Office, act, case_draft, training};
use super::sync_support::{
    Network, bundle_to, device_of, digest, encrypt_to, export, import, keys_of, open_bundle, plain_to,
    preview, restored_copy, seal_bundle,
};
use rightsdesk_app::AppError;
use rightsdesk_app::sync::SyncError;
use rightsdesk_app::sync::bundles::{self, ExportRequest};
use rightsdesk_domain::case::CaseDraft;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_store::stats::Counts;
use rightsdesk_sync::bundle::Bundle;
use rightsdesk_sync::merge::DELETED;
use rightsdesk_sync::{Action, Change, ChangeRef, Kind, crypt, envelope};
use serde_json::{Value, json};
use uuid::Uuid;

/// What an office holds, as anyone using it could notice.
#[derive(Debug, PartialEq)]
struct Held {
    digest: String,
    counts: Counts,
    imported: usize,
    conflicts: u64,
}

fn held(office: &Office) -> Held {
    Held {
        digest: digest(office),
        counts: office.counts(),
        imported: office.desk.import_history().expect("reading the import history").len(),
        conflicts: office.desk.conflict_count().expect("counting conflicts"),
    }
}

/// Checks `file` is refused with `code` before the import's transaction opens: by the preview and
/// by the import alike, leaving the data as it was and without writing a single row.
fn refused_early(office: &mut Office, file: &[u8], code: &str, why: &str) -> AppError {
    let before = held(office);
    let rows = office.desk.rows_written();
    let shown = preview(office, file).expect_err(why);
    assert_eq!(shown.code(), code, "{why}: the preview refuses it with its own code ({shown})");
    let err = import(office, file).expect_err(why);
    assert_eq!(err.code(), code, "{why}: the import refuses it with its own code ({err})");
    assert_eq!(
        office.desk.rows_written(),
        rows,
        "{why}: it is refused before anything is written, so not a row was written, not even one rolled back"
    );
    assert_eq!(held(office), before, "{why}: the office's data is exactly as it was");
    err
}

/// Checks `file` is refused whole with `code`: whatever the import began to write is rolled back.
fn refused_whole(office: &mut Office, file: &[u8], code: &str, why: &str) -> AppError {
    let before = held(office);
    let err = import(office, file).expect_err(why);
    assert_eq!(err.code(), code, "{why}: the import refuses it with its own code ({err})");
    assert_eq!(held(office), before, "{why}: a refused bundle is not applied in part: nothing of it stays");
    err
}

/// A central office and `n` enrolled units of Gjilan, each holding the latest registry.
fn offices(n: usize) -> (Office, Vec<Office>) {
    let Network { central, units, .. } = Network::new(&vec!["gjilan"; n]);
    (central, units)
}

fn open_case(office: &mut Office, name: &str) -> CaseId {
    office.desk.create_case(case_draft(name)).expect("opening a valid case").case.id
}

/// A unit's activity: data a plain (unencrypted) bundle may carry.
fn record_training(office: &mut Office, title: &str) {
    office.desk.save_activity(None, training(title, "gjilan")).expect("recording a valid training");
}

/// `bundle` signed again by `signer` (whose keys the test read from its database) and encrypted to
/// `to`: a forgery only a registered device could make.
fn resign(bundle: &Bundle, signer: &Office, to: &Office) -> Vec<u8> {
    seal_bundle(bundle, &keys_of(signer), Some(to))
}

/// `signed` (any bytes) in a signed envelope of `signer`'s, encrypted to `to`.
fn seal_bytes(signed: &[u8], signer: &Office, to: &Office) -> Vec<u8> {
    encrypt_to(&envelope::seal(signed, &keys_of(signer).signing), to)
}

/// A `set` of `field` of `record` to `value` appended to `bundle` as its sender's next change,
/// superseding what the bundle holds of that field (or the record's `create`).
fn append_set(bundle: &mut Bundle, kind: Kind, record: Uuid, field: &str, value: Value) -> ChangeRef {
    let sender = bundle.sender;
    let n = bundle.changes.iter().filter(|c| c.origin == sender).map(|c| c.n).max().unwrap_or(0) + 1;
    let of_record: Vec<&Change> = bundle.changes.iter().filter(|c| c.record == record).collect();
    let pred = of_record
        .iter()
        .filter(|c| c.action == Action::Set && c.field.as_deref() == Some(field))
        .map(|c| c.id())
        .max()
        .or_else(|| of_record.iter().find(|c| c.action == Action::Create).map(|c| c.id()))
        .expect("the bundle carries the record it changes");
    let change = Change {
        origin: sender,
        n,
        at: bundle.created,
        kind,
        record,
        action: Action::Set,
        fields: None,
        field: Some(field.to_string()),
        value,
        preds: vec![pred],
    };
    let id = change.id();
    bundle.changes.push(change);
    bundle.have.insert(sender, n);
    id
}

/// The record of the only `create` of `kind` in `bundle`.
fn created(bundle: &Bundle, kind: Kind) -> Uuid {
    let mut records =
        bundle.changes.iter().filter(|c| c.kind == kind && c.action == Action::Create).map(|c| c.record);
    let record = records.next().expect("the bundle creates such a record");
    assert!(records.next().is_none(), "the bundle creates only one {}", kind.as_str());
    record
}

// ---------------------------------------------------------------------------------------------------
// Files that are not (whole) bundles
// ---------------------------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_refused_as_cut_off() {
    let (mut central, _) = offices(1);
    refused_early(&mut central, b"", "bundle_truncated", "an empty file: a copy that never started");
}

#[test]
fn a_plain_bundle_cut_anywhere_is_refused_as_cut_off() {
    let (mut central, mut units) = offices(1);
    record_training(&mut units[0], "Law 05/L-021");
    let file = plain_to(&mut units[0], &central);
    assert!(!crypt::is_encrypted(&file), "a bundle of activities only may travel unencrypted");
    let len = file.len();
    let p = envelope::PREFIX_LEN;
    for cut in [8, 9, 40, p - 1, p, p + 1, p + 2, len / 2, len - 3, len - 2, len - 1] {
        let why = format!("a plain bundle cut after {cut} of its {len} bytes");
        refused_early(&mut central, &file[..cut], "bundle_truncated", &why);
    }
    import(&mut central, &file).expect("the whole file still imports: the cut copies left no trace");
}

#[test]
fn an_encrypted_bundle_cut_anywhere_is_refused_as_cut_off() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let file = bundle_to(&mut units[0], &central);
    assert!(crypt::is_encrypted(&file), "a bundle with case data is encrypted");
    let len = file.len();
    let magic = crypt::AGE_MAGIC.len();
    for cut in [magic, magic + 1, 60, 150, len / 2, len - 17, len - 2, len - 1] {
        let why = format!("an encrypted bundle cut after {cut} of its {len} bytes");
        refused_early(&mut central, &file[..cut], "bundle_truncated", &why);
    }
    import(&mut central, &file).expect("the whole file still imports: the cut copies left no trace");
}

#[test]
fn a_file_cut_in_its_first_bytes_is_refused_as_cut_off() {
    let (mut central, mut units) = offices(1);
    record_training(&mut units[0], "Law 05/L-021");
    let plain = plain_to(&mut units[0], &central);
    open_case(&mut units[0], "Drita Krasniqi");
    let encrypted = bundle_to(&mut units[0], &central);
    for cut in 1..8 {
        let why = format!("a plain bundle cut after {cut} bytes, in its opening `{{\"sig\":\"`");
        refused_early(&mut central, &plain[..cut], "bundle_truncated", &why);
    }
    for cut in 1..crypt::AGE_MAGIC.len() {
        let why = format!("an encrypted bundle cut after {cut} bytes, in its age magic line");
        refused_early(&mut central, &encrypted[..cut], "bundle_truncated", &why);
    }
}

#[test]
fn a_changed_byte_in_an_encrypted_bundle_is_refused_as_damaged() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let file = bundle_to(&mut units[0], &central);
    for at in [file.len() / 2, file.len() - 20, file.len() - 1] {
        let mut changed = file.clone();
        changed[at] ^= 0x01;
        let why = format!("an encrypted bundle with byte {at} of its payload changed");
        refused_early(&mut central, &changed, "bundle_truncated", &why);
    }
    import(&mut central, &file).expect("the undamaged file imports");
}

#[test]
fn a_file_that_is_not_json_is_refused_as_not_a_rightsdesk_file() {
    let (mut central, _) = offices(1);
    let files: [(&str, &[u8]); 4] = [
        ("a PNG image", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10"),
        ("a ZIP archive", b"PK\x03\x04\x14\0\0\0\x08\0"),
        ("a plain-text e-mail", b"Dear colleague,\nplease find the bundle attached.\n"),
        ("binary noise", &[0xff, 0x00, 0x7b, 0x22, 0x13, 0x37, 0xfe, 0x0a]),
    ];
    for (what, file) in files {
        refused_early(&mut central, file, "bundle_not_rightsdesk", what);
    }
}

#[test]
fn a_json_file_that_is_not_a_signed_envelope_is_refused_as_not_a_rightsdesk_file() {
    let (mut central, _) = offices(1);
    let unsigned = br#"{"format":"rightsdesk-bundle/1","sender":"x","changes":[]}"#.to_vec();
    let short = b"{\"sig\":\"abc\",\"key\":\"def\",\"signed\":{}}\n".to_vec();
    // The envelope's shape at its full length, but the key is not where the frame puts it.
    let mut misframed = br#"{"sig":""#.to_vec();
    misframed.extend(std::iter::repeat_n(b'A', 86));
    misframed.extend_from_slice(br#"==","signed":{"format":"rightsdesk-bundle/1","padding":""#);
    misframed.extend(std::iter::repeat_n(b'x', 80));
    misframed.extend_from_slice(b"\"}}\n");
    let files = [
        ("a JSON bundle without its signed envelope", unsigned),
        ("a JSON array", b"[1,2,3]\n".to_vec()),
        ("an envelope-like object too short to hold a signature and a key", short),
        ("an envelope-like object without its key", misframed),
    ];
    for (what, file) in files {
        refused_early(&mut central, &file, "bundle_not_rightsdesk", what);
    }
}

#[test]
fn another_signed_rightsdesk_document_is_refused_as_the_wrong_document() {
    let (mut central, mut units) = offices(1);
    let registry = central.desk.registry_file().expect("the central office's registry");
    refused_early(&mut units[0], &registry, "bundle_wrong_document", "the trust registry given as a bundle");
    let request = units[0].desk.enrolment_request().expect("an enrolment request");
    refused_early(&mut central, &request, "bundle_wrong_document", "an enrolment request given as a bundle");
}

#[test]
fn signed_content_that_is_not_a_bundle_is_refused_as_malformed() {
    let (mut central, mut units) = offices(1);
    let unit = &units[0];
    let cases: [(&str, &[u8]); 3] = [
        ("a signed bundle header without its fields", br#"{"format":"rightsdesk-bundle/1","sender":"x"}"#),
        ("signed bytes that are not JSON", b"{format: rightsdesk-bundle/1}"),
        ("signed bytes that are a JSON array, not an object", b"[1,2,3]"),
    ];
    for (what, signed) in cases {
        let file = seal_bytes(signed, unit, &central);
        refused_early(&mut central, &file, "bundle_malformed", what);
    }
    // Still signed by a trusted key, but the bundle's shape is off: an unknown field.
    let mut b = open_bundle(&bundle_to(&mut units[0], &central), &central);
    b.changes.clear();
    let mut value = serde_json::to_value(&b).expect("a bundle is JSON");
    value["attachments"] = json!([]);
    let signed = serde_json::to_vec(&value).expect("serializing JSON");
    let file = seal_bytes(&signed, &units[0], &central);
    refused_early(
        &mut central,
        &file,
        "bundle_malformed",
        "a `rightsdesk-bundle/1` with a field it does not have",
    );
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let (central, _) = offices(1);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let path = tmp.path().join("huge.rdbundle");
    let file = std::fs::File::create(&path).expect("creating a file");
    // Sparse: no disk space and no memory is used unless something reads it.
    file.set_len(envelope::MAX_FILE_BYTES + 1).expect("making the file one byte too large");
    drop(file);
    let before = (held(&central), central.desk.rows_written());
    let err = bundles::read_file(&path).expect_err("a file over the limit");
    assert_eq!(err.code(), "bundle_too_large", "the officer is told the file is too large: {err}");
    assert_eq!((held(&central), central.desk.rows_written()), before, "nothing was written anywhere");

    let normal = tmp.path().join("normal.rdbundle");
    std::fs::write(&normal, b"{}").expect("writing a small file");
    assert_eq!(bundles::read_file(&normal).expect("a small file is read"), b"{}", "and read whole");
}

#[test]
fn deeply_nested_content_is_refused_before_it_is_parsed() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let mut b = open_bundle(&bundle_to(&mut units[0], &central), &central);
    let case = created(&b, Kind::Case);
    // {bundle {changes [ {change {fields { "x": [[[...]]] }}}]}}: 3 levels before the value's own.
    let mut deep = json!("bottom");
    for _ in 0..envelope::MAX_DEPTH {
        deep = Value::Array(vec![deep]);
    }
    append_set(&mut b, Kind::Case, case, "notes", deep);
    let forgery = resign(&b, &units[0], &central);
    refused_early(&mut central, &forgery, "bundle_too_deep", "a value nested 12 deep");

    // A bomb of brackets in a signed file: refused by the byte scan, before any parser allocates.
    let bomb = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let file = seal_bytes(bomb.as_bytes(), &units[0], &central);
    refused_early(&mut central, &file, "bundle_too_deep", "100,000 nested arrays");
}

// ---------------------------------------------------------------------------------------------------
// Signature, signer and addressee
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_plain_bundle_with_one_byte_changed_in_its_signed_part_is_refused_as_badly_signed() {
    let (mut central, mut units) = offices(1);
    record_training(&mut units[0], "Law 05/L-021");
    let file = plain_to(&mut units[0], &central);
    let p = envelope::PREFIX_LEN;
    let end = file.len() - 2;
    let text = String::from_utf8(file.clone()).expect("a plain bundle is UTF-8 JSON");
    let title_at = text.find("Law 05/L-021").expect("the training's title is in the signed bytes");
    let seq_at = text[p..].find("\"seq\":").map(|i| p + i + 6).expect("the bundle's number");
    for (at, what) in [
        (p, "its first signed byte"),
        (seq_at, "its bundle number"),
        (title_at + 4, "a letter of the training's title"),
        (file.len() / 2, "a byte in the middle"),
        (end - 1, "its last signed byte"),
    ] {
        for new in [file[at] ^ 0x01, b' '] {
            if new == file[at] {
                continue;
            }
            let mut changed = file.clone();
            changed[at] = new;
            let why = format!("{what} (byte {at}) changed from {:?} to {:?}", file[at] as char, new as char);
            refused_early(&mut central, &changed, "bundle_bad_signature", &why);
        }
    }
    import(&mut central, &file).expect("the unchanged file imports");
}

#[test]
fn a_bundle_encrypted_to_another_office_is_not_for_us() {
    let (central, mut units) = offices(2);
    let (mut a, mut b) = (units.remove(0), units.remove(0));
    open_case(&mut a, "Drita Krasniqi");
    let to_central = bundle_to(&mut a, &central);
    refused_early(
        &mut b,
        &to_central,
        "bundle_not_for_us",
        "a bundle encrypted to the central office, given to B",
    );
}

#[test]
fn a_plain_bundle_addressed_to_another_office_is_not_for_us() {
    let (central, mut units) = offices(2);
    let (mut a, mut b) = (units.remove(0), units.remove(0));
    record_training(&mut a, "Law 05/L-021");
    let to_central = plain_to(&mut a, &central);
    let err = refused_early(
        &mut b,
        &to_central,
        "bundle_not_for_us",
        "a plain bundle addressed to the central office",
    );
    assert!(
        matches!(err, AppError::Sync(SyncError::NotForUs)),
        "B reads it (it is plain) but is not named: {err:?}"
    );
}

#[test]
fn a_bundle_signed_by_a_device_enrolled_nowhere_is_from_an_unknown_signer() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let mut b = open_bundle(&bundle_to(&mut units[0], &central), &central);
    let stranger = Office::with_clock(7001, "gjilan", central.clock.clone());
    b.sender = device_of(&stranger);
    b.changes.clear();
    b.have.clear();
    let file = resign(&b, &stranger, &central);
    let err = refused_early(&mut central, &file, "bundle_unknown_signer", "a laptop that never enrolled");
    let fingerprint = stranger.desk.identity().expect("its identity").fingerprint;
    assert!(err.to_string().contains(&fingerprint), "the refusal names the signer's fingerprint: {err}");

    // A key the test made, never part of any installation, is just as unknown.
    let made = rightsdesk_sync::keys::DeviceKeys::generate([42u8; 64]);
    let file = seal_bundle(&b, &made, Some(&central));
    refused_early(&mut central, &file, "bundle_unknown_signer", "a key no installation holds");
}

#[test]
fn a_bundle_from_a_device_missing_from_this_offices_registry_is_refused_until_the_registry_lists_it() {
    let (mut central, mut units) = offices(1);
    let mut a = units.remove(0);
    // C enrols after A received its registry: C knows A, but A's registry does not list C.
    let mut c = Office::with_clock(2500, "gjilan", central.clock.clone());
    central.desk.approve(&c.desk.enrolment_request().expect("C's request")).expect("approving C");
    let registry = central.desk.registry_file().expect("the registry listing C");
    let fp = central.desk.identity().expect("central's identity").fingerprint;
    c.desk.import_registry(&registry, Some(&fp)).expect("C imports the registry");
    open_case(&mut c, "Besa Morina");
    let file = bundle_to(&mut c, &a);
    refused_early(&mut a, &file, "bundle_unknown_signer", "a bundle from C before A's registry lists C");

    assert!(a.desk.import_registry(&registry, None).expect("A imports the newer registry"), "it is newer");
    let r = import(&mut a, &file).expect("the same bundle imports once the registry lists its signer");
    assert_eq!(r.by_kind["case"].new, 1, "C's case arrives: {r:?}");
    assert_eq!(digest(&a), digest(&c), "A now holds what C sent");
}

#[test]
fn a_bundle_whose_sender_is_not_its_signer_is_refused() {
    let (mut central, mut units) = offices(2);
    open_case(&mut units[0], "Drita Krasniqi");
    let mut b = open_bundle(&bundle_to(&mut units[0], &central), &central);
    // Signed with A's key, but claiming to come from laptop B.
    b.sender = device_of(&units[1]);
    let file = resign(&b, &units[0], &central);
    let err =
        refused_early(&mut central, &file, "bundle_unknown_signer", "A's signature on a bundle that says B");
    assert!(matches!(err, AppError::Sync(SyncError::SignerMismatch { .. })), "{err:?}");
}

#[test]
fn a_revoked_device_is_refused_after_its_revocation_point_and_accepted_up_to_it() {
    let (mut central, mut units) = offices(2);
    let (mut a, mut b) = (units.remove(0), units.remove(0));
    let first = open_case(&mut a, "Drita Krasniqi");
    let to_b = bundle_to(&mut a, &b); // seq 1, travelling slowly
    a.tick();
    open_case(&mut a, "Besa Morina");
    let to_central = bundle_to(&mut a, &central); // seq 2
    import(&mut central, &to_central).expect("the central office imports A's bundle 2");

    central.tick();
    let revoked = central.desk.revoke(device_of(&a), "laptop stolen").expect("the coordinator revokes A");
    let r = revoked.revoked.expect("the registry entry is revoked");
    assert_eq!(r.after_seq, 2, "bundles up to the last one imported from A stay valid");

    a.tick();
    open_case(&mut a, "Arta Hoxha");
    let after = bundle_to(&mut a, &central); // seq 3
    let err =
        refused_early(&mut central, &after, "bundle_revoked_signer", "A's bundle 3, after its revocation");
    assert!(matches!(err, AppError::Sync(SyncError::RevokedSigner { after_seq: 2, .. })), "{err:?}");

    // The revocation reaches laptop B with the central office's next bundle.
    let news = bundle_to(&mut central, &b);
    let r = import(&mut b, &news).expect("B imports the central office's bundle");
    assert!(r.registry_updated, "the bundle carried the registry that revokes A");
    let to_b_later = bundle_to(&mut a, &b); // seq 4
    refused_early(
        &mut b,
        &to_b_later,
        "bundle_revoked_signer",
        "A's bundle 4 at B, once B knows of the revocation",
    );
    let r = import(&mut b, &to_b).expect("A's bundle 1, written before the revocation, still imports at B");
    assert!(r.applied, "a bundle numbered up to the revocation point is accepted: {r:?}");
    assert!(
        b.desk.case_detail(first).is_ok(),
        "B holds A's first case (it also came through the central office)"
    );
}

#[test]
fn an_office_without_a_registry_refuses_every_bundle() {
    let (central, mut units) = offices(1);
    let mut lone = Office::with_clock(7002, "gjilan", central.clock.clone());
    record_training(&mut units[0], "Law 05/L-021");
    let file = plain_to(&mut units[0], &central);
    refused_early(&mut lone, &file, "registry_missing", "an office that has not imported a registry yet");
}

#[test]
fn a_device_importing_its_own_bundle_is_told_so() {
    let (central, mut units) = offices(1);
    record_training(&mut units[0], "Law 05/L-021");
    let file = plain_to(&mut units[0], &central);
    refused_early(&mut units[0], &file, "bundle_own", "the unit imports the plain bundle it just wrote");
}

#[test]
fn a_bundle_with_case_data_cannot_be_exported_plain() {
    let (central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let before = (held(&units[0]), units[0].desk.rows_written());
    let req = ExportRequest { to: Network::device(&central), full: false, plain: true };
    let err = export(&mut units[0], req).expect_err("case data never travels unencrypted");
    assert_eq!(err.code(), "bundle_plain_refused", "{err}");
    assert_eq!((held(&units[0]), units[0].desk.rows_written()), before, "no bundle was recorded as sent");
    let overview = units[0].desk.sync_overview().expect("the sync overview");
    assert!(overview.sent.is_empty(), "the refused export is not in the list of bundles sent");
}

// ---------------------------------------------------------------------------------------------------
// The sender's series: replayed, older, forked
// ---------------------------------------------------------------------------------------------------

#[test]
fn the_same_bundle_twice_is_replayed_and_writes_no_rows() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let first = bundle_to(&mut units[0], &central);
    import(&mut central, &first).expect("the first import");
    let err = refused_early(&mut central, &first, "bundle_replayed", "bundle 1 a second time");
    assert!(matches!(err, AppError::Sync(SyncError::AlreadyImported { seq: 1, .. })), "{err:?}");

    units[0].tick();
    open_case(&mut units[0], "Besa Morina");
    let second = bundle_to(&mut units[0], &central);
    import(&mut central, &second).expect("bundle 2");
    refused_early(&mut central, &first, "bundle_replayed", "bundle 1 a third time, after bundle 2");
    refused_early(&mut central, &second, "bundle_replayed", "bundle 2 a second time");
}

#[test]
fn an_older_bundle_after_a_newer_one_is_refused_as_older() {
    let (mut central, mut units) = offices(1);
    let unit = &mut units[0];
    open_case(unit, "Drita Krasniqi");
    let first = bundle_to(unit, &central);
    unit.tick();
    open_case(unit, "Besa Morina");
    let second = bundle_to(unit, &central);
    let r = import(&mut central, &second).expect("bundle 2 arrives first");
    assert_eq!(r.missing, vec![1], "bundle 1 shows as missing");
    let err = refused_early(&mut central, &first, "bundle_older", "bundle 1 arriving after bundle 2");
    assert!(matches!(err, AppError::Sync(SyncError::Older { seq: 1, last: 2 })), "{err:?}");
    assert_eq!(digest(&central), digest(unit), "bundle 2 carried bundle 1's changes: nothing is lost");
}

#[test]
fn a_bundle_reusing_an_imported_number_or_not_following_it_is_a_forked_series() {
    let (mut central, mut units) = offices(1);
    let mut unit = units.remove(0);
    open_case(&mut unit, "Drita Krasniqi");
    let first = bundle_to(&mut unit, &central);
    import(&mut central, &first).expect("bundle 1");
    unit.tick();
    open_case(&mut unit, "Besa Morina");
    let second = open_bundle(&bundle_to(&mut unit, &central), &central);

    // Bundle 2's content, signed by the unit as its bundle 1 again.
    let mut again = second.clone();
    again.seq = 1;
    again.prev = None;
    let forgery = resign(&again, &unit, &central);
    let err = refused_early(&mut central, &forgery, "bundle_forked", "another bundle 1");
    assert!(matches!(err, AppError::Sync(SyncError::Forked { seq: 1, .. })), "{err:?}");

    // Bundle 2 naming a previous bundle that is not the bundle 1 imported here.
    let mut astray = second.clone();
    astray.prev = Some("0".repeat(64));
    let forgery = resign(&astray, &unit, &central);
    let err = refused_early(&mut central, &forgery, "bundle_forked", "a wrong `prev`");
    assert!(matches!(err, AppError::Sync(SyncError::Forked { seq: 2, prev: 1 })), "{err:?}");

    let forgery = resign(&second, &unit, &central);
    let r = import(&mut central, &forgery).expect("the real bundle 2 still imports");
    assert!(r.applied, "the forged bundles left nothing that blocks the real one");
}

#[test]
fn a_laptop_restored_from_an_old_copy_forks_its_series_and_is_refused() {
    let (mut central, mut units) = offices(1);
    let mut unit = units.remove(0);
    let mut restored = restored_copy(&unit, 8001);
    assert_eq!(device_of(&restored), device_of(&unit), "a restored copy is the same device, same keys");

    open_case(&mut unit, "Drita Krasniqi");
    let sent = bundle_to(&mut unit, &central);
    import(&mut central, &sent).expect("the laptop's bundle 1");

    // The laptop is restored from the copy taken before: it writes its own bundle 1 again.
    restored.tick();
    open_case(&mut restored, "Besa Morina");
    let forked = bundle_to(&mut restored, &central);
    refused_early(&mut central, &forked, "bundle_forked", "bundle 1 from the restored copy");
    let next = bundle_to(&mut restored, &central);
    refused_early(&mut central, &next, "bundle_forked", "bundle 2 from the restored copy, after its own 1");
}

#[test]
fn a_forked_series_arriving_through_a_third_office_is_refused_not_dropped() {
    let (mut central, mut units) = offices(2);
    let (mut unit, mut b) = (units.remove(0), units.remove(0));
    let mut restored = restored_copy(&unit, 8002);
    open_case(&mut unit, "Drita Krasniqi");
    let sent = bundle_to(&mut unit, &b);
    import(&mut b, &sent).expect("laptop B gets the unit's first case");
    restored.tick();
    open_case(&mut restored, "Besa Morina");
    let sent = bundle_to(&mut restored, &central);
    import(&mut central, &sent).expect("the central office gets the restored copy's case");

    // Both offices now hold changes numbered 1, 2, ... by the same device, with different content.
    // Whichever way they travel, through an office that did not make them, they are refused: were
    // they skipped as already held, each office would lose the other's case in silence.
    let unit_id = device_of(&unit);
    let from_central = bundle_to(&mut central, &b);
    let err =
        refused_early(&mut b, &from_central, "bundle_forked", "the restored copy's changes, via central");
    assert!(
        matches!(err, AppError::Sync(SyncError::ForkedOrigin { origin, .. }) if origin == unit_id),
        "the refusal names the device with two histories: {err:?}"
    );
    let from_b = bundle_to(&mut b, &central);
    let err = refused_early(&mut central, &from_b, "bundle_forked", "the laptop's own changes, via laptop B");
    assert!(
        matches!(err, AppError::Sync(SyncError::ForkedOrigin { origin, .. }) if origin == unit_id),
        "the refusal names the device with two histories: {err:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Content: versions, holes, records the domain refuses
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_bundle_of_an_unknown_format_version_is_refused_as_such() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let file = bundle_to(&mut units[0], &central);
    let mut b = open_bundle(&file, &central);
    b.format = "rightsdesk-bundle/2".into();
    let forgery = resign(&b, &units[0], &central);
    let err = refused_early(&mut central, &forgery, "bundle_unknown_version", "format 2");
    assert!(err.to_string().contains("rightsdesk-bundle/2"), "the refusal names the version found: {err}");

    // A later version will likely add fields: still an unknown version, not a damaged file.
    let mut value = serde_json::to_value(&b).expect("a bundle is JSON");
    value["attachments"] = json!([{"name": "letter.pdf"}]);
    let signed = serde_json::to_vec(&value).expect("serializing JSON");
    let file2 = seal_bytes(&signed, &units[0], &central);
    refused_early(&mut central, &file2, "bundle_unknown_version", "format 2 with a field version 1 lacks");

    // A registry signed by a trusted key but of another family is the wrong document, not a version.
    b.format = "rightsdesk-registry/1".into();
    let forgery = resign(&b, &units[0], &central);
    refused_early(&mut central, &forgery, "bundle_wrong_document", "a bundle saying it is a registry");
    import(&mut central, &file).expect("the version 1 original still imports");
}

#[test]
fn a_bundle_whose_changes_skip_numbers_is_refused_as_missing_changes() {
    let (mut central, mut units) = offices(1);
    open_case(&mut units[0], "Drita Krasniqi");
    let file = bundle_to(&mut units[0], &central);
    let b = open_bundle(&file, &central);
    assert!(b.changes.len() >= 3, "a case brings its create, its act's and its timeline entry's");

    let mut holed = b.clone();
    holed.changes.retain(|c| c.n != 2);
    let forgery = resign(&holed, &units[0], &central);
    let err = refused_early(&mut central, &forgery, "bundle_missing_changes", "change 2 left out");
    assert!(err.to_string().contains("missing"), "the refusal says changes are missing: {err}");

    let mut late = b.clone();
    late.changes.retain(|c| c.n != 1);
    let forgery = resign(&late, &units[0], &central);
    refused_early(&mut central, &forgery, "bundle_missing_changes", "change 1 left out");

    // A change that builds on one neither the bundle nor the office holds.
    let mut orphan = b.clone();
    let case = created(&orphan, Kind::Case);
    append_set(&mut orphan, Kind::Case, case, "risk", json!("high"));
    let stranger = ChangeRef { origin: Uuid::from_u128(0xBAD), n: 5 };
    orphan.changes.last_mut().expect("the appended change").preds = vec![stranger];
    let forgery = resign(&orphan, &units[0], &central);
    refused_early(&mut central, &forgery, "bundle_missing_changes", "a change on an unknown change");

    import(&mut central, &file).expect("the whole original still imports");
}

/// A unit's new case, and its bundle to the central office opened for forging.
fn forgeable() -> (Office, Office, Vec<u8>, Bundle) {
    let (central, mut units) = offices(1);
    let mut unit = units.remove(0);
    open_case(&mut unit, "Drita Krasniqi");
    let file = bundle_to(&mut unit, &central);
    let b = open_bundle(&file, &central);
    (central, unit, file, b)
}

#[test]
fn a_record_failing_the_domain_rules_is_refused_naming_the_record_and_field() {
    let (mut central, unit, file, b) = forgeable();
    let case = created(&b, Kind::Case);
    let act_id = created(&b, Kind::Act);
    for (kind, record, field, value, code) in [
        (Kind::Case, case, "person.community", json!("martian"), "unknown_code"),
        (Kind::Case, case, "person.age_band", json!("age_200_plus"), "unknown_code"),
        (Kind::Case, case, "assigned_officer", json!(""), "required"),
        (Kind::Act, act_id, "narrative", json!("   "), "required"),
        (Kind::Act, act_id, "grounds", json!(["astrology"]), "unknown_code"),
    ] {
        let mut forged = b.clone();
        append_set(&mut forged, kind, record, field, value.clone());
        let why = format!("{} `{field}` set to {value}", kind.as_str());
        let forgery = resign(&forged, &unit, &central);
        let err = refused_whole(&mut central, &forgery, "bundle_invalid_record", &why);
        match &err {
            AppError::Sync(SyncError::InvalidRecord { record: r, field: f, reason, .. }) => {
                assert_eq!(
                    (*r, f.as_str()),
                    (record, field),
                    "{why}: the refusal names the record and field"
                );
                assert_eq!(reason, code, "{why}: and says what is wrong with the value");
            }
            other => panic!("{why}: refused as an invalid record, not {other:?}"),
        }
        let forgery = resign(&forged, &unit, &central);
        let shown = preview(&mut central, &forgery).expect("a preview reports rejections");
        assert!(!shown.applied, "{why}: the preview does not apply it");
        assert_eq!(
            shown.rejected.len(),
            1,
            "{why}: the preview lists the one bad record: {:?}",
            shown.rejected
        );
    }
    let r =
        import(&mut central, &file).expect("the genuine bundle, same number, imports after the forgeries");
    assert!(r.applied && r.rejected.is_empty(), "nothing of the refused bundles blocks it: {r:?}");
    assert_eq!(digest(&central), digest(&unit), "and the central office holds exactly the unit's data");
}

#[test]
fn a_value_no_row_can_hold_is_refused_whole() {
    let (mut central, unit, file, b) = forgeable();
    let case = created(&b, Kind::Case);
    for (field, value) in
        [("risk", json!("extreme")), ("status", json!("lost")), ("intake_date", json!("yesterday"))]
    {
        let mut forged = b.clone();
        append_set(&mut forged, Kind::Case, case, field, value.clone());
        let why = format!("case `{field}` set to {value}");
        let forgery = resign(&forged, &unit, &central);
        let err = refused_whole(&mut central, &forgery, "bundle_invalid_record", &why);
        match &err {
            AppError::Sync(SyncError::InvalidRecord { record, .. }) => {
                assert_eq!(*record, case, "{why}: the refusal names the case")
            }
            other => panic!("{why}: refused as an invalid record, not {other:?}"),
        }
    }
    import(&mut central, &file).expect("the genuine bundle imports after the forgeries");
}

#[test]
fn a_value_no_row_can_hold_is_refused_naming_its_field() {
    let (mut central, unit, _, b) = forgeable();
    let case = created(&b, Kind::Case);
    for (field, value) in
        [("risk", json!("extreme")), ("status", json!("lost")), ("intake_date", json!("yesterday"))]
    {
        let mut forged = b.clone();
        append_set(&mut forged, Kind::Case, case, field, value.clone());
        let why = format!("case `{field}` set to {value}");
        let forgery = resign(&forged, &unit, &central);
        let err = refused_whole(&mut central, &forgery, "bundle_invalid_record", &why);
        match &err {
            AppError::Sync(SyncError::InvalidRecord { field: f, .. }) => {
                assert_eq!(f, field, "{why}: the refusal names the field at fault ({err})")
            }
            other => panic!("{why}: refused as an invalid record, not {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// A delete against a concurrent edit
// ---------------------------------------------------------------------------------------------------

const NEW_NARRATIVE: &str = "The landlord said so in front of two witnesses.";

fn two_act_case() -> CaseDraft {
    let mut draft = case_draft("Drita Krasniqi");
    draft.acts.push(act("Was refused a flat by the landlord because she is Ashkali.", &["ethnicity"]));
    draft
}

/// Laptops A and B of one unit, both holding a two-act case; then, without seeing each other, A
/// removes the second act and B rewrites its narrative, and they exchange. Returns the case and act.
fn act_deleted_and_edited(a: &mut Office, b: &mut Office) -> (CaseId, Uuid) {
    let id = a.desk.create_case(two_act_case()).expect("a two-act case").case.id;
    import(b, &bundle_to(a, b)).expect("B gets the case");
    a.tick();
    let mut on_a = a.desk.case_detail(id).expect("the case on A").case.draft;
    let removed = on_a.acts.remove(1).id.expect("a stored act has an id");
    a.desk.update_case(id, on_a).expect("A removes the second act");
    let mut on_b = b.desk.case_detail(id).expect("the case on B").case.draft;
    let on_b_act = on_b.acts.iter_mut().find(|x| x.id == Some(removed)).expect("B holds the same act");
    on_b_act.narrative = NEW_NARRATIVE.into();
    b.desk.update_case(id, on_b).expect("B rewrites that act's narrative");
    let to_b = bundle_to(a, b);
    let to_a = bundle_to(b, a);
    let rb = import(b, &to_b).expect("B imports A's removal");
    let ra = import(a, &to_a).expect("A imports B's edit");
    let act_id = removed.as_uuid();
    for (r, who) in [(&ra, "A"), (&rb, "B")] {
        assert!(
            r.conflicts.iter().any(|c| c.record == act_id && c.field == DELETED),
            "{who}'s import report lists the delete/edit conflict: {:?}",
            r.conflicts
        );
    }
    (id, act_id)
}

fn deleted_conflict_on(office: &Office, act_id: Uuid) -> bool {
    office
        .desk
        .conflicts()
        .expect("the conflict queue")
        .iter()
        .any(|c| c.record == act_id && c.field == DELETED)
}

#[test]
fn an_act_removed_on_one_laptop_and_edited_on_the_other_conflicts_until_restored() {
    let (_central, mut units) = offices(2);
    let (mut a, mut b) = (units.remove(0), units.remove(0));
    let (id, act_id) = act_deleted_and_edited(&mut a, &mut b);
    for (office, who) in [(&a, "A"), (&b, "B")] {
        let queue = office.desk.conflicts().expect("the conflict queue");
        let c = queue.iter().find(|c| c.record == act_id && c.field == DELETED);
        let c =
            c.unwrap_or_else(|| panic!("{who}: the removal against the edit waits in the queue: {queue:?}"));
        assert_eq!((c.kind.as_str(), c.case_id), ("act", Some(id)), "{who}: it names the act and its case");
        assert!(c.case_number.is_some(), "{who}: and the case's number, to find it");
    }
    assert_eq!(digest(&a), digest(&b), "both laptops hold the same data, conflict included");
    assert_eq!(
        a.desk.case_detail(id).expect("case").case.draft.acts,
        b.desk.case_detail(id).expect("case").case.draft.acts,
        "both show the same acts meanwhile"
    );

    a.tick();
    a.desk.resolve_conflict(act_id, DELETED, "restore").expect("A restores the act");
    assert!(!deleted_conflict_on(&a, act_id), "resolved on A");
    let sent = bundle_to(&mut a, &b);
    import(&mut b, &sent).expect("B gets the resolution");
    assert!(!deleted_conflict_on(&b, act_id), "the resolution syncs: resolved on B too");
    assert_eq!(digest(&a), digest(&b), "and both laptops agree");
    for (office, who) in [(&a, "A"), (&b, "B")] {
        let acts = office.desk.case_detail(id).expect("case").case.draft.acts;
        let back = acts.iter().find(|x| x.id.map(|i| i.as_uuid()) == Some(act_id));
        assert_eq!(acts.len(), 2, "{who}: the act is back");
        assert_eq!(
            back.map(|x| x.narrative.as_str()),
            Some(NEW_NARRATIVE),
            "{who}: with B's edit, which was never lost"
        );
    }
}

#[test]
fn an_act_removed_on_one_laptop_and_edited_on_the_other_stays_removed_when_resolved_so() {
    let (_central, mut units) = offices(2);
    let (mut a, mut b) = (units.remove(0), units.remove(0));
    let (id, act_id) = act_deleted_and_edited(&mut a, &mut b);
    b.tick();
    b.desk.resolve_conflict(act_id, DELETED, "delete").expect("B confirms the removal");
    assert!(!deleted_conflict_on(&b, act_id), "resolved on B");
    let sent = bundle_to(&mut b, &a);
    import(&mut a, &sent).expect("A gets the resolution");
    assert!(!deleted_conflict_on(&a, act_id), "the resolution syncs: resolved on A too");
    assert_eq!(digest(&a), digest(&b), "and both laptops agree");
    for (office, who) in [(&a, "A"), (&b, "B")] {
        let acts = office.desk.case_detail(id).expect("case").case.draft.acts;
        assert_eq!(acts.len(), 1, "{who}: the act stays removed");
        assert!(office.desk.conflicts().expect("queue").is_empty(), "{who}: nothing else waits");
    }
}
