//! `cases`, `case_acts` and `case_act_grounds`: a case, its alleged acts and each act's grounds.
use crate::row::{
    date, opt_date, parse_code, parse_date, parse_id, parse_opt_date, parse_opt_id, parse_time, time,
};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use rightsdesk_domain::case::{Act, Case, CaseDraft, Person, Risk};
use rightsdesk_domain::case_number::CaseNumber;
use rightsdesk_domain::ids::{ActId, ActivityId, CaseId, DeviceId};
use rightsdesk_domain::workflow::{CloseReason, Status};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

pub(crate) const MIGRATION_3: &str = "
CREATE TABLE cases (
    seq                 INTEGER PRIMARY KEY,        -- this database's row number: the search index key
    id                  TEXT NOT NULL UNIQUE,
    number              TEXT NOT NULL UNIQUE,
    number_device       TEXT NOT NULL,
    number_year         INTEGER NOT NULL,
    number_seq          INTEGER NOT NULL,
    municipality        TEXT NOT NULL,
    intake_date         TEXT NOT NULL,
    channel             TEXT NOT NULL,
    source_activity     TEXT REFERENCES activities (id),
    person_name         TEXT,
    person_contact      TEXT,
    gender              TEXT NOT NULL,
    age_band            TEXT NOT NULL,
    community           TEXT NOT NULL,
    person_language     TEXT NOT NULL,
    consent_processing  INTEGER NOT NULL CHECK (consent_processing IN (0, 1)),
    consent_referral    INTEGER NOT NULL CHECK (consent_referral IN (0, 1)),
    consent_statistics  INTEGER NOT NULL CHECK (consent_statistics IN (0, 1)),
    risk                TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    status              TEXT NOT NULL,
    close_reason        TEXT,
    assigned_officer    TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    created_by_device   TEXT NOT NULL,
    device_id           TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX cases_by_device_number ON cases (number_device, number_year, number_seq);
CREATE INDEX cases_by_intake ON cases (intake_date DESC, seq DESC);
CREATE INDEX cases_by_status ON cases (status, intake_date DESC);
CREATE INDEX cases_by_community ON cases (community, intake_date DESC);
CREATE INDEX cases_by_municipality ON cases (municipality, intake_date DESC);
CREATE INDEX cases_by_officer ON cases (assigned_officer, intake_date DESC);
CREATE INDEX cases_by_updated ON cases (updated_at DESC);
CREATE INDEX cases_by_activity ON cases (source_activity) WHERE source_activity IS NOT NULL;

CREATE TABLE case_acts (
    id               TEXT PRIMARY KEY NOT NULL,
    case_id          TEXT NOT NULL REFERENCES cases (id),
    position         INTEGER NOT NULL,
    date_from        TEXT,
    date_to          TEXT,
    place            TEXT NOT NULL,
    narrative        TEXT NOT NULL,
    ground_other     TEXT,
    area             TEXT NOT NULL,
    form             TEXT NOT NULL,
    respondent_type  TEXT NOT NULL,
    respondent_name  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    device_id        TEXT NOT NULL
) STRICT;
CREATE INDEX case_acts_by_case ON case_acts (case_id, position);
CREATE INDEX case_acts_by_area ON case_acts (area, case_id);

CREATE TABLE case_act_grounds (
    act_id   TEXT NOT NULL REFERENCES case_acts (id) ON DELETE CASCADE,
    case_id  TEXT NOT NULL,
    ground   TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (act_id, ground)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_act_grounds_by_ground ON case_act_grounds (ground, case_id);
CREATE INDEX case_act_grounds_by_case ON case_act_grounds (case_id);
";

/// The last sequence number this device gave a case in `year` (0 if none). Derived from the
/// cases themselves, so there is no counter to get out of step.
pub fn last_number_seq(conn: &Connection, device_code: &str, year: i32) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(number_seq), 0) FROM cases WHERE number_device = ?1 AND number_year = ?2",
        )?
        .query_row(params![device_code, year], |r| r.get(0))?)
}

/// Inserts a new case with its acts. Returns the case's local row number.
pub fn insert(conn: &Connection, c: &Case) -> Result<i64> {
    let seq = insert_row(conn, c)?;
    write_acts(conn, c.id, &c.draft.acts, c.updated_at, c.device_id)?;
    Ok(seq)
}

