//! The headless face of the app binary: `init`, `demo`, `stats`, `cases list`, the sync commands
//! (`keys`, `registry`, `bundle`, `state-digest`) between two offices, referrals and their letters
//! (`referrals list`, `letter`), and what a wrong passphrase or bad input gets on the command line.
mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[test]
fn init_demo_stats_and_list_work_headless() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let o = run(tmp.path(), PASS, &["demo", "--cases", "300", "--seed", "5"]);
    assert!(o.status.success(), "demo succeeds: {}", stderr(&o));

    let o = run(tmp.path(), PASS, &["stats", "--json"]);
    assert!(o.status.success(), "stats succeeds: {}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stats --json prints JSON");
    assert_eq!(stats["cases"], 300, "stats counts the demo cases");
    assert!(stats["trainings"].as_i64().unwrap_or(0) > 0, "the demo records trainings");

    let o = run(
        tmp.path(),
        PASS,
        &["cases", "list", "--status", "open", "--ground", "ethnicity", "--limit", "500", "--json"],
    );
    assert!(o.status.success(), "cases list succeeds: {}", stderr(&o));
    let page: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("cases list --json prints JSON");
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty(), "the demo has open cases on ethnicity");
    assert_eq!(items.len() as i64, page["total"].as_i64().unwrap(), "all matches fit in one page of 500");
    for c in items {
        assert_ne!(c["status"], "closed", "--status open leaves out closed cases");
        assert!(c["grounds"].as_array().unwrap().iter().any(|g| g == "ethnicity"), "--ground filters");
    }

    let o = run(tmp.path(), PASS, &["cases", "list", "--text", "kras"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Krasniqi"), "prefix search finds Krasniqi: {}", stdout(&o));
}

#[test]
fn a_wrong_passphrase_is_a_clear_error_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let db = tmp.path().join("rightsdesk.db");
    let before = std::fs::read(&db).unwrap();
    let o = run(tmp.path(), "not the passphrase", &["stats"]);
    assert_eq!(o.status.code(), Some(1), "a wrong passphrase exits with 1");
    assert!(stderr(&o).contains("wrong_passphrase"), "the error names its code: {}", stderr(&o));
    assert!(!stderr(&o).to_lowercase().contains("hmac"), "SQLCipher's own log lines never reach the user");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database file is left as it was");
}

#[test]
fn init_refuses_an_existing_database_and_bad_input_names_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let o =
        run(tmp.path(), PASS, &["init", "--municipality", "prishtine", "--office", "X", "--officer", "Y"]);
    assert_eq!(o.status.code(), Some(1), "a second init fails");
    assert!(stderr(&o).contains("already_initialised"), "and says why: {}", stderr(&o));

    let fresh = tempfile::tempdir().unwrap();
    let o = run(
        fresh.path(),
        "short",
        &["init", "--municipality", "atlantis", "--office", "X", "--officer", "Y"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("municipality: unknown_code"), "an unknown municipality is named: {err}");
    assert!(err.contains("passphrase: too_short"), "a short passphrase is named: {err}");
    assert!(!fresh.path().join("rightsdesk.db").exists(), "nothing is created when set-up fails");
}

#[test]
fn commands_on_a_folder_without_a_database_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), PASS, &["stats"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not_initialised"), "{}", stderr(&o));
    assert!(!tmp.path().join("rightsdesk.db").exists(), "opening never creates a database");
}

#[test]
fn an_unknown_status_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let o = run(tmp.path(), PASS, &["cases", "list", "--status", "pending"]);
    assert_eq!(o.status.code(), Some(2), "usage errors exit with 2");
}

/// Runs a command whose reader has already gone: stdout is a pipe whose only read end is closed
/// before the command writes a byte (as with `rightsdesk cases list | head -0`).
fn run_into_a_closed_pipe(dir: &Path, args: &[&str]) -> Output {
    let mut child = command(dir, PASS, args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("the binary ends")
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path());
    let o = run(tmp.path(), PASS, &["demo", "--cases", "30", "--seed", "3"]);
    assert!(o.status.success(), "demo succeeds: {}", stderr(&o));
    for args in [
        &["stats"][..],
        &["cases", "list"][..],
        &["cases", "list", "--json"][..],
        &["referrals", "list"][..],
        &["report", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "json", "--out", "-"][..],
    ] {
        let o = run_into_a_closed_pipe(tmp.path(), args);
        assert!(
            !stderr(&o).contains("panicked"),
            "`{}` into a closed pipe must not panic: {}",
            args.join(" "),
            stderr(&o)
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "`{}` ends with 0 when its reader has gone, as `cmd | head` expects: {}",
            args.join(" "),
            stderr(&o)
        );
    }
    let o = run(tmp.path(), PASS, &["stats"]);
    assert!(
        o.status.success() && stdout(&o).contains("30"),
        "into a real reader the same command still prints: {}",
        stdout(&o)
    );
}

