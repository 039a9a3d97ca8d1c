//! The installation's profile: which unit this laptop belongs to, who uses it, in which language,
//! and the device identity every record it writes carries.
use crate::MAX_LINE;
use crate::i18n;
use crate::ids::DeviceId;
use crate::validation::{Checker, Invalid, codes};
use crate::vocab::{self, Vocabularies};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works in a municipal unit.
    Officer,
    /// Works at the central office, merging units' bundles.
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Coordinator => "coordinator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "officer" => Some(Role::Officer),
            "coordinator" => Some(Role::Coordinator),
            _ => None,
        }
    }
}

/// What the first-run wizard (or `rightsdesk init`) asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDraft {
    pub municipality: String,
    pub office: String,
    pub officer: String,
    pub role: Role,
    pub lang: String,
}

fn check_names(c: &mut Checker, office: &str, officer: &str) {
    c.required_text("office", office, MAX_LINE);
    c.required_text("officer", officer, MAX_LINE);
}

/// Checks the names an officer may change later in Settings (the office's and their own).
pub fn check_settings(office: &str, officer: &str) -> Result<(), Invalid> {
    let mut c = Checker::new();
    check_names(&mut c, office, officer);
    c.finish()
}

/// Shortest passphrase accepted for the database.
pub const MIN_PASSPHRASE: usize = 10;

impl ProfileDraft {
    pub fn normalise(&mut self) {
        self.office = self.office.trim().to_string();
        self.officer = self.officer.trim().to_string();
    }

    pub fn validate(&self, v: &Vocabularies) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.code("municipality", v, vocab::MUNICIPALITIES, &self.municipality);
        check_names(&mut c, &self.office, &self.officer);
        if !i18n::is_supported(&self.lang) {
            c.fail("lang", codes::UNKNOWN_CODE);
        }
        c.finish()
    }
}

/// Checks a new passphrase (and its confirmation, when the user typed one).
pub fn check_passphrase(passphrase: &str, confirmation: Option<&str>) -> Result<(), Invalid> {
    let mut c = Checker::new();
    if passphrase.chars().count() < MIN_PASSPHRASE {
        c.fail("passphrase", codes::TOO_SHORT);
    } else if passphrase.chars().count() > 1024 {
        c.fail("passphrase", codes::TOO_LONG);
    }
    if confirmation.is_some_and(|conf| conf != passphrase) {
        c.fail("confirmation", codes::MISMATCH);
    }
    c.finish()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub device_id: DeviceId,
    /// Four characters that make this device's case numbers unique (see [`crate::case_number`]).
    pub device_code: String,
    pub municipality: String,
    pub office: String,
    pub officer: String,
    pub role: Role,
    pub lang: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wizard_checks_municipality_names_and_language() {
        let p = ProfileDraft {
            municipality: "atlantis".into(),
            office: " ".into(),
            officer: "Arben".into(),
            role: Role::Officer,
            lang: "xx".into(),
        };
        let err = p.validate(Vocabularies::builtin()).unwrap_err();
        assert!(err.has("municipality", codes::UNKNOWN_CODE), "{err}");
        assert!(err.has("office", codes::REQUIRED), "{err}");
        assert!(err.has("lang", codes::UNKNOWN_CODE), "{err}");
    }

    #[test]
    fn a_passphrase_is_long_enough_and_confirmed() {
        assert!(check_passphrase("short", None).unwrap_err().has("passphrase", codes::TOO_SHORT));
        assert!(
            check_passphrase("long enough phrase", Some("long enough phrasE"))
                .unwrap_err()
                .has("confirmation", codes::MISMATCH)
        );
        assert_eq!(check_passphrase("dëshmi e fortë 2026", Some("dëshmi e fortë 2026")), Ok(()));
    }
}
