//! Validation errors name the field they are about (`person.name`, `acts[1].grounds`) and carry a
//! stable code (`required`, `too_long`...) that the UI turns into a message in the user's language
//! next to that field.
use crate::vocab::Vocabularies;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Path of the field: `intake_date`, `person.community`, `acts[0].grounds`.
    pub field: String,
    /// Stable reason code; see [`codes`].
    pub code: &'static str,
}

/// The reason codes a [`FieldError`] can carry (each has a `validation.<code>` message in the
/// catalogues).
pub mod codes {
    pub const REQUIRED: &str = "required";
    pub const TOO_LONG: &str = "too_long";
    pub const UNKNOWN_CODE: &str = "unknown_code";
    pub const IN_FUTURE: &str = "in_future";
    pub const TOO_OLD: &str = "too_old";
    pub const END_BEFORE_START: &str = "end_before_start";
    pub const DUPLICATE: &str = "duplicate";
    pub const TOO_LARGE: &str = "too_large";
    pub const NOT_WITHOUT_CONSENT: &str = "not_without_consent";
    pub const AT_LEAST_ONE: &str = "at_least_one";
    pub const TOO_SHORT: &str = "too_short";
    pub const MISMATCH: &str = "mismatch";
    pub const NOT_ALLOWED: &str = "not_allowed";
}

/// Removes repeated values, keeping the first of each in its place.
pub fn dedup<T: PartialEq + Clone>(values: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::with_capacity(values.len());
    values.retain(|v| {
        let new = !seen.contains(v);
        if new {
            seen.push(v.clone());
        }
        new
    });
}

/// A record that failed validation, with every field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Invalid {
    pub fields: Vec<FieldError>,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("please correct: ")?;
        for (i, e) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({})", e.field, e.code)?;
        }
        Ok(())
    }
}

impl Invalid {
    pub fn has(&self, field: &str, code: &str) -> bool {
        self.fields.iter().any(|e| e.field == field && e.code == code)
    }
}

/// Collects field errors while a record is checked.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

/// Earliest date a record may carry; anything before is a typing mistake.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, code: &'static str) {
        self.errors.push(FieldError { field: field.into(), code });
    }

    /// A required single-line text: not blank, at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(field, codes::REQUIRED);
        } else {
            self.max_len(field, value, max);
        }
    }

    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, codes::TOO_LONG);
        }
    }

    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            self.max_len(field, v, max);
        }
    }

    /// A code that must be an entry of vocabulary `vocab`.
    pub fn code(&mut self, field: &str, vocab: &Vocabularies, name: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, codes::REQUIRED);
        } else if !vocab.contains(name, value) {
            self.fail(field, codes::UNKNOWN_CODE);
        }
    }

    /// A date that is not in the future and not absurdly old.
    pub fn past_date(&mut self, field: &str, date: NaiveDate, today: NaiveDate) {
        if date > today {
            self.fail(field, codes::IN_FUTURE);
        } else if date < earliest_date() {
            self.fail(field, codes::TOO_OLD);
        }
    }

    /// A date within the plausible range of records (future allowed, e.g. a planned due date).
    pub fn plausible_date(&mut self, field: &str, date: NaiveDate) {
        if date < earliest_date() {
            self.fail(field, codes::TOO_OLD);
        }
    }

    pub fn order(&mut self, field: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) {
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            self.fail(field, codes::END_BEFORE_START);
        }
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() { Ok(()) } else { Err(Invalid { fields: self.errors }) }
    }
}

/// Trims a text and turns a blank one into `None`.
pub fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