/// Writes a case's own row (not its acts) as derived by sync: inserted if new, else every column
/// but its number replaced. Returns the case's local row number.
pub fn put_row(conn: &Connection, c: &Case, created_by: DeviceId) -> Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT seq FROM cases WHERE id = ?1")?
        .query_row([c.id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(seq) = existing else {
        let seq = insert_row(conn, c)?;
        conn.prepare_cached("UPDATE cases SET created_by_device = ?2 WHERE seq = ?1")?
            .execute(params![seq, created_by.to_string()])?;
        return Ok(seq);
    };
    update_row(conn, c)?;
    set_status(conn, c.id, c.status, c.close_reason, c.updated_at, c.device_id)?;
    Ok(seq)
}

/// Writes one act as derived by sync (inserted or replaced, with its grounds); `created` is the time of
/// its creation. [`renumber_acts`] then puts the case's acts in order.
pub fn put_act(
    conn: &Connection,
    case: CaseId,
    act: &Act,
    created: DateTime<Utc>,
    device: DeviceId,
) -> Result<()> {
    write_act(conn, case, i64::MAX, act, created, device)
}

/// Numbers a case's acts 0, 1, 2, ... in the order they were created (then by id): the order every
/// office shows them in.
pub fn renumber_acts(conn: &Connection, case: CaseId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE case_acts SET position = (
             SELECT count(*) FROM case_acts o WHERE o.case_id = case_acts.case_id
                AND (o.created_at, o.id) < (case_acts.created_at, case_acts.id))
         WHERE case_id = ?1",
    )?
    .execute([case.to_string()])?;
    Ok(())
}

/// The case an act belongs to.
pub fn case_of_act(conn: &Connection, act: ActId) -> Result<Option<CaseId>> {
    let id: Option<String> = conn
        .prepare_cached("SELECT case_id FROM case_acts WHERE id = ?1")?
        .query_row([act.to_string()], |r| r.get(0))
        .optional()?;
    id.map(|s| s.parse().map_err(|_| StoreError::BadValue(s))).transpose()
}

/// Removes an act deleted by sync (its grounds go with it).
pub fn delete_act(conn: &Connection, act: ActId) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_acts WHERE id = ?1")?.execute([act.to_string()])?;
    Ok(())
}

fn insert_row(conn: &Connection, c: &Case) -> Result<i64> {
    let number = CaseNumber::parse(&c.number).ok_or_else(|| StoreError::BadValue(c.number.clone()))?;
    let d = &c.draft;
    let p = &d.person;
    let res = conn
        .prepare_cached(
            "INSERT INTO cases (id, number, number_device, number_year, number_seq, municipality, intake_date, channel,
                source_activity, person_name, person_contact, gender, age_band, community, person_language,
                consent_processing, consent_referral, consent_statistics, risk, status, close_reason,
                assigned_officer, created_at, updated_at, created_by_device, device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?25, ?25)",
        )?
        .execute(params![
            c.id.to_string(),
            c.number,
            number.device,
            number.year,
            number.seq,
            c.municipality,
            date(d.intake_date),
            d.channel,
            d.source_activity.map(|a| a.to_string()),
            p.name,
            p.contact,
            p.gender,
            p.age_band,
            p.community,
            p.language,
            p.consent_processing,
            p.consent_referral,
            p.consent_statistics,
            d.risk.as_str(),
            c.status.as_str(),
            c.close_reason.map(|r| r.as_str()),
            d.assigned_officer,
            time(c.created_at),
            time(c.updated_at),
            c.device_id.to_string(),
        ]);
    match res {
        Err(e)
            if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                && e.to_string().contains("cases.number") =>
        {
            return Err(StoreError::NumberTaken(c.number.clone()));
        }
        other => other?,
    };
    Ok(conn.last_insert_rowid())
}

