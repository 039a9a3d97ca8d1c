//! Cases: opening, editing, moving through the workflow, the timeline and follow-up tasks.
//! Each operation is one transaction that also writes the timeline entry recording it and
//! rewrites the case's search index entry.
use crate::error::{AppError, Result};
use crate::setup::Desk;
use crate::sync::capture;
use chrono::{Datelike, NaiveDate};
use rightsdesk_domain::case::{Case, CaseDraft};
use rightsdesk_domain::case_number::CaseNumber;
use rightsdesk_domain::ids::{ActId, CaseId, TaskId};
use rightsdesk_domain::task::{Task, TaskDraft};
use rightsdesk_domain::timeline::{Entry, EntryDraft, EntryKind};
use rightsdesk_domain::validation::codes;
use rightsdesk_domain::workflow::{self, Status, Transition};
use rightsdesk_domain::{FieldError, Invalid};
use rightsdesk_store::{activities, cases, search, tasks, timeline};
use rightsdesk_sync::Kind;
use serde::Serialize;

/// Everything the case screen shows.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub case: Case,
    pub timeline: Vec<Entry>,
    pub tasks: Vec<Task>,
    /// The case's referrals to institutions, oldest first.
    pub referrals: Vec<rightsdesk_domain::referral::Referral>,
    /// The statuses the case may move to now.
    pub next: Vec<Status>,
    pub source_activity: Option<SourceActivity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceActivity {
    pub id: String,
    pub title: String,
    pub date_from: NaiveDate,
    pub venue: String,
}

fn not_found(id: impl ToString) -> AppError {
    AppError::NotFound { what: "case", id: id.to_string() }
}

impl Desk {
    fn check_draft(&self, draft: &mut CaseDraft) -> Result<()> {
        draft.normalise();
        draft.validate(self.vocab, self.clock.today())?;
        if let Some(a) = draft.source_activity
            && !activities::exists(self.store.conn(), &a)?
        {
            return Err(Invalid {
                fields: vec![FieldError { field: "source_activity".into(), code: codes::UNKNOWN_CODE }],
            }
            .into());
        }
        Ok(())
    }

    pub(crate) fn entry(&mut self, case_id: CaseId, kind: EntryKind, text: String) -> Entry {
        let now = self.clock.now();
        Entry {
            id: self.ids.next(now),
            case_id,
            kind,
            action_type: None,
            occurred_on: self.clock.today(),
            text,
            corrects: None,
            status_from: None,
            status_to: None,
            author: self.profile.officer.clone(),
            created_at: now,
            device_id: self.profile.device_id,
            referral: None,
        }
    }

    /// Ids for acts added in one save, increasing in the order the acts are listed: every office lists
    /// a case's acts by when they were created, then by id (see `cases::renumber_acts`).
    fn act_ids(&mut self, now: chrono::DateTime<chrono::Utc>, n: usize) -> Vec<ActId> {
        let mut ids: Vec<ActId> = (0..n).map(|_| self.ids.next(now)).collect();
        ids.sort();
        ids
    }

    /// Opens a new case and gives it its number.
    pub fn create_case(&mut self, mut draft: CaseDraft) -> Result<CaseDetail> {
        self.check_draft(&mut draft)?;
        let now = self.clock.now();
        let mut new_ids = self.act_ids(now, draft.acts.len()).into_iter();
        for act in &mut draft.acts {
            act.id = new_ids.next();
        }
        let id: CaseId = self.ids.next(now);
        let opened = self.entry(id, EntryKind::Opened, String::new());
        let prefix = self.vocab.municipality_prefix(&self.profile.municipality).unwrap_or("XXX").to_string();
        let year = draft.intake_date.year();
        let tx = self.store.transaction()?;
        let seq = cases::last_number_seq(&tx, &self.profile.device_code, year)? + 1;
        let number = CaseNumber { prefix, year, device: self.profile.device_code.clone(), seq };
        let case = Case {
            id,
            number: number.to_string(),
            municipality: self.profile.municipality.clone(),
            status: Status::New,
            close_reason: None,
            draft,
            created_at: now,
            updated_at: now,
            device_id: self.profile.device_id,
        };
        let row = cases::insert(&tx, &case)?;
        cases::renumber_acts(&tx, id)?;
        search::index_case(&tx, row, &case)?;
        timeline::append(&tx, &opened)?;
        let mut touched = vec![(Kind::Case, id.as_uuid())];
        touched.extend(case.draft.acts.iter().filter_map(|a| a.id).map(|a| (Kind::Act, a.as_uuid())));
        touched.push((Kind::Entry, opened.id.as_uuid()));
        capture(&tx, self.profile.device_id.as_uuid(), now, &touched)?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(id)
    }

