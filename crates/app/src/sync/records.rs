//! How the app's records look to sync: each case, act, timeline entry, task and activity as a flat
//! map of fields ([`encode`]), and back from a merged [`RecordState`] to the rows the screens read
//! ([`materialize`]).
//!
//! Field names are part of the bundle format (`docs/bundle-format.md`): a case's person fields are
//! `person.name`, `person.gender`, ...; an act names its case in `case`; entries and tasks in
//! `case_id`. `number`, `municipality` and the parent fields never change after `create`.
use crate::error::Result;
use chrono::{DateTime, Utc};
use rightsdesk_domain::activity::{Activity, ActivityDraft};
use rightsdesk_domain::case::{Act, Case, CaseDraft};
use rightsdesk_domain::ids::{
    ActId, ActivityId, CaseId, DeviceId, EntryId, InstitutionId, ReferralId, TaskId,
};
use rightsdesk_domain::referral::{InstitutionDraft, Referral};
use rightsdesk_domain::task::Task;
use rightsdesk_domain::timeline::Entry;
use rightsdesk_domain::workflow::{CloseReason, Status};
use rightsdesk_store::Connection;
use rightsdesk_store::referrals::{self, CustomInstitution};
use rightsdesk_store::{activities, cases, search, sync as table, tasks, timeline};
use rightsdesk_sync::{Kind, RecordState};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

/// Fields set once by `create` and never changed.
pub const FIXED: &[(Kind, &str)] = &[
    (Kind::Case, "number"),
    (Kind::Case, "municipality"),
    (Kind::Act, "case"),
    (Kind::Task, "case_id"),
    (Kind::Referral, "case_id"),
];

/// Why a record from a bundle cannot become a row.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind} {record}: {reason}")]
pub struct DecodeError {
    pub kind: &'static str,
    pub record: Uuid,
    pub field: Option<String>,
    pub reason: String,
}

fn to_map<T: Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// The fields of a case (without its acts, which are records of their own).
pub fn case_fields(c: &Case) -> Map<String, Value> {
    let mut draft = to_map(&c.draft);
    draft.remove("acts");
    let mut out = Map::new();
    out.insert("number".into(), Value::String(c.number.clone()));
    out.insert("municipality".into(), Value::String(c.municipality.clone()));
    for (k, v) in draft {
        if let (true, Value::Object(person)) = (k == "person", &v) {
            for (pk, pv) in person {
                out.insert(format!("person.{pk}"), pv.clone());
            }
        } else {
            out.insert(k, v);
        }
    }
    out.insert("status".into(), serde_json::to_value(c.status).unwrap_or(Value::Null));
    out.insert("close_reason".into(), serde_json::to_value(c.close_reason).unwrap_or(Value::Null));
    out
}

/// An act's fields. Its place in the case's list is not one: acts are listed in the order they were
/// created (then by id), the same on every office.
pub fn act_fields(case: CaseId, a: &Act) -> Map<String, Value> {
    let mut out = to_map(a);
    out.remove("id");
    out.insert("case".into(), Value::String(case.to_string()));
    out
}

pub fn entry_fields(e: &Entry) -> Map<String, Value> {
    let mut out = to_map(e);
    for k in ["id", "created_at", "device_id"] {
        out.remove(k);
    }
    out
}

pub fn task_fields(t: &Task) -> Map<String, Value> {
    let mut out = to_map(t);
    for k in ["id", "done_at", "done_by", "created_at", "device_id"] {
        out.remove(k);
    }
    out
}

pub fn activity_fields(a: &Activity) -> Map<String, Value> {
    to_map(&a.draft)
}

pub fn referral_fields(r: &Referral) -> Map<String, Value> {
    let mut out = to_map(r);
    for k in ["id", "created_at", "updated_at", "device_id"] {
        out.remove(k);
    }
    out
}

pub fn institution_fields(i: &CustomInstitution) -> Map<String, Value> {
    to_map(&i.draft)
}

/// A record as this office's rows hold it now.
pub struct Encoded {
    pub fields: Map<String, Value>,
    pub created_at: DateTime<Utc>,
}