/// Replaces a case's editable fields and its acts (acts keep their ids; removed acts go).
pub fn update(conn: &Connection, c: &Case) -> Result<()> {
    update_row(conn, c)?;
    let d = &c.draft;
    let keep: Vec<String> = d.acts.iter().filter_map(|a| a.id.map(|i| i.to_string())).collect();
    let mut stmt = conn.prepare_cached("SELECT id FROM case_acts WHERE case_id = ?1")?;
    let existing: Vec<String> =
        stmt.query_map([c.id.to_string()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    for id in existing.iter().filter(|id| !keep.contains(id)) {
        conn.prepare_cached("DELETE FROM case_acts WHERE id = ?1")?.execute([id])?;
    }
    write_acts(conn, c.id, &d.acts, c.updated_at, c.device_id)
}

fn update_row(conn: &Connection, c: &Case) -> Result<()> {
    let d = &c.draft;
    let p = &d.person;
    conn.prepare_cached(
        "UPDATE cases SET intake_date = ?2, channel = ?3, source_activity = ?4, person_name = ?5,
            person_contact = ?6, gender = ?7, age_band = ?8, community = ?9, person_language = ?10,
            consent_processing = ?11, consent_referral = ?12, consent_statistics = ?13, risk = ?14,
            assigned_officer = ?15,
            updated_at = CASE WHEN (?16, ?17) > (updated_at, device_id) THEN ?16 ELSE updated_at END,
            device_id = CASE WHEN (?16, ?17) > (updated_at, device_id) THEN ?17 ELSE device_id END
         WHERE id = ?1",
    )?
    .execute(params![
        c.id.to_string(),
        date(d.intake_date),
        d.channel,
        d.source_activity.map(|a| a.to_string()),
        p.name,
        p.contact,
        p.gender,
        p.age_band,
        p.community,
        p.language,
        p.consent_processing,
        p.consent_referral,
        p.consent_statistics,
        d.risk.as_str(),
        d.assigned_officer,
        time(c.updated_at),
        c.device_id.to_string(),
    ])?;
    Ok(())
}

fn write_acts(
    conn: &Connection,
    case: CaseId,
    acts: &[Act],
    now: DateTime<Utc>,
    device: DeviceId,
) -> Result<()> {
    for (i, act) in acts.iter().enumerate() {
        write_act(conn, case, i as i64, act, now, device)?;
    }
    Ok(())
}

fn write_act(
    conn: &Connection,
    case: CaseId,
    position: i64,
    act: &Act,
    now: DateTime<Utc>,
    device: DeviceId,
) -> Result<()> {
    let mut up = conn.prepare_cached(
        "INSERT INTO case_acts (id, case_id, position, date_from, date_to, place, narrative, ground_other, area,
             form, respondent_type, respondent_name, created_at, updated_at, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, date_from = excluded.date_from,
             date_to = excluded.date_to, place = excluded.place, narrative = excluded.narrative,
             ground_other = excluded.ground_other, area = excluded.area, form = excluded.form,
             respondent_type = excluded.respondent_type, respondent_name = excluded.respondent_name,
             updated_at = excluded.updated_at, device_id = excluded.device_id
         WHERE case_acts.case_id = excluded.case_id",
    )?;
    let mut clear = conn.prepare_cached("DELETE FROM case_act_grounds WHERE act_id = ?1")?;
    let mut ground = conn.prepare_cached(
        "INSERT INTO case_act_grounds (act_id, case_id, ground, position) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let id = act.id.ok_or_else(|| StoreError::BadValue("an act without an id".into()))?;
    let changed = up.execute(params![
        id.to_string(),
        case.to_string(),
        position,
        opt_date(act.date_from),
        opt_date(act.date_to),
        act.place,
        act.narrative,
        act.ground_other,
        act.area,
        act.form,
        act.respondent_type,
        act.respondent_name,
        time(now),
        device.to_string(),
    ])?;
    if changed == 0 {
        return Err(StoreError::BadValue(format!("act {id} belongs to another case")));
    }
    clear.execute([id.to_string()])?;
    for (j, g) in act.grounds.iter().enumerate() {
        ground.execute(params![id.to_string(), case.to_string(), g, j as i64])?;
    }
    Ok(())
}

/// Moves a case to a status.
pub fn set_status(
    conn: &Connection,
    id: CaseId,
    status: Status,
    reason: Option<CloseReason>,
    now: DateTime<Utc>,
    device: DeviceId,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cases SET status = ?2, close_reason = ?3,
             updated_at = CASE WHEN (?4, ?5) > (updated_at, device_id) THEN ?4 ELSE updated_at END,
             device_id = CASE WHEN (?4, ?5) > (updated_at, device_id) THEN ?5 ELSE device_id END
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        status.as_str(),
        reason.map(|r| r.as_str()),
        time(now),
        device.to_string()
    ])?;
    Ok(())
}

/// Marks the case as written now by this device (after a timeline entry or a task).
/// Records that the case or something of it (an act, an entry, a task) changed at `now` on `device`.
/// A case's last change is the latest of all of them (ties by device id), whatever order they are
/// written in, so every office holding the same changes shows the same one.
pub fn touch(conn: &Connection, id: CaseId, now: DateTime<Utc>, device: DeviceId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cases SET
            updated_at = CASE WHEN (?2, ?3) > (updated_at, device_id) THEN ?2 ELSE updated_at END,
            device_id = CASE WHEN (?2, ?3) > (updated_at, device_id) THEN ?3 ELSE device_id END
         WHERE id = ?1",
    )?
    .execute(params![id.to_string(), time(now), device.to_string()])?;
    Ok(())
}