    /// Saves edited details. The timeline records which fields changed.
    pub fn update_case(&mut self, id: CaseId, mut draft: CaseDraft) -> Result<CaseDetail> {
        self.check_draft(&mut draft)?;
        let (mut case, row) = cases::get_with_seq(self.store.conn(), id)?.ok_or_else(|| not_found(id))?;
        let known: Vec<_> = case.draft.acts.iter().filter_map(|a| a.id).collect();
        let now = self.clock.now();
        let mut seen = Vec::with_capacity(draft.acts.len());
        for (i, act) in draft.acts.iter_mut().enumerate() {
            match act.id {
                Some(a) if !known.contains(&a) => {
                    return Err(Invalid {
                        fields: vec![FieldError { field: format!("acts[{i}]"), code: codes::UNKNOWN_CODE }],
                    }
                    .into());
                }
                // The same stored act twice would be saved as one, losing the other's text.
                Some(a) if seen.contains(&a) => {
                    return Err(Invalid {
                        fields: vec![FieldError { field: format!("acts[{i}]"), code: codes::DUPLICATE }],
                    }
                    .into());
                }
                Some(a) => seen.push(a),
                None => {}
            }
        }
        let added = draft.acts.iter().filter(|a| a.id.is_none()).count();
        let mut new_ids = self.act_ids(now, added).into_iter();
        for act in draft.acts.iter_mut().filter(|a| a.id.is_none()) {
            act.id = new_ids.next();
        }
        let changed = changed_fields(&case.draft, &draft);
        if changed.is_empty() {
            return self.case_detail(id);
        }
        case.draft = draft;
        case.updated_at = now;
        case.device_id = self.profile.device_id;
        let edited = self.entry(id, EntryKind::Edited, changed.join(", "));
        let mut touched = vec![(Kind::Case, id.as_uuid())];
        let mut acts = known.clone();
        acts.extend(case.draft.acts.iter().filter_map(|a| a.id).filter(|a| !known.contains(a)));
        touched.extend(acts.into_iter().map(|a| (Kind::Act, a.as_uuid())));
        touched.push((Kind::Entry, edited.id.as_uuid()));
        let tx = self.store.transaction()?;
        cases::update(&tx, &case)?;
        cases::renumber_acts(&tx, id)?;
        search::index_case(&tx, row, &case)?;
        timeline::append(&tx, &edited)?;
        capture(&tx, self.profile.device_id.as_uuid(), now, &touched)?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(id)
    }

