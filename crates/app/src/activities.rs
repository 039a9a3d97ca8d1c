//! Trainings, round tables and outreach meetings.
use crate::error::{AppError, Result};
use crate::setup::Desk;
use crate::sync::capture;
use rightsdesk_domain::activity::{Activity, ActivityDraft};
use rightsdesk_domain::ids::{ActivityId, CaseId};
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::{activities, cases};
use rightsdesk_sync::Kind;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LinkedCase {
    pub id: CaseId,
    pub number: String,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityDetail {
    pub activity: Activity,
    /// Cases opened at this activity (outreach meetings).
    pub linked_cases: Vec<LinkedCase>,
}

impl Desk {
    /// Records a new activity (`id` = None) or saves an existing one whole.
    pub fn save_activity(
        &mut self,
        id: Option<ActivityId>,
        mut draft: ActivityDraft,
    ) -> Result<ActivityDetail> {
        draft.normalise();
        draft.validate(self.vocab, self.clock.today())?;
        let now = self.clock.now();
        let activity = match id {
            Some(id) => {
                let old = activities::get(self.store.conn(), &id)?
                    .ok_or_else(|| AppError::NotFound { what: "activity", id: id.to_string() })?;
                Activity {
                    id,
                    draft,
                    created_at: old.created_at,
                    updated_at: now,
                    device_id: self.profile.device_id,
                }
            }
            None => Activity {
                id: self.ids.next(now),
                draft,
                created_at: now,
                updated_at: now,
                device_id: self.profile.device_id,
            },
        };
        let tx = self.store.transaction()?;
        activities::upsert(&tx, &activity)?;
        capture(&tx, self.profile.device_id.as_uuid(), now, &[(Kind::Activity, activity.id.as_uuid())])?;
        rightsdesk_store::commit(tx)?;
        self.activity_detail(activity.id)
    }

    pub fn activity_detail(&self, id: ActivityId) -> Result<ActivityDetail> {
        let conn = self.store.conn();
        let activity = activities::get(conn, &id)?
            .ok_or_else(|| AppError::NotFound { what: "activity", id: id.to_string() })?;
        let linked_cases = cases::linked_to_activity(conn, id)?
            .into_iter()
            .map(|(id, number, status)| LinkedCase { id, number, status })
            .collect();
        Ok(ActivityDetail { activity, linked_cases })
    }

    pub fn list_activities(&self, filter: &activities::ActivityFilter) -> Result<activities::ActivityPage> {
        Ok(activities::list(self.store.conn(), filter)?)
    }
}
