//! Referrals, institutions, letters and the letterhead.
use super::{ApiError, ApiResult, Shell, parse_id};
use rightsdesk_app::AppError;
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_app::letters::{LetterInfo, TemplateStatus};
use rightsdesk_app::referrals::{InstitutionView, LetterheadSettings, ReferralRow};
use rightsdesk_domain::referral::{InstitutionDraft, ReferralDraft, ReferralUpdate, parse_letter_lang};
use std::path::PathBuf;
use tauri::State;
use tauri::ipc::Response;

fn lang(s: &str) -> ApiResult<&'static str> {
    parse_letter_lang(s).ok_or_else(|| {
        ApiError::from(AppError::Invalid(rightsdesk_domain::Invalid {
            fields: vec![rightsdesk_domain::FieldError {
                field: "lang".into(),
                code: rightsdesk_domain::validation::codes::UNKNOWN_CODE,
            }],
        }))
    })
}

#[tauri::command]
pub async fn institutions(shell: State<'_, Shell>) -> ApiResult<Vec<InstitutionView>> {
    shell.with(|d| d.institutions())
}

#[tauri::command]
pub async fn institution_save(
    shell: State<'_, Shell>,
    id: Option<String>,
    draft: InstitutionDraft,
) -> ApiResult<InstitutionView> {
    match id {
        Some(id) => {
            let id = parse_id("institution", &id)?;
            shell.with(|d| d.update_institution(id, draft))
        }
        None => shell.with(|d| d.add_institution(draft)),
    }
}

#[tauri::command]
pub async fn referral_create(
    shell: State<'_, Shell>,
    case_id: String,
    draft: ReferralDraft,
) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &case_id)?;
    shell.with(|d| d.create_referral(id, draft))
}

#[tauri::command]
pub async fn referral_consent(shell: State<'_, Shell>, case_id: String) -> ApiResult<CaseDetail> {
    let id = parse_id("case", &case_id)?;
    shell.with(|d| d.record_referral_consent(id))
}

#[tauri::command]
pub async fn referral_update(
    shell: State<'_, Shell>,
    id: String,
    update: ReferralUpdate,
) -> ApiResult<CaseDetail> {
    let id = parse_id("referral", &id)?;
    shell.with(|d| d.update_referral(id, update))
}

#[tauri::command]
pub async fn referrals_awaiting(shell: State<'_, Shell>, days: i64) -> ApiResult<Vec<ReferralRow>> {
    shell.with(|d| d.referrals_awaiting(days, 500))
}

/// The letter as PDF bytes (an `ArrayBuffer` in the UI), not recorded: for the preview.
#[tauri::command]
pub async fn letter_preview(shell: State<'_, Shell>, id: String, lang: String) -> ApiResult<Response> {
    let id = parse_id("referral", &id)?;
    let lang = self::lang(&lang)?;
    let letter = shell.with(|d| d.render_letter(id, lang))?;
    Ok(Response::new(letter.pdf))
}

/// Records the letter as sent (its hash on the case's timeline) and, with `path`, writes it there.
#[tauri::command]
pub async fn letter_issue(
    shell: State<'_, Shell>,
    id: String,
    lang: String,
    path: Option<String>,
) -> ApiResult<IssuedView> {
    let id = parse_id("referral", &id)?;
    let lang = self::lang(&lang)?;
    shell.with(|d| {
        let out = path.map(PathBuf::from);
        let issued = d.issue_letter_to(id, lang, out.as_deref())?;
        Ok(IssuedView { letter: issued.letter.info(), detail: issued.detail, path: out })
    })
}

#[derive(serde::Serialize)]
pub struct IssuedView {
    pub letter: LetterInfo,
    pub detail: CaseDetail,
    pub path: Option<PathBuf>,
}

/// A letter issued earlier, exactly as it was (by its hash), if this office issued it; with `path`,
/// also written there (whole or not at all).
#[tauri::command]
pub async fn letter_issued(
    shell: State<'_, Shell>,
    sha256: String,
    path: Option<String>,
) -> ApiResult<Response> {
    let pdf = shell.with(|d| {
        let pdf = d.issued_letter(&sha256)?;
        if let Some(p) = &path {
            rightsdesk_app::letters::write_file(std::path::Path::new(p), &pdf)?;
        }
        Ok(pdf)
    })?;
    Ok(Response::new(pdf))
}

#[tauri::command]
pub async fn letter_templates(shell: State<'_, Shell>) -> ApiResult<TemplateStatus> {
    shell.with(|d| Ok(d.template_status()))
}

#[tauri::command]
pub async fn letterhead_get(shell: State<'_, Shell>) -> ApiResult<LetterheadSettings> {
    shell.with(|d| d.letterhead())
}

#[tauri::command]
pub async fn letterhead_save(
    shell: State<'_, Shell>,
    settings: LetterheadSettings,
) -> ApiResult<LetterheadSettings> {
    shell.with(|d| d.set_letterhead(settings))
}

/// Sets the logo from a PNG file the user chose (or removes it, without a path).
#[tauri::command]
pub async fn letterhead_logo(shell: State<'_, Shell>, path: Option<String>) -> ApiResult<LetterheadSettings> {
    let png = match path {
        Some(p) => Some(
            std::fs::read(&p)
                .map_err(|e| ApiError::from(AppError::Io { path: PathBuf::from(&p), source: e }))?,
        ),
        None => None,
    };
    shell.with(|d| d.set_logo(png))
}

#[tauri::command]
pub async fn letterhead_logo_get(shell: State<'_, Shell>) -> ApiResult<Response> {
    let logo = shell.with(|d| d.logo())?;
    Ok(Response::new(logo.unwrap_or_default()))
}
