//! Sync between offices: this device's identity and enrolment, the trust registry, bundles out
//! and in, the conflict queue, and the overview of every other device (see `rightsdesk_app::sync`).
//!
//! Files are named by a path the window chose (a native save or open dialog, or a path the user
//! typed). Exporting, previewing and importing can take seconds on a large office: they run on a
//! blocking worker, never on the window's thread, and report their steps through a [`Channel`].
use super::{ApiError, ApiResult, Shell, parse_id};
use rightsdesk_app::sync::SyncError;
use rightsdesk_app::sync::bundles::{ExportRequest, Exported, ImportReport, read_file};
use rightsdesk_app::sync::conflicts::ConflictView;
use rightsdesk_app::sync::status::SyncOverview;
use rightsdesk_app::sync::trust::RegistryView;
use rightsdesk_app::{AppError, Desk};
use rightsdesk_domain::validation::{FieldError, codes};
use rightsdesk_sync::keys;
use rightsdesk_sync::registry::{Device, DeviceRole, Registry};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use uuid::Uuid;

/// One step of a long export, preview or import, for the window's progress bar.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `reading` the file, `checking` its signature and sender, `merging` its records.
    pub phase: &'static str,
    /// Records merged so far, of `total` (both 0 before merging starts).
    pub done: u64,
    pub total: u64,
}

impl Step {
    fn phase(phase: &'static str) -> Self {
        Self { phase, done: 0, total: 0 }
    }
}

/// A file this device wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub path: String,
    pub bytes: u64,
}

/// An enrolment request as read from its file, before the coordinator approves it.
#[derive(Debug, Clone, Serialize)]
pub struct EnrolmentView {
    pub device: Uuid,
    pub fingerprint: String,
    pub municipality: String,
    pub office: String,
    pub officer: String,
    pub role: DeviceRole,
    pub created: chrono::DateTime<chrono::Utc>,
    /// `approved` or `revoked` when the registry already lists this device, else `null`.
    pub known: Option<&'static str>,
}

/// A registry file as read, before it is imported.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryFileView {
    pub issuer: Uuid,
    /// The fingerprint of the key that signed it: the central office's.
    pub fingerprint: String,
    pub version: u64,
    pub issued: chrono::DateTime<chrono::Utc>,
    pub issuer_office: String,
    pub issuer_officer: String,
    pub issuer_municipality: String,
    pub devices: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegistryImported {
    /// False when this office already held this version (or a newer one).
    pub changed: bool,
    pub registry: Option<RegistryView>,
}

fn error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError { code, message: message.into(), fields: Vec::new() }
}

fn required(field: &str) -> ApiError {
    ApiError {
        code: "validation",
        message: format!("{field} is required"),
        fields: vec![FieldError { field: field.to_string(), code: codes::REQUIRED }],
    }
}

fn sync_error(e: impl Into<SyncError>) -> ApiError {
    ApiError::from(AppError::from(e.into()))
}

/// The path the user gave: surrounding quotes (a pasted "Copy as path") are dropped, and a path
/// that is not absolute is taken from the home folder. `field` names the text box for errors.
fn user_path(field: &str, path: &str) -> ApiResult<PathBuf> {
    let p = path.trim();
    let p = p.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(p).trim();
    if p.is_empty() {
        return Err(required(field));
    }
    let home = dirs::home_dir().unwrap_or_default();
    let p = match p.strip_prefix("~/").or_else(|| p.strip_prefix("~\\")) {
        Some(rest) => home.join(rest),
        None if p == "~" => home.clone(),
        None => PathBuf::from(p),
    };
    Ok(if p.is_relative() { home.join(p) } else { p })
}

/// Where to write: the path given, or `default_name` inside it when it is a folder.
fn out_path(path: &str, default_name: &str) -> ApiResult<PathBuf> {
    let p = user_path("path", path)?;
    let p = if p.is_dir() && !default_name.trim().is_empty() { p.join(default_name.trim()) } else { p };
    match p.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            Err(error("folder_not_found", format!("the folder {} does not exist", dir.display())))
        }
        _ => Ok(p),
    }
}

