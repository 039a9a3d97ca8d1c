//! Rightsdesk's domain: the things a municipal human rights unit records and the rules they obey.
//!
//! - a **case** is a complaint taken by the unit: the person concerned, one or more alleged **acts**
//!   (each with grounds, area, form and respondent), a workflow **status**, a **timeline** of notes and
//!   actions that is only ever appended to, and follow-up **tasks**;
//! - an **activity** is a training, a round table or an outreach meeting, with attendance recorded as
//!   counts by gender and community, never names;
//! - **vocabularies** (grounds, areas, communities, municipalities...) are data under `assets/vocab`,
//!   with a label in every supported language.
//!
//! This crate does no IO. Time and randomness are passed in ([`clock::Clock`], [`ids::IdGen`]).

pub mod activity;
pub mod case;
pub mod case_number;
pub mod clock;
pub mod i18n;
pub mod ids;
pub mod institution;
pub mod letter;
pub mod profile;
pub mod referral;
pub mod report;
pub mod search_key;
pub mod task;
pub mod timeline;
pub mod translit;
pub mod validation;
pub mod vocab;
pub mod workflow;

pub use validation::{FieldError, Invalid};

mod assets {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// Longest free text a single line field may hold (names, places, titles).
pub const MAX_LINE: usize = 200;
/// Longest free text a narrative or note may hold.
pub const MAX_TEXT: usize = 20_000;
