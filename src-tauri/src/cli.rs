//! The headless face of the same binary: `rightsdesk [--data-dir DIR] <command>`.
//! The passphrase comes from `RIGHTSDESK_PASSPHRASE` or is asked for without echo.
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::clock::SystemClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::vocab::{self, Vocabularies};
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::search::{CaseFilter, CaseSort};
use std::path::PathBuf;
use std::sync::Arc;

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
            println!(
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
            println!(
                "Added {} cases, {} timeline entries, {} tasks and {} activities.",
                s.cases, s.timeline_entries, s.tasks, s.activities
            );
            Ok(())
        }
        Command::Stats { json } => {
            let desk = open(dir)?;
            let c = desk.stats().map_err(|e| report(&e))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&c).unwrap_or_default());
            } else {
                println!("cases              {:>8}  ({} open)", c.cases, c.open_cases);
                println!("acts               {:>8}", c.acts);
                println!("timeline entries   {:>8}", c.timeline_entries);
                println!("tasks              {:>8}  ({} open)", c.tasks, c.open_tasks);
                println!("trainings          {:>8}", c.trainings);
                println!("round tables       {:>8}", c.round_tables);
                println!("outreach meetings  {:>8}", c.outreach_meetings);
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
                println!("{}", serde_json::to_string_pretty(&page).unwrap_or_default());
                return Ok(());
            }
            let v = Vocabularies::builtin();
            let lang = desk.profile().lang.clone();
            for c in &page.items {
                let grounds: Vec<&str> =
                    c.grounds.iter().map(|g| v.label(vocab::GROUNDS, g, &lang)).collect();
                println!(
                    "{}  {}  {:<10}  {:<28}  {}",
                    c.number,
                    c.intake_date,
                    c.status.as_str(),
                    c.person_name.as_deref().unwrap_or("(anonymous)"),
                    grounds.join(", ")
                );
            }
            println!("{} of {} cases", page.items.len(), page.total);
            Ok(())
        }
    }
}
