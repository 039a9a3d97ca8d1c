//! Rightsdesk's use-cases: what the desktop shell and the command line call. [`Desk`] is an
//! unlocked installation (database, profile, clock, id source); its methods are the things an
//! officer does: set up, open cases, move them through the workflow, write on their timeline,
//! set tasks, record activities, and find all of it again.
//!
//! Every operation that writes several rows does so in one transaction.

pub mod activities;
pub mod cases;
pub mod demo;
pub mod error;
pub mod find;
pub mod letters;
pub mod referrals;
pub mod reports;
pub mod setup;
pub mod sync;

pub use error::{AppError, Result};
pub use setup::{DataDir, Desk, DirState};
