//! The headless face of the app binary: `init`, `demo`, `stats`, `cases list`, and what a wrong
//! passphrase or bad input gets on the command line.
use std::path::Path;
use std::process::{Command, Output};

const PASS: &str = "a good long passphrase";

fn run(dir: &Path, pass: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("RIGHTSDESK_PASSPHRASE", pass)
        .env_remove("RIGHTSDESK_DATA_DIR")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn init(dir: &Path) {
    let o = run(
        dir,
        PASS,
        &[
            "init",
            "--municipality",
            "prishtine",
            "--office",
            "MHRU Prishtinë",
            "--officer",
            "Teuta Hoxha",
            "--lang",
            "sq",
        ],
    );
    assert!(o.status.success(), "init succeeds on an empty folder: {}", stderr(&o));
}

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