/// A central office (coordinator) and a unit (officer), each in its own data folder, nothing enrolled.
struct Offices {
    tmp: tempfile::TempDir,
    central: PathBuf,
    unit: PathBuf,
}

impl Offices {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let (central, unit) = (tmp.path().join("central"), tmp.path().join("unit"));
        ok(
            &central,
            &[
                "init",
                "--municipality",
                "prishtine",
                "--office",
                "Zyra Qendrore",
                "--officer",
                "Mimoza Berisha",
                "--role",
                "coordinator",
            ],
            "the central office is set up",
        );
        ok(
            &unit,
            &["init", "--municipality", "gjilan", "--office", "MHRU Gjilan", "--officer", "Teuta Hoxha"],
            "the unit is set up",
        );
        Offices { tmp, central, unit }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `keys show --json` of one office.
    fn keys(dir: &Path) -> Value {
        json(&ok(dir, &["keys", "show", "--json"], "keys show --json"))
    }

    fn digest(dir: &Path) -> (String, u64) {
        let d = json(&ok(dir, &["state-digest", "--json"], "state-digest --json"));
        let hex = d["digest"].as_str().expect("the digest is a string").to_string();
        (hex, d["records"].as_u64().expect("the record count is a number"))
    }
}

#[test]
fn two_offices_enrol_and_exchange_a_bundle_through_the_binary() {
    let o = Offices::new();
    let unit_keys = Offices::keys(&o.unit);
    let central_keys = Offices::keys(&o.central);
    let unit_fp = unit_keys["fingerprint"].as_str().expect("keys show names the fingerprint").to_string();
    let central_fp = central_keys["fingerprint"].as_str().expect("the central fingerprint").to_string();
    let central_id = central_keys["device"].as_str().expect("the central device id").to_string();
    assert_eq!(unit_fp.len(), 19, "a fingerprint is four groups of four to read aloud: {unit_fp}");
    assert!(unit_keys["registry"].is_null(), "a new unit holds no registry yet");
    assert_eq!(central_keys["registry"]["version"], 1, "a coordinator starts its own registry at version 1");

    // Enrolment: the unit's request, approved at the central office after comparing fingerprints.
    let enrol = o.file("enrol.json");
    ok(&o.unit, &["keys", "enrol-request", "--out", arg(&enrol)], "the unit writes its enrolment request");
    assert!(enrol.exists(), "the enrolment request is written where asked");
    assert!(!o.file("enrol.json.part").exists(), "no temporary file is left behind");
    // Read out over the phone: case and dashes do not matter.
    let typed = unit_fp.to_lowercase().replace('-', " ");
    let shown = ok(
        &o.central,
        &["keys", "approve", arg(&enrol), "--fingerprint", &typed],
        "the coordinator approves a request whose fingerprint the unit read out",
    );
    assert!(stdout(&shown).contains("MHRU Gjilan"), "approve shows whose request it is: {}", stdout(&shown));
    assert!(stdout(&shown).contains(&unit_fp), "approve shows the request's fingerprint");
    assert_eq!(Offices::keys(&o.central)["registry"]["devices"].as_array().map(Vec::len), Some(2));

    // The registry travels to the unit, which pins the central office's key once.
    let registry = o.file("registry.json");
    ok(
        &o.central,
        &["registry", "export", "--out", arg(&registry)],
        "the central office exports its registry",
    );
    let first = refused(
        &o.unit,
        &["registry", "import", arg(&registry)],
        "confirm_central",
        "the first registry import needs the central office's fingerprint",
    );
    assert!(
        stderr(&first).contains(&central_fp),
        "the unit is shown the fingerprint to compare: {}",
        stderr(&first)
    );
    ok(
        &o.unit,
        &["registry", "import", arg(&registry), "--fingerprint", &central_fp],
        "the unit imports the registry it confirmed",
    );
    assert_eq!(
        Offices::keys(&o.unit)["registry"]["version"],
        2,
        "the unit holds the registry with itself in it"
    );

    // The unit works, then sends what it did.
    ok(&o.unit, &["demo", "--cases", "4", "--seed", "7"], "the unit records a few cases");
    let bundle = o.file("gjilan-1.rdbundle");
    let written = ok(
        &o.unit,
        &["bundle", "export", "--to", &central_id, "--out", arg(&bundle)],
        "the unit exports a bundle to the central office",
    );
    assert!(stdout(&written).contains("Zyra Qendrore"), "export names the recipient: {}", stdout(&written));
    assert!(std::fs::read(&bundle).expect("the bundle file").starts_with(b"age-encryption.org/v1\n"));

    let verified =
        ok(&o.central, &["bundle", "verify", arg(&bundle)], "the central office verifies the bundle");
    assert!(stdout(&verified).starts_with("valid"), "verify says valid: {}", stdout(&verified));
    assert!(stdout(&verified).contains(&unit_fp), "verify names the signer's fingerprint");
    let v = json(&ok(&o.central, &["bundle", "verify", arg(&bundle), "--json"], "verify --json"));
    assert_eq!(
        (v["valid"].as_bool(), v["seq"].as_u64()),
        (Some(true), Some(1)),
        "the unit's first bundle: {v}"
    );

    let inspected = json(&ok(
        &o.central,
        &["bundle", "inspect", arg(&bundle), "--json"],
        "the central office inspects it",
    ));
    assert_eq!(inspected["signature"], "valid", "inspect checks the signature: {inspected}");
    assert_eq!(inspected["signer"]["status"], "trusted", "the signer is the enrolled unit");
    assert_eq!(inspected["by_kind"]["case"]["create"], 4, "inspect counts the changes by kind and action");
    assert!(inspected["import_check"].is_null(), "inspect says an import would go ahead: {inspected}");

    // A dry run reports and writes nothing.
    let before = Offices::digest(&o.central);
    assert_eq!(
        before.1, 0,
        "the central office holds no records of its own, so it can end up equal to the unit"
    );
    let report = json(&ok(
        &o.central,
        &["bundle", "import", arg(&bundle), "--dry-run", "--json"],
        "a dry run of the import",
    ));
    assert_eq!(report["by_kind"]["case"]["new"], 4, "the report counts the unit's four cases: {report}");
    assert_eq!(report["applied"], false, "a dry run is not applied");
    assert_eq!(report["sender_office"], "MHRU Gjilan", "the report names the sender");
    assert_eq!(Offices::digest(&o.central), before, "a dry run leaves the central office's data as it was");
    let stats = json(&ok(&o.central, &["stats", "--json"], "stats"));
    assert_eq!(stats["cases"], 0, "and adds no case");

    let imported =
        ok(&o.central, &["bundle", "import", arg(&bundle)], "the central office imports the bundle");
    assert!(
        stdout(&imported).contains("applied      yes"),
        "the import says it was applied: {}",
        stdout(&imported)
    );
    let (central, unit) = (Offices::digest(&o.central), Offices::digest(&o.unit));
    assert!(central.1 > 0, "the central office now holds the unit's records");
    assert_eq!(central, unit, "both offices hold the same data after one bundle");

    refused(
        &o.central,
        &["bundle", "import", arg(&bundle)],
        "bundle_replayed",
        "the same bundle a second time is refused",
    );
    assert_eq!(Offices::digest(&o.central), central, "and the refused import changed nothing");
}