/// The record as this office's rows hold it now (`None`: no such row, e.g. an act removed from its
/// case). Tasks report their completion separately.
pub fn encode(conn: &Connection, kind: Kind, id: Uuid) -> Result<Option<Encoded>> {
    Ok(match kind {
        Kind::Case => cases::get(conn, CaseId(id))?
            .map(|c| Encoded { fields: case_fields(&c), created_at: c.created_at }),
        Kind::Act => match cases::case_of_act(conn, ActId(id))? {
            Some(case_id) => cases::get(conn, case_id)?.and_then(|c| {
                let i = c.draft.acts.iter().position(|a| a.id == Some(ActId(id)))?;
                Some(Encoded { fields: act_fields(case_id, &c.draft.acts[i]), created_at: c.updated_at })
            }),
            None => None,
        },
        Kind::Entry => timeline::get(conn, EntryId(id))?
            .map(|e| Encoded { fields: entry_fields(&e), created_at: e.created_at }),
        Kind::Task => tasks::get(conn, TaskId(id))?
            .map(|t| Encoded { fields: task_fields(&t), created_at: t.created_at }),
        Kind::Activity => activities::get(conn, &ActivityId(id))?
            .map(|a| Encoded { fields: activity_fields(&a), created_at: a.created_at }),
        Kind::Referral => referrals::get(conn, ReferralId(id))?
            .map(|r| Encoded { fields: referral_fields(&r), created_at: r.created_at }),
        Kind::Institution => referrals::get_institution(conn, InstitutionId(id))?
            .map(|i| Encoded { fields: institution_fields(&i), created_at: i.created_at }),
    })
}

fn decode<T: DeserializeOwned>(kind: Kind, record: Uuid, v: Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // serde names a missing field in its message rather than in the path.
        let field = match path.as_str() {
            "." | "" => missing_field(&inner.to_string()),
            p => Some(p.to_string()),
        };
        DecodeError { kind: kind.as_str(), record, field, reason: inner.to_string() }
    })
}

/// "missing field `risk`" names `risk`.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

fn field<T: DeserializeOwned>(s: &RecordState, name: &str) -> Result<T, DecodeError> {
    serde_json::from_value(s.value(name).clone()).map_err(|e| DecodeError {
        kind: s.kind.as_str(),
        record: s.id,
        field: Some(name.to_string()),
        reason: format!("`{name}`: {e}"),
    })
}

/// The device that made the record's latest change.
pub fn last_writer(s: &RecordState) -> DeviceId {
    DeviceId(s.updated_by)
}

/// A case row from its merged record (acts come from their own records).
pub fn decode_case(s: &RecordState) -> Result<Case, DecodeError> {
    let mut draft = Map::new();
    let mut person = Map::new();
    for (k, v) in s.values() {
        match k.strip_prefix("person.") {
            Some(pk) => {
                person.insert(pk.to_string(), v);
            }
            None => {
                if !matches!(k.as_str(), "number" | "municipality" | "status" | "close_reason") {
                    draft.insert(k, v);
                }
            }
        }
    }
    draft.insert("person".into(), Value::Object(person));
    draft.insert("acts".into(), Value::Array(Vec::new()));
    let draft: CaseDraft = decode(s.kind, s.id, Value::Object(draft))?;
    Ok(Case {
        id: CaseId(s.id),
        number: field(s, "number")?,
        municipality: field(s, "municipality")?,
        status: field::<Status>(s, "status")?,
        close_reason: field::<Option<CloseReason>>(s, "close_reason")?,
        draft,
        created_at: s.created_at,
        updated_at: s.updated_at,
        device_id: last_writer(s),
    })
}

pub fn decode_act(s: &RecordState) -> Result<(CaseId, Act), DecodeError> {
    let mut act: Act = decode(s.kind, s.id, Value::Object(s.values()))?;
    act.id = Some(ActId(s.id));
    Ok((field(s, "case")?, act))
}

pub fn decode_entry(s: &RecordState) -> Result<Entry, DecodeError> {
    let mut m = s.values();
    m.insert("id".into(), Value::String(s.id.to_string()));
    m.insert("created_at".into(), serde_json::to_value(s.created_at).unwrap_or(Value::Null));
    m.insert("device_id".into(), Value::String(s.created.origin.to_string()));
    decode(s.kind, s.id, Value::Object(m))
}

pub fn decode_task(s: &RecordState) -> Result<Task, DecodeError> {
    let mut m = s.values();
    m.insert("id".into(), Value::String(s.id.to_string()));
    m.insert("created_at".into(), serde_json::to_value(s.created_at).unwrap_or(Value::Null));
    m.insert("device_id".into(), Value::String(last_writer(s).to_string()));
    let done = s.completions.first();
    m.insert("done_at".into(), serde_json::to_value(done.map(|c| c.at)).unwrap_or(Value::Null));
    m.insert("done_by".into(), done.map_or(Value::Null, |c| c.value.clone()));
    decode(s.kind, s.id, Value::Object(m))
}

pub fn decode_activity(s: &RecordState) -> Result<Activity, DecodeError> {
    let draft: ActivityDraft = decode(s.kind, s.id, Value::Object(s.values()))?;
    Ok(Activity {
        id: ActivityId(s.id),
        draft,
        created_at: s.created_at,
        updated_at: s.updated_at,
        device_id: last_writer(s),
    })
}

pub fn decode_referral(s: &RecordState) -> Result<Referral, DecodeError> {
    let mut m = s.values();
    m.insert("id".into(), Value::String(s.id.to_string()));
    m.insert("created_at".into(), serde_json::to_value(s.created_at).unwrap_or(Value::Null));
    m.insert("updated_at".into(), serde_json::to_value(s.updated_at).unwrap_or(Value::Null));
    m.insert("device_id".into(), Value::String(last_writer(s).to_string()));
    decode(s.kind, s.id, Value::Object(m))
}

