//! Reading the examples out of `docs/bundle-format.md`: each is marked by an HTML comment
//! (`<!-- name: file -->`, invisible when rendered) right before it, so the tests compare exactly
//! what a reader of the document sees with the golden files and with what the code computes.
use crate::scenario;

pub fn spec() -> String {
    scenario::doc("bundle-format.md")
}

fn after_marker<'a>(doc: &'a str, marker: &str) -> &'a str {
    let tag = format!("<!-- {marker} -->");
    let at = doc.find(&tag).unwrap_or_else(|| panic!("docs/bundle-format.md lost its `{tag}` example"));
    &doc[at + tag.len()..]
}

/// The fenced block right after the marker: its lines, each followed by a line feed.
pub fn block(doc: &str, marker: &str) -> String {
    let rest = after_marker(doc, marker).trim_start_matches('\n');
    assert!(rest.starts_with("```"), "the `{marker}` example in docs/bundle-format.md is a fenced block");
    let body = &rest[rest.find('\n').expect("a fence line ends") + 1..];
    let end =
        body.find("\n```").unwrap_or_else(|| panic!("the `{marker}` block in docs/bundle-format.md ends"));
    format!("{}\n", &body[..end])
}

/// The first `inline code` right after the marker.
pub fn inline(doc: &str, marker: &str) -> String {
    let rest = after_marker(doc, marker);
    let mut parts = rest.splitn(3, '`');
    parts.next();
    parts
        .next()
        .unwrap_or_else(|| panic!("the `{marker}` example in docs/bundle-format.md is inline code"))
        .into()
}
