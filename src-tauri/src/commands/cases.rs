//! Cases, their timeline and tasks.
use super::{ApiResult, Shell, parse_id};
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_app::find::CasePage;
use rightsdesk_domain::case::CaseDraft;
use rightsdesk_domain::task::TaskDraft;
use rightsdesk_domain::timeline::EntryDraft;
use rightsdesk_domain::workflow::Transition;
use rightsdesk_store::search::CaseFilter;
use rightsdesk_store::tasks::DueTask;
use tauri::State;

#[tauri::command]
pub async fn cases_list(shell: State<'_, Shell>, filter: CaseFilter) -> ApiResult<CasePage> {
    shell.with(|d| d.list_cases(&filter))
}

#[tauri::command]
pub async fn case_get(shell: State<'_, Shell>, id: String) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &id)?;
    shell.with(|d| d.case_detail(id))
}

#[tauri::command]
pub async fn case_create(shell: State<'_, Shell>, draft: CaseDraft) -> ApiResult<CaseDetail> {
    shell.with(|d| d.create_case(draft))
}

#[tauri::command]
pub async fn case_update(shell: State<'_, Shell>, id: String, draft: CaseDraft) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &id)?;
    shell.with(|d| d.update_case(id, draft))
}

#[tauri::command]
pub async fn case_transition(
    shell: State<'_, Shell>,
    id: String,
    transition: Transition,
) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &id)?;
    shell.with(|d| d.transition(id, transition))
}

#[tauri::command]
pub async fn timeline_add(
    shell: State<'_, Shell>,
    case_id: String,
    entry: EntryDraft,
) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &case_id)?;
    shell.with(|d| d.add_entry(id, entry))
}

#[tauri::command]
pub async fn task_add(shell: State<'_, Shell>, case_id: String, task: TaskDraft) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &case_id)?;
    shell.with(|d| d.add_task(id, task))
}

#[tauri::command]
pub async fn task_complete(shell: State<'_, Shell>, task_id: String) -> ApiResult<CaseDetail> {
    let id = parse_id("task", &task_id)?;
    shell.with(|d| d.complete_task(id))
}

#[tauri::command]
pub async fn tasks_due(shell: State<'_, Shell>, days: u32) -> ApiResult<Vec<DueTask>> {
    shell.with(|d| d.due_tasks(days.min(366)))
}

#[tauri::command]
pub async fn officers(shell: State<'_, Shell>) -> ApiResult<Vec<String>> {
    shell.with(|d| d.officers())
}
