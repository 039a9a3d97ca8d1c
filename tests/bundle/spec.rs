//! `docs/bundle-format.md` and `docs/bundle.schema.json` say what the code does: every example in
//! the document is compared with the golden files and with what the code computes from them, and the
//! schema's members, required members and closed objects are checked against what the code reads.
use crate::markdown::{block, inline, spec};
use crate::scenario::{self, ENROLMENT, PLAIN, REGISTRY, fixture, import, ready_recipient};
use rightsdesk_sync::bundle::Bundle;
use rightsdesk_sync::change::{Action, Change, Kind};
use rightsdesk_sync::digest::{StateDigest, record_line, sha256_hex};
use rightsdesk_sync::envelope::{self, PREFIX_LEN};
use rightsdesk_sync::{RecordState, keys};
use serde_json::{Map, Value, json};

fn signed_json(file: &[u8]) -> Value {
    let opened = envelope::open(file).expect("a golden file opens");
    serde_json::from_slice(opened.signed).expect("signed bytes are JSON")
}

fn parse(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("docs/bundle-format.md: {what} is not JSON: {e}"))
}

#[test]
fn the_documents_example_file_is_the_golden_file_byte_for_byte() {
    let doc = spec();
    let file = fixture(PLAIN);
    assert!(
        block(&doc, "golden-file: v1-plain.rdbundle").as_bytes() == file.as_slice(),
        "section 13.1 shows v1-plain.rdbundle exactly, final line feed included"
    );
    let hash = sha256_hex(&file);
    assert_eq!(
        block(&doc, "sha256: v1-plain.rdbundle").trim(),
        hash,
        "section 13.1 gives the file's SHA-256"
    );
    assert_eq!(
        block(&doc, "verify-output: v1-plain.rdbundle"),
        format!("Signature Verified Successfully\n{hash} *{PLAIN}\n"),
        "section 13.3 shows what the commands print"
    );
    let facts = [
        format!("`{PLAIN}` is {} bytes", thousands(file.len())),
        format!(
            "| 160–{} | the signed bytes: {} bytes",
            file.len() - 3,
            thousands(file.len() - PREFIX_LEN - 2)
        ),
        format!("| {}–{} | `}}` and a line feed |", file.len() - 2, file.len() - 1),
        format!("| 8–95 | `{}` |", std::str::from_utf8(&file[8..96]).expect("base64 is ASCII")),
        format!("| 105–148 | `{}`", std::str::from_utf8(&file[105..149]).expect("base64 is ASCII")),
    ];
    for fact in facts {
        assert!(doc.contains(&fact), "section 13.1 states the golden file's layout: `{fact}`");
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_documents_pretty_printed_documents_are_the_golden_signed_bytes() {
    let doc = spec();
    for (marker, file) in [
        ("signed-bytes: v1-plain.rdbundle", PLAIN),
        ("registry-document: v1-registry.rdregistry", REGISTRY),
        ("enrolment-document: v1-enrolment.rdenrolment", ENROLMENT),
    ] {
        assert_eq!(
            parse(&block(&doc, marker), marker),
            signed_json(&fixture(file)),
            "the document's `{marker}` example is the signed content of {file}"
        );
    }
    let plain = fixture(PLAIN);
    let (_, bundle) = Bundle::open(&plain).expect("the golden plain bundle reads");
    assert_eq!(
        bundle.registry.as_deref().map(str::as_bytes),
        Some(fixture(REGISTRY).as_slice()),
        "the plain bundle carries the golden registry file, byte for byte, as a string"
    );
}

#[test]
fn the_documents_fingerprint_example_is_the_central_offices() {
    let file = fixture(REGISTRY);
    let (opened, _) = rightsdesk_sync::registry::Registry::open(&file).expect("the golden registry");
    let fp = keys::fingerprint(&opened.key);
    assert_eq!(inline(&spec(), "fingerprint: v1-registry.rdregistry"), fp, "section 11.1's example");
    assert_eq!(fp, scenario::CENTRAL_FINGERPRINT, "the fingerprint laptop B confirms is the issuer's");
    assert!(
        spec().contains(&format!("public key is `{}`", keys::public_key_string(&opened.key))),
        "section 11.1 names the key the fingerprint is computed from"
    );
}

#[test]
fn the_documents_state_digest_example_is_what_laptop_b_computes() {
    let doc = spec();
    let file = fixture(PLAIN);
    let (_, bundle) = Bundle::open(&file).expect("the golden plain bundle reads");
    let record = RecordState::derive(&bundle.changes).expect("the activity derives from its create");
    let line = block(&doc, "digest-line: v1-plain.rdbundle");
    assert_eq!(line, format!("{}\n", record_line(&record)), "section 12 shows the record's canonical line");
    let digest = block(&doc, "state-digest: v1-plain.rdbundle");
    assert_eq!(
        digest.trim(),
        sha256_hex(line.as_bytes()),
        "the digest is the SHA-256 of the line and a line feed"
    );
    let mut computed = StateDigest::new();
    computed.add(&record);
    assert_eq!(computed.finish(), digest.trim(), "the sync crate's digest agrees");

    let (_clock, mut b) = ready_recipient();
    import(&mut b, &file).expect("laptop B imports the golden plain bundle");
    let (held, records) = b.desk.state_digest().expect("laptop B's state digest");
    assert_eq!((held.as_str(), records), (digest.trim(), 1), "laptop B's state digest is the documented one");
}

// ---------------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------------

fn schema() -> Value {
    parse(&scenario::doc("bundle.schema.json"), "bundle.schema.json")
}

fn names(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = match v {
        Value::Object(m) => m.keys().cloned().collect(),
        Value::Array(a) => a.iter().map(|s| s.as_str().expect("a name").to_string()).collect(),
        _ => panic!("expected an object or an array of names, found {v}"),
    };
    out.sort();
    out
}

/// Checks one object of the schema against the code: removing any member the schema requires makes
/// `parse` fail, removing any other succeeds, and an unknown member fails exactly when the schema
/// closes the object.
fn check_members(object: &Value, full: &Map<String, Value>, parse: impl Fn(Value) -> bool, what: &str) {
    assert_eq!(
        names(&object["properties"]),
        names(&Value::Object(full.clone())),
        "{what}: the schema lists exactly the members the code writes"
    );
    let required = names(&object["required"]);
    for member in full.keys() {
        let mut without = full.clone();
        without.remove(member);
        assert_eq!(
            parse(Value::Object(without)),
            !required.contains(member),
            "{what}: the schema says `{member}` is {}required; the code must agree",
            if required.contains(member) { "" } else { "not " }
        );
    }
    let mut extra = full.clone();
    extra.insert("comment".into(), json!("not a member"));
    assert_eq!(
        parse(Value::Object(extra)),
        object["additionalProperties"] != json!(false),
        "{what}: the schema closes the object exactly when the code refuses unknown members"
    );
}

/// A change with every optional member present, as the code writes it.
fn full_change() -> Map<String, Value> {
    let origin = "01a1f8d3-ea00-740f-b14f-35d6be6f0bf5";
    let change = json!({
        "origin": origin, "n": 2, "at": "2026-11-20T13:17:00.250Z", "kind": "activity",
        "record": "01a1f91a-68e0-707d-b2b7-7ff271c556c6", "action": "set",
        "fields": {"title": "x"}, "field": "title", "value": "y", "preds": [format!("{origin}:1")]
    });
    let parsed: Change = serde_json::from_value(change.clone()).expect("a change with every member reads");
    let written = serde_json::to_value(&parsed).expect("a change writes");
    assert_eq!(written, change, "the code writes every member of a full change back as it read it");
    written.as_object().expect("an object").clone()
}

#[test]
fn the_schema_names_exactly_the_members_the_code_reads_and_writes() {
    let schema = schema();
    let defs = &schema["$defs"];
    let bundle = signed_json(&fixture(PLAIN));
    let bundle = bundle.as_object().expect("a bundle is an object");
    check_members(&schema, bundle, |v| serde_json::from_value::<Bundle>(v).is_ok(), "the bundle");

    let recipient = bundle["recipients"][0].as_object().expect("a recipient").clone();
    check_members(
        &defs["recipient"],
        &recipient,
        |v| serde_json::from_value::<rightsdesk_sync::bundle::Recipient>(v).is_ok(),
        "a recipient",
    );
    check_members(
        &defs["change"],
        &full_change(),
        |v| serde_json::from_value::<Change>(v).is_ok(),
        "a change",
    );
}

#[test]
fn the_schemas_names_of_kinds_actions_and_scopes_are_the_codes() {
    let schema = schema();
    let change = &schema["$defs"]["change"]["properties"];
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(change["kind"]["enum"], json!(kinds), "the schema's kinds are the code's, in its order");
    let actions = ["create", "set", "delete", "restore", "complete"];
    assert_eq!(change["action"]["enum"], json!(actions), "the schema's actions");
    for a in actions {
        let parsed: Action = serde_json::from_value(json!(a)).expect("every action of the schema reads");
        assert_eq!(parsed.as_str(), a, "the action `{a}` reads as itself");
    }
    assert!(serde_json::from_value::<Action>(json!("archive")).is_err(), "no other action reads");
    for scope in schema["properties"]["scope"]["enum"].as_array().expect("the scopes") {
        assert!(
            serde_json::from_value::<rightsdesk_sync::bundle::Scope>(scope.clone()).is_ok(),
            "the scope {scope} reads"
        );
    }
}

#[test]
fn the_schema_allows_each_kind_the_actions_the_code_allows() {
    let schema = schema();
    let rules = schema["$defs"]["change"]["allOf"].as_array().expect("the change's rules");
    let all = ["create", "set", "delete", "restore", "complete"];
    for kind in Kind::ALL {
        // The rule whose condition names only the kind, and what it allows as `action`.
        let rule = rules
            .iter()
            .find(|r| {
                let cond = &r["if"]["properties"];
                cond.as_object().is_some_and(|c| c.len() == 1)
                    && (cond["kind"]["const"] == json!(kind.as_str())
                        || cond["kind"]["enum"].as_array().is_some_and(|e| e.contains(&json!(kind.as_str()))))
            })
            .unwrap_or_else(|| panic!("the schema has a rule for the actions of a {}", kind.as_str()));
        let allowed = &rule["then"]["properties"]["action"];
        for name in all {
            let action: Action = serde_json::from_value(json!(name)).expect("an action");
            let in_schema = allowed["const"] == json!(name)
                || allowed["enum"].as_array().is_some_and(|e| e.contains(&json!(name)));
            assert_eq!(
                in_schema,
                kind.allows(action),
                "the schema and the code agree on whether a {} record takes `{name}`",
                kind.as_str()
            );
        }
    }
}
