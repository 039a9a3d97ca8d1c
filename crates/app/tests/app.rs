//! Integration tests of `rightsdesk-app`'s use-cases, built as one test binary. Each test drives a
//! real `Desk` over an encrypted database in a temporary folder. Where a new test goes:
//!
//! - `app/setup.rs`: the first-run set-up and unlocking a data folder;
//! - `app/cases.rs`: opening and editing a case, what its timeline records of that;
//! - `app/numbering.rs`: case numbers, across devices that never talk to each other (with a
//!   property test);
//! - `app/workflow.rs`: moving a case through its statuses;
//! - `app/timeline.rs`: notes, actions and corrections written by the officer;
//! - `app/tasks.rs`: follow-up tasks, due and overdue;
//! - `app/search.rs`: the case list: full-text search, filters, sorting and paging;
//! - `app/activities.rs`: trainings, round tables and outreach meetings, and cases opened at them;
//! - `app/referrals.rs`: referring a case (consent, institutions), a referral's statuses, overdue
//!   replies, referrals in bundles; `app/letters.rs`: the letter's PDF, its text and its record;
//! - `app/reports.rs`: period reports and the dashboard: figures against an independent count,
//!   suppression and consent, period ends and the user's time zone, the central office's figures,
//!   PDF, CSV and JSON exports, and the frozen wire format (`tests/golden/`);
//! - `app/atomicity.rs`: a write that fails leaves nothing behind;
//! - `app/demo.rs`: generated demonstration data is reproducible and valid;
//! - `app/sync.rs`: bundles between offices: enrolment, export and import, merges and conflicts,
//!   (`app/sync_support.rs` builds the little network they use); `app/sync_errors.rs`: every kind
//!   of bad bundle; `app/sync_offices.rs`: many offices converge (property test);
//! - `app/support.rs`: what the tests share: an office (data folder, fixed clock, desk), sample
//!   drafts, error and paging helpers.
//!
//! Tests are hermetic: data folders are `tempfile` directories, the clock is a `FixedClock` and
//! ids come from `IdGen::seeded`; nothing reads the wall clock or the user's folders.
mod app {
    mod activities;
    mod atomicity;
    mod cases;
    mod demo;
    mod letters;
    mod numbering;
    mod referrals;
    mod reports;
    mod search;
    mod setup;
    mod support;
    mod sync;
    mod sync_errors;
    mod sync_offices;
    mod sync_support;
    mod tasks;
    mod timeline;
    mod workflow;
}
