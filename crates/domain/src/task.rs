//! Follow-up tasks on a case: something to do by a due date (call the person back, check whether
//! the institution answered). A task not done by its due date is overdue.
use crate::MAX_LINE;
use crate::ids::{CaseId, DeviceId, TaskId};
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDraft {
    pub title: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub assignee: String,
}

impl TaskDraft {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.required_text("title", &self.title, MAX_LINE);
        c.plausible_date("due", self.due);
        c.max_len("assignee", &self.assignee, MAX_LINE);
        c.finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub case_id: CaseId,
    pub title: String,
    pub due: NaiveDate,
    pub assignee: String,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub device_id: DeviceId,
}

impl Task {
    /// Not done, and its due date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due < today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_overdue_the_day_after_it_is_due_unless_done() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        let mut t = Task {
            id: TaskId(uuid::Uuid::nil()),
            case_id: CaseId(uuid::Uuid::nil()),
            title: "Call back".into(),
            due,
            assignee: String::new(),
            done_at: None,
            done_by: None,
            created_at: DateTime::<Utc>::default(),
            device_id: DeviceId(uuid::Uuid::nil()),
        };
        assert!(!t.is_overdue(due), "on the due date itself it is not yet overdue");
        assert!(t.is_overdue(due.succ_opt().unwrap()), "the day after, it is");
        t.done_at = Some(DateTime::<Utc>::default());
        assert!(!t.is_overdue(due.succ_opt().unwrap()), "a done task is never overdue");
    }

    #[test]
    fn a_task_needs_a_title() {
        let t = TaskDraft {
            title: " ".into(),
            due: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            assignee: String::new(),
        };
        assert!(t.validate().unwrap_err().has("title", crate::validation::codes::REQUIRED));
    }
}
