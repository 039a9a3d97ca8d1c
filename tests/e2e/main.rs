//! End-to-end test of the real app: the built `rightsdesk` binary in a real WebKitGTK window,
//! driven through `tauri-driver` under Xvfb. `scripts/test` runs it with `RIGHTSDESK_E2E=1`
//! after building the binary; a plain `cargo test` without that variable reports it as not run.
//!
//! One officer's first day: the wizard, a case with two grounds, finding it by full-text search,
//! closing it with a reason, a training and an outreach meeting, locking and a wrong passphrase.
//! A busy unit working in Albanian. And sync between two data folders: a unit's bundle imported at
//! the central office in the window, a conflict resolved side by side, the answer sent back. A case
//! referred to the Ombudsperson without the person's consent (with a reason), its bilingual letter
//! previewed and saved, recorded on the timeline with its hash, and the institution's answer.
//! The central office's overview and a period report: the figures the window shows are the
//! backend's, and the PDF and the zip of CSV files it saves are the report's bytes.
//! Screenshots go to `docs/screenshots/` (shown in the README), or `RIGHTSDESK_SCREENSHOTS`.
use chrono::{Datelike, Duration};
use rightsdesk_app::reports::ReportRequest;
use rightsdesk_app::reports::export::ReportFormat;
use rightsdesk_app::sync::bundles::ExportRequest;
use rightsdesk_app::{DataDir, Desk};
use rightsdesk_domain::case::{Act, CaseDraft, Person, Risk};
use rightsdesk_domain::clock::{Clock, FixedClock, SystemClock};
use rightsdesk_domain::ids::{CaseId, IdGen};
use rightsdesk_domain::profile::{ProfileDraft, Role};
use rightsdesk_domain::report::Audience;
use rightsdesk_tests::driver::{App, Driver, Res, app_binary, testid, workspace_root};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PASSPHRASE: &str = "Dëshmi e sigurt 2026";