const COLUMNS: &str = "id, number, status, close_reason, intake_date, channel, source_activity, person_name,
    person_contact, gender, age_band, community, person_language, consent_processing, consent_referral,
    consent_statistics, risk, assigned_officer, created_at, updated_at, device_id, seq, municipality";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Case, i64)> {
    let case = Case {
        id: parse_id(&r.get::<_, String>(0)?)?,
        number: r.get(1)?,
        municipality: r.get(22)?,
        status: parse_code(&r.get::<_, String>(2)?, Status::parse)?,
        close_reason: r
            .get::<_, Option<String>>(3)?
            .map(|s| parse_code(&s, CloseReason::parse))
            .transpose()?,
        draft: CaseDraft {
            intake_date: parse_date(&r.get::<_, String>(4)?)?,
            channel: r.get(5)?,
            source_activity: parse_opt_id::<ActivityId>(r.get(6)?)?,
            person: Person {
                name: r.get(7)?,
                contact: r.get(8)?,
                gender: r.get(9)?,
                age_band: r.get(10)?,
                community: r.get(11)?,
                language: r.get(12)?,
                consent_processing: r.get(13)?,
                consent_referral: r.get(14)?,
                consent_statistics: r.get(15)?,
            },
            acts: Vec::new(),
            risk: parse_code(&r.get::<_, String>(16)?, Risk::parse)?,
            assigned_officer: r.get(17)?,
        },
        created_at: parse_time(&r.get::<_, String>(18)?)?,
        updated_at: parse_time(&r.get::<_, String>(19)?)?,
        device_id: parse_id(&r.get::<_, String>(20)?)?,
    };
    Ok((case, r.get(21)?))
}

/// A case with its acts, and its local row number.
pub fn get_with_seq(conn: &Connection, id: CaseId) -> Result<Option<(Case, i64)>> {
    let sql = format!("SELECT {COLUMNS} FROM cases WHERE id = ?1");
    let Some((mut case, seq)) = conn.prepare_cached(&sql)?.query_row([id.to_string()], read).optional()?
    else {
        return Ok(None);
    };
    case.draft.acts = acts(conn, id)?;
    Ok(Some((case, seq)))
}

pub fn get(conn: &Connection, id: CaseId) -> Result<Option<Case>> {
    Ok(get_with_seq(conn, id)?.map(|(c, _)| c))
}

/// Finds a case by its human number.
pub fn id_by_number(conn: &Connection, number: &str) -> Result<Option<CaseId>> {
    let id: Option<String> = conn
        .prepare_cached("SELECT id FROM cases WHERE number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?;
    Ok(id.map(|s| parse_id(&s)).transpose()?)
}

fn acts(conn: &Connection, case: CaseId) -> Result<Vec<Act>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date_from, date_to, place, narrative, ground_other, area, form, respondent_type, respondent_name
         FROM case_acts WHERE case_id = ?1 ORDER BY position",
    )?;
    let mut acts: Vec<Act> = stmt
        .query_map([case.to_string()], |r| {
            Ok(Act {
                id: Some(parse_id::<ActId>(&r.get::<_, String>(0)?)?),
                date_from: parse_opt_date(r.get(1)?)?,
                date_to: parse_opt_date(r.get(2)?)?,
                place: r.get(3)?,
                narrative: r.get(4)?,
                grounds: Vec::new(),
                ground_other: r.get(5)?,
                area: r.get(6)?,
                form: r.get(7)?,
                respondent_type: r.get(8)?,
                respondent_name: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut g =
        conn.prepare_cached("SELECT ground FROM case_act_grounds WHERE act_id = ?1 ORDER BY position")?;
    for act in &mut acts {
        let id = act.id.map(|i| i.to_string()).unwrap_or_default();
        act.grounds = g.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(acts)
}

/// The cases opened at an activity (an outreach meeting), newest first.
pub fn linked_to_activity(conn: &Connection, activity: ActivityId) -> Result<Vec<(CaseId, String, Status)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, number, status FROM cases WHERE source_activity = ?1 ORDER BY intake_date DESC, seq DESC",
    )?;
    let rows = stmt.query_map([activity.to_string()], |r| {
        Ok((
            parse_id(&r.get::<_, String>(0)?)?,
            r.get(1)?,
            parse_code(&r.get::<_, String>(2)?, Status::parse)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
