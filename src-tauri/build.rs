//! The app's own commands get generated `allow-<command>` permissions; the window's capability
//! (capabilities/default.json) grants exactly those the UI uses and nothing else.
const COMMANDS: &[&str] = &[
    "app_state",
    "setup",
    "unlock",
    "lock",
    "set_language",
    "profile_update",
    "reference",
    "stats",
    "officers",
    "cases_list",
    "case_get",
    "case_create",
    "case_update",
    "case_transition",
    "timeline_add",
    "task_add",
    "task_complete",
    "tasks_due",
    "activities_list",
    "activity_get",
    "activity_save",
    "sync_overview",
    "sync_conflict_count",
    "sync_conflicts",
    "sync_resolve",
    "sync_export",
    "sync_preview",
    "sync_import",
    "sync_enrolment_save",
    "sync_enrolment_read",
    "sync_approve",
    "sync_revoke",
    "sync_registry_save",
    "sync_registry_read",
    "sync_registry_import",
    "institutions",
    "institution_save",
    "referral_create",
    "referral_consent",
    "referral_update",
    "referrals_awaiting",
    "letter_preview",
    "letter_issue",
    "letter_issued",
    "letter_templates",
    "letterhead_get",
    "letterhead_save",
    "letterhead_logo",
    "letterhead_logo_get",
];

fn main() {
    let attrs =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri build step failed: {e:#}");
    }
}
