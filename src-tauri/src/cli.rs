//! The headless face of the same binary: `rightsdesk [--data-dir DIR] <command>`.
//! The passphrase comes from `RIGHTSDESK_PASSPHRASE` or is asked for without echo.
//!
//! Errors print `error [code]: message` on stderr and exit 1 (the codes are the app's, plus
//! `fingerprint_mismatch` and `not_confirmed` from `keys approve`); usage errors exit 2. Commands
//! with `--json` print one JSON document on stdout, for scripts.
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rightsdesk_app::sync::SyncError;
use rightsdesk_app::sync::bundles::{self, ExportRequest, ImportReport};
use rightsdesk_app::sync::inspect::{BundleInfo, SignatureCheck, SignerStatus};
use rightsdesk_app::sync::trust::{Identity, RegistryView};
use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::clock::SystemClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::vocab::{self, Vocabularies};
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::search::{CaseFilter, CaseSort};
use serde::Serialize;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `println!` for what a command prints on stdout. When the reader goes away early
/// (`rightsdesk cases list | head -3`), the command ends quietly with exit code 0, as other
/// command-line tools do, instead of panicking; any other failure to write is an error (exit 1).
macro_rules! out {
    () => {
        emit(format_args!(""))
    };
    ($($arg:tt)*) => {
        emit(format_args!($($arg)*))
    };
}

fn emit(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(line).and_then(|()| stdout.write_all(b"\n"));
    if let Err(e) = written {
        std::process::exit(output_failed(&e));
    }
}

/// The exit code for a failed write to stdout: 0 when the reader has gone (a closed pipe), else 1
/// with the reason on stderr.
fn output_failed(e: &std::io::Error) -> i32 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return 0;
    }
    eprintln!("error: cannot write the output: {e}");
    1
}

/// Identifier shared with tauri.conf.json: the default data directory is the same one the
/// window uses (`<platform data dir>/org.rightsdesk.app`).
const IDENTIFIER: &str = "org.rightsdesk.app";

