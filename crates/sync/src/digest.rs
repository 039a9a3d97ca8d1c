//! The state digest: one SHA-256 over the canonical content of every synced record, equal on two
//! offices exactly when they hold the same data (values, open conflicts and all).
//!
//! Each record is encoded as one line of canonical JSON (keys sorted, no spaces) and the lines are
//! hashed in `(kind, id)` order.
use crate::merge::{Candidate, RecordState};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

/// Writes `v` as JSON with object keys sorted, whatever order the map keeps them in.
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn candidates(c: &[Candidate]) -> Value {
    Value::Array(
        c.iter()
            .map(|c| {
                json!([
                    c.change.to_string(),
                    c.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    c.value
                ])
            })
            .collect(),
    )
}

/// The canonical line of one record.
pub fn record_line(r: &RecordState) -> String {
    let fields: Map<String, Value> =
        r.fields.iter().map(|(k, f)| (k.clone(), candidates(&f.candidates))).collect();
    let v = json!({
        "kind": r.kind.as_str(),
        "id": r.id.hyphenated().to_string(),
        "created": r.created.to_string(),
        "fields": fields,
        "deleted": candidates(&r.deletion.candidates),
        "unseen_by_delete": r.unseen_by_delete.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "completions": candidates(&r.completions),
    });
    let mut out = String::new();
    canonical_json(&v, &mut out);
    out
}

/// Accumulates records in `(kind, id)` order.
#[derive(Default)]
pub struct StateDigest {
    hasher: Sha256,
    records: u64,
}

impl StateDigest {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds one record; callers add records sorted by `(kind, id)`.
    pub fn add(&mut self, r: &RecordState) {
        self.hasher.update(record_line(r).as_bytes());
        self.hasher.update(b"\n");
        self.records += 1;
    }
    pub fn records(&self) -> u64 {
        self.records
    }
    /// The digest as 64 lowercase hex digits.
    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of `bytes` as 64 lowercase hex digits (the name of a bundle file in `prev`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