#[test]
fn a_file_that_is_not_a_bundle_is_refused_and_changes_nothing() {
    let o = Offices::new();
    let junk = o.file("holiday.jpg");
    std::fs::write(&junk, b"\xff\xd8\xff\xe0 not a bundle at all").expect("writing a stray file");
    let before = Offices::digest(&o.central);
    for args in [
        &["bundle", "import"][..],
        &["bundle", "import", "--dry-run"],
        &["bundle", "verify"],
        &["bundle", "inspect"],
    ] {
        let mut args = args.to_vec();
        args.push(arg(&junk));
        refused(&o.central, &args, "bundle_not_rightsdesk", "a stray file is named as not a Rightsdesk file");
    }
    assert_eq!(Offices::digest(&o.central), before, "nothing was written");
    let o2 = run(&o.central, PASS, &["bundle", "import", arg(&o.file("missing.rdbundle"))]);
    assert_eq!(o2.status.code(), Some(1), "a missing file exits with 1");
    assert!(stderr(&o2).contains("error [io]"), "and says it cannot be read: {}", stderr(&o2));
}

#[test]
fn approving_with_the_wrong_fingerprint_approves_nothing() {
    let o = Offices::new();
    let enrol = o.file("enrol.json");
    ok(&o.unit, &["keys", "enrol-request", "--out", arg(&enrol)], "the unit writes its enrolment request");
    let before = Offices::keys(&o.central)["registry"].clone();
    refused(
        &o.central,
        &["keys", "approve", arg(&enrol), "--fingerprint", "AAAA-BBBB-CCCC-DDDD"],
        "fingerprint_mismatch",
        "a fingerprint that is not the request's",
    );
    assert_eq!(
        Offices::keys(&o.central)["registry"],
        before,
        "the registry is as it was: nobody was approved"
    );
    // Without --fingerprint or --yes the coordinator is asked; no answer is no.
    let asked = refused(
        &o.central,
        &["keys", "approve", arg(&enrol)],
        "not_confirmed",
        "an unanswered question approves nothing",
    );
    assert!(stderr(&asked).contains("Does the unit read out the same fingerprint?"), "{}", stderr(&asked));
    assert_eq!(Offices::keys(&o.central)["registry"], before, "still nobody approved");
    // Only the central office approves.
    refused(
        &o.unit,
        &["keys", "approve", arg(&enrol), "--yes"],
        "not_coordinator",
        "an officer's installation cannot approve",
    );
}