fn screenshots() -> PathBuf {
    std::env::var_os("RIGHTSDESK_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("docs/screenshots"))
}

#[test]
fn an_officers_first_day_in_the_real_window() -> Res<()> {
    if std::env::var_os("RIGHTSDESK_E2E").is_none() {
        eprintln!("e2e: not run (set RIGHTSDESK_E2E=1 under a display, as scripts/test does)");
        return Ok(());
    }
    assert!(
        app_binary().is_file(),
        "build the app first (cargo build --workspace): {}",
        app_binary().display()
    );
    let data = tempfile::tempdir()?;
    let driver = Driver::start(data.path())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(async {
        let app = App::connect(&driver).await?;
        let outcome = first_day(&app).await;
        let _ = app.client.clone().close().await;
        outcome
    });
    drop(driver);
    result?;

    // What the window saved is really in the encrypted database.
    let desk = Desk::open(DataDir::new(data.path()), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(1))?;
    let stats = desk.stats()?;
    assert_eq!(stats.cases, 1, "the case typed in the window was saved");
    assert_eq!(stats.open_cases, 0, "closing it in the window was saved");
    assert_eq!(stats.trainings, 1, "the training was saved");
    assert_eq!(stats.outreach_meetings, 1, "the outreach meeting was saved");
    Ok(())
}

async fn first_day(app: &App) -> Res<()> {
    let shots = screenshots();
    let _ = app.client.set_window_size(1366, 768).await;

    // 1. First-run wizard.
    app.select("wizard-lang", "en").await?;
    app.screenshot(&shots, "01-wizard").await?;
    app.click("wizard-next").await?;
    app.select("wizard-municipality", "gjilan").await?;
    app.fill("wizard-office", "Njësia Komunale për të Drejtat e Njeriut").await?;
    app.fill("wizard-officer", "Vjosa Morina").await?;
    app.click("wizard-next").await?;
    app.fill("wizard-passphrase", PASSPHRASE).await?;
    app.fill("wizard-confirmation", PASSPHRASE).await?;
    app.click("wizard-submit").await?;
    app.find("nav-cases").await?;
    // The app opens on the overview; a new installation says there is nothing yet, and how to start.
    app.find("dash-empty").await?;
    let open = app.wait_attr("dash-open-cases", "data-value", |v| !v.is_empty()).await?;
    assert_eq!(open, "0", "a new installation has no open case");
    app.screenshot(&shots, "20-dashboard-empty").await?;

    // 2. A case with two grounds.
    app.click("nav-new-case").await?;
    // Saving an empty form names each missing field next to it and puts the cursor on the first.
    app.click("case-save").await?;
    app.find_css("[data-error-for='acts[0].narrative']").await?;
    app.find_css("[data-error-for='acts[0].grounds']").await?;
    let focused = app.client.active_element().await?.attr("id").await?.unwrap_or_default();
    assert!(!focused.is_empty(), "the keyboard focus moves to the first field at fault");
    app.screenshot(&shots, "02a-new-case-errors").await?;
    // Consent boxes start unticked (pre-ticked boxes are not consent); name and contact can only
    // be typed once the person consents to the processing of their data.
    app.check("consent-processing").await?;
    app.fill("person-name", "Drita Krasniqi").await?;
    app.fill("person-contact", "044 123 456").await?;
    app.select("person-gender", "female").await?;
    app.select("person-age-band", "age_25_34").await?;
    app.select("person-community", "ashkali").await?;
    app.select("person-language", "albanian").await?;
    app.check("consent-referral").await?;
    app.check("consent-statistics").await?;
    app.fill("act-0-place", "Qendra për Punë Sociale, Gjilan").await?;
    app.fill(
        "act-0-narrative",
        "Kërkesa për ndihmë sociale u refuzua pa vendim me shkrim; zyrtari tha se familja 'nuk është nga këtu'.",
    )
    .await?;
    app.check("act-0-ground-ethnicity").await?;
    app.check("act-0-ground-social_or_personal_status").await?;
    app.select("act-0-area", "social_assistance").await?;
    app.select("act-0-form", "direct").await?;
    app.select("act-0-respondent-type", "municipal_institution").await?;
    app.fill("act-0-respondent-name", "Qendra për Punë Sociale").await?;
    app.screenshot(&shots, "02-new-case").await?;
    app.click("case-save").await?;
    let number = app.wait_text("case-number", |t| t.starts_with("GJI-")).await?;
    assert!(number.starts_with("GJI-"), "a Gjilan case number starts with GJI-: {number}");
    app.screenshot(&shots, "03-case-detail").await?;

    // 3. Found again by full-text search, by a prefix of the surname.
    app.click("nav-cases").await?;
    app.fill("case-search", "Kras").await?;
    app.find_css(&format!("[data-testid='case-row'][data-number='{number}']")).await?;
    app.screenshot(&shots, "04-search").await?;
    app.find_css(&format!("[data-testid='case-row'][data-number='{number}'] td")).await?.click().await?;
    app.wait_text("case-number", |t| t == number).await?;

    // 4. Closed with a reason.
    app.click("transition-closed").await?;
    app.select("close-reason", "resolved").await?;
    app.fill("transition-note", "The centre reviewed the application and granted assistance.").await?;
    app.click("transition-confirm").await?;
    app.wait_text("case-status", |t| t.trim().eq_ignore_ascii_case("closed")).await?;
    assert!(app.all("timeline-entry").await?.len() >= 2, "opening and closing are both on the timeline");

    // 5. A training.
    app.click("nav-activities").await?;
    app.click("new-training").await?;
    app.fill("activity-title", "Ligji për Mbrojtjen nga Diskriminimi për zyrtarët komunalë").await?;
    app.fill("activity-venue", "Salla e Kuvendit Komunal").await?;
    app.check("activity-target-municipal_officials").await?;
    app.click("attendance-add").await?;
    app.select("attendance-0-community", "albanian").await?;
    app.fill("attendance-0-female", "7").await?;
    app.fill("attendance-0-male", "5").await?;
    app.click("activity-save").await?;
    app.find("activity-heading").await?;

    // 6. An outreach meeting.
    app.click("nav-activities").await?;
    app.click("new-outreach").await?;
    app.fill("activity-venue", "Lagjja e Romëve, Gjilan").await?;
    app.select("activity-format", "community_meeting").await?;
    app.click("attendance-add").await?;
    app.select("attendance-0-community", "roma").await?;
    app.fill("attendance-0-female", "11").await?;
    app.fill("attendance-0-male", "9").await?;
    app.fill("activity-issues", "Dokumentet personale dhe regjistrimi në shkollë.").await?;
    app.click("activity-save").await?;
    app.find("activity-heading").await?;
    app.click("nav-activities").await?;
    app.find("activity-row").await?;
    assert_eq!(app.all("activity-row").await?.len(), 2, "the training and the meeting are listed");
    app.screenshot(&shots, "05-activities").await?;

    // 7. Locked; a wrong passphrase is told, the right one opens the same data.
    app.click("nav-lock").await?;
    app.fill("unlock-passphrase", "not the passphrase").await?;
    app.click("unlock-submit").await?;
    app.find("unlock-error").await?;
    app.screenshot(&shots, "06-unlock-wrong-passphrase").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.click("nav-cases").await?;
    app.find_css(&format!("[data-testid='case-row'][data-number='{number}']")).await?;
    Ok(())
}

/// A unit with a few years of (generated) work, in Albanian: the list shows what the database
/// holds, in the user's language, and the screens are photographed for the README.
#[test]
fn a_busy_unit_works_in_albanian() -> Res<()> {
    if std::env::var_os("RIGHTSDESK_E2E").is_none() {
        eprintln!("e2e: not run (set RIGHTSDESK_E2E=1 under a display, as scripts/test does)");
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let profile = rightsdesk_domain::profile::ProfileDraft {
        municipality: "fushe_kosove".into(),
        office: "Njësia për të Drejtat e Njeriut".into(),
        officer: "Teuta Hoxha".into(),
        role: rightsdesk_domain::profile::Role::Officer,
        lang: "sq".into(),
    };
    let mut desk = Desk::setup(
        DataDir::new(data.path()),
        profile,
        PASSPHRASE,
        None,
        Arc::new(SystemClock),
        IdGen::seeded(9),
    )?;
    desk.generate_demo(400, 11)?;
    let stats = desk.stats()?;
    drop(desk);

    let driver = Driver::start(data.path())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(async {
        let app = App::connect(&driver).await?;
        let outcome = busy_unit(&app, stats.cases).await;
        let _ = app.client.clone().close().await;
        outcome
    });
    drop(driver);
    result?;
    let desk = Desk::open(DataDir::new(data.path()), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(2))?;
    assert_eq!(desk.profile().officer, "Arta Berisha", "the new officer's name was saved");
    Ok(())
}

async fn busy_unit(app: &App, cases: i64) -> Res<()> {
    let shots = screenshots();
    let _ = app.client.set_window_size(1366, 768).await;
    let unlock = app.text("unlock-submit").await?;
    assert_eq!(unlock.trim(), "Zhblloko", "the unlock screen speaks the language chosen at set-up");
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.find("dash-open-cases").await?; // the app opens on the overview
    app.click("nav-cases").await?;
    let expected = cases.to_string();
    let shown = app.wait_attr("case-total", "data-total", |v| v == expected).await;
    assert!(shown.is_ok(), "the list counts every case in the database: {shown:?}");
    assert_eq!(app.all("case-row").await?.len(), 50, "a page holds 50 cases");
    app.screenshot(&shots, "07-case-list-sq").await?;

    app.select("case-filter-status", "open").await?;
    app.check("case-filter-overdue").await?;
    // The list refreshes when a filter changes: wait for the new total before opening a case.
    let narrowed = app.wait_attr("case-total", "data-total", |v| v != expected && v != "0").await;
    assert!(narrowed.is_ok(), "the overdue filter narrows the list to some cases: {narrowed:?}");
    app.find_css("[data-testid='case-row'] td").await?.click().await?;
    app.find("case-number").await?;
    assert!(!app.all("timeline-entry").await?.is_empty(), "a generated case has a timeline");
    app.find("task-complete").await?; // an overdue case has an open task to complete
    app.screenshot(&shots, "08-case-detail-sq").await?;

    app.click("nav-tasks").await?;
    app.find("due-task").await?;
    app.screenshot(&shots, "09-tasks-sq").await?;

    // A colleague takes over the laptop: the officer's name changes in Settings.
    app.click("nav-settings").await?;
    app.click("profile-edit").await?;
    app.fill("profile-officer", "   ").await?;
    app.click("profile-save").await?;
    app.find_css("[data-error-for='officer']").await?; // an empty name is refused, next to the field
    app.fill("profile-officer", "Arta Berisha").await?;
    app.click("profile-save").await?;
    app.find("profile-saved").await?;
    app.screenshot(&shots, "10-settings-sq").await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sync between two data folders.

const CENTRAL_OFFICE: &str = "Zyra Qendrore për të Drejtat e Njeriut";
const CENTRAL_OFFICER: &str = "Mimoza Berisha";
const UNIT_OFFICE: &str = "Njësia Komunale për të Drejtat e Njeriut";
const UNIT_OFFICER: &str = "Vjosa Morina";

/// Two offices' data folders made with the app's own API before the window opens, and the unit's
/// bundle for the central office, written to a "USB stick" folder.
struct Offices {
    /// Holds every folder below: deleted when the test ends.
    _root: tempfile::TempDir,
    central: PathBuf,
    unit: PathBuf,
    stick: PathBuf,
    /// The unit's bundle (its second) for the central office.
    from_unit: PathBuf,
    unit_device: String,
    number: String,
}

fn office(
    dir: &Path,
    municipality: &str,
    office: &str,
    officer: &str,
    role: Role,
    clock: &Arc<FixedClock>,
    seed: u64,
) -> Res<Desk> {
    let profile = ProfileDraft {
        municipality: municipality.into(),
        office: office.into(),
        officer: officer.into(),
        role,
        lang: "en".into(),
    };
    Ok(Desk::setup(
        DataDir::new(dir),
        profile,
        PASSPHRASE,
        Some(PASSPHRASE),
        clock.clone(),
        IdGen::seeded(seed),
    )?)
}

/// Writes a bundle from `from` to `to` into `path` and returns its bytes.
fn bundle(from: &mut Desk, to: &Desk, path: &Path) -> Res<Vec<u8>> {
    let req = ExportRequest { to: to.profile().device_id.to_string(), full: false, plain: false };
    from.export_bundle(&req, path)?;
    Ok(std::fs::read(path)?)
}

/// A central office (coordinator) in Prishtinë and a unit in Gjilan, enrolled and holding the
/// registry. The unit opens a case that reaches the central office; then, before they exchange
/// again, both change its risk differently (a conflict), the unit also changes the person's age
/// band and the central office the assigned officer (no conflict). The unit's next bundle for the
/// central office waits on the stick.
fn two_offices() -> Res<Offices> {
    let root = tempfile::Builder::new().prefix("rightsdesk-sync-").tempdir()?;
    let central_dir = root.path().join("central");
    let unit_dir = root.path().join("unit");
    let stick = root.path().join("stick");
    std::fs::create_dir_all(&stick)?;
    // One clock for both, set half an hour back and moved on by hand: the order of the edits is
    // certain, and everything the window does later (on the system clock) comes after.
    let clock = Arc::new(FixedClock::new(SystemClock.now() - Duration::minutes(30)));
    let tick = || clock.advance(Duration::minutes(1));

    let mut central =
        office(&central_dir, "prishtine", CENTRAL_OFFICE, CENTRAL_OFFICER, Role::Coordinator, &clock, 31)?;
    let mut unit = office(&unit_dir, "gjilan", UNIT_OFFICE, UNIT_OFFICER, Role::Officer, &clock, 32)?;
    central.approve(&unit.enrolment_request()?)?;
    let fingerprint = central.identity()?.fingerprint;
    unit.import_registry(&central.registry_file()?, Some(&fingerprint))?;
    tick();

    let today = clock.today();
    let draft = CaseDraft {
        intake_date: today - Duration::days(2),
        channel: "walk_in".into(),
        source_activity: None,
        person: Person {
            name: Some("Drita Krasniqi".into()),
            contact: Some("044 123 456".into()),
            gender: "female".into(),
            age_band: "age_25_34".into(),
            community: "ashkali".into(),
            language: "albanian".into(),
            consent_processing: true,
            consent_referral: true,
            consent_statistics: true,
        },
        acts: vec![Act {
            id: None,
            date_from: Some(today - Duration::days(10)),
            date_to: None,
            place: "Qendra për Punë Sociale, Gjilan".into(),
            narrative: "Kërkesa për ndihmë sociale u refuzua pa vendim me shkrim.".into(),
            grounds: vec!["ethnicity".into()],
            ground_other: None,
            area: "social_assistance".into(),
            form: "direct".into(),
            respondent_type: "municipal_institution".into(),
            respondent_name: "Qendra për Punë Sociale".into(),
        }],
        risk: Risk::Medium,
        assigned_officer: UNIT_OFFICER.into(),
    };
    let opened = unit.create_case(draft)?;
    let (id, number) = (opened.case.id, opened.case.number.clone());
    tick();
    let first = bundle(&mut unit, &central, &stick.join("unit-1.rdbundle"))?;
    let report = central.import_bundle(&first, &mut |_, _| {})?;
    assert!(report.applied, "the central office takes in the unit's first bundle: {report:?}");
    assert!(central.case_by_number(&number)?.is_some(), "the unit's case reached the central office");
    tick();

    // The unit raises the risk and corrects the age band...
    let mut edit = unit.case_detail(id)?.case.draft;
    edit.risk = Risk::High;
    edit.person.age_band = "age_35_49".into();
    unit.update_case(id, edit)?;
    tick();
    // ...and later, without having seen that, the central office lowers the risk (its value is the
    // later one, so it is shown meanwhile) and assigns the case to its own officer.
    let mut edit = central.case_detail(id)?.case.draft;
    edit.risk = Risk::Low;
    edit.assigned_officer = CENTRAL_OFFICER.into();
    central.update_case(id, edit)?;
    tick();

    let from_unit = stick.join("from-gjilan.rdbundle");
    bundle(&mut unit, &central, &from_unit)?;
    let unit_device = unit.profile().device_id.to_string();
    assert_eq!(central.conflict_count()?, 0, "nothing is in conflict before the second bundle arrives");
    Ok(Offices { _root: root, central: central_dir, unit: unit_dir, stick, from_unit, unit_device, number })
}

/// The demand of issue 3: export on one data folder, import on another, resolve a conflict — in
/// the real window at the central office, and the answer taken back to the unit.
#[test]
fn a_conflict_between_two_offices_is_resolved_in_the_window() -> Res<()> {
    if std::env::var_os("RIGHTSDESK_E2E").is_none() {
        eprintln!("e2e: not run (set RIGHTSDESK_E2E=1 under a display, as scripts/test does)");
        return Ok(());
    }
    let offices = two_offices()?;
    let to_unit = offices.stick.join("to-gjilan.rdbundle");

    let driver = Driver::start(&offices.central)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(async {
        let app = App::connect(&driver).await?;
        let outcome = central_office_resolves(&app, &offices, &to_unit).await;
        let _ = app.client.clone().close().await;
        outcome
    });
    drop(driver);
    result?;

    // The unit imports the central office's answer with the app's API.
    assert!(to_unit.is_file(), "the bundle saved in the window is on the stick: {}", to_unit.display());
    let mut unit =
        Desk::open(DataDir::new(&offices.unit), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(41))?;
    let report = unit.import_bundle(&std::fs::read(&to_unit)?, &mut |_, _| {})?;
    assert!(report.applied, "the unit takes in the central office's bundle: {report:?}");
    assert!(report.rejected.is_empty(), "nothing in the central office's bundle is refused: {report:?}");
    assert_eq!(report.sender_office, CENTRAL_OFFICE, "the unit sees the bundle came from the central office");
    assert!(
        unit.conflicts()?.is_empty(),
        "the resolution made in the window resolves the conflict at the unit too"
    );
    let id: CaseId = unit.case_by_number(&offices.number)?.ok_or("the unit still holds its case")?;
    let case = unit.case_detail(id)?.case;
    assert_eq!(case.draft.risk, Risk::High, "the unit holds the risk the central office kept");
    assert_eq!(case.draft.person.age_band, "age_35_49", "the unit keeps its own age-band correction");
    assert_eq!(
        case.draft.assigned_officer, CENTRAL_OFFICER,
        "the central office's reassignment reached the unit"
    );

    let central =
        Desk::open(DataDir::new(&offices.central), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(42))?;
    assert!(
        central.conflicts()?.is_empty(),
        "the central office's queue stays empty after the window closed"
    );
    assert_eq!(
        central.state_digest()?.0,
        unit.state_digest()?.0,
        "after one exchange each way both offices hold exactly the same data"
    );
    Ok(())
}

async fn central_office_resolves(app: &App, offices: &Offices, to_unit: &Path) -> Res<()> {
    let shots = screenshots();
    let number = offices.number.as_str();
    let _ = app.client.set_window_size(1366, 768).await;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.find("nav-cases").await?;
    assert!(app.all("nav-sync-conflicts").await?.is_empty(), "no conflict is waiting before the import");

    // 1. Receive: the unit's bundle, typed as a path; the report before anything is written.
    app.click("nav-sync").await?;
    app.find("sync-send").await?;
    app.fill("sync-import-path", &offices.from_unit.display().to_string()).await?;
    app.screenshot(&shots, "11-sync").await?;
    app.click("sync-import-preview").await?;
    app.find("sync-import-preview-result").await?;
    let applied = app.wait_attr("sync-report", "data-applied", |v| !v.is_empty()).await?;
    assert_eq!(applied, "false", "the preview writes nothing");
    let sender = app.text("sync-report-sender").await?;
    assert!(
        sender.contains(UNIT_OFFICE) && sender.contains(UNIT_OFFICER),
        "the report names the sending unit and its officer: {sender:?}"
    );
    let lines = app.all("sync-report-conflict").await?;
    assert_eq!(lines.len(), 1, "the report announces exactly one conflict");
    let line = lines[0].text().await?;
    assert_eq!(lines[0].attr("data-field").await?.as_deref(), Some("risk"), "the conflict is on the risk");
    assert!(
        line.contains(&format!("Case {number}")) && line.contains("Risk"),
        "the conflict line names the case and the field: {line:?}"
    );
    assert!(app.all("sync-import-refused").await?.is_empty(), "nothing in the unit's bundle is refused");
    app.find("sync-import-confirm").await?; // scrolls the report's end into view
    app.screenshot(&shots, "12-sync-import-report").await?;

    // 2. Imported: the conflict waits in the queue, counted in the sidebar and on the tab.
    app.click("sync-import-confirm").await?;
    let done = app.wait_text("sync-import-done", |t| t.contains(UNIT_OFFICE)).await?;
    assert!(done.starts_with("Imported"), "the window says the bundle was imported: {done:?}");
    let applied = app.wait_attr("sync-report", "data-applied", |v| v == "true").await;
    assert!(applied.is_ok(), "the report after the import says it was written: {applied:?}");
    let badge = app.wait_text("nav-sync-conflicts", |t| t.trim_start().starts_with('1')).await;
    assert!(badge.is_ok(), "the sidebar counts the one open conflict: {badge:?}");
    let tab = app.wait_text("sync-tab-conflicts-count", |t| t.trim() == "1").await;
    assert!(tab.is_ok(), "the Conflicts tab counts it too: {tab:?}");

    // 3. The conflict side by side: the central office's later value shown meanwhile, the unit's
    // beside it, each with who wrote it.
    app.click("sync-report-to-conflicts").await?;
    let conflict = format!("[data-testid='sync-conflict'][data-case='{number}'][data-field='risk']");
    app.find_css(&conflict).await?;
    assert_eq!(app.all("sync-conflict").await?.len(), 1, "the queue holds the one conflict");
    let field = app.text("sync-conflict-field").await?;
    assert_eq!(field.trim(), "Risk", "the conflict names the field in words");
    let sides = app.all("sync-conflict-candidate").await?;
    assert_eq!(sides.len(), 2, "both values are shown side by side");
    let mut values = Vec::new();
    for side in &sides {
        let value = side.find(fantoccini::Locator::Css(&testid("sync-conflict-value"))).await?.text().await?;
        values.push((value.trim().to_string(), side.text().await?));
    }
    assert_eq!(values[0].0, "Low", "the central office's later value is shown meanwhile: {values:?}");
    assert!(values[0].1.contains(CENTRAL_OFFICER), "the shown value says the central office wrote it");
    assert_eq!(values[1].0, "High", "the unit's value is kept beside it: {values:?}");
    assert!(values[1].1.contains(UNIT_OFFICER), "the unit's value says the unit's officer wrote it");
    app.screenshot(&shots, "13-sync-conflicts").await?;

    // The case itself shows the value meanwhile, a notice of the conflict, and the unit's other edit.
    app.click("sync-conflict-case").await?;
    app.wait_text("case-number", |t| t == number).await?;
    app.find("case-conflicts-notice").await?;
    let risk = app.wait_text_at(fantoccini::Locator::Css("p.meta .risk"), |t| !t.is_empty()).await?;
    assert_eq!(risk.trim(), "Low", "until someone chooses, the case shows the value shown meanwhile");
    app.click("case-conflicts-link").await?;

    // 4. The unit's value is kept.
    app.find_css(&conflict).await?;
    let keep = app
        .find_css(&format!(
            "{conflict} [data-testid='sync-conflict-candidate']:nth-of-type(2) [data-testid='sync-conflict-keep']"
        ))
        .await?;
    let label = keep.attr("aria-label").await?.unwrap_or_default();
    assert!(label.ends_with("High"), "the button pressed keeps the unit's value: {label:?}");
    keep.click().await?;
    let resolved = app.wait_text("sync-conflict-resolved", |t| t.contains("Resolved")).await?;
    assert!(resolved.contains(number), "the window confirms which conflict was resolved: {resolved:?}");
    app.find("sync-conflicts-empty").await?;
    assert!(app.all("sync-conflict").await?.is_empty(), "the resolved conflict has left the queue");
    let cleared = app.wait_gone("nav-sync-conflicts").await;
    assert!(cleared.is_ok(), "the sidebar badge clears once nothing is in conflict: {cleared:?}");
    let cleared = app.wait_gone("sync-tab-conflicts-count").await;
    assert!(cleared.is_ok(), "the Conflicts tab's count clears too: {cleared:?}");

    // 5. The case now: the value kept, the unit's age band and the central office's reassignment.
    app.click("nav-cases").await?;
    app.find_css(&format!("[data-testid='case-row'][data-number='{number}'] td")).await?.click().await?;
    app.wait_text("case-number", |t| t == number).await?;
    let risk = app.wait_text_at(fantoccini::Locator::Css("p.meta .risk"), |t| t.trim() == "High").await;
    assert!(risk.is_ok(), "the case shows the risk that was kept: {risk:?}");
    let age = fact(app, "Age", "35–49").await;
    assert!(age.is_ok(), "the unit's correction of the age band (no conflict) is in the case: {age:?}");
    let officer = fact(app, "Assigned officer", CENTRAL_OFFICER).await;
    assert!(officer.is_ok(), "the central office's own reassignment (no conflict) stays: {officer:?}");

    // 6. Send: the answer for the unit, saved to a typed path.
    app.click("nav-sync").await?;
    app.find("sync-send").await?;
    app.select("sync-export-to", &offices.unit_device).await?;
    app.fill("sync-export-path", &to_unit.display().to_string()).await?;
    app.click("sync-export-save").await?;
    let sent = app.wait_text("sync-export-done", |t| t.contains(UNIT_OFFICE)).await?;
    assert!(sent.contains("Bundle 1 for"), "the first bundle for the unit is confirmed: {sent:?}");
    assert!(sent.contains("encrypted"), "the confirmation says only the unit can open it: {sent:?}");
    let path = app.text("sync-export-done-path").await?;
    assert_eq!(path.trim(), to_unit.display().to_string(), "the confirmation shows where the bundle is");
    Ok(())
}

/// Waits until the case's fact labelled `label` reads `value`.
async fn fact(app: &App, label: &str, value: &str) -> Res<String> {
    let xpath = format!("//dt[normalize-space()='{label}']/following-sibling::dd[1]");
    app.wait_text_at(fantoccini::Locator::XPath(&xpath), |t| t.trim() == value).await
}

// ---------------------------------------------------------------------------------------------
// A referral and its letter.

#[test]
fn a_case_is_referred_and_its_letter_saved_in_the_window() -> Res<()> {
    if std::env::var_os("RIGHTSDESK_E2E").is_none() {
        eprintln!("e2e: not run (set RIGHTSDESK_E2E=1 under a display, as scripts/test does)");
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let out = tempfile::tempdir()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let today = clock.today();
    let mut desk = Desk::setup(
        DataDir::new(data.path()),
        ProfileDraft {
            municipality: "gjilan".into(),
            office: UNIT_OFFICE.into(),
            officer: UNIT_OFFICER.into(),
            role: Role::Officer,
            lang: "en".into(),
        },
        PASSPHRASE,
        None,
        clock,
        IdGen::seeded(21),
    )?;
    // The person agreed to the unit keeping her data, not (yet) to its being passed on.
    let case = desk.create_case(CaseDraft {
        intake_date: today - Duration::days(3),
        channel: "walk_in".into(),
        source_activity: None,
        person: Person {
            name: Some("Drita Krasniqi".into()),
            contact: None,
            gender: "female".into(),
            age_band: "age_25_34".into(),
            community: "roma".into(),
            language: "albanian".into(),
            consent_processing: true,
            consent_referral: false,
            consent_statistics: true,
        },
        acts: vec![Act {
            id: None,
            date_from: Some(today - Duration::days(10)),
            date_to: None,
            place: "Qendra për Punë Sociale, Gjilan".into(),
            narrative: "Sportelisti refuzoi ta pranonte kërkesën e saj për ndihmë sociale dhe i tha se \
                        'për romët nuk ka më fonde'."
                .into(),
            grounds: vec!["ethnicity".into()],
            ground_other: None,
            area: "social_assistance".into(),
            form: "direct".into(),
            respondent_type: "municipal_institution".into(),
            respondent_name: "QPS Gjilan".into(),
        }],
        risk: Risk::Medium,
        assigned_officer: UNIT_OFFICER.into(),
    })?;
    let number = case.case.number.clone();
    drop(desk);

    let saved = out.path().join("letter.pdf");
    let driver = Driver::start(data.path())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(async {
        let app = App::connect(&driver).await?;
        let outcome = refer_and_print(&app, &saved).await;
        let _ = app.client.clone().close().await;
        outcome
    });
    drop(driver);
    let sha_in_window = result?;

    // What the window did is in the database, and the saved file is the letter it recorded.
    let desk = Desk::open(DataDir::new(data.path()), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(22))?;
    let id = desk.case_by_number(&number)?.ok_or("the case")?;
    let detail = desk.case_detail(id)?;
    assert_eq!(detail.referrals.len(), 1, "the referral made in the window was saved");
    let r = &detail.referrals[0];
    assert_eq!(r.draft.institution, "ombudsperson");
    assert!(r.draft.override_reason.is_some(), "referred without consent, with the reason given");
    assert_eq!(r.status, rightsdesk_domain::referral::ReferralStatus::Answered, "the answer was recorded");
    let record = detail
        .timeline
        .iter()
        .find_map(|e| e.referral.as_ref().and_then(|m| m.letter.clone()))
        .ok_or("a letter entry on the timeline")?;
    let file = std::fs::read(&saved)?;
    assert_eq!(
        record.sha256,
        rightsdesk_sync::digest::sha256_hex(&file),
        "the saved file is the recorded letter"
    );
    assert_eq!(record.sha256, sha_in_window, "the window shows the recorded hash");
    assert_eq!(record.lang, "sq+sr-Latn");
    assert_eq!(desk.issued_letter(&record.sha256)?, file, "the office keeps the same bytes");
    Ok(())
}

/// Refers the only case to the Ombudsperson without the person's consent (with a reason), saves the
/// bilingual letter, records the institution's answer; returns the hash the timeline shows.
async fn refer_and_print(app: &App, saved: &Path) -> Res<String> {
    let shots = screenshots();
    let _ = app.client.set_window_size(1366, 768).await;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.click("nav-cases").await?;
    app.find_css("[data-testid='case-row'] td").await?.click().await?;
    app.find("case-number").await?;

    app.click("refer-case").await?;
    app.find("refer-dialog").await?;
    app.select("refer-institution", "ombudsperson").await?;
    app.select("refer-request-type", "investigation").await?;
    app.fill(
        "refer-asked",
        "Të shqyrtohet refuzimi dhe të merren masat në kuadër të kompetencave tuaja. / \
         Da se ispita odbijanje i preduzmu mere u okviru vaše nadležnosti.",
    )
    .await?;
    app.find("refer-consent-alert").await?; // the person has not consented: the app says so
    app.click("refer-consent-override").await?;
    app.fill("refer-override-reason", "Rrezik i menjëhershëm: familja mbetet pa të ardhura.").await?;
    app.screenshot(&shots, "14-refer-case").await?;
    app.click("refer-submit").await?;
    app.find("referral-item").await?;

    app.click("referral-letter").await?;
    app.find("letter-dialog").await?;
    app.click("letter-lang-sq+sr-Latn").await?;
    let pages =
        app.wait_attr("letter-preview", "data-pages", |v| v.parse::<u32>().is_ok_and(|n| n >= 1)).await?;
    assert!(pages.parse::<u32>()? >= 1, "the preview shows the letter's pages");
    app.find("letter-page").await?;
    app.screenshot(&shots, "15-letter-preview").await?;
    app.fill("letter-path", &saved.display().to_string()).await?;
    app.click("letter-save").await?;
    let sha = app.wait_attr("letter-issued-hash", "data-sha256", |v| v.len() == 64).await?;
    app.click("letter-close").await?;
    let on_timeline = app.wait_attr("timeline-letter", "data-sha256", |v| v.len() == 64).await?;
    assert_eq!(on_timeline, sha, "the letter is on the case's timeline with its hash");

    app.click("referral-update").await?;
    app.click("referral-to-answered").await?;
    app.fill("referral-text", "Avokati i Popullit hapi hetim, nr. ref. 214/2026.").await?;
    app.click("referral-status-save").await?;
    app.wait_attr("referral-item", "data-status", |v| v == "answered").await?;
    app.find("timeline-letter").await?;
    app.screenshot(&shots, "16-referral-answered").await?;
    Ok(sha)
}

// ---------------------------------------------------------------------------------------------
// The overview and a period report.

const REPORT_OFFICE: &str = "Zyra për Qeverisje të Mirë";
const REPORT_OFFICER: &str = "Mimoza Berisha";

/// What the backend says the window must show, computed before it opens.
struct ReportExpected {
    open_cases: u64,
    overdue_tasks: u64,
    from: String,
    to: String,
    opened: String,
    closed: String,
    newsletter: String,
    internal_opened: String,
}

/// The central office with a few years of (generated) work: the overview shows the backend's
/// figures; last year's report shows the backend's figures for sharing and inside the office; its
/// PDF and its zip of CSV files, saved from the window, are exactly the report's bytes.
#[test]
fn the_overview_and_a_period_report_in_the_window() -> Res<()> {
    if std::env::var_os("RIGHTSDESK_E2E").is_none() {
        eprintln!("e2e: not run (set RIGHTSDESK_E2E=1 under a display, as scripts/test does)");
        return Ok(());
    }
    let data = tempfile::tempdir()?;
    let out = tempfile::tempdir()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let today = clock.today();
    let mut desk = Desk::setup(
        DataDir::new(data.path()),
        ProfileDraft {
            municipality: "prishtine".into(),
            office: REPORT_OFFICE.into(),
            officer: REPORT_OFFICER.into(),
            role: Role::Coordinator,
            lang: "en".into(),
        },
        PASSPHRASE,
        None,
        clock,
        IdGen::seeded(51),
    )?;
    desk.generate_demo(400, 17)?;
    let dashboard = desk.dashboard()?;
    // "Last year", as the window computes it from the same local date.
    let year = today.year() - 1;
    let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or("1 January")?;
    let to = chrono::NaiveDate::from_ymd_opt(year, 12, 31).ok_or("31 December")?;
    let request =
        |audience| ReportRequest { from, to, municipalities: vec![], audience, lang: Some("en".into()) };
    let report = desk.report(&request(Audience::Export))?;
    let internal = desk.report(&request(Audience::Internal))?;
    assert!(
        internal.cases.opened.value().is_some_and(|n| n > 0),
        "the demo data has cases in the year reported: {:?}",
        internal.cases.opened
    );
    let pdf_expected = desk.report_bytes(&report, ReportFormat::Pdf)?.0;
    let zip_expected = desk.report_bytes(&report, ReportFormat::Csv)?.0;
    drop(desk);
    let expected = ReportExpected {
        open_cases: dashboard.open_cases,
        overdue_tasks: dashboard.overdue_tasks,
        from: from.to_string(),
        to: to.to_string(),
        opened: report.cases.opened.text(),
        closed: report.cases.closed.text(),
        newsletter: report.newsletter.clone(),
        internal_opened: internal.cases.opened.text(),
    };

    let pdf = out.path().join("report-last-year.pdf");
    let zip = out.path().join("report-last-year.zip");
    let driver = Driver::start(data.path())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(async {
        let app = App::connect(&driver).await?;
        let outcome = overview_and_report(&app, &expected, &pdf, &zip).await;
        let _ = app.client.clone().close().await;
        outcome
    });
    drop(driver);
    result?;

    // The saved PDF is the report for sharing, byte for byte.
    let saved_pdf = std::fs::read(&pdf)?;
    assert!(saved_pdf.starts_with(b"%PDF-"), "the saved file is a PDF");
    assert!(
        saved_pdf == pdf_expected,
        "the window saved exactly the report's PDF ({} bytes)",
        saved_pdf.len()
    );

    // The zip holds the summary and one CSV per table, each UTF-8 with a byte-order mark.
    let saved_zip = std::fs::read(&zip)?;
    assert!(saved_zip.starts_with(b"PK\x03\x04"), "the saved file is a zip");
    assert!(saved_zip == zip_expected, "the window saved exactly the report's CSV files");
    let listing = std::process::Command::new("unzip").arg("-Z1").arg(&zip).output()?;
    assert!(listing.status.success(), "unzip lists the zip: {}", String::from_utf8_lossy(&listing.stderr));
    let names: Vec<String> = String::from_utf8(listing.stdout)?.lines().map(str::to_string).collect();
    for name in [
        "summary.csv",
        "cases_by_ground_community.csv",
        "activities_by_month.csv",
        "referrals_by_institution.csv",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} is in the zip: {names:?}");
    }
    for name in &names {
        assert!(name.ends_with(".csv"), "only CSV files in the zip: {name}");
        let csv = std::process::Command::new("unzip").arg("-p").arg(&zip).arg(name).output()?;
        assert!(csv.status.success(), "unzip reads {name}");
        assert!(csv.stdout.starts_with(b"\xEF\xBB\xBF"), "{name} starts with the UTF-8 byte-order mark");
        assert!(std::str::from_utf8(&csv.stdout).is_ok(), "{name} is UTF-8");
    }
    let summary = std::process::Command::new("unzip").arg("-p").arg(&zip).arg("summary.csv").output()?.stdout;
    assert!(
        String::from_utf8(summary)?.contains(&expected.newsletter),
        "the summary holds the newsletter sentence shown in the window"
    );

    // The threshold set in Settings is kept.
    let desk = Desk::open(DataDir::new(data.path()), PASSPHRASE, Arc::new(SystemClock), IdGen::seeded(52))?;
    assert_eq!(desk.report_threshold()?, 10, "the threshold saved in Settings");
    Ok(())
}

async fn overview_and_report(app: &App, expected: &ReportExpected, pdf: &Path, zip: &Path) -> Res<()> {
    let shots = screenshots();
    let _ = app.client.set_window_size(1366, 768).await;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;

    // 1. The overview is the first screen: what waits now, as the backend counts it.
    let open = app.wait_attr("dash-open-cases", "data-value", |v| !v.is_empty()).await?;
    assert_eq!(
        open,
        expected.open_cases.to_string(),
        "the overview counts the open cases as the backend does"
    );
    let overdue = app.wait_attr("dash-overdue-tasks", "data-value", |v| !v.is_empty()).await?;
    assert_eq!(overdue, expected.overdue_tasks.to_string(), "and the overdue tasks");
    let bars = app.wait_attr("dash-chart-grounds", "data-bars", |v| v != "0").await?;
    assert!(bars.parse::<u32>()? <= 8, "at most eight bars per chart, the rest summed: {bars}");
    app.find("dash-chart-activities").await?;
    app.client.execute("document.querySelector('main').scrollTo(0, 0)", vec![]).await?;
    app.screenshot(&shots, "17-dashboard").await?;

    // Open cases leads to the list of open cases.
    app.click("dash-open-cases").await?;
    let listed = app.wait_attr("case-total", "data-total", |v| v == expected.open_cases.to_string()).await;
    assert!(listed.is_ok(), "the list shows the open cases counted on the overview: {listed:?}");

    // 2. Last year's report for sharing: the figures are the backend's.
    app.click("nav-reports").await?;
    app.find("report-result").await?;
    app.click("report-preset-last_year").await?;
    app.wait_attr("report-period", "data-from", |v| v == expected.from).await?;
    app.wait_attr("report-result", "data-from", |v| v == expected.from).await?;
    let to = app.wait_attr("report-result", "data-to", |v| !v.is_empty()).await?;
    assert_eq!(to, expected.to, "the report ends on 31 December");
    let opened = app.wait_text("report-opened", |t| !t.is_empty()).await?;
    assert_eq!(opened.trim(), expected.opened, "cases opened, as the backend counts them for sharing");
    let closed = app.text("report-closed").await?;
    assert_eq!(closed.trim(), expected.closed, "cases closed, as the backend counts them");
    let sentence = app.text("report-newsletter").await?;
    assert_eq!(sentence.trim(), expected.newsletter, "the newsletter sentence is the backend's");
    app.find("report-left-out").await?; // a report for sharing says how many cases were left out
    app.find("report-table-cases_by_ground_community").await?;
    app.find("report-chart-cases_by_ground_community").await?;

    // Inside the office: every case counted, and the screen says so.
    app.click("report-audience-internal").await?;
    app.wait_attr("report-result", "data-audience", |v| v == "internal").await?;
    let opened = app.wait_text("report-opened", |t| !t.is_empty()).await?;
    assert_eq!(opened.trim(), expected.internal_opened, "cases opened, every case counted");
    app.find("report-internal-badge").await?;
    assert!(app.all("report-left-out").await?.is_empty(), "nothing is left out inside the office");
    app.click("report-audience-export").await?;
    app.wait_attr("report-result", "data-audience", |v| v == "export").await?;

    // 3. Saved as PDF and as a zip of CSV files, to typed paths.
    app.fill("report-path", &pdf.display().to_string()).await?;
    app.click("report-save-pdf").await?;
    let saved = app.wait_text("report-saved-path", |t| t.trim() == pdf.display().to_string()).await;
    assert!(saved.is_ok(), "the window says where the PDF went: {saved:?}");
    let what = app.text("report-saved-what").await?;
    assert!(what.contains("Pages"), "and how many pages it has: {what:?}");
    app.fill("report-path", &zip.display().to_string()).await?;
    app.click("report-save-csv").await?;
    let saved = app.wait_text("report-saved-path", |t| t.trim() == zip.display().to_string()).await;
    assert!(saved.is_ok(), "the window says where the zip went: {saved:?}");
    // The picture shows the report itself: its figures, the newsletter line, the first table.
    app.client
        .execute(
            "document.querySelector(\"[data-testid='report-result']\").scrollIntoView({block: 'start'})",
            vec![],
        )
        .await?;
    app.screenshot(&shots, "18-report").await?;

    // 4. The PDF's preview, drawn page by page.
    app.click("report-preview-open").await?;
    app.find("report-preview-dialog").await?;
    let pages =
        app.wait_attr("report-preview", "data-pages", |v| v.parse::<u32>().is_ok_and(|n| n >= 2)).await?;
    assert!(pages.parse::<u32>()? >= 2, "the report's PDF has its pages: {pages}");
    let drawn = app.wait_attr("report-preview", "data-drawn", |v| v == pages).await;
    assert!(drawn.is_ok(), "every page of the preview is drawn: {drawn:?}");
    app.screenshot(&shots, "19-report-preview").await?;
    app.click("report-preview-close").await?;
    app.wait_gone("report-preview-dialog").await?;

    // 5. Settings: the threshold of small counts, checked and saved.
    app.click("nav-settings").await?;
    app.fill("settings-threshold", "2").await?;
    app.click("settings-threshold-save").await?;
    app.find_css("[data-error-for='threshold']").await?;
    app.fill("settings-threshold", "10").await?;
    app.click("settings-threshold-save").await?;
    app.find("settings-threshold-saved").await?;
    Ok(())
}
