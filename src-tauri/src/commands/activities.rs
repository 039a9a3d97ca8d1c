//! Trainings, round tables and outreach meetings.
use super::{ApiResult, Shell, parse_id};
use rightsdesk_app::activities::ActivityDetail;
use rightsdesk_domain::activity::ActivityDraft;
use rightsdesk_store::activities::{ActivityFilter, ActivityPage};
use tauri::State;

#[tauri::command]
pub async fn activities_list(shell: State<'_, Shell>, filter: ActivityFilter) -> ApiResult<ActivityPage> {
    shell.with(|d| d.list_activities(&filter))
}

#[tauri::command]
pub async fn activity_get(shell: State<'_, Shell>, id: String) -> ApiResult<ActivityDetail> {
    let id = parse_id("activity", &id)?;
    shell.with(|d| d.activity_detail(id))
}

#[tauri::command]
pub async fn activity_save(
    shell: State<'_, Shell>,
    id: Option<String>,
    draft: ActivityDraft,
) -> ApiResult<ActivityDetail> {
    let id = id.map(|s| parse_id("activity", &s)).transpose()?;
    shell.with(|d| d.save_activity(id, draft))
}