#[test]
fn a_changed_byte_and_a_revoked_signer_are_shown_by_inspect_and_refused_by_import() {
    let o = Offices::new();
    let enrol = o.file("enrol.json");
    ok(&o.unit, &["keys", "enrol-request", "--out", arg(&enrol)], "the unit writes its enrolment request");
    ok(
        &o.central,
        &["keys", "approve", arg(&enrol), "--yes"],
        "the coordinator approves (compared by other means)",
    );
    let registry = o.file("registry.json");
    ok(
        &o.central,
        &["registry", "export", "--out", arg(&registry)],
        "the central office exports its registry",
    );
    let central_fp = Offices::keys(&o.central)["fingerprint"].as_str().expect("fingerprint").to_string();
    ok(&o.unit, &["registry", "import", arg(&registry), "--fingerprint", &central_fp], "the unit pins it");

    // A plain bundle (the unit holds no case data yet) with one byte of its signed content changed.
    let plain = o.file("plain.rdbundle");
    ok(&o.unit, &["bundle", "export", "--to", "central", "--out", arg(&plain), "--plain"], "a plain bundle");
    let mut bytes = std::fs::read(&plain).expect("the plain bundle");
    let at = bytes.windows(7).position(|w| w == b"\"seq\":1").expect("the header names its number") + 6;
    bytes[at] = b'7';
    let changed = o.file("changed.rdbundle");
    std::fs::write(&changed, &bytes).expect("writing the changed copy");
    let info =
        json(&ok(&o.central, &["bundle", "inspect", arg(&changed), "--json"], "inspect shows a bad bundle"));
    assert_eq!(info["signature"], "invalid", "inspect says the signature fails: {info}");
    assert_eq!(info["header"]["seq"], 7, "and still shows what the changed file claims");
    assert_eq!(info["import_check"]["code"], "bundle_bad_signature", "an import would refuse it");
    refused(&o.central, &["bundle", "verify", arg(&changed)], "bundle_bad_signature", "verify refuses it");

    // Revoking by the fingerprint read aloud at enrolment; an ambiguous or unknown device is refused.
    let unit_fp = Offices::keys(&o.unit)["fingerprint"].as_str().expect("fingerprint").to_string();
    let o2 = run(&o.central, PASS, &["keys", "revoke", &unit_fp, "--reason", " "]);
    assert_eq!(o2.status.code(), Some(2), "a revocation without a reason is a usage error");
    refused(
        &o.central,
        &["keys", "revoke", "ffff", "--reason", "laptop stolen"],
        "unknown_peer",
        "a prefix that matches no device",
    );
    ok(
        &o.central,
        &["keys", "revoke", &unit_fp, "--reason", "laptop stolen"],
        "the coordinator revokes the unit",
    );
    let devices = Offices::keys(&o.central)["registry"]["devices"].clone();
    let unit = devices
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["fingerprint"] == unit_fp.as_str()))
        .expect("the unit stays in the registry");
    assert_eq!(unit["revoked"]["reason"], "laptop stolen", "keys show lists the revocation: {unit}");

    let after = o.file("after.rdbundle");
    ok(&o.unit, &["bundle", "export", "--to", "central", "--out", arg(&after)], "the unit does not know yet");
    let info = json(&ok(
        &o.central,
        &["bundle", "inspect", arg(&after), "--json"],
        "inspect a revoked signer's bundle",
    ));
    assert_eq!(info["signer"]["status"], "revoked", "inspect names the signer as revoked: {info}");
    refused(
        &o.central,
        &["bundle", "import", arg(&after)],
        "bundle_revoked_signer",
        "a bundle signed after the revocation",
    );
}

