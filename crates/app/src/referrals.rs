//! Referrals: a case referred to an institution, the institution directory (built in, and the
//! unit's own), the referral's statuses until the institution answers, and the unit's letterhead.
//! Each write is one transaction that also records the timeline entry and the sync changes.
use crate::cases::CaseDetail;
use crate::error::{AppError, Result};
use crate::setup::Desk;
use crate::sync::capture;
use rightsdesk_domain::ids::{CaseId, InstitutionId, ReferralId};
use rightsdesk_domain::institution::{self, Labels};
use rightsdesk_domain::referral::{
    InstitutionDraft, Referral, ReferralDraft, ReferralMark, ReferralStatus, ReferralUpdate,
};
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_domain::validation::codes;
use rightsdesk_domain::{FieldError, Invalid};
use rightsdesk_store::referrals::{self, CustomInstitution, Letterhead};
use rightsdesk_store::{cases, timeline};
use rightsdesk_sync::Kind;
use serde::{Deserialize, Serialize};

/// An institution as the referral form lists it: a built-in one (`id` is its code) or one of the
/// unit's own (`id` is its uuid, `custom`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstitutionView {
    pub id: String,
    pub custom: bool,
    pub category: String,
    /// Its name in every language it has one in, `{municipality}` filled with the unit's.
    pub name: Labels,
    pub department: Option<Labels>,
    pub address: Option<Labels>,
    /// Whether the address was checked (the unit's own institutions: as entered).
    pub address_verified: bool,
    pub salutation: Labels,
}

/// A referral in a list across cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralRow {
    #[serde(flatten)]
    pub referral: Referral,
    pub case_number: String,
    /// The institution's name in the interface language.
    pub institution_name: String,
    pub overdue: bool,
}

/// The unit's letterhead settings as the Settings screen edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterheadSettings {
    pub address: String,
    pub contact: String,
    pub signer: String,
    /// Whether a logo is set (the image itself is set and read separately).
    #[serde(default)]
    pub has_logo: bool,
}

/// Largest logo accepted (a letterhead logo is a small image).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

fn not_found(what: &'static str, id: impl ToString) -> AppError {
    AppError::NotFound { what, id: id.to_string() }
}

fn invalid(field: &str, code: &'static str) -> AppError {
    AppError::Invalid(Invalid { fields: vec![FieldError { field: field.into(), code }] })
}

impl Desk {
    /// Every institution a case can be referred to: the built-in directory, then the unit's own.
    pub fn institutions(&self) -> Result<Vec<InstitutionView>> {
        self.institutions_in(&self.profile.municipality)
    }

    /// The directory as seen from `municipality` (its Centre for Social Work, its police...): for a
    /// letter about a case of another municipality, at the central office.
    pub fn institutions_in(&self, municipality: &str) -> Result<Vec<InstitutionView>> {
        let v = self.vocab;
        let mut out: Vec<InstitutionView> = institution::builtin()
            .iter()
            .map(|i| {
                let fill = |l: &Labels| -> Labels {
                    l.keys()
                        .map(|lang| (lang.clone(), institution::in_place(l, lang, municipality, v)))
                        .collect()
                };
                InstitutionView {
                    id: i.code.clone(),
                    custom: false,
                    category: i.category.clone(),
                    name: fill(&i.name),
                    department: i.department.as_ref().map(fill),
                    address: i.address.as_ref().map(fill),
                    address_verified: i.address_verified,
                    salutation: i.salutation.clone(),
                }
            })
            .collect();
        out.extend(referrals::institutions(self.store.conn())?.into_iter().map(custom_view));
        Ok(out)
    }

    /// One institution by its code or id.
    pub fn institution(&self, id: &str) -> Result<InstitutionView> {
        self.institutions()?.into_iter().find(|i| i.id == id).ok_or_else(|| not_found("institution", id))
    }

    /// Adds one of the unit's own institutions (it syncs like everything else).
    pub fn add_institution(&mut self, mut draft: InstitutionDraft) -> Result<InstitutionView> {
        draft.normalise();
        draft.validate()?;
        let now = self.clock.now();
        let inst = CustomInstitution { id: self.ids.next(now), draft, created_at: now, updated_at: now };
        let tx = self.store.transaction()?;
        referrals::put_institution(&tx, &inst)?;
        capture(&tx, self.profile.device_id.as_uuid(), now, &[(Kind::Institution, inst.id.as_uuid())])?;
        rightsdesk_store::commit(tx)?;
        Ok(custom_view(inst))
    }