/// The file to read, which must exist.
fn in_path(path: &str) -> ApiResult<PathBuf> {
    let p = user_path("path", path)?;
    if !p.is_file() {
        return Err(error("file_not_found", format!("there is no file {}", p.display())));
    }
    Ok(p)
}

/// An input/output failure while reading or writing the user's file (not the database).
fn file_error(e: ApiError, code: &'static str) -> ApiError {
    if e.code == "io" { ApiError { code, ..e } } else { e }
}

fn read(path: &Path) -> ApiResult<Vec<u8>> {
    read_file(path).map_err(|e| file_error(e.into(), "file_read"))
}

fn write(path: &Path, bytes: &[u8]) -> ApiResult<Saved> {
    let part = path.with_extension("part");
    std::fs::write(&part, bytes).and_then(|()| std::fs::rename(&part, path)).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        error("file_write", format!("cannot write {}: {e}", path.display()))
    })?;
    Ok(Saved { path: path.display().to_string(), bytes: bytes.len() as u64 })
}

/// Runs `f` on the unlocked installation on a blocking worker, so the window stays responsive.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&mut Desk) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tauri::async_runtime::spawn_blocking(move || {
        let shell = app.state::<Shell>();
        let mut out = None;
        shell.with(|desk| {
            out = Some(f(desk));
            Ok(())
        })?;
        out.unwrap_or_else(|| Err(error("internal", "the operation did not run")))
    })
    .await
    .map_err(|e| error("internal", e.to_string()))?
}

/// Sends a step; a window that went away does not stop the work.
fn send(channel: &Channel<Step>, step: Step) {
    let _ = channel.send(step);
}

#[tauri::command]
pub async fn sync_overview(shell: State<'_, Shell>) -> ApiResult<SyncOverview> {
    shell.with(|d| d.sync_overview())
}

/// The number of open conflicts (the badge in the sidebar).
#[tauri::command]
pub async fn sync_conflict_count(shell: State<'_, Shell>) -> ApiResult<u64> {
    shell.with(|d| d.conflict_count())
}

#[tauri::command]
pub async fn sync_conflicts(shell: State<'_, Shell>) -> ApiResult<Vec<ConflictView>> {
    shell.with(|d| d.conflicts())
}

/// Keeps one candidate value of a conflict (`choice`: its `change`, or `delete`/`restore` for
/// `$deleted`), and returns the conflicts still open.
#[tauri::command]
pub async fn sync_resolve(
    shell: State<'_, Shell>,
    record: String,
    field: String,
    choice: String,
) -> ApiResult<Vec<ConflictView>> {
    let record: Uuid = parse_id("conflict", &record)?;
    shell.with(|d| {
        d.resolve_conflict(record, &field, &choice)?;
        d.conflicts()
    })
}

/// Writes a bundle for `to` (a device id from the registry) to `path`.
#[tauri::command]
pub async fn sync_export(
    app: AppHandle,
    to: String,
    full: bool,
    path: String,
    default_name: String,
    on_progress: Channel<Step>,
) -> ApiResult<Exported> {
    if to.trim().is_empty() {
        return Err(required("to"));
    }
    let out = out_path(&path, &default_name)?;
    blocking(app, move |d| {
        send(&on_progress, Step::phase("writing"));
        let req = ExportRequest { to, full, plain: false };
        d.export_bundle(&req, &out).map_err(|e| file_error(e.into(), "file_write"))
    })
    .await
}

async fn import(
    app: AppHandle,
    path: String,
    on_progress: Channel<Step>,
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let file = in_path(&path)?;
    blocking(app, move |d| {
        send(&on_progress, Step::phase("reading"));
        let bytes = read(&file)?;
        send(&on_progress, Step::phase("checking"));
        let mut step = |done: u64, total: u64| send(&on_progress, Step { phase: "merging", done, total });
        let report =
            if dry_run { d.preview_bundle(&bytes, &mut step) } else { d.import_bundle(&bytes, &mut step) };
        Ok(report?)
    })
    .await
}