/// A unit with the demo generator's 80 cases (some of them referred).
fn demo_unit() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    init(tmp.path());
    ok(tmp.path(), &["demo", "--cases", "80", "--seed", "5"], "the demo data");
    tmp
}

/// `referrals list --json` with `extra` arguments.
fn referrals(dir: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["referrals", "list", "--limit", "1000", "--json"];
    args.extend_from_slice(extra);
    let list = json(&ok(dir, &args, "referrals list --json"));
    list.as_array().unwrap_or_else(|| panic!("referrals list --json prints an array: {list}")).clone()
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_else(|| panic!("{field} is a string: {v}")).to_string()
}

#[test]
fn referrals_list_shows_the_demo_referrals_and_filters_by_case_and_overdue() {
    let tmp = demo_unit();
    let all = referrals(tmp.path(), &[]);
    assert!(all.len() >= 10, "the demo refers some of its 80 cases: {}", all.len());
    for r in &all {
        assert!(!text(r, "case_number").is_empty(), "each referral names its case: {r}");
        assert!(!text(r, "institution_name").is_empty(), "and its institution: {r}");
        assert!(text(r, "protocol").starts_with(&text(r, "case_number")), "protocols follow the case: {r}");
        assert!(r["overdue"].is_boolean(), "and says whether it is overdue: {r}");
    }

    let number = text(&all[0], "case_number");
    let of_case = referrals(tmp.path(), &["--case", &number]);
    let expected = all.iter().filter(|r| text(r, "case_number") == number).count();
    assert!(expected >= 1);
    assert_eq!(of_case.len(), expected, "--case lists that case's referrals, all of them");
    assert!(of_case.iter().all(|r| text(r, "case_number") == number), "and only those: {of_case:?}");

    let overdue = referrals(tmp.path(), &["--overdue"]);
    let mut expected: Vec<String> =
        all.iter().filter(|r| r["overdue"] == true).map(|r| text(r, "id")).collect();
    let mut got: Vec<String> = overdue.iter().map(|r| text(r, "id")).collect();
    expected.sort();
    got.sort();
    assert!(!got.is_empty(), "the demo has referrals waiting past their deadline");
    assert_eq!(got, expected, "--overdue lists exactly the overdue referrals");
    for r in &overdue {
        assert!(
            matches!(text(r, "status").as_str(), "sent" | "acknowledged"),
            "an overdue referral is still waiting for an answer: {r}"
        );
    }

    let o = ok(tmp.path(), &["referrals", "list", "--case", &number], "referrals list, as text");
    assert!(
        stdout(&o).contains(&text(&of_case[0], "protocol")),
        "the text lists the protocol: {}",
        stdout(&o)
    );
    refused(
        tmp.path(),
        &["referrals", "list", "--case", "PRI-2026-XXXX-9999"],
        "not_found",
        "an unknown case",
    );
}