pub fn decode_institution(s: &RecordState) -> Result<CustomInstitution, DecodeError> {
    let draft: InstitutionDraft = decode(s.kind, s.id, Value::Object(s.values()))?;
    Ok(CustomInstitution {
        id: InstitutionId(s.id),
        draft,
        created_at: s.created_at,
        updated_at: s.updated_at,
    })
}

/// The case a record belongs to (for the conflict queue and re-indexing).
pub fn case_of(s: &RecordState) -> Option<CaseId> {
    match s.kind {
        Kind::Case => Some(CaseId(s.id)),
        Kind::Act => s.value("case").as_str().and_then(|c| c.parse().ok()),
        Kind::Entry | Kind::Task | Kind::Referral => s.value("case_id").as_str().and_then(|c| c.parse().ok()),
        Kind::Activity | Kind::Institution => None,
    }
}

/// Writes a merged record into the rows the screens read. Cases are re-indexed by the caller once
/// their acts are written too.
pub fn materialize(conn: &Connection, s: &RecordState) -> Result<std::result::Result<(), DecodeError>> {
    macro_rules! try_decode {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => return Ok(Err(e)),
            }
        };
    }
    match s.kind {
        Kind::Case => {
            let case = try_decode!(decode_case(s));
            cases::put_row(conn, &case, DeviceId(s.created.origin))?;
        }
        Kind::Act => {
            if s.deleted() {
                cases::delete_act(conn, ActId(s.id))?;
                if let Some(case) = case_of(s) {
                    cases::touch(conn, case, s.updated_at, last_writer(s))?;
                }
            } else {
                let (case, act) = try_decode!(decode_act(s));
                cases::put_act(conn, case, &act, s.created_at, last_writer(s))?;
                cases::touch(conn, case, s.updated_at, last_writer(s))?;
            }
        }
        Kind::Entry => {
            if !timeline::exists(conn, &s.id.to_string())? {
                let e = try_decode!(decode_entry(s));
                timeline::append(conn, &e)?;
                cases::touch(conn, e.case_id, s.updated_at, last_writer(s))?;
            }
        }
        Kind::Task => {
            let t = try_decode!(decode_task(s));
            tasks::put(conn, &t, s.updated_at)?;
            cases::touch(conn, t.case_id, s.updated_at, last_writer(s))?;
        }
        Kind::Activity => activities::upsert(conn, &try_decode!(decode_activity(s)))?,
        Kind::Referral => {
            let r = try_decode!(decode_referral(s));
            referrals::put(conn, &r)?;
            cases::touch(conn, r.case_id, s.updated_at, last_writer(s))?;
        }
        Kind::Institution => referrals::put_institution(conn, &try_decode!(decode_institution(s)))?,
    }
    Ok(Ok(()))
}

/// Rewrites a case's search entry from its rows, after putting its acts in creation order.
pub fn reindex(conn: &Connection, case: CaseId) -> Result<()> {
    cases::renumber_acts(conn, case)?;
    if let Some((case, seq)) = cases::get_with_seq(conn, case)? {
        search::index_case(conn, seq, &case)?;
    }
    Ok(())
}

/// One candidate of an open conflict, as stored for the queue.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct StoredCandidate {
    pub change: String,
    pub device: Uuid,
    pub at: DateTime<Utc>,
    pub value: Value,
    /// For `$deleted`: an edit made without seeing the deletion names its field (choosing it
    /// restores the record); the deletion register's own candidates have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Replaces the stored open conflicts of a record with its merged state's.
pub fn store_conflicts(conn: &Connection, s: &RecordState) -> Result<()> {
    let case_id = case_of(s).map(|c| c.to_string());
    let rows: Vec<table::ConflictRow> = s
        .conflicts()
        .into_iter()
        .map(|c| {
            let stored = |x: &rightsdesk_sync::merge::Candidate, field: Option<String>| StoredCandidate {
                change: x.change.to_string(),
                device: x.change.origin,
                at: x.at,
                value: x.value.clone(),
                field,
            };
            let candidates: Vec<StoredCandidate> = c
                .candidates
                .iter()
                .map(|x| stored(x, None))
                .chain(c.edits.iter().map(|(f, x)| stored(x, Some(f.clone()))))
                .collect();
            table::ConflictRow {
                record: s.id.to_string(),
                field: c.field,
                kind: s.kind.as_str().to_string(),
                case_id: case_id.clone(),
                candidates: serde_json::to_string(&candidates).unwrap_or_default(),
            }
        })
        .collect();
    table::set_conflicts(conn, &s.id.to_string(), &rows)?;
    Ok(())
}