/// Checks a bundle and reports what importing it would do; writes nothing.
#[tauri::command]
pub async fn sync_preview(
    app: AppHandle,
    path: String,
    on_progress: Channel<Step>,
) -> ApiResult<ImportReport> {
    import(app, path, on_progress, true).await
}

/// Imports a bundle whole, or refuses it and changes nothing.
#[tauri::command]
pub async fn sync_import(
    app: AppHandle,
    path: String,
    on_progress: Channel<Step>,
) -> ApiResult<ImportReport> {
    import(app, path, on_progress, false).await
}

/// Saves this device's enrolment request, for the central office to approve.
#[tauri::command]
pub async fn sync_enrolment_save(
    shell: State<'_, Shell>,
    path: String,
    default_name: String,
) -> ApiResult<Saved> {
    let out = out_path(&path, &default_name)?;
    let bytes = shell.with(|d| d.enrolment_request())?;
    write(&out, &bytes)
}

fn enrolment_of(d: &Desk, bytes: &[u8]) -> Result<EnrolmentView, AppError> {
    let (e, fingerprint) = d.read_enrolment(bytes)?;
    let known = d
        .registry()?
        .and_then(|r| r.device(e.device).map(|x| if x.revoked.is_some() { "revoked" } else { "approved" }));
    Ok(EnrolmentView {
        device: e.device,
        fingerprint,
        municipality: e.municipality,
        office: e.office,
        officer: e.officer,
        role: e.role,
        created: e.created,
        known,
    })
}

/// Reads an enrolment request without approving it, to show its fingerprint first.
#[tauri::command]
pub async fn sync_enrolment_read(shell: State<'_, Shell>, path: String) -> ApiResult<EnrolmentView> {
    let bytes = read(&in_path(&path)?)?;
    shell.with(|d| enrolment_of(d, &bytes))
}

/// Approves the enrolment request in `path` (coordinator only). `fingerprint` is the one the
/// coordinator was shown and confirmed: a file changed since is refused.
#[tauri::command]
pub async fn sync_approve(shell: State<'_, Shell>, path: String, fingerprint: String) -> ApiResult<Device> {
    let bytes = read(&in_path(&path)?)?;
    shell.with(|d| {
        let (_, found) = d.read_enrolment(&bytes)?;
        if found != fingerprint.trim() {
            return Ok(Err(error(
                "enrolment_changed",
                format!("the request now has fingerprint {found}, not the {fingerprint} that was confirmed"),
            )));
        }
        Ok(Ok(d.approve(&bytes)?))
    })?
}

/// Revokes a device (coordinator only); the reason is required and kept in the registry.
#[tauri::command]
pub async fn sync_revoke(shell: State<'_, Shell>, device: String, reason: String) -> ApiResult<Device> {
    if reason.trim().is_empty() {
        return Err(required("reason"));
    }
    let device: Uuid = parse_id("device", &device)?;
    shell.with(|d| d.revoke(device, &reason))
}

/// Saves the registry this office holds (the coordinator's, signed), for the units.
#[tauri::command]
pub async fn sync_registry_save(
    shell: State<'_, Shell>,
    path: String,
    default_name: String,
) -> ApiResult<Saved> {
    let out = out_path(&path, &default_name)?;
    let bytes = shell.with(|d| d.registry_file())?;
    write(&out, &bytes)
}

/// Reads a registry file without importing it, to show who signed it.
#[tauri::command]
pub async fn sync_registry_read(path: String) -> ApiResult<RegistryFileView> {
    let bytes = read(&in_path(&path)?)?;
    let (opened, r) = Registry::open(&bytes).map_err(sync_error)?;
    let issuer = r.device(r.issuer).cloned();
    Ok(RegistryFileView {
        issuer: r.issuer,
        fingerprint: keys::fingerprint(&opened.key),
        version: r.version,
        issued: r.issued,
        issuer_office: issuer.as_ref().map(|d| d.office.clone()).unwrap_or_default(),
        issuer_officer: issuer.as_ref().map(|d| d.officer.clone()).unwrap_or_default(),
        issuer_municipality: issuer.map(|d| d.municipality).unwrap_or_default(),
        devices: r.devices.len(),
    })
}