/// The text of a PDF as poppler's `pdftotext -raw` reads it, whitespace collapsed.
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup --test");
    assert!(out.status.success(), "pdftotext reads the letter: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The SHA-256 of a file as coreutils' `sha256sum` computes it.
fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().expect("sha256sum (coreutils) runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_string()
}

/// The hash `letter` prints: `... SHA-256 <hex>) ...`.
fn printed_sha256(o: &Output) -> String {
    let out = stdout(o);
    let at = out.find("SHA-256 ").unwrap_or_else(|| panic!("letter prints the SHA-256: {out}")) + 8;
    out[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

#[test]
fn a_letter_is_written_as_a_pdf_with_its_hash_and_bad_input_is_refused() {
    let tmp = demo_unit();
    let dir = tmp.path();
    let all = referrals(dir, &[]);
    let (case, protocol) = (text(&all[0], "case_number"), text(&all[0], "protocol"));
    let out = dir.join("letter.pdf");
    let letter = |out: &Path, extra: &[&str]| {
        let mut args = vec!["letter", &case, "--referral", &protocol, "--out", arg(out)];
        args.extend_from_slice(extra);
        run(dir, PASS, &args)
    };

    // A preview is written but not recorded.
    let before = Offices::digest(dir);
    let preview = dir.join("preview.pdf");
    let o = letter(&preview, &["--lang", "sq+sr", "--preview"]);
    assert!(o.status.success(), "a preview is written: {}", stderr(&o));
    assert!(stdout(&o).contains("not recorded"), "and says it was not recorded: {}", stdout(&o));
    assert_eq!(Offices::digest(dir), before, "a preview adds nothing to the case's timeline");

    let o = letter(&out, &["--lang", "sq+sr"]);
    assert!(o.status.success(), "the letter is written: {}", stderr(&o));
    let bytes = std::fs::read(&out).expect("the letter file");
    assert!(bytes.starts_with(b"%PDF-"), "the file is a PDF");
    assert!(!dir.join("letter.pdf.part").exists(), "no temporary file is left behind");
    let hash = printed_sha256(&o);
    assert_eq!(hash.len(), 64, "a whole SHA-256 is printed: {}", stdout(&o));
    assert_eq!(hash, sha256sum(&out), "the printed SHA-256 is the file's");
    assert!(stdout(&o).contains("recorded on the case's timeline"), "{}", stdout(&o));
    let after = Offices::digest(dir);
    assert_eq!(after.1, before.1 + 1, "issuing the letter adds one timeline entry");
    assert_eq!(std::fs::read(&preview).expect("the preview"), bytes, "the preview is the same letter");

    let words = pdf_text(&out);
    for w in [case.as_str(), protocol.as_str(), "05/L-021"] {
        assert!(words.contains(w), "the letter says {w:?}:\n{words}");
    }
    for (lang, w) in [
        ("Albanian", "Republika e Kosovës"),
        ("Albanian", "Baza ligjore"),
        ("Serbian", "Republika Kosovo"),
        ("Serbian", "Pravni osnov"),
    ] {
        assert!(words.contains(w), "the sq+sr letter has its {lang} text ({w:?}):\n{words}");
    }
    assert!(
        words.find("Baza ligjore") < words.find("Pravni osnov"),
        "Albanian first, then Serbian:\n{words}"
    );

    let again = dir.join("again.pdf");
    let o = letter(&again, &["--lang", "sq+sr"]);
    assert!(o.status.success(), "the letter is written again: {}", stderr(&o));
    assert_eq!(
        std::fs::read(&again).expect("the second file"),
        bytes,
        "the same letter gives the same bytes"
    );
    assert_eq!(printed_sha256(&o), hash, "and the same hash");

    // Bad input: nothing is written, nothing recorded.
    let before = Offices::digest(dir);
    let bad = dir.join("bad.pdf");
    let o = letter(&bad, &["--lang", "xx"]);
    assert_eq!(o.status.code(), Some(2), "an unknown language is a usage error: {}", stderr(&o));
    assert!(
        stderr(&o).contains("unknown letter language \"xx\"") && stderr(&o).contains("sq+sr"),
        "it names the language and the choices: {}",
        stderr(&o)
    );
    let o = refused(
        dir,
        &["letter", &case, "--referral", "NOT-A-PROTOCOL/9", "--out", arg(&bad)],
        "not_found",
        "an unknown referral",
    );
    assert!(stderr(&o).contains("referrals list --case"), "it says where to look: {}", stderr(&o));
    let o = refused(
        dir,
        &["letter", "PRI-2026-XXXX-9999", "--referral", &protocol, "--out", arg(&bad)],
        "not_found",
        "an unknown case",
    );
    assert!(stderr(&o).contains("PRI-2026-XXXX-9999"), "it names the case: {}", stderr(&o));
    assert!(!bad.exists(), "no file is written for bad input");
    assert_eq!(Offices::digest(dir), before, "and nothing is recorded");
}
