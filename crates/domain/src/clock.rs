//! The clock is passed in: business logic never reads the wall clock itself, so tests run on a
//! fixed time (`clippy.toml` forbids `Utc::now` elsewhere).
use chrono::{DateTime, Duration, Local, NaiveDate, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// Today's date where the user is (what "overdue" and "not in the future" are measured against).
    fn today(&self) -> NaiveDate;
}

/// The computer's clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the wall clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    #[allow(clippy::disallowed_methods)]
    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A clock for tests and demo data: it stands still unless advanced.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }
    /// A clock at noon UTC of the given day.
    pub fn at_date(year: i32, month: u32, day: u32) -> Self {
        let at = NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default();
        Self::new(at)
    }
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The stored form of an instant: RFC 3339 in UTC with milliseconds, which sorts as text.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