/// Imports the central office's registry. The first time, `fingerprint` is the one the officer
/// was shown and confirmed as the coordinator's; later it is not needed.
#[tauri::command]
pub async fn sync_registry_import(
    shell: State<'_, Shell>,
    path: String,
    fingerprint: Option<String>,
) -> ApiResult<RegistryImported> {
    let bytes = read(&in_path(&path)?)?;
    shell.with(|d| {
        let changed = d.import_registry(&bytes, fingerprint.as_deref())?;
        Ok(RegistryImported { changed, registry: d.registry_view()? })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_may_be_quoted_relative_or_a_folder() {
        let home = dirs::home_dir().unwrap_or_default();
        assert_eq!(user_path("path", "  \"/tmp/x.rdbundle\" ").ok(), Some(PathBuf::from("/tmp/x.rdbundle")));
        assert_eq!(user_path("path", "bundles/x.rdbundle").ok(), Some(home.join("bundles/x.rdbundle")));
        assert_eq!(user_path("path", "~/x.rdbundle").ok(), Some(home.join("x.rdbundle")));
        let empty = user_path("path", "  ").expect_err("an empty path");
        assert_eq!((empty.code, empty.fields[0].field.as_str()), ("validation", "path"));

        let dir = tempfile::tempdir().expect("a folder");
        let folder = dir.path().display().to_string();
        assert_eq!(
            out_path(&folder, "a.rdbundle").ok(),
            Some(dir.path().join("a.rdbundle")),
            "a folder gets the name"
        );
        let nowhere = dir.path().join("missing/a.rdbundle").display().to_string();
        assert_eq!(out_path(&nowhere, "a.rdbundle").expect_err("no such folder").code, "folder_not_found");
        assert_eq!(in_path(&nowhere).expect_err("no such file").code, "file_not_found");
    }

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().expect("a folder");
        let out = dir.path().join("sub/registry.rdreg");
        assert_eq!(write(&out, b"x").expect_err("no such folder").code, "file_write");
        assert!(!out.exists() && !out.with_extension("part").exists());
        let ok = dir.path().join("registry.rdreg");
        assert_eq!(write(&ok, b"abc").map(|s| s.bytes).ok(), Some(3));
        assert!(!ok.with_extension("part").exists(), "the temporary file is renamed over the target");
    }

    /// A command is wired in four places: build.rs (its permission), lib.rs (its handler), the
    /// window's capability (the permission granted) and ui/src/lib/backend.ts (the call).
    #[test]
    fn every_sync_command_is_wired_in_all_four_places() {
        let build = include_str!("../../build.rs");
        let lib = include_str!("../lib.rs");
        let capability = include_str!("../../capabilities/default.json");
        let backend = include_str!("../../../ui/src/lib/backend.ts");
        let here = include_str!("sync.rs");
        let commands: Vec<&str> = here
            .split("#[tauri::command]\npub async fn ")
            .skip(1)
            .filter_map(|rest| rest.split('(').next())
            .collect();
        assert!(commands.len() >= 14, "found the sync commands: {commands:?}");
        for c in commands {
            assert!(build.contains(&format!("\"{c}\",")), "{c} is listed in build.rs COMMANDS");
            assert!(lib.contains(&format!("commands::sync::{c},")), "{c} is in lib.rs generate_handler!");
            let permission = format!("\"allow-{}\"", c.replace('_', "-"));
            assert!(capability.contains(&permission), "{permission} is granted in capabilities/default.json");
            assert!(backend.contains(&format!("\"{c}\"")), "{c} is called from ui/src/lib/backend.ts");
        }
    }
}
