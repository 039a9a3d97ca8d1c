//! Conversions between stored columns and domain values.
use chrono::{DateTime, NaiveDate, Utc};
use rightsdesk_domain::clock::stamp;
use std::str::FromStr;

/// Dates are stored as `YYYY-MM-DD`, which sorts as text.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn opt_date(d: Option<NaiveDate>) -> Option<String> {
    d.map(date)
}

pub(crate) fn time(t: DateTime<Utc>) -> String {
    stamp(t)
}

fn bad(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{what}: {value:?}").into(),
    )
}

pub(crate) fn parse_date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("date", s))
}

pub(crate) fn parse_opt_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    s.as_deref().map(parse_date).transpose()
}

pub(crate) fn parse_time(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|_| bad("time", s))
}

pub(crate) fn parse_opt_time(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_time).transpose()
}

pub(crate) fn parse_id<T: FromStr>(s: &str) -> rusqlite::Result<T> {
    s.parse().map_err(|_| bad("id", s))
}

pub(crate) fn parse_opt_id<T: FromStr>(s: Option<String>) -> rusqlite::Result<Option<T>> {
    s.as_deref().map(parse_id).transpose()
}

/// A stored code of one of the domain's enums.
pub(crate) fn parse_code<T>(s: &str, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parse(s).ok_or_else(|| bad("code", s))
}