#[derive(Parser, Debug)]
#[command(
    name = "rightsdesk",
    version,
    about = "Rightsdesk: case management for municipal human rights units.\n\nWithout a command, opens the window."
)]
pub struct Cli {
    /// Where the encrypted database lives (default: the app's data folder; env RIGHTSDESK_DATA_DIR).
    #[arg(long, global = true, env = "RIGHTSDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Set up a new installation (the wizard, headless).
    Init(InitArgs),
    /// Add realistic generated data (cases, timelines, tasks, trainings, meetings).
    Demo {
        #[arg(long, default_value_t = 200)]
        cases: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Count the records in each table.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Work with cases.
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// Exchange bundles with other offices: export, import, verify, inspect.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// This device's keys, and enrolling and revoking devices (the central office).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The central office's trust registry: who may send bundles.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// A hash over all synced data: equal on two offices exactly when they hold the same data.
    StateDigest {
        #[arg(long)]
        json: bool,
    },
    /// Referrals of cases to institutions.
    Referrals {
        #[command(subcommand)]
        command: ReferralsCommand,
    },
    /// Write a referral's letter as a PDF (and record it on the case's timeline with its hash).
    Letter {
        /// The case number, e.g. PRI-2026-K7QX-0042.
        case: String,
        /// The referral: its protocol number, its id, or the id's first characters (4 or more).
        #[arg(long)]
        referral: String,
        /// sq, sr-Latn, sr-Cyrl, en, or sq+sr (Albanian and Serbian; sq+sr-Cyrl for Cyrillic).
        #[arg(long, default_value = "sq+sr")]
        lang: String,
        #[arg(long)]
        out: PathBuf,
        /// Write the file without recording it as sent (a draft to look at).
        #[arg(long)]
        preview: bool,
    },
    /// Write the period report (counts only) as PDF, CSV or JSON. By default it is for sharing:
    /// only cases whose person consented to statistics are counted and small counts suppressed.
    Report {
        /// First day of the period (YYYY-MM-DD), included.
        #[arg(long)]
        from: NaiveDate,
        /// Last day of the period (YYYY-MM-DD), included.
        #[arg(long)]
        to: NaiveDate,
        /// A municipality's code (repeat for several). Default: this unit's municipality; all at
        /// the central office.
        #[arg(long = "municipality", value_name = "CODE")]
        municipalities: Vec<String>,
        #[arg(long, value_enum)]
        format: ReportFormatArg,
        /// The file (PDF, JSON, or a .zip of CSV files), or a folder for one CSV file per table.
        /// `-` writes JSON to standard output.
        #[arg(long)]
        out: PathBuf,
        /// For use inside the office only: count every case and suppress nothing.
        #[arg(long)]
        internal: bool,
        /// Language of the labels: sq, sr or en (default: the installation's).
        #[arg(long)]
        lang: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ReportFormatArg {
    Pdf,
    Csv,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum ReferralsCommand {
    /// List referrals, newest first (with --overdue: the longest overdue first).
    List {
        /// Only this case's (its number).
        #[arg(long)]
        case: Option<String>,
        /// Only those still waiting for an answer whose deadline has passed.
        #[arg(long)]
        overdue: bool,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Write a bundle for another office (encrypted to it, signed by this device).
    Export {
        /// The recipient: a device id, its first characters (4 or more), or `central`.
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        /// Every change held, not only what the recipient has not acknowledged.
        #[arg(long)]
        full: bool,
        /// Signed but not encrypted (refused if the bundle carries case data).
        #[arg(long)]
        plain: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import a bundle whole, or refuse it and change nothing.
    Import {
        /// The bundle file another office sent.
        file: PathBuf,
        /// Show what the import would do; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the import report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run every check an import makes before reading the changes (signature, signer, addressee, series).
    Verify {
        /// The bundle file.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show what a bundle holds, without importing it and without requiring its signer to be trusted.
    Inspect {
        /// The bundle file.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// This device's identity and fingerprint, and the trust registry it holds.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Write this device's enrolment request, for the central office to approve.
    EnrolRequest {
        #[arg(long)]
        out: PathBuf,
    },
    /// Approve a unit's enrolment request into the registry (the central office's coordinator).
    Approve {
        /// The enrolment request the unit sent (`keys enrol-request`).
        file: PathBuf,
        /// The fingerprint the unit read out; without it (or --yes), you are asked to compare.
        #[arg(long)]
        fingerprint: Option<String>,
        /// Approve without asking (you compared the fingerprint some other way).
        #[arg(long)]
        yes: bool,
    },
    /// Revoke a device: bundles it signs from now on are refused (the central office's coordinator).
    Revoke {
        /// The device id, its first characters (4 or more, matching one device), or its fingerprint.
        device: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Write the registry this office holds, to send to units.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// Import the central office's registry.
    Import {
        /// The registry file the central office sent (`registry export`).
        file: PathBuf,
        /// The central office's fingerprint, as its coordinator reads it out (needed the first time).
        #[arg(long)]
        fingerprint: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Municipality code, e.g. prishtine, gjilan, fushe_kosove (see assets/vocab/municipalities.json).
    #[arg(long)]
    municipality: String,
    #[arg(long)]
    office: String,
    #[arg(long)]
    officer: String,
    #[arg(long, value_enum, default_value_t = RoleArg::Officer)]
    role: RoleArg,
    #[arg(long, default_value = "en")]
    lang: String,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum RoleArg {
    Officer,
    Coordinator,
}

#[derive(Subcommand, Debug)]
pub enum CasesCommand {
    /// List cases, with the same filters and search as the window.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Words to find in case numbers, names and narratives (prefixes match: "kras" finds Krasniqi).
    #[arg(long)]
    text: Option<String>,
    /// Status (repeatable): new, assessment, referred, follow_up, closed, reopened, or "open".
    #[arg(long = "status")]
    statuses: Vec<String>,
    #[arg(long)]
    ground: Option<String>,
    #[arg(long)]
    area: Option<String>,
    #[arg(long)]
    community: Option<String>,
    #[arg(long)]
    officer: Option<String>,
    #[arg(long)]
    municipality: Option<String>,
    /// Intake date from (YYYY-MM-DD).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Intake date to (YYYY-MM-DD).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only cases with an overdue task.
    #[arg(long)]
    overdue: bool,
    #[arg(long, value_enum, default_value_t = SortArg::IntakeDesc)]
    sort: SortArg,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    #[arg(long)]
    json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum SortArg {
    IntakeDesc,
    IntakeAsc,
    UpdatedDesc,
    Number,
}

/// Parses the command line; on `--help`, `--version` or a usage error, prints and returns the exit code.
pub fn parse() -> Result<Cli, i32> {
    Cli::try_parse().map_err(|e| {
        let code = if e.use_stderr() { 2 } else { 0 };
        let _ = e.print();
        code
    })
}

fn default_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(IDENTIFIER)
}

/// The passphrase from `RIGHTSDESK_PASSPHRASE`, or asked for without echo (error: exit code 1).
fn passphrase(prompt: &str) -> Result<String, i32> {
    if let Ok(p) = std::env::var("RIGHTSDESK_PASSPHRASE") {
        return Ok(p);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        eprintln!("error: cannot read the passphrase: {e}");
        1
    })
}

fn report(e: &AppError) -> i32 {
    eprintln!("error [{}]: {e}", e.code());
    for f in e.fields() {
        eprintln!("  - {}: {}", f.field, f.code);
    }
    1
}

fn open(dir: DataDir) -> Result<Desk, i32> {
    let pass = passphrase("Passphrase: ")?;
    Desk::open(dir, &pass, Arc::new(SystemClock), IdGen::from_os()).map_err(|e| report(&e))
}

/// Prints a value as pretty JSON on stdout.
fn print_json<T: Serialize>(value: &T) {
    out!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

/// The name serde gives a unit variant (`officer`, `incremental`), as the JSON output spells it.
fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Writes `bytes` to `path` whole or not at all (see `rightsdesk_app::letters::write_file`).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), i32> {
    rightsdesk_app::letters::write_file(path, bytes).map_err(|e| report(&e))
}

/// A case by its number, or a clear error.
fn find_case(desk: &Desk, number: &str) -> Result<rightsdesk_domain::ids::CaseId, i32> {
    match desk.case_by_number(number) {
        Ok(Some(id)) => Ok(id),
        Ok(None) => {
            eprintln!("error [not_found]: no case numbered {number}");
            Err(1)
        }
        Err(e) => Err(report(&e)),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, i32> {
    bundles::read_file(path).map_err(|e| report(&e))
}

/// A fingerprint as typed or read out: case, spaces and dashes do not matter. Returns the canonical
/// spelling (`7KQX-M2PA-9R0C-T4VW`) when it has the right length, else the input upper-cased.
fn canonical_fingerprint(typed: &str) -> String {
    let bare: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if bare.len() != 16 || !bare.is_ascii() {
        return bare;
    }
    bare.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// Asks a yes/no question on the terminal (stderr, so stdout stays clean); anything but `y`/`yes` is no.
fn confirm(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// A progress line on stderr while a long import runs, only when stderr is a terminal.
fn progress_bar() -> impl FnMut(u64, u64) {
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if tty && total >= 1000 {
            eprint!("\r  merging records {done}/{total}");
            if done == total {
                eprint!("\r{}\r", " ".repeat(40));
            }
            let _ = std::io::stderr().flush();
        }
    }
}

/// Runs one headless command; returns the process exit code.
pub fn run(data_dir: Option<PathBuf>, command: Command) -> i32 {
    let dir = DataDir::new(data_dir.unwrap_or_else(default_dir));
    match run_inner(dir, command) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn run_inner(dir: DataDir, command: Command) -> Result<(), i32> {
    match command {
        Command::Init(a) => {
            let draft = ProfileDraft {
                municipality: a.municipality,
                office: a.office,
                officer: a.officer,
                role: match a.role {
                    RoleArg::Officer => Role::Officer,
                    RoleArg::Coordinator => Role::Coordinator,
                },
                lang: a.lang,
            };
            let (pass, confirm) = match std::env::var("RIGHTSDESK_PASSPHRASE") {
                Ok(p) => (p, None),
                Err(_) => {
                    let p = passphrase("New passphrase (at least 10 characters): ")?;
                    let c = passphrase("Repeat the passphrase: ")?;
                    (p, Some(c))
                }
            };
            let desk =
                Desk::setup(dir, draft, &pass, confirm.as_deref(), Arc::new(SystemClock), IdGen::from_os())
                    .map_err(|e| report(&e))?;
            let p = desk.profile();
            out!(
                "Set up {} ({}) for {} in {}; device code {}.",
                p.office,
                p.municipality,
                p.officer,
                desk.dir().path().display(),
                p.device_code
            );
            Ok(())
        }
        Command::Demo { cases, seed } => {
            let mut desk = open(dir)?;
            let s = desk.generate_demo(cases, seed).map_err(|e| report(&e))?;
            out!(
                "Added {} cases, {} timeline entries, {} tasks, {} referrals and {} activities.",
                s.cases,
                s.timeline_entries,
                s.tasks,
                s.referrals,
                s.activities
            );
            Ok(())
        }
        Command::Stats { json } => {
            let desk = open(dir)?;
            let c = desk.stats().map_err(|e| report(&e))?;
            if json {
                out!("{}", serde_json::to_string_pretty(&c).unwrap_or_default());
            } else {
                out!("cases              {:>8}  ({} open)", c.cases, c.open_cases);
                out!("acts               {:>8}", c.acts);
                out!("timeline entries   {:>8}", c.timeline_entries);
                out!("tasks              {:>8}  ({} open)", c.tasks, c.open_tasks);
                out!("trainings          {:>8}", c.trainings);
                out!("round tables       {:>8}", c.round_tables);
                out!("outreach meetings  {:>8}", c.outreach_meetings);
            }
            Ok(())
        }
        Command::Cases { command: CasesCommand::List(a) } => {
            let desk = open(dir)?;
            let mut statuses = Vec::new();
            for s in &a.statuses {
                if s == "open" {
                    statuses.extend(Status::ALL.into_iter().filter(|s| s.is_open()));
                } else if let Some(st) = Status::parse(s) {
                    statuses.push(st);
                } else {
                    eprintln!(
                        "error: unknown status {s:?} (new, assessment, referred, follow_up, closed, reopened, open)"
                    );
                    return Err(2);
                }
            }
            let filter = CaseFilter {
                text: a.text,
                statuses,
                ground: a.ground,
                area: a.area,
                community: a.community,
                officer: a.officer,
                municipality: a.municipality,
                from: a.from,
                to: a.to,
                overdue: a.overdue,
                sort: match a.sort {
                    SortArg::IntakeDesc => CaseSort::IntakeDesc,
                    SortArg::IntakeAsc => CaseSort::IntakeAsc,
                    SortArg::UpdatedDesc => CaseSort::UpdatedDesc,
                    SortArg::Number => CaseSort::Number,
                },
                offset: a.offset,
                limit: a.limit,
            };
            let page = desk.list_cases(&filter).map_err(|e| report(&e))?;
            if a.json {
                out!("{}", serde_json::to_string_pretty(&page).unwrap_or_default());
                return Ok(());
            }
            let v = Vocabularies::builtin();
            let lang = desk.profile().lang.clone();
            for c in &page.items {
                let grounds: Vec<&str> =
                    c.grounds.iter().map(|g| v.label(vocab::GROUNDS, g, &lang)).collect();
                out!(
                    "{}  {}  {:<10}  {:<28}  {}",
                    c.number,
                    c.intake_date,
                    c.status.as_str(),
                    c.person_name.as_deref().unwrap_or("(anonymous)"),
                    grounds.join(", ")
                );
            }
            out!("{} of {} cases", page.items.len(), page.total);
            Ok(())
        }
        Command::Bundle { command } => bundle(dir, command),
        Command::Keys { command } => keys(dir, command),
        Command::Registry { command } => registry(dir, command),
        Command::Referrals { command: ReferralsCommand::List { case, overdue, limit, json } } => {
            let desk = open(dir)?;
            let case_id = match case {
                Some(n) => Some(find_case(&desk, &n)?),
                None => None,
            };
            let rows = if overdue {
                desk.referrals_awaiting(-1, 100_000).map(|r| {
                    r.into_iter()
                        .filter(|r| r.overdue && case_id.is_none_or(|c| r.referral.case_id == c))
                        .take(limit as usize)
                        .collect()
                })
            } else {
                desk.referrals(case_id, limit)
            }
            .map_err(|e| report(&e))?;
            if json {
                print_json(&rows);
                return Ok(());
            }
            if rows.is_empty() {
                out!("No referrals.");
            }
            for r in rows {
                let x = &r.referral;
                out!(
                    "{}  {}  {}  {}  sent {}  due {}  {}{}",
                    x.id,
                    r.case_number,
                    x.draft.protocol,
                    r.institution_name,
                    x.draft.sent_on,
                    x.draft.deadline,
                    x.status.as_str(),
                    if r.overdue { "  OVERDUE" } else { "" }
                );
            }
            Ok(())
        }
        Command::Letter { case, referral, lang, out, preview } => {
            let mut desk = open(dir)?;
            let case_id = find_case(&desk, &case)?;
            let Some(lang) = rightsdesk_domain::referral::parse_letter_lang(&lang) else {
                eprintln!(
                    "error [validation]: unknown letter language {lang:?}; use sq, sr-Latn, sr-Cyrl, en, sq+sr or sq+sr-Cyrl"
                );
                return Err(2);
            };
            let mine = desk.referrals(Some(case_id), 1000).map_err(|e| report(&e))?;
            let wanted = referral.trim();
            let matches: Vec<_> = mine
                .iter()
                .filter(|r| {
                    let id = r.referral.id.to_string();
                    r.referral.draft.protocol == wanted
                        || id == wanted
                        || (wanted.len() >= 4 && id.starts_with(wanted))
                })
                .collect();
            let [found] = matches.as_slice() else {
                eprintln!(
                    "error [not_found]: {} referral of case {case} matches {wanted:?}; see `rightsdesk referrals list --case {case}`",
                    if matches.is_empty() { "no" } else { "more than one" }
                );
                return Err(1);
            };
            let id = found.referral.id;
            let letter = if preview {
                desk.render_letter(id, lang).map_err(|e| report(&e))?
            } else {
                desk.issue_letter(id, lang).map_err(|e| report(&e))?.letter
            };
            write_atomically(&out, &letter.pdf)?;
            out!(
                "{} {} ({} pages, {} bytes, SHA-256 {}){}",
                if preview { "Previewed" } else { "Wrote" },
                out.display(),
                letter.pages,
                letter.pdf.len(),
                letter.sha256,
                if preview { "; not recorded as sent" } else { "; recorded on the case's timeline" }
            );
            Ok(())
        }
        Command::Report { from, to, municipalities, format, out, internal, lang } => {
            use rightsdesk_app::reports::ReportRequest;
            use rightsdesk_app::reports::export::ReportFormat;
            use rightsdesk_domain::report::Audience;
            let desk = open(dir)?;
            let request = ReportRequest {
                from,
                to,
                municipalities,
                audience: if internal { Audience::Internal } else { Audience::Export },
                lang,
            };
            let format = match format {
                ReportFormatArg::Pdf => ReportFormat::Pdf,
                ReportFormatArg::Csv => ReportFormat::Csv,
                ReportFormatArg::Json => ReportFormat::Json,
            };
            if out.as_os_str() == "-" {
                if !matches!(format, ReportFormat::Json) {
                    eprintln!(
                        "error [validation]: only --format json can be written to standard output (--out -)"
                    );
                    return Err(2);
                }
                let r = desk.report(&request).map_err(|e| report(&e))?;
                let bytes = rightsdesk_app::reports::export::json(&r).map_err(|e| report(&e))?;
                let mut stdout = std::io::stdout().lock();
                return match stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                    Ok(()) => Ok(()),
                    Err(e) => match output_failed(&e) {
                        0 => Ok(()),
                        code => Err(code),
                    },
                };
            }
            let r = desk.report(&request).map_err(|e| report(&e))?;
            let written = desk.export_report(&request, format, &out).map_err(|e| report(&e))?;
            let counted = if internal {
                "every case counted, nothing suppressed: for use inside the office only".to_string()
            } else {
                format!(
                    "{} cases opened left out (no consent to statistics); counts below {} suppressed",
                    r.cases.left_out_without_consent, r.privacy.threshold
                )
            };
            out!(
                "Wrote {}{} ({} bytes{}): {}, {} cases opened; {counted}",
                out.display(),
                if written.files.len() > 1 {
                    format!(" ({} files)", written.files.len())
                } else {
                    String::new()
                },
                written.bytes,
                written.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
                rightsdesk_app::reports::period_text(r.period),
                r.cases.opened.text(),
            );
            Ok(())
        }
        Command::StateDigest { json } => {
            let desk = open(dir)?;
            let (digest, records) = desk.state_digest().map_err(|e| report(&e))?;
            if json {
                print_json(&serde_json::json!({ "digest": digest, "records": records }));
            } else {
                out!("{digest}  {records} records");
            }
            Ok(())
        }
    }
}

fn bundle(dir: DataDir, command: BundleCommand) -> Result<(), i32> {
    match command {
        BundleCommand::Export { to, out, full, plain, json } => {
            let mut desk = open(dir)?;
            let done =
                desk.export_bundle(&ExportRequest { to, full, plain }, &out).map_err(|e| report(&e))?;
            if json {
                print_json(&done);
                return Ok(());
            }
            out!("bundle       {} (number {} to this recipient)", done.seq, done.n);
            out!("recipient    {} ({})", done.recipient_office, done.recipient);
            out!("changes      {} ({})", done.changes, if full { "full" } else { "incremental" });
            out!(
                "encrypted    {}",
                if done.encrypted { "yes, to the recipient's key" } else { "no (signed only)" }
            );
            out!("bytes        {}", done.bytes);
            out!("written to   {}", done.path);
            Ok(())
        }
        BundleCommand::Import { file, dry_run, json } => {
            let bytes = read(&file)?;
            let mut desk = open(dir)?;
            let mut progress = progress_bar();
            let result = if dry_run {
                desk.preview_bundle(&bytes, &mut progress)
            } else {
                desk.import_bundle(&bytes, &mut progress)
            };
            let r = match result {
                Ok(r) => r,
                Err(e) => {
                    let code = report(&e);
                    // Import names the first record it cannot take; a dry run lists every one.
                    if e.code() == "bundle_invalid_record"
                        && let Ok(shown) = desk.preview_bundle(&bytes, &mut |_, _| {})
                        && shown.rejected.len() > 1
                    {
                        for x in &shown.rejected {
                            eprintln!("  - {} {} `{}`: {}", x.kind, x.record, x.field, x.reason);
                        }
                    }
                    return Err(code);
                }
            };
            if json {
                print_json(&r);
            } else {
                print_import(&r, dry_run);
            }
            Ok(())
        }
        BundleCommand::Verify { file, json } => {
            let bytes = read(&file)?;
            let desk = open(dir)?;
            match desk.verify_bundle(&bytes) {
                Ok(v) => {
                    if json {
                        let mut doc = serde_json::to_value(&v).unwrap_or_default();
                        if let Some(m) = doc.as_object_mut() {
                            m.insert("valid".into(), true.into());
                        }
                        print_json(&doc);
                        return Ok(());
                    }
                    out!("valid");
                    out!(
                        "signer       {}, {} ({})",
                        v.signer_office,
                        v.signer_officer,
                        v.signer_municipality
                    );
                    out!("device       {}", v.signer);
                    out!("fingerprint  {}", v.fingerprint);
                    out!("bundle       {} (number {} to this office), {}", v.seq, v.n, label(&v.scope));
                    out!("created      {}", v.created.format("%Y-%m-%d %H:%M:%S UTC"));
                    out!("changes      {}", v.changes);
                    out!("encrypted    {}", yes_no(v.encrypted));
                    if let Some(version) = v.registry_version {
                        out!("registry     version {version} inside");
                    }
                    Ok(())
                }
                Err(e) => {
                    if json {
                        print_json(&serde_json::json!({
                            "valid": false,
                            "code": e.code(),
                            "message": e.to_string(),
                        }));
                    }
                    Err(report(&e))
                }
            }
        }
        BundleCommand::Inspect { file, json } => {
            let bytes = read(&file)?;
            let desk = open(dir)?;
            let info = desk.inspect_bundle(&bytes).map_err(|e| report(&e))?;
            if json {
                print_json(&info);
            } else {
                print_inspect(&info);
            }
            Ok(())
        }
    }
}

/// Kinds in the order a person thinks of them; anything else after, by name.
const KIND_ORDER: [&str; 5] = ["case", "act", "entry", "task", "activity"];

fn kinds_in_order<V>(map: &std::collections::BTreeMap<String, V>) -> Vec<(&str, &V)> {
    let rank = |k: &str| KIND_ORDER.iter().position(|x| *x == k).unwrap_or(KIND_ORDER.len());
    let mut v: Vec<(&str, &V)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    v.sort_by_key(|(k, _)| (rank(k), *k));
    v
}

fn print_import(r: &ImportReport, dry_run: bool) {
    if dry_run {
        out!("Dry run: nothing was written. Importing this bundle would do the following.");
    }
    out!("from         {}, {} ({})", r.sender_office, r.sender_officer, r.sender_municipality);
    out!("device       {}", r.sender);
    out!("bundle       {} (number {} to this office), {}", r.seq, r.n, label(&r.scope));
    out!("created      {}", r.created.format("%Y-%m-%d %H:%M:%S UTC"));
    out!("encrypted    {}", yes_no(r.encrypted));
    out!("changes      {} in the bundle, {} new here", r.changes, r.new_changes);
    out!();
    out!("{:<12} {:>8} {:>8} {:>10}", "records", "new", "updated", "unchanged");
    for (kind, c) in kinds_in_order(&r.by_kind) {
        out!("{kind:<12} {:>8} {:>8} {:>10}", c.new, c.updated, c.unchanged);
    }
    let t = r.totals();
    out!("{:<12} {:>8} {:>8} {:>10}", "total", t.new, t.updated, t.unchanged);
    out!();
    if r.conflicts.is_empty() {
        out!("conflicts    none");
    } else {
        out!("conflicts    {} (both values are kept until someone resolves them)", r.conflicts.len());
        for c in &r.conflicts {
            match &c.case_number {
                Some(n) => out!("  case {n}: {} `{}`", c.kind, c.field),
                None => out!("  {} {}: `{}`", c.kind, c.record, c.field),
            }
        }
    }
    if r.rejected.is_empty() {
        out!("rejected     none");
    } else {
        out!("rejected     {} (the bundle cannot be imported)", r.rejected.len());
        for x in &r.rejected {
            out!("  {} {} `{}`: {}", x.kind, x.record, x.field, x.reason);
        }
    }
    if r.missing.is_empty() {
        out!("missing      none");
    } else {
        let ns: Vec<String> = r.missing.iter().map(u64::to_string).collect();
        out!("missing      bundles {} from this sender have not arrived here", ns.join(", "));
    }
    out!("registry     {}", if r.registry_updated { "updated" } else { "unchanged" });
    out!(
        "applied      {}",
        if r.applied {
            "yes"
        } else if dry_run {
            "no (dry run)"
        } else {
            "no"
        }
    );
}

fn print_inspect(i: &BundleInfo) {
    out!(
        "file         {} bytes, {}",
        i.bytes,
        if i.encrypted { "encrypted (opened with this device's key)" } else { "not encrypted" }
    );
    match i.signature {
        SignatureCheck::Valid => out!("signature    valid"),
        SignatureCheck::Invalid => {
            out!(
                "signature    INVALID: the file was changed after it was signed; nothing below is trustworthy"
            )
        }
    }
    if let Some(s) = &i.signer {
        let who = match (&s.office, &s.officer, &s.municipality) {
            (Some(o), Some(p), Some(m)) => format!(": {o}, {p} ({m})"),
            _ => String::new(),
        };
        let status = match s.status {
            SignerStatus::Trusted => "trusted",
            SignerStatus::Revoked => "REVOKED",
            SignerStatus::Unknown => "unknown to this office's registry",
            SignerStatus::ThisDevice => "this device",
            SignerStatus::NoRegistry => "unknown (this office holds no registry yet)",
        };
        if i.signature == SignatureCheck::Valid {
            out!("signer       {status}{who}");
        } else {
            out!("signer       claimed, not proven: the key of a device that is {status}{who}");
        }
        if let Some(d) = s.device {
            out!("device       {d}");
        }
        if let Some(after) = s.revoked_after_seq {
            out!("revoked      bundles after its number {after} are refused");
        }
        out!("fingerprint  {}", s.fingerprint);
        if s.matches_sender == Some(false) {
            out!("WARNING      the bundle names another sender than the device that signed it");
        }
    }
    if let Some(d) = &i.document {
        out!("document     {d}");
    }
    if let Some(p) = &i.content_problem {
        out!("content      cannot be read [{}]: {}", p.code, p.message);
    }
    if let Some(h) = &i.header {
        let office = |o: &Option<String>| o.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        out!("sender       {}{}", h.sender, office(&h.sender_office));
        for (k, r) in h.recipients.iter().enumerate() {
            out!(
                "{}{}{}, number {}{}",
                if k == 0 { "recipients   " } else { "             " },
                r.device,
                office(&r.office),
                r.n,
                if r.this_device { "  <- this device" } else { "" }
            );
        }
        out!("bundle       {} ({})", h.seq, label(&h.scope));
        out!("prev         {}", h.prev.as_deref().unwrap_or("none (the sender's first bundle)"));
        out!("created      {}", h.created.format("%Y-%m-%d %H:%M:%S UTC"));
        for (k, (origin, n)) in h.have.iter().enumerate() {
            out!("{}{origin}: {n}", if k == 0 { "have         " } else { "             " });
        }
        out!("changes      {}", i.changes);
        for (kind, actions) in kinds_in_order(&i.by_kind) {
            let list: Vec<String> = actions.iter().map(|(a, n)| format!("{a} {n}")).collect();
            let records = i.records.get(kind).copied().unwrap_or(0);
            out!("  {kind:<10} {} ({records} records)", list.join(", "));
        }
        if i.by_origin.len() > 1 {
            for (origin, n) in &i.by_origin {
                out!("  from {origin}: {n}");
            }
        }
    }
    if let Some(r) = &i.registry {
        match (r.valid, r.version) {
            (true, Some(v)) => {
                let from = match r.from_our_central {
                    Some(true) => "from the central office this office trusts",
                    Some(false) => "NOT from the central office this office trusts",
                    None => "this office has not confirmed a central office yet",
                };
                let newer = match r.newer {
                    Some(true) => ", newer than the one held",
                    Some(false) => ", not newer than the one held",
                    None => "",
                };
                out!(
                    "registry     version {v}, signed by {} ({from}){newer}; {} devices, {} revoked",
                    r.issuer_fingerprint.as_deref().unwrap_or("?"),
                    r.devices,
                    r.revoked
                );
            }
            _ => {
                let p = r.problem.as_ref().map(|p| format!("[{}] {}", p.code, p.message)).unwrap_or_default();
                out!("registry     inside, but it cannot be read: {p}");
            }
        }
    } else {
        out!("registry     none inside");
    }
    match &i.import_check {
        None => {
            out!("import here  would go ahead (see `bundle import --dry-run` for what it would change)")
        }
        Some(p) => out!("import here  would be refused [{}]: {}", p.code, p.message),
    }
}

/// `keys show --json`: this device, and the registry it holds.
#[derive(Serialize)]
struct KeysShow {
    #[serde(flatten)]
    identity: Identity,
    registry: Option<RegistryView>,
}

fn keys(dir: DataDir, command: KeysCommand) -> Result<(), i32> {
    match command {
        KeysCommand::Show { json } => {
            let desk = open(dir)?;
            let identity = desk.identity().map_err(|e| report(&e))?;
            let registry = desk.registry_view().map_err(|e| report(&e))?;
            if json {
                print_json(&KeysShow { identity, registry });
                return Ok(());
            }
            let i = &identity;
            out!("device       {}", i.device);
            out!("fingerprint  {}   (read this aloud to compare it)", i.fingerprint);
            out!("public key   {}", i.public_key);
            out!("age          {}", i.age_recipient);
            out!("role         {}", i.role.as_str());
            out!("office       {}, {} ({})", i.office, i.officer, i.municipality);
            match &registry {
                None => out!(
                    "registry     none yet: import the central office's with `rightsdesk registry import FILE`"
                ),
                Some(r) => print_registry(r),
            }
            Ok(())
        }
        KeysCommand::EnrolRequest { out } => {
            let desk = open(dir)?;
            let file = desk.enrolment_request().map_err(|e| report(&e))?;
            let identity = desk.identity().map_err(|e| report(&e))?;
            write_atomically(&out, &file)?;
            out!("Wrote the enrolment request of device {} to {}.", identity.device, out.display());
            out!(
                "Send it to the central office. When they call, read out this fingerprint: {}",
                identity.fingerprint
            );
            Ok(())
        }
        KeysCommand::Approve { file, fingerprint, yes } => {
            let bytes = read(&file)?;
            let mut desk = open(dir)?;
            if desk.profile().role != Role::Coordinator {
                return Err(report(&SyncError::NotCoordinator.into()));
            }
            let (request, found) = desk.read_enrolment(&bytes).map_err(|e| report(&e))?;
            out!("device       {}", request.device);
            out!("office       {}", request.office);
            out!("officer      {}", request.officer);
            out!("municipality {}", request.municipality);
            out!("role         {}", label(&request.role));
            out!("fingerprint  {found}");
            if let Some(typed) = &fingerprint {
                if canonical_fingerprint(typed) != found {
                    eprintln!(
                        "error [fingerprint_mismatch]: the request's fingerprint is {found}, not {}; \
                         nothing was approved (the file may not be the unit's own)",
                        typed.trim()
                    );
                    return Err(1);
                }
            } else if !yes && !confirm("Does the unit read out the same fingerprint?") {
                eprintln!("error [not_confirmed]: not approved");
                return Err(1);
            }
            let device = desk.approve(&bytes).map_err(|e| report(&e))?;
            let version = desk.registry_view().ok().flatten().map_or(0, |r| r.version);
            out!(
                "Approved {} ({}, {}). The registry is now version {version}: send it to every office \
                 (`rightsdesk registry export --out FILE`).",
                device.device,
                device.office,
                device.officer
            );
            Ok(())
        }
        KeysCommand::Revoke { device, reason } => {
            if reason.trim().is_empty() {
                eprintln!("error: --reason must say why the device is revoked");
                return Err(2);
            }
            let mut desk = open(dir)?;
            let view = desk.registry_view().map_err(|e| report(&e))?;
            // Ids made at the same time share their first characters (they start with the time), so
            // the fingerprint read aloud at enrolment is accepted too.
            let spec = device.trim().to_ascii_lowercase();
            let fingerprint = canonical_fingerprint(&device);
            let matches: Vec<_> = view
                .iter()
                .flat_map(|r| r.devices.iter())
                .filter(|d| {
                    (spec.len() >= 4 && d.device.device.to_string().starts_with(&spec))
                        || d.fingerprint == fingerprint
                })
                .collect();
            let target = match matches.as_slice() {
                [one] => one.device.device,
                many => {
                    let code = report(&SyncError::UnknownPeer { peer: device.clone() }.into());
                    for d in many {
                        eprintln!(
                            "  - {} {} ({}, {})",
                            d.device.device, d.fingerprint, d.device.office, d.device.officer
                        );
                    }
                    return Err(code);
                }
            };
            let done = desk.revoke(target, &reason).map_err(|e| report(&e))?;
            let version = desk.registry_view().ok().flatten().map_or(0, |r| r.version);
            let after = done.revoked.as_ref().map_or(0, |r| r.after_seq);
            out!("Revoked {} ({}, {}).", done.device, done.office, done.officer);
            let refused = if after == 0 {
                "Every bundle it signs is refused (none from it was imported here)".to_string()
            } else {
                format!("Bundles it signs after its number {after} are refused")
            };
            out!(
                "{refused} wherever registry version {version} arrives: send it to every office \
                 (`rightsdesk registry export --out FILE`)."
            );
            Ok(())
        }
    }
}

fn print_registry(r: &RegistryView) {
    let revoked = r.devices.iter().filter(|d| d.device.revoked.is_some()).count();
    out!(
        "registry     version {}, issued {}, by {}{}; {} devices, {revoked} revoked",
        r.version,
        r.issued.format("%Y-%m-%d %H:%M UTC"),
        r.issuer_fingerprint,
        if r.ours { " (this device)" } else { "" },
        r.devices.len()
    );
    for d in &r.devices {
        let x = &d.device;
        out!(
            "  {}  {}  {:<11}  {}, {} ({}){}",
            x.device,
            d.fingerprint,
            label(&x.role),
            x.office,
            x.officer,
            x.municipality,
            x.revoked
                .as_ref()
                .map(|v| format!(
                    "  REVOKED {} ({}): {}",
                    v.at.format("%Y-%m-%d"),
                    if v.after_seq == 0 {
                        "all its bundles refused".to_string()
                    } else {
                        format!("bundles after {} refused", v.after_seq)
                    },
                    v.reason
                ))
                .unwrap_or_default()
        );
    }
}

fn registry(dir: DataDir, command: RegistryCommand) -> Result<(), i32> {
    match command {
        RegistryCommand::Export { out } => {
            let desk = open(dir)?;
            let file = desk.registry_file().map_err(|e| report(&e))?;
            write_atomically(&out, &file)?;
            match desk.registry_view().map_err(|e| report(&e))? {
                Some(r) => out!(
                    "Wrote registry version {} ({} devices) to {}.",
                    r.version,
                    r.devices.len(),
                    out.display()
                ),
                None => out!("Wrote the registry to {}.", out.display()),
            }
            Ok(())
        }
        RegistryCommand::Import { file, fingerprint } => {
            let bytes = read(&file)?;
            let mut desk = open(dir)?;
            let confirm = fingerprint.as_deref().map(canonical_fingerprint);
            let changed = desk.import_registry(&bytes, confirm.as_deref()).map_err(|e| {
                let code = report(&e);
                if let AppError::Sync(SyncError::ConfirmCentral { fingerprint: found }) = &e {
                    eprintln!(
                        "The registry is signed by {found}. Ask the central office's coordinator to read out \
                         theirs (`rightsdesk keys show`); if it is the same, run again with --fingerprint {found}"
                    );
                }
                code
            })?;
            let view = desk.registry_view().map_err(|e| report(&e))?;
            match (changed, view) {
                (true, Some(r)) => {
                    out!(
                        "Imported registry version {} from the central office ({}): {} devices.",
                        r.version,
                        r.issuer_fingerprint,
                        r.devices.len()
                    );
                }
                (false, Some(r)) => out!(
                    "Nothing changed: this office already holds registry version {} (not older than the file's).",
                    r.version
                ),
                (_, None) => out!("Nothing changed."),
            }
            Ok(())
        }
    }
}
