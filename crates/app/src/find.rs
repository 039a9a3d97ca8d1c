//! Finding cases and tasks: the same filters and search in the window and on the command line.
use crate::error::Result;
use crate::setup::Desk;
use rightsdesk_store::search::{self, CaseFilter, CaseSummary};
use rightsdesk_store::tasks::{self, DueTask};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    /// How many cases match in all (for "1–50 of 1,234").
    pub total: i64,
}

impl Desk {
    /// One page of the case list and the number of matches.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CasePage> {
        let today = self.clock.today();
        let conn = self.store.conn();
        Ok(CasePage { items: search::list(conn, filter, today)?, total: search::count(conn, filter, today)? })
    }

    /// One page of the case list, without counting all matches (what typing in the search box needs).
    pub fn page_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>> {
        Ok(search::list(self.store.conn(), filter, self.clock.today())?)
    }

    /// Open tasks that are overdue or due within `days` days.
    pub fn due_tasks(&self, days: u32) -> Result<Vec<DueTask>> {
        let today = self.clock.today();
        let until = today + chrono::Duration::days(i64::from(days));
        Ok(tasks::due(self.store.conn(), until, today, 500)?)
    }

    /// The officers cases are assigned to.
    pub fn officers(&self) -> Result<Vec<String>> {
        Ok(search::officers(self.store.conn())?)
    }
}
