//! The dashboard, period reports and their export.
use super::{ApiResult, Shell};
use rightsdesk_app::reports::export::{
    Exported, LabelledTable, ReportFormat, file_name, privacy_note, tables,
};
use rightsdesk_app::reports::{Dashboard, Report, ReportRequest};
use std::path::PathBuf;
use tauri::State;
use tauri::ipc::Response;

/// A report with its tables labelled in the report's language, for the screen.
#[derive(serde::Serialize)]
pub struct ReportView {
    pub report: Report,
    pub tables: Vec<LabelledTable>,
    pub privacy_note: String,
    /// A suggested file name without extension.
    pub file_stem: String,
}

#[tauri::command]
pub async fn dashboard(shell: State<'_, Shell>) -> ApiResult<Dashboard> {
    shell.with(|d| d.dashboard())
}

#[tauri::command]
pub async fn report(shell: State<'_, Shell>, request: ReportRequest) -> ApiResult<ReportView> {
    shell.with(|d| {
        let report = d.report(&request)?;
        let tables = tables(&report, d.vocab());
        let privacy_note = privacy_note(&report);
        let file_stem = file_name(&report, "x").trim_end_matches(".x").to_string();
        Ok(ReportView { report, tables, privacy_note, file_stem })
    })
}

/// The report as PDF bytes, for the preview (nothing written).
#[tauri::command]
pub async fn report_pdf(shell: State<'_, Shell>, request: ReportRequest) -> ApiResult<Response> {
    let pdf = shell.with(|d| {
        let r = d.report(&request)?;
        Ok(d.report_bytes(&r, ReportFormat::Pdf)?.0)
    })?;
    Ok(Response::new(pdf))
}

/// Writes the report to `path` (PDF, a zip of CSV files, or JSON), whole or not at all.
#[tauri::command]
pub async fn report_export(
    shell: State<'_, Shell>,
    request: ReportRequest,
    format: ReportFormat,
    path: String,
) -> ApiResult<Exported> {
    shell.with(|d| d.export_report(&request, format, &PathBuf::from(path)))
}

#[tauri::command]
pub async fn report_threshold(shell: State<'_, Shell>) -> ApiResult<u32> {
    shell.with(|d| d.report_threshold())
}

#[tauri::command]
pub async fn report_threshold_save(shell: State<'_, Shell>, threshold: u32) -> ApiResult<u32> {
    shell.with(|d| d.set_report_threshold(threshold))
}
