//! `profile`: the one row that says which unit and device this database belongs to.
use crate::Result;
use crate::row::{parse_code, parse_id, parse_time, time};
use rightsdesk_domain::profile::{Profile, Role};
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE profile (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    device_id     TEXT NOT NULL,
    device_code   TEXT NOT NULL,
    municipality  TEXT NOT NULL,
    office        TEXT NOT NULL,
    officer       TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('officer', 'coordinator')),
    lang          TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
";

pub fn insert(conn: &Connection, p: &Profile) -> Result<()> {
    conn.execute(
        "INSERT INTO profile (id, device_id, device_code, municipality, office, officer, role, lang, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.device_id.to_string(),
            p.device_code,
            p.municipality,
            p.office,
            p.officer,
            p.role.as_str(),
            p.lang,
            time(p.created_at)
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection) -> Result<Option<Profile>> {
    Ok(conn
        .query_row(
            "SELECT device_id, device_code, municipality, office, officer, role, lang, created_at FROM profile",
            [],
            |r| {
                Ok(Profile {
                    device_id: parse_id(&r.get::<_, String>(0)?)?,
                    device_code: r.get(1)?,
                    municipality: r.get(2)?,
                    office: r.get(3)?,
                    officer: r.get(4)?,
                    role: parse_code(&r.get::<_, String>(5)?, Role::parse)?,
                    lang: r.get(6)?,
                    created_at: parse_time(&r.get::<_, String>(7)?)?,
                })
            },
        )
        .optional()?)
}

/// The officer's own settings: name, office and interface language.
pub fn update_settings(conn: &Connection, office: &str, officer: &str, lang: &str) -> Result<()> {
    conn.execute(
        "UPDATE profile SET office = ?1, officer = ?2, lang = ?3 WHERE id = 1",
        params![office, officer, lang],
    )?;
    Ok(())
}