    /// Moves a case to another status (closing needs a reason).
    pub fn transition(&mut self, id: CaseId, mut t: Transition) -> Result<CaseDetail> {
        let case = cases::get(self.store.conn(), id)?.ok_or_else(|| not_found(id))?;
        t.note = t.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        workflow::check(case.status, &t)?;
        let reason = if t.to == Status::Closed { t.close_reason } else { None };
        let mut entry = self.entry(id, EntryKind::StatusChange, t.note.clone().unwrap_or_default());
        entry.status_from = Some(case.status);
        entry.status_to = Some(t.to);
        if let Some(r) = reason {
            entry.action_type = Some(r.as_str().to_string());
        }
        let now = self.clock.now();
        let tx = self.store.transaction()?;
        cases::set_status(&tx, id, t.to, reason, now, self.profile.device_id)?;
        timeline::append(&tx, &entry)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            now,
            &[(Kind::Case, id.as_uuid()), (Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(id)
    }

    /// Writes a note, an action or a correction on the case's timeline.
    pub fn add_entry(&mut self, id: CaseId, draft: EntryDraft) -> Result<CaseDetail> {
        draft.validate(self.vocab, self.clock.today())?;
        if cases::get(self.store.conn(), id)?.is_none() {
            return Err(not_found(id));
        }
        if let Some(target) = draft.corrects
            && timeline::case_of(self.store.conn(), &target.to_string())? != Some(id)
        {
            return Err(Invalid {
                fields: vec![FieldError { field: "corrects".into(), code: codes::UNKNOWN_CODE }],
            }
            .into());
        }
        let mut entry = self.entry(id, draft.kind, draft.text.trim().to_string());
        entry.action_type = draft.action_type;
        entry.occurred_on = draft.occurred_on;
        entry.corrects = draft.corrects;
        let tx = self.store.transaction()?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, id, entry.created_at, self.profile.device_id)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            entry.created_at,
            &[(Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(id)
    }

    /// Sets a follow-up task on a case.
    pub fn add_task(&mut self, id: CaseId, mut draft: TaskDraft) -> Result<CaseDetail> {
        draft.title = draft.title.trim().to_string();
        draft.assignee = draft.assignee.trim().to_string();
        draft.validate()?;
        if cases::get(self.store.conn(), id)?.is_none() {
            return Err(not_found(id));
        }
        let now = self.clock.now();
        let task = Task {
            id: self.ids.next(now),
            case_id: id,
            title: draft.title.clone(),
            due: draft.due,
            assignee: if draft.assignee.is_empty() { self.profile.officer.clone() } else { draft.assignee },
            done_at: None,
            done_by: None,
            created_at: now,
            device_id: self.profile.device_id,
        };
        let entry = self.entry(id, EntryKind::TaskAdded, format!("{} ({})", task.title, task.due));
        let tx = self.store.transaction()?;
        tasks::insert(&tx, &task)?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, id, now, self.profile.device_id)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            now,
            &[(Kind::Task, task.id.as_uuid()), (Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(id)
    }

    /// Marks a task done (doing it twice changes nothing).
    pub fn complete_task(&mut self, task_id: TaskId) -> Result<CaseDetail> {
        let task = tasks::get(self.store.conn(), task_id)?
            .ok_or_else(|| AppError::NotFound { what: "task", id: task_id.to_string() })?;
        if task.done_at.is_some() {
            return self.case_detail(task.case_id);
        }
        let now = self.clock.now();
        let entry = self.entry(task.case_id, EntryKind::TaskDone, task.title.clone());
        let tx = self.store.transaction()?;
        tasks::complete(&tx, task_id, &self.profile.officer, now, self.profile.device_id)?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, task.case_id, now, self.profile.device_id)?;
        capture(
            &tx,
            self.profile.device_id.as_uuid(),
            now,
            &[(Kind::Task, task_id.as_uuid()), (Kind::Entry, entry.id.as_uuid())],
        )?;
        rightsdesk_store::commit(tx)?;
        self.case_detail(task.case_id)
    }

    /// A case with its timeline, tasks and what it may move to.
    pub fn case_detail(&self, id: CaseId) -> Result<CaseDetail> {
        let conn = self.store.conn();
        let case = cases::get(conn, id)?.ok_or_else(|| not_found(id))?;
        let source_activity = match case.draft.source_activity {
            Some(a) => activities::get(conn, &a)?.map(|a| SourceActivity {
                id: a.id.to_string(),
                title: a.draft.title,
                date_from: a.draft.date_from,
                venue: a.draft.venue,
            }),
            None => None,
        };
        Ok(CaseDetail {
            next: case.status.next().to_vec(),
            timeline: timeline::of_case(conn, id)?,
            tasks: tasks::of_case(conn, id)?,
            referrals: rightsdesk_store::referrals::of_case(conn, id)?,
            case,
            source_activity,
        })
    }

    /// Finds a case by its number (`PRI-2026-K7QX-0042`).
    pub fn case_by_number(&self, number: &str) -> Result<Option<CaseId>> {
        let n = CaseNumber::parse(number).map(|n| n.to_string()).unwrap_or_else(|| number.to_string());
        Ok(cases::id_by_number(self.store.conn(), &n)?)
    }
}

/// The names of the fields that differ between two versions of a case (for the timeline).
pub fn changed_fields(old: &CaseDraft, new: &CaseDraft) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |name: &str, differs: bool| {
        if differs {
            out.push(name.to_string());
        }
    };
    check("intake_date", old.intake_date != new.intake_date);
    check("channel", old.channel != new.channel || old.source_activity != new.source_activity);
    check("person", old.person != new.person);
    check("risk", old.risk != new.risk);
    check("assigned_officer", old.assigned_officer != new.assigned_officer);
    if old.acts.len() != new.acts.len() {
        check("acts", true);
    } else {
        for (i, (a, b)) in old.acts.iter().zip(&new.acts).enumerate() {
            check(&format!("acts[{i}]"), a != b);
        }
    }
    out
}
