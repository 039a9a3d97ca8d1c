//! Rightsdesk's desktop shell. It is thin: [`commands`] are one-liners into `rightsdesk-app`, and
//! [`cli`] lets the same binary answer headless subcommands (`init`, `demo`, `stats`, `cases list`).
pub mod cli;
pub mod commands;

use commands::Shell;
use rightsdesk_app::DataDir;
use tauri::Manager;

/// The process entry point: a subcommand runs headless; no subcommand opens the window.
pub fn main_entry() -> i32 {
    let args = match cli::parse() {
        Ok(a) => a,
        Err(code) => return code,
    };
    match args.command {
        Some(cmd) => cli::run(args.data_dir, cmd),
        None => run_window(args.data_dir),
    }
}

fn run_window(data_dir: Option<std::path::PathBuf>) -> i32 {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = match data_dir.clone() {
                Some(d) => d,
                None => app.path().app_data_dir()?,
            };
            app.manage(Shell::new(DataDir::new(dir)));
            // Copies the database's write-ahead log back in the background, so saves never wait
            // for it (see Store::checkpoint).
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(15));
                    if let Some(shell) = handle.try_state::<Shell>() {
                        shell.maintain();
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::app_state,
            commands::session::setup,
            commands::session::unlock,
            commands::session::lock,
            commands::session::set_language,
            commands::session::profile_update,
            commands::session::reference,
            commands::session::stats,
            commands::cases::officers,
            commands::cases::cases_list,
            commands::cases::case_get,
            commands::cases::case_create,
            commands::cases::case_update,
            commands::cases::case_transition,
            commands::cases::timeline_add,
            commands::cases::task_add,
            commands::cases::task_complete,
            commands::cases::tasks_due,
            commands::activities::activities_list,
            commands::activities::activity_get,
            commands::activities::activity_save,
            commands::sync::sync_overview,
            commands::sync::sync_conflict_count,
            commands::sync::sync_conflicts,
            commands::sync::sync_resolve,
            commands::sync::sync_export,
            commands::sync::sync_preview,
            commands::sync::sync_import,
            commands::sync::sync_enrolment_save,
            commands::sync::sync_enrolment_read,
            commands::sync::sync_approve,
            commands::sync::sync_revoke,
            commands::sync::sync_registry_save,
            commands::sync::sync_registry_read,
            commands::sync::sync_registry_import,
            commands::referrals::institutions,
            commands::referrals::institution_save,
            commands::referrals::referral_create,
            commands::referrals::referral_consent,
            commands::referrals::referral_update,
            commands::referrals::referrals_awaiting,
            commands::referrals::letter_preview,
            commands::referrals::letter_issue,
            commands::referrals::letter_issued,
            commands::referrals::letter_templates,
            commands::referrals::letterhead_get,
            commands::referrals::letterhead_save,
            commands::referrals::letterhead_logo,
            commands::referrals::letterhead_logo_get,
            commands::reports::dashboard,
            commands::reports::report,
            commands::reports::report_pdf,
            commands::reports::report_export,
            commands::reports::report_threshold,
            commands::reports::report_threshold_save,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Rightsdesk could not start its window: {e}");
            1
        }
    }
}
