//! What the command-line tests share: the binary run on a data folder with the passphrase in the
//! environment, and checks of its output.
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

pub const PASS: &str = "a good long passphrase";

/// The binary on `dir` with `args`, the passphrase given through the environment.
pub fn command(dir: &Path, pass: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rightsdesk"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("RIGHTSDESK_PASSPHRASE", pass)
        .env_remove("RIGHTSDESK_DATA_DIR");
    cmd
}

pub fn run(dir: &Path, pass: &str, args: &[&str]) -> Output {
    command(dir, pass, args).output().expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn init(dir: &Path) {
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

pub fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", stdout(o)))
}

/// Runs a command that must succeed (`why` says what it is for) and returns its output.
pub fn ok(dir: &Path, args: &[&str], why: &str) -> Output {
    let o = run(dir, PASS, args);
    assert!(o.status.success(), "{why}: `{}` failed: {}", args.join(" "), stderr(&o));
    o
}

/// Runs a command that must fail with exit code 1 and the error `code` on stderr.
pub fn refused(dir: &Path, args: &[&str], code: &str, why: &str) -> Output {
    let o = run(dir, PASS, args);
    assert_eq!(o.status.code(), Some(1), "{why}: `{}` exits with 1: {}", args.join(" "), stderr(&o));
    assert!(stderr(&o).contains(&format!("error [{code}]")), "{why}: the error is {code}: {}", stderr(&o));
    o
}

pub fn arg(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}
