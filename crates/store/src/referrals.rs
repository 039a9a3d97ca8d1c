//! Referrals of cases to institutions, the unit's own institutions, and the letters issued.
//!
//! A referral and a custom institution are kept whole as JSON (`body`), with the columns lookups and
//! reports need beside it. `letters` keeps every PDF issued, byte for byte, by its SHA-256: the
//! timeline's letter entry (which syncs) names the hash; the file itself stays on the office that
//! printed it, so the exact letter sent can be opened again.
use crate::Result;
use crate::row::{date, time};
use chrono::{DateTime, NaiveDate, Utc};
use rightsdesk_domain::ids::{CaseId, InstitutionId, ReferralId};
use rightsdesk_domain::referral::{InstitutionDraft, Referral};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub(crate) const MIGRATION_10: &str = "
CREATE TABLE referrals (
    id            TEXT PRIMARY KEY NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    institution   TEXT NOT NULL,
    status        TEXT NOT NULL,
    sent_on       TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    answered_on   TEXT,
    body          TEXT NOT NULL,      -- the referral as JSON
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX referrals_by_case ON referrals (case_id, created_at);
CREATE INDEX referrals_awaiting_by_deadline ON referrals (deadline)
    WHERE status IN ('sent', 'acknowledged');

CREATE TABLE institutions (
    id           TEXT PRIMARY KEY NOT NULL,
    body         TEXT NOT NULL,       -- the institution as JSON
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE letters (
    sha256       TEXT PRIMARY KEY NOT NULL,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    lang         TEXT NOT NULL,
    pdf          BLOB NOT NULL,
    issued_at    TEXT NOT NULL
) STRICT;
CREATE INDEX letters_by_referral ON letters (referral_id, issued_at);

ALTER TABLE case_timeline ADD COLUMN referral TEXT;  -- JSON: the referral an entry is about

CREATE TABLE letterhead (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    address   TEXT NOT NULL,          -- the unit's postal address, lines separated by newlines
    contact   TEXT NOT NULL,          -- telephone, e-mail
    signer    TEXT NOT NULL,          -- the title under the signature
    logo      BLOB                    -- PNG
) STRICT;
";

/// What the unit's letters carry at the top and under the signature (set in Settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Letterhead {
    pub address: String,
    pub contact: String,
    /// The signer's title (blank: the template's).
    pub signer: String,
    #[serde(skip)]
    pub logo: Option<Vec<u8>>,
}

pub fn letterhead(conn: &Connection) -> Result<Letterhead> {
    Ok(conn
        .prepare_cached("SELECT address, contact, signer, logo FROM letterhead WHERE id = 1")?
        .query_row([], |r| {
            Ok(Letterhead { address: r.get(0)?, contact: r.get(1)?, signer: r.get(2)?, logo: r.get(3)? })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn set_letterhead(conn: &Connection, l: &Letterhead) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO letterhead (id, address, contact, signer, logo) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET address = excluded.address, contact = excluded.contact,
             signer = excluded.signer, logo = excluded.logo",
    )?
    .execute(params![l.address, l.contact, l.signer, l.logo])?;
    Ok(())
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| crate::StoreError::BadValue(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// Writes a referral (inserted, or replaced by a newer state).
pub fn put(conn: &Connection, r: &Referral) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO referrals (id, case_id, institution, status, sent_on, deadline, answered_on, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET institution = excluded.institution, status = excluded.status,
             sent_on = excluded.sent_on, deadline = excluded.deadline, answered_on = excluded.answered_on,
             body = excluded.body, updated_at = excluded.updated_at",
    )?
    .execute(params![
        r.id.to_string(),
        r.case_id.to_string(),
        r.draft.institution,
        r.status.as_str(),
        date(r.draft.sent_on),
        date(r.draft.deadline),
        r.answered_on.map(date),
        to_json(r)?,
        time(r.created_at),
        time(r.updated_at),
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: ReferralId) -> Result<Option<Referral>> {
    Ok(conn
        .prepare_cached("SELECT body FROM referrals WHERE id = ?1")?
        .query_row([id.to_string()], |r| from_json(&r.get::<_, String>(0)?))
        .optional()?)
}

/// A case's referrals, oldest first.
pub fn of_case(conn: &Connection, case: CaseId) -> Result<Vec<Referral>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM referrals WHERE case_id = ?1 ORDER BY created_at, id")?;
    let rows = stmt.query_map([case.to_string()], |r| from_json(&r.get::<_, String>(0)?))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A referral with its case's number, for lists across cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub referral: Referral,
    pub case_number: String,
}

/// Every referral (of one case, if given), newest letter first.
pub fn list(conn: &Connection, case: Option<CaseId>, limit: u32) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.body, c.number FROM referrals r JOIN cases c ON c.id = r.case_id
         WHERE ?1 IS NULL OR r.case_id = ?1
         ORDER BY r.sent_on DESC, r.created_at DESC, r.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![case.map(|c| c.to_string()), limit], |r| {
        Ok(Listed { referral: from_json(&r.get::<_, String>(0)?)?, case_number: r.get(1)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Referrals still waiting for an answer whose deadline is on or before `until`, earliest first.
pub fn awaiting(conn: &Connection, until: NaiveDate, limit: u32) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.body, c.number FROM referrals r JOIN cases c ON c.id = r.case_id
         WHERE r.status IN ('sent', 'acknowledged') AND r.deadline <= ?1
         ORDER BY r.deadline, r.created_at, r.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![date(until), limit], |r| {
        Ok(Listed { referral: from_json(&r.get::<_, String>(0)?)?, case_number: r.get(1)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many referrals the case has (for its next protocol number).
pub fn count_of_case(conn: &Connection, case: CaseId) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM referrals WHERE case_id = ?1")?
        .query_row([case.to_string()], |r| r.get(0))?)
}

/// One of the unit's own institutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CustomInstitution {
    pub id: InstitutionId,
    #[serde(flatten)]
    pub draft: InstitutionDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn put_institution(conn: &Connection, i: &CustomInstitution) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO institutions (id, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )?
    .execute(params![i.id.to_string(), to_json(i)?, time(i.created_at), time(i.updated_at)])?;
    Ok(())
}

pub fn get_institution(conn: &Connection, id: InstitutionId) -> Result<Option<CustomInstitution>> {
    Ok(conn
        .prepare_cached("SELECT body FROM institutions WHERE id = ?1")?
        .query_row([id.to_string()], |r| from_json(&r.get::<_, String>(0)?))
        .optional()?)
}

pub fn institutions(conn: &Connection) -> Result<Vec<CustomInstitution>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM institutions ORDER BY created_at, id")?;
    let rows = stmt.query_map([], |r| from_json(&r.get::<_, String>(0)?))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps an issued letter's PDF (issuing the same letter twice keeps one copy).
pub fn keep_letter(
    conn: &Connection,
    sha256: &str,
    referral: ReferralId,
    lang: &str,
    pdf: &[u8],
    at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO letters (sha256, referral_id, lang, pdf, issued_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
    )?
    .execute(params![sha256, referral.to_string(), lang, pdf, time(at)])?;
    Ok(())
}

/// An issued letter's PDF, if this office issued it.
pub fn letter(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT pdf FROM letters WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}
