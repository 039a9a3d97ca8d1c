//! Set-up, unlocking, language and reference data.
use super::{ApiResult, Shell};
use rightsdesk_app::{Desk, DirState};
use rightsdesk_domain::case::Risk;
use rightsdesk_domain::clock::SystemClock;
use rightsdesk_domain::i18n;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::{Profile, ProfileDraft};
use rightsdesk_domain::vocab::Vocabularies;
use rightsdesk_domain::workflow::{CloseReason, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use tauri::State;

#[derive(Serialize)]
pub struct Language {
    code: &'static str,
    name: String,
}

#[derive(Serialize)]
pub struct AppState {
    state: &'static str,
    lang: String,
    languages: Vec<Language>,
    profile: Option<Profile>,
    data_dir: String,
}

fn state_of(shell: &Shell) -> AppState {
    let slot = shell.slot();
    let languages = i18n::languages().into_iter().map(|l| Language { code: l.code, name: l.name }).collect();
    let data_dir = shell.dir.path().display().to_string();
    match slot.as_ref() {
        Some(desk) => AppState {
            state: "unlocked",
            lang: desk.profile().lang.clone(),
            languages,
            profile: Some(desk.profile().clone()),
            data_dir,
        },
        None => AppState {
            state: match shell.dir.state() {
                DirState::FirstRun => "first_run",
                DirState::Locked => "locked",
            },
            lang: shell.dir.lang(),
            languages,
            profile: None,
            data_dir,
        },
    }
}

#[tauri::command]
pub async fn app_state(shell: State<'_, Shell>) -> ApiResult<AppState> {
    Ok(state_of(&shell))
}

#[tauri::command]
pub async fn setup(
    shell: State<'_, Shell>,
    profile: ProfileDraft,
    passphrase: String,
    confirmation: String,
) -> ApiResult<AppState> {
    let desk = Desk::setup(
        shell.dir.clone(),
        profile,
        &passphrase,
        Some(&confirmation),
        Arc::new(SystemClock),
        IdGen::from_os(),
    )?;
    *shell.slot() = Some(desk);
    Ok(state_of(&shell))
}

#[tauri::command]
pub async fn unlock(shell: State<'_, Shell>, passphrase: String) -> ApiResult<AppState> {
    let desk = Desk::open(shell.dir.clone(), &passphrase, Arc::new(SystemClock), IdGen::from_os())?;
    *shell.slot() = Some(desk);
    Ok(state_of(&shell))
}

#[tauri::command]
pub async fn lock(shell: State<'_, Shell>) -> ApiResult<AppState> {
    *shell.slot() = None;
    Ok(state_of(&shell))
}

/// Changes the interface language; before unlocking only the preference file is written.
#[tauri::command]
pub async fn set_language(shell: State<'_, Shell>, lang: String) -> ApiResult<AppState> {
    {
        let mut slot = shell.slot();
        match slot.as_mut() {
            Some(desk) => desk.set_language(&lang)?,
            None if i18n::is_supported(&lang) => shell.dir.set_lang(&lang)?,
            None => {}
        }
    }
    Ok(state_of(&shell))
}

/// Changes the office's and the officer's names.
#[tauri::command]
pub async fn profile_update(shell: State<'_, Shell>, office: String, officer: String) -> ApiResult<AppState> {
    shell.with(|d| d.update_profile(&office, &officer))?;
    Ok(state_of(&shell))
}

#[derive(Serialize)]
pub struct Reference {
    vocab: &'static Vocabularies,
    transitions: BTreeMap<&'static str, Vec<Status>>,
    statuses: Vec<Status>,
    close_reasons: Vec<CloseReason>,
    risks: Vec<Risk>,
}

#[tauri::command]
pub async fn reference() -> ApiResult<Reference> {
    Ok(Reference {
        vocab: Vocabularies::builtin(),
        transitions: Status::ALL.iter().map(|s| (s.as_str(), s.next().to_vec())).collect(),
        statuses: Status::ALL.to_vec(),
        close_reasons: CloseReason::ALL.to_vec(),
        risks: Risk::ALL.to_vec(),
    })
}

#[tauri::command]
pub async fn stats(shell: State<'_, Shell>) -> ApiResult<rightsdesk_store::stats::Counts> {
    shell.with(|d| d.stats())
}