    /// Corrects one of the unit's own institutions (its name, address or category).
    pub fn update_institution(
        &mut self,
        id: InstitutionId,
        mut draft: InstitutionDraft,
    ) -> Result<InstitutionView> {
        draft.normalise();
        draft.validate()?;
        let mut inst =
            referrals::get_institution(self.store.conn(), id)?.ok_or_else(|| not_found("institution", id))?;
        let now = self.clock.now();
        inst.draft = draft;
        inst.updated_at = now;
        let tx = self.store.transaction()?;
        referrals::put_institution(&tx, &inst)?;
        capture(&tx, self.profile.device_id.as_uuid(), now, &[(Kind::Institution, inst.id.as_uuid())])?;
        rightsdesk_store::commit(tx)?;
        Ok(custom_view(inst))
    }

    /// Refers a case to an institution. Needs the person's consent to referral recorded on the case,
    /// or `override_reason` (the error names `consent` otherwise, so the screen can offer both).
    pub fn create_referral(&mut self, case_id: CaseId, mut draft: ReferralDraft) -> Result<CaseDetail> {
        draft.normalise();
        let case = cases::get(self.store.conn(), case_id)?.ok_or_else(|| not_found("case", case_id))?;
        draft.validate(&case, self.vocab, self.clock.today())?;
        if self.institutions()?.iter().all(|i| i.id != draft.institution) {
            return Err(invalid("institution", codes::UNKNOWN_CODE));
        }
        let now = self.clock.now();
        if draft.protocol.is_empty() {
            let n = referrals::count_of_case(self.store.conn(), case_id)? + 1;
            draft.protocol = format!("{}/{n}", case.number);
        }
        let referral = Referral {
            id: self.ids.next(now),
            case_id,
            draft,
            status: ReferralStatus::Sent,
            acknowledged_on: None,
            answered_on: None,
            answer: None,
            closed_on: None,
            author: self.profile.officer.clone(),
            created_at: now,
            updated_at: now,
            device_id: self.profile.device_id,
        };
        let mut entry = self.entry(case_id, EntryKind::Referred, referral.draft.asked.clone());
        entry.occurred_on = referral.draft.sent_on;
        entry.action_type = Some(referral.draft.request_type.clone());
        entry.referral = Some(ReferralMark { id: referral.id, status: None, letter: None });
        let tx = self.store.transaction()?;
        referrals::put(&tx, &referral)?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, case_id, now, self.profile.device_id)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            now,
            &[(Kind::Referral, referral.id.as_uuid()), (Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(case_id)
    }

    /// Records on the case that the person consents to referral (an edit of the case, on its
    /// timeline like any other).
    pub fn record_referral_consent(&mut self, case_id: CaseId) -> Result<CaseDetail> {
        let case = cases::get(self.store.conn(), case_id)?.ok_or_else(|| not_found("case", case_id))?;
        let mut draft = case.draft;
        draft.person.consent_referral = true;
        self.update_case(case_id, draft)
    }

    /// Moves a referral to another status, recording the institution's answer.
    pub fn update_referral(&mut self, id: ReferralId, up: ReferralUpdate) -> Result<CaseDetail> {
        let mut referral = referrals::get(self.store.conn(), id)?.ok_or_else(|| not_found("referral", id))?;
        up.validate(&referral, self.clock.today())?;
        let from = referral.status;
        up.apply(&mut referral);
        let now = self.clock.now();
        referral.updated_at = now;
        referral.device_id = self.profile.device_id;
        let text = up.text.as_deref().map(str::trim).unwrap_or_default().to_string();
        let mut entry = self.entry(referral.case_id, EntryKind::ReferralUpdate, text);
        entry.occurred_on = up.on;
        entry.action_type = Some(from.as_str().to_string());
        entry.referral = Some(ReferralMark { id, status: Some(up.to), letter: None });
        let tx = self.store.transaction()?;
        referrals::put(&tx, &referral)?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, referral.case_id, now, self.profile.device_id)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            now,
            &[(Kind::Referral, id.as_uuid()), (Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(referral.case_id)
    }

    pub fn referral(&self, id: ReferralId) -> Result<Referral> {
        referrals::get(self.store.conn(), id)?.ok_or_else(|| not_found("referral", id))
    }

    /// Referrals (of one case, if given), newest first.
    pub fn referrals(&self, case: Option<CaseId>, limit: u32) -> Result<Vec<ReferralRow>> {
        let rows = referrals::list(self.store.conn(), case, limit)?;
        self.rows(rows)
    }

    /// Referrals still waiting for an answer whose deadline has passed or is within `days`.
    pub fn referrals_awaiting(&self, days: i64, limit: u32) -> Result<Vec<ReferralRow>> {
        let until = self.clock.today() + chrono::Days::new(days.max(0) as u64);
        let rows = referrals::awaiting(self.store.conn(), until, limit)?;
        self.rows(rows)
    }

    fn rows(&self, rows: Vec<referrals::Listed>) -> Result<Vec<ReferralRow>> {
        let today = self.clock.today();
        let all = self.institutions()?;
        let lang = &self.profile.lang;
        Ok(rows
            .into_iter()
            .map(|l| {
                let institution_name = all
                    .iter()
                    .find(|i| i.id == l.referral.draft.institution)
                    .map(|i| institution::pick(&i.name, lang).to_string())
                    .unwrap_or_else(|| l.referral.draft.institution.clone());
                ReferralRow {
                    overdue: l.referral.is_overdue(today),
                    referral: l.referral,
                    case_number: l.case_number,
                    institution_name,
                }
            })
            .collect())
    }

    /// The unit's letterhead settings.
    pub fn letterhead(&self) -> Result<LetterheadSettings> {
        let l = referrals::letterhead(self.store.conn())?;
        Ok(LetterheadSettings {
            address: l.address,
            contact: l.contact,
            signer: l.signer,
            has_logo: l.logo.is_some(),
        })
    }

    /// Saves the letterhead's texts (the logo is kept).
    pub fn set_letterhead(&mut self, s: LetterheadSettings) -> Result<LetterheadSettings> {
        let mut l = referrals::letterhead(self.store.conn())?;
        let mut c = rightsdesk_domain::validation::Checker::new();
        c.max_len("address", s.address.trim(), 1000);
        c.max_len("contact", s.contact.trim(), rightsdesk_domain::MAX_LINE);
        c.max_len("signer", s.signer.trim(), rightsdesk_domain::MAX_LINE);
        c.finish()?;
        l.address = s.address.trim().to_string();
        l.contact = s.contact.trim().to_string();
        l.signer = s.signer.trim().to_string();
        referrals::set_letterhead(self.store.conn(), &l)?;
        self.letterhead()
    }

    /// Sets (or, with `None`, removes) the logo printed on letters: a PNG image.
    pub fn set_logo(&mut self, png: Option<Vec<u8>>) -> Result<LetterheadSettings> {
        if let Some(bytes) = &png {
            if bytes.len() > MAX_LOGO_BYTES {
                return Err(invalid("logo", codes::TOO_LARGE));
            }
            rightsdesk_print::check_logo(bytes).map_err(|_| invalid("logo", codes::UNKNOWN_CODE))?;
        }
        let mut l: Letterhead = referrals::letterhead(self.store.conn())?;
        l.logo = png;
        referrals::set_letterhead(self.store.conn(), &l)?;
        self.letterhead()
    }

    /// The logo, if one is set.
    pub fn logo(&self) -> Result<Option<Vec<u8>>> {
        Ok(referrals::letterhead(self.store.conn())?.logo)
    }
}

fn custom_view(i: CustomInstitution) -> InstitutionView {
    let address: Option<Labels> = (!i.draft.address.is_empty())
        .then(|| i.draft.name.keys().map(|lang| (lang.clone(), i.draft.address.clone())).collect());
    InstitutionView {
        id: i.id.to_string(),
        custom: true,
        category: i.draft.category,
        salutation: i.draft.name.keys().map(|l| (l.clone(), String::new())).collect(),
        name: i.draft.name,
        department: None,
        address_verified: address.is_some(),
        address,
    }
}
