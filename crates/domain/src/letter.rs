//! Referral letter templates: the words of a letter, as data a coordinator can edit in Notepad.
//!
//! Every request type (vocabulary [`crate::vocab::REQUEST_TYPES`]) has one file per language,
//! `assets/letters/<request type>.<lang>.txt`, with the sections `[subject]` and `[body]`; every language has a
//! **frame**, `frame.<lang>.txt`, with the parts common to every letter (letterhead, labels, legal basis, how
//! one act is printed, closing, signature...; see [`FRAME_SECTIONS`]). Serbian is written in Latin script;
//! Serbian Cyrillic (`sr-Cyrl`) is made from it by transliterating the text (never the placeholders).
//!
//! The file format:
//!
//! ```text
//! # Lines starting with # are comments.
//! [subject]
//! Referral of case {case_number}: request for investigation
//!
//! [body]
//! On {intake_date}, our unit received a complaint ...
//! a paragraph may be wrapped over several lines.
//!
//! {acts}
//!
//! {asked}
//! ```
//!
//! - `[name]` alone on a line starts a section. A section's text runs to the next header; blank lines around
//!   it are ignored.
//! - Sections are laid out in one of three ways ([`Layout`]): a single line (`[subject]`, the labels), lines
//!   (`[letterhead]`, `[signature]`: each line is printed as a line) or paragraphs (`[body]`...: a blank line
//!   separates paragraphs, the lines of one paragraph are joined with a space so editors can wrap them).
//! - `{name}` is a placeholder ([`COMMON`], [`ACT`], [`PAGE`] say which go where); `{{` and `}}` print a brace.
//! - `{acts}` becomes the list of acts, one or more paragraphs each ([`FRAME_SECTIONS`] `act`): it must be a
//!   paragraph of its own.
//! - A paragraph (or line) that is empty once filled is left out, so an optional value such as `{asked}` or
//!   `{unit_address}` goes on a line of its own.
//!
//! Loading checks everything and names the file and line of the first problem ([`TemplateError`]).
use crate::assets::LETTER_FILES;
use crate::translit::latin_to_cyrillic_keep_codes;
use crate::vocab::{self, Vocabularies};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// The languages a template file is written in.
pub const LANGS: [&str; 3] = ["en", "sq", "sr"];
/// Serbian in Cyrillic script: made from the `sr` files.
pub const SR_CYRL: &str = "sr-Cyrl";
/// The languages a letter can be composed in ([`Templates::subject`] and the others accept each).
pub const TEMPLATE_LANGS: [&str; 4] = ["en", "sq", "sr", SR_CYRL];
/// The name of the frame files (`frame.<lang>.txt`).
pub const FRAME: &str = "frame";
/// The placeholder that becomes the list of acts; it must be a paragraph of its own.
pub const ACTS: &str = "acts";

/// Placeholders of the request files and of every frame section but `act` and `page`.
pub const COMMON: &[&str] = &[
    "case_number",
    "intake_date",
    "municipality",
    "office",
    "unit_address",
    "institution",
    "person",
    "deadline",
    "asked",
    "grounds",
    "areas",
    ACTS,
    "officer",
    "protocol",
    "date",
    "request_type",
    "override_reason",
];

/// Placeholders of the frame's `act` section (how one act is printed), besides the [`COMMON`] ones other than
/// `{acts}`. `act_number` counts the acts from 1.
pub const ACT: &[&str] = &[
    "act_number",
    "act_date",
    "act_place",
    "act_narrative",
    "act_grounds",
    "act_area",
    "act_form",
    "act_respondent",
];

/// The only placeholders of the frame's `page` section.
pub const PAGE: &[&str] = &["page", "pages"];

/// How a section's text is laid out when filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Exactly one line of text (a subject, a label, a phrase).
    Line,
    /// Each line is kept as a line (letterhead, signature).
    Lines,
    /// Paragraphs separated by blank lines; the lines of a paragraph are joined with a space.
    Paragraphs,
}

/// Which placeholders a section may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Allowed {
    Common,
    Act,
    Page,
}

/// A section every file of its kind must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionSpec {
    pub name: &'static str,
    pub layout: Layout,
    allowed: Allowed,
    /// Placeholders the section must use (a letter without them would be wrong).
    pub required: &'static [&'static str],
}

const fn spec(name: &'static str, layout: Layout) -> SectionSpec {
    SectionSpec { name, layout, allowed: Allowed::Common, required: &[] }
}

impl SectionSpec {
    /// The placeholders this section may use.
    pub fn placeholders(&self) -> Vec<&'static str> {
        match self.allowed {
            Allowed::Page => PAGE.to_vec(),
            Allowed::Act => COMMON.iter().chain(ACT).copied().filter(|p| *p != ACTS).collect(),
            // `{acts}` is paragraphs: only a section of paragraphs can hold it.
            Allowed::Common => {
                COMMON.iter().copied().filter(|p| *p != ACTS || self.layout == Layout::Paragraphs).collect()
            }
        }
    }
}

/// The sections of a request type's file.
pub const REQUEST_SECTIONS: &[SectionSpec] = &[
    spec("subject", Layout::Line),
    SectionSpec { required: &[ACTS, "deadline"], ..spec("body", Layout::Paragraphs) },
];

/// The sections of a frame file: the parts common to every letter in one language.
pub const FRAME_SECTIONS: &[SectionSpec] = &[
    // Top of the first page: the state, the municipality, the unit and its address, one per line.
    spec("letterhead", Layout::Lines),
    // Labels printed before the addressee, the protocol number, the date and the subject.
    spec("to_label", Layout::Line),
    spec("protocol_label", Layout::Line),
    spec("date_label", Layout::Line),
    spec("subject_label", Layout::Line),
    spec("legal_basis_heading", Layout::Line),
    spec("legal_basis", Layout::Paragraphs),
    // One act of the `{acts}` list.
    SectionSpec { allowed: Allowed::Act, required: &["act_narrative"], ..spec("act", Layout::Paragraphs) },
    // Values put in `{act_date}`, `{act_place}`, `{act_respondent}` and `{person}` when not recorded.
    spec("date_unknown", Layout::Line),
    spec("place_unknown", Layout::Line),
    spec("respondent_unknown", Layout::Line),
    spec("anonymous_person", Layout::Line),
    // Printed when the person consented to the referral, or instead when it is made without their consent.
    spec("consent_note", Layout::Paragraphs),
    SectionSpec { required: &["override_reason"], ..spec("override_note", Layout::Paragraphs) },
    spec("data_protection_note", Layout::Paragraphs),
    spec("enclosures_heading", Layout::Line),
    // Printed instead of the heading and the list when nothing is enclosed.
    spec("no_enclosures", Layout::Line),
    spec("closing", Layout::Line),
    spec("signature", Layout::Lines),
    SectionSpec { allowed: Allowed::Page, required: &["page"], ..spec("page", Layout::Line) },
];

/// What is wrong with a template file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// `{name}` is not a placeholder at all.
    UnknownPlaceholder {
        name: String,
        known: Vec<String>,
    },
    /// `{name}` is a placeholder, but not of this section (`{acts}` in the subject, `{act_date}` in the body).
    PlaceholderNotHere {
        name: String,
        section: String,
        known: Vec<String>,
    },
    UnclosedBrace,
    StrayBrace,
    EmptyPlaceholder,
    /// `{acts}` shares its paragraph with other text.
    ActsNotAlone,
    /// A section lacks a placeholder it must use.
    MissingPlaceholder {
        name: String,
        section: String,
    },
    UnknownSection {
        name: String,
        known: Vec<String>,
    },
    DuplicateSection {
        name: String,
        first_line: usize,
    },
    MissingSection {
        name: String,
    },
    EmptySection {
        name: String,
    },
    /// A section of [`Layout::Line`] has more than one line.
    NotOneLine {
        section: String,
    },
    TextOutsideSection,
    /// A file the complete set needs is not there.
    MissingFile,
    /// The file name is not `<request type>.<lang>.txt` nor `frame.<lang>.txt`.
    UnknownFile {
        expected: Vec<String>,
        suggestion: Option<String>,
    },
    DuplicateFile,
}

impl Problem {
    /// A stable code for the kind of problem (`unknown_placeholder`...).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::UnknownPlaceholder { .. } => "unknown_placeholder",
            Problem::PlaceholderNotHere { .. } => "placeholder_not_here",
            Problem::UnclosedBrace => "unclosed_brace",
            Problem::StrayBrace => "stray_brace",
            Problem::EmptyPlaceholder => "empty_placeholder",
            Problem::ActsNotAlone => "acts_not_alone",
            Problem::MissingPlaceholder { .. } => "missing_placeholder",
            Problem::UnknownSection { .. } => "unknown_section",
            Problem::DuplicateSection { .. } => "duplicate_section",
            Problem::MissingSection { .. } => "missing_section",
            Problem::EmptySection { .. } => "empty_section",
            Problem::NotOneLine { .. } => "not_one_line",
            Problem::TextOutsideSection => "text_outside_section",
            Problem::MissingFile => "missing_file",
            Problem::UnknownFile { .. } => "unknown_file",
            Problem::DuplicateFile => "duplicate_file",
        }
    }
}

fn braced(names: &[String]) -> String {
    names.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(", ")
}

fn bracketed(names: &[String]) -> String {
    names.iter().map(|n| format!("[{n}]")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownPlaceholder { name, known } => {
                write!(f, "unknown placeholder {{{name}}}. Known placeholders here: {}", braced(known))
            }
            Problem::PlaceholderNotHere { name, section, known } => write!(
                f,
                "the placeholder {{{name}}} cannot be used in [{section}]. Placeholders allowed here: {}",
                braced(known)
            ),
            Problem::UnclosedBrace => {
                write!(f, "a {{ is not closed by a }} on the same line. To print a brace, write {{{{")
            }
            Problem::StrayBrace => {
                write!(f, "a }} has no {{ before it. To print a brace, write }}}}")
            }
            Problem::EmptyPlaceholder => write!(f, "there is no placeholder name between {{ and }}"),
            Problem::ActsNotAlone => write!(
                f,
                "{{{ACTS}}} must be alone on its line, with a blank line before and after it: it is replaced by \
                 the list of acts, one paragraph or more each"
            ),
            Problem::MissingPlaceholder { name, section } => {
                write!(f, "section [{section}] must use the placeholder {{{name}}}")
            }
            Problem::UnknownSection { name, known } => {
                write!(f, "unknown section [{name}]. The sections of this file are: {}", bracketed(known))
            }
            Problem::DuplicateSection { name, first_line } => {
                write!(f, "section [{name}] appears a second time (first on line {first_line})")
            }
            Problem::MissingSection { name } => write!(f, "section [{name}] is missing"),
            Problem::EmptySection { name } => write!(f, "section [{name}] has no text"),
            Problem::NotOneLine { section } => write!(f, "section [{section}] must be a single line"),
            Problem::TextOutsideSection => write!(
                f,
                "text before the first section header. Start the file with a header such as [subject], or begin \
                 the line with # to make it a comment"
            ),
            Problem::MissingFile => write!(
                f,
                "the file is missing: every request type needs a file in each language ({}), and so does the frame",
                LANGS.join(", ")
            ),
            Problem::UnknownFile { expected, suggestion } => {
                write!(
                    f,
                    "this is not the name of a letter template. Names are <request type>.<language>.txt or \
                     frame.<language>.txt, with request types {} and languages {}",
                    expected.join(", "),
                    LANGS.join(", ")
                )?;
                match suggestion {
                    Some(s) => write!(f, ". Did you mean {s}?"),
                    None => Ok(()),
                }
            }
            Problem::DuplicateFile => write!(f, "the file is given more than once"),
        }
    }
}

/// A problem in a template file: which file, which line (1-based, as Notepad counts them; `None` for a
/// problem of the whole file) and what is wrong, in plain English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct TemplateError {
    /// The file name, e.g. `investigation.sq.txt`.
    pub file: String,
    pub line: Option<usize>,
    pub problem: Problem,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot(String),
}

/// One validated section of a template: paragraphs of lines of text and placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    name: &'static str,
    layout: Layout,
    paragraphs: Vec<Vec<Vec<Piece>>>,
}

impl Section {
    pub fn name(&self) -> &str {
        self.name
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The placeholders used, in order of appearance (a placeholder used twice comes twice).
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.paragraphs.iter().flatten().flatten().filter_map(|p| match p {
            Piece::Slot(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    fn is_acts(paragraph: &[Vec<Piece>]) -> bool {
        matches!(paragraph, [line] if matches!(line.as_slice(), [Piece::Slot(n)] if n == ACTS))
    }

    fn fill_pieces(line: &[Piece], value: &dyn Fn(&str) -> String) -> String {
        line.iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Slot(name) => value(name),
            })
            .collect()
    }

    /// The filled text: one string per paragraph ([`Layout::Paragraphs`]), per line ([`Layout::Lines`]) or
    /// a single one ([`Layout::Line`]). `value(name)` gives each placeholder's text, `{acts}` included
    /// (see [`Section::fill_with_acts`] to splice the acts in as paragraphs). Texts are trimmed; those left
    /// empty are dropped.
    pub fn fill(&self, value: &dyn Fn(&str) -> String) -> Vec<String> {
        self.fill_inner(value, None)
    }

    /// Like [`Section::fill`], with the paragraph `{acts}` replaced by `acts` (each act filled from the frame's
    /// `act` section, one or more paragraphs per act).
    pub fn fill_with_acts(&self, value: &dyn Fn(&str) -> String, acts: &[String]) -> Vec<String> {
        self.fill_inner(value, Some(acts))
    }

    /// The filled text on one line: for a [`Layout::Line`] section (a subject, a label) or a placeholder value
    /// (`date_unknown`...). Lines and paragraphs, if any, are joined with a space.
    pub fn fill_line(&self, value: &dyn Fn(&str) -> String) -> String {
        self.fill(value).join(" ")
    }

    fn fill_inner(&self, value: &dyn Fn(&str) -> String, acts: Option<&[String]>) -> Vec<String> {
        let mut out = Vec::new();
        for paragraph in &self.paragraphs {
            if let (Some(acts), true) = (acts, Self::is_acts(paragraph)) {
                out.extend(acts.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()));
                continue;
            }
            let lines = paragraph.iter().map(|line| Self::fill_pieces(line, value));
            match self.layout {
                Layout::Lines => out.extend(lines.map(|l| l.trim().to_string())),
                Layout::Line | Layout::Paragraphs => {
                    out.push(lines.collect::<Vec<_>>().join(" ").trim().to_string())
                }
            }
        }
        out.retain(|s| !s.is_empty());
        out
    }

    fn transliterated(&self) -> Section {
        let paragraphs = self
            .paragraphs
            .iter()
            .map(|p| {
                p.iter()
                    .map(|line| {
                        line.iter()
                            .map(|piece| match piece {
                                Piece::Text(t) => Piece::Text(latin_to_cyrillic_keep_codes(t)),
                                Piece::Slot(s) => Piece::Slot(s.clone()),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Section { paragraphs, ..self.clone() }
    }
}

/// The sections of one file, by name.
type Sections = BTreeMap<&'static str, Section>;

/// A complete, validated set of letter templates: every request type and the frame, in every language of
/// [`TEMPLATE_LANGS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Templates {
    /// By (request type or [`FRAME`], language).
    files: BTreeMap<(String, String), Sections>,
}

/// The request types letters are written for: the codes of the `request_types` vocabulary.
pub fn request_types() -> Vec<&'static str> {
    Vocabularies::builtin()
        .get(vocab::REQUEST_TYPES)
        .map(|v| v.entries.iter().map(|e| e.code.as_str()).collect())
        .unwrap_or_default()
}

/// The name of a template file: `file_name("investigation", "sq")` is `investigation.sq.txt`.
pub fn file_name(name: &str, lang: &str) -> String {
    format!("{name}.{lang}.txt")
}

/// Every file a complete set has, in order: each request type in each language, then the frames.
pub fn expected_files() -> Vec<String> {
    request_types()
        .into_iter()
        .chain([FRAME])
        .flat_map(|name| LANGS.iter().map(move |lang| file_name(name, lang)))
        .collect()
}

/// The built-in template files as (file name, text), e.g. to give a coordinator a copy to edit.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    LETTER_FILES
}

/// `(name, lang)` of a template file name, or `None` when it is not one.
fn split_name(file: &str, types: &[&str]) -> Option<(String, String)> {
    let stem = file.strip_suffix(".txt")?;
    let (name, lang) = stem.rsplit_once('.')?;
    (LANGS.contains(&lang) && (name == FRAME || types.contains(&name))).then(|| (name.into(), lang.into()))
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

fn unknown_file(file: &str) -> TemplateError {
    let lower = file.to_lowercase();
    let suggestion = expected_files()
        .into_iter()
        .map(|f| (distance(&lower, &f), f))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, f)| f);
    let expected = request_types().iter().map(|t| t.to_string()).collect();
    TemplateError { file: file.into(), line: None, problem: Problem::UnknownFile { expected, suggestion } }
}

/// Parses one line into text and placeholders, with the placeholders checked against `spec`.
fn parse_line(
    text: &str,
    spec: &SectionSpec,
    err: &dyn Fn(Problem) -> TemplateError,
) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '{' if rest.starts_with('{') => {
                rest = &rest[1..];
                literal.push('{');
            }
            '}' if rest.starts_with('}') => {
                rest = &rest[1..];
                literal.push('}');
            }
            '}' => return Err(err(Problem::StrayBrace)),
            '{' => {
                let Some(end) = rest.find(['{', '}']).filter(|&i| rest[i..].starts_with('}')) else {
                    return Err(err(Problem::UnclosedBrace));
                };
                let name = rest[..end].trim();
                rest = &rest[end + 1..];
                if name.is_empty() {
                    return Err(err(Problem::EmptyPlaceholder));
                }
                let allowed = spec.placeholders();
                if !allowed.contains(&name) {
                    let known = allowed.iter().map(|s| s.to_string()).collect();
                    let anywhere = COMMON.iter().chain(ACT).chain(PAGE).any(|p| *p == name);
                    return Err(err(if anywhere {
                        Problem::PlaceholderNotHere { name: name.into(), section: spec.name.into(), known }
                    } else {
                        Problem::UnknownPlaceholder { name: name.into(), known }
                    }));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Slot(name.into()));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// Builds a section from its lines (line number, text).
fn build_section(
    file: &str,
    spec: &SectionSpec,
    header_line: usize,
    lines: &[(usize, &str)],
) -> Result<Section, TemplateError> {
    let at = |line: usize| move |problem| TemplateError { file: file.into(), line: Some(line), problem };
    let mut paragraphs: Vec<Vec<Vec<Piece>>> = Vec::new();
    let mut open = false;
    let mut count = 0;
    for &(no, text) in lines {
        let text = text.trim();
        if text.is_empty() {
            open = false;
            continue;
        }
        count += 1;
        if spec.layout == Layout::Line && count > 1 {
            return Err(at(no)(Problem::NotOneLine { section: spec.name.into() }));
        }
        let pieces = parse_line(text, spec, &at(no))?;
        let acts = pieces.iter().any(|p| matches!(p, Piece::Slot(n) if n == ACTS));
        let alone = matches!(pieces.as_slice(), [Piece::Slot(n)] if n == ACTS);
        // `{acts}` alone on its line, and no line joins its paragraph (before or after).
        let prev_is_acts = open && paragraphs.last().is_some_and(|p| Section::is_acts(p));
        if (acts && (!alone || open)) || prev_is_acts {
            return Err(at(no)(Problem::ActsNotAlone));
        }
        match paragraphs.last_mut() {
            Some(p) if open => p.push(pieces),
            _ => paragraphs.push(vec![pieces]),
        }
        open = true;
    }
    if count == 0 {
        return Err(at(header_line)(Problem::EmptySection { name: spec.name.into() }));
    }
    let section = Section { name: spec.name, layout: spec.layout, paragraphs };
    for required in spec.required {
        if !section.placeholders().any(|p| p == *required) {
            let problem = Problem::MissingPlaceholder { name: (*required).into(), section: spec.name.into() };
            return Err(at(header_line)(problem));
        }
    }
    Ok(section)
}

/// A section as read from its file, before it is checked.
struct RawSection<'a> {
    spec: &'static SectionSpec,
    header: usize,
    /// (line number, text)
    lines: Vec<(usize, &'a str)>,
}

/// Parses and checks one file against the sections its kind must have.
fn parse_file(file: &str, text: &str, specs: &'static [SectionSpec]) -> Result<Sections, TemplateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |line: Option<usize>, problem| TemplateError { file: file.into(), line, problem };
    let mut found: Vec<RawSection> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let name = name.trim();
            let Some(spec) = specs.iter().find(|s| s.name == name) else {
                let known = specs.iter().map(|s| s.name.to_string()).collect();
                return Err(at(Some(no), Problem::UnknownSection { name: name.into(), known }));
            };
            if let Some(first) = found.iter().find(|s| s.spec.name == name).map(|s| &s.header) {
                return Err(at(
                    Some(no),
                    Problem::DuplicateSection { name: name.into(), first_line: *first },
                ));
            }
            found.push(RawSection { spec, header: no, lines: Vec::new() });
            continue;
        }
        match found.last_mut() {
            Some(section) => section.lines.push((no, line)),
            None if trimmed.is_empty() => {}
            None => return Err(at(Some(no), Problem::TextOutsideSection)),
        }
    }
    let mut sections = Sections::new();
    for raw in &found {
        sections.insert(raw.spec.name, build_section(file, raw.spec, raw.header, &raw.lines)?);
    }
    if let Some(missing) = specs.iter().find(|s| !sections.contains_key(s.name)) {
        return Err(at(None, Problem::MissingSection { name: missing.name.into() }));
    }
    Ok(sections)
}

static BUILTIN: OnceLock<Templates> = OnceLock::new();

impl Templates {
    /// The templates shipped with this build (`assets/letters`). Their validity is checked by this crate's
    /// tests, so failing to load them here is a broken build, not bad user input.
    pub fn builtin() -> &'static Templates {
        BUILTIN.get_or_init(|| {
            Self::load_from(LETTER_FILES.iter().copied())
                .expect("assets/letters is checked by rightsdesk-domain's tests")
        })
    }

    /// Loads a complete set of template files given as (file name, text), e.g. `("investigation.sq.txt", "...")`.
    /// Every request type and the frame must be there in every language of [`LANGS`]; the first problem found
    /// is returned.
    pub fn load(files: &[(String, String)]) -> Result<Templates, TemplateError> {
        Self::load_from(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// The built-in templates with some files replaced by edited ones (e.g. a coordinator's folder), by file
    /// name. A problem in an override names the override's file.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<Templates, TemplateError> {
        let types = request_types();
        let mut files: BTreeMap<&str, &str> = LETTER_FILES.iter().copied().collect();
        let mut seen = Vec::new();
        for (name, text) in overrides {
            if split_name(name, &types).is_none() {
                return Err(unknown_file(name));
            }
            if seen.contains(&name) {
                return Err(TemplateError {
                    file: name.clone(),
                    line: None,
                    problem: Problem::DuplicateFile,
                });
            }
            seen.push(name);
            files.insert(name.as_str(), text.as_str());
        }
        Self::load_from(files.into_iter())
    }

    fn load_from<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Result<Templates, TemplateError> {
        let types = request_types();
        let mut out = BTreeMap::new();
        for (file, text) in files {
            let Some((name, lang)) = split_name(file, &types) else { return Err(unknown_file(file)) };
            let specs = if name == FRAME { FRAME_SECTIONS } else { REQUEST_SECTIONS };
            let sections = parse_file(file, text, specs)?;
            if lang == "sr" {
                let cyrillic = sections.iter().map(|(k, s)| (*k, s.transliterated())).collect();
                out.insert((name.clone(), SR_CYRL.to_string()), cyrillic);
            }
            if out.insert((name, lang), sections).is_some() {
                return Err(TemplateError { file: file.into(), line: None, problem: Problem::DuplicateFile });
            }
        }
        for name in types.iter().copied().chain([FRAME]) {
            for lang in LANGS {
                if !out.contains_key(&(name.to_string(), lang.to_string())) {
                    let file = file_name(name, lang);
                    return Err(TemplateError { file, line: None, problem: Problem::MissingFile });
                }
            }
        }
        Ok(Templates { files: out })
    }

    fn section(&self, name: &str, lang: &str, section: &str) -> Option<&Section> {
        let lang = if lang == "sr-Latn" { "sr" } else { lang };
        self.files.get(&(name.to_string(), lang.to_string()))?.get(section)
    }

    /// The subject line of a request type's letter in `lang` (one of [`TEMPLATE_LANGS`]).
    pub fn subject(&self, request_type: &str, lang: &str) -> Option<&Section> {
        self.section(request_type, lang, "subject")
    }

    /// The body of a request type's letter in `lang`, with its `{acts}` paragraph.
    pub fn body(&self, request_type: &str, lang: &str) -> Option<&Section> {
        self.section(request_type, lang, "body")
    }

    /// A section of the frame in `lang` (one of [`FRAME_SECTIONS`]).
    pub fn frame(&self, lang: &str, section: &str) -> Option<&Section> {
        self.section(FRAME, lang, section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn builtin_owned() -> Vec<(String, String)> {
        LETTER_FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
    }

    fn echo(name: &str) -> String {
        format!("<{name}>")
    }

    /// The built-in set with `file` replaced by `text`.
    fn load_with(file: &str, text: &str) -> Result<Templates, TemplateError> {
        let mut files = builtin_owned();
        let entry = files.iter_mut().find(|(n, _)| n == file).expect("a built-in file");
        entry.1 = text.to_string();
        Templates::load(&files)
    }

    const BODY: &str =
        "[subject]\nCase {case_number}\n\n[body]\nOn {intake_date}:\n\n{acts}\n\nReply by {deadline}.\n";

    fn error_of(file: &str, text: &str) -> TemplateError {
        load_with(file, text).expect_err("the file is refused")
    }

    #[test]
    fn every_built_in_template_is_valid() {
        let t = Templates::load(&builtin_owned());
        assert!(
            t.is_ok(),
            "assets/letters must load: {}",
            t.as_ref().err().map(|e| e.to_string()).unwrap_or_default()
        );
        assert_eq!(Templates::builtin(), &t.expect("checked above"));
        assert!(!request_types().contains(&FRAME), "no request type may be called {FRAME}");
    }

    #[test]
    fn there_is_a_file_for_every_request_type_and_the_frame_in_every_language_and_no_other() {
        let types = request_types();
        assert_eq!(
            types,
            [
                "investigation",
                "legal_aid",
                "social_assistance",
                "decision_correction",
                "information",
                "other"
            ]
        );
        let shipped: BTreeSet<&str> = LETTER_FILES.iter().map(|(n, _)| *n).collect();
        let expected: Vec<String> = expected_files();
        assert_eq!(expected.len(), (types.len() + 1) * LANGS.len());
        assert_eq!(
            shipped,
            expected.iter().map(String::as_str).collect(),
            "assets/letters holds exactly these"
        );
        let t = Templates::builtin();
        for lang in TEMPLATE_LANGS {
            for rt in &types {
                assert!(t.subject(rt, lang).is_some() && t.body(rt, lang).is_some(), "{rt} in {lang}");
            }
            for spec in FRAME_SECTIONS {
                assert!(t.frame(lang, spec.name).is_some(), "frame [{}] in {lang}", spec.name);
            }
        }
        assert!(t.frame("tr", "closing").is_none());
        assert!(t.subject("nothing", "en").is_none());
        assert_eq!(t.subject("investigation", "sr-Latn"), t.subject("investigation", "sr"));
    }

    /// Every section of every file of `t`, as (file, section).
    fn all_sections(t: &Templates) -> Vec<(String, &Section)> {
        t.files.iter().flat_map(|((n, l), s)| s.values().map(move |sec| (file_name(n, l), sec))).collect()
    }

    #[test]
    fn filling_a_built_in_section_leaves_no_brace_and_shows_every_placeholder() {
        let t = Templates::builtin();
        for (file, section) in all_sections(t) {
            let text = section.fill(&echo).join("\n");
            assert!(!text.contains(['{', '}']), "{file} [{}] leaves a brace: {text}", section.name());
            for p in section.placeholders() {
                assert!(text.contains(&echo(p)), "{file} [{}] lacks {p}", section.name());
            }
            assert!(!text.trim().is_empty(), "{file} [{}] prints nothing", section.name());
            if section.layout() == Layout::Line {
                assert_eq!(section.fill(&echo).len(), 1, "{file} [{}] is one line", section.name());
            }
        }
    }

    #[test]
    fn the_built_in_letters_say_what_they_must() {
        let t = Templates::builtin();
        for lang in TEMPLATE_LANGS {
            for rt in request_types() {
                let used: BTreeSet<&str> =
                    t.body(rt, lang).into_iter().flat_map(|s| s.placeholders()).collect();
                for p in ["intake_date", "person", "acts", "asked", "deadline"] {
                    assert!(used.contains(p), "{rt} in {lang} uses {{{p}}}");
                }
                let subject: Vec<&str> =
                    t.subject(rt, lang).into_iter().flat_map(|s| s.placeholders()).collect();
                assert!(subject.contains(&"case_number"), "the subject of {rt} in {lang} names the case");
            }
            let basis: BTreeSet<&str> =
                t.frame(lang, "legal_basis").into_iter().flat_map(|s| s.placeholders()).collect();
            assert!(basis.contains("grounds"), "the legal basis in {lang} names the grounds");
            let law = t.frame(lang, "legal_basis").map(|s| s.fill(&echo).join(" ")).unwrap_or_default();
            assert!(law.contains("05/L-021"), "the legal basis in {lang} cites the law");
        }
    }

    #[test]
    fn serbian_cyrillic_is_transliterated_text_with_the_same_placeholders() {
        let t = Templates::builtin();
        for rt in request_types() {
            let (latin, cyr) = (t.body(rt, "sr"), t.body(rt, SR_CYRL));
            let (Some(latin), Some(cyr)) = (latin, cyr) else { panic!("{rt} in Serbian") };
            assert!(latin.placeholders().eq(cyr.placeholders()), "{rt}");
            let filled = cyr.fill(&echo).join(" ");
            let text: String = filled.split(['<', '>']).step_by(2).collect();
            assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{rt} in Cyrillic: {filled}");
        }
        let salutation = t.frame(SR_CYRL, "closing").map(|s| s.fill_line(&echo));
        assert_eq!(salutation.as_deref(), Some("С поштовањем,"));
    }

    #[test]
    fn acts_are_spliced_in_as_paragraphs() {
        let t = Templates::builtin();
        let body = t.body("investigation", "en").expect("built in");
        let act = t.frame("en", "act").expect("built in");
        let acts: Vec<String> = (1..=2)
            .flat_map(|n| {
                act.fill(&|name: &str| if name == "act_number" { n.to_string() } else { echo(name) })
            })
            .collect();
        assert!(acts.len() >= 2);
        let paragraphs = body.fill_with_acts(&echo, &acts);
        let first = paragraphs.iter().position(|p| p == &acts[0]).expect("the acts are in the body");
        assert_eq!(paragraphs[first..first + acts.len()], acts[..]);
        assert!(!paragraphs.iter().any(|p| p.contains("<acts>")));
        assert!(body.fill(&echo).contains(&"<acts>".to_string()), "without acts, {{acts}} is a placeholder");
    }

    #[test]
    fn lines_paragraphs_escapes_and_empty_values() {
        let text = "\u{feff}# comment\r\n\r\n[subject]\r\n  Case {case_number} {{literal}}  \r\n\r\n[body]\r\nOne\r\n  two\r\n# inside\r\nthree {asked}.\r\n\r\n\r\n{acts}\r\n\r\n{asked}\r\n\r\nBy {deadline}.\r\n";
        let t = load_with("other.en.txt", text).expect("valid");
        let subject = t.subject("other", "en").expect("there");
        assert_eq!(subject.fill_line(&echo), "Case <case_number> {literal}");
        let body = t.body("other", "en").expect("there");
        let empty_asked = |n: &str| if n == "asked" { String::new() } else { echo(n) };
        assert_eq!(body.fill(&empty_asked), ["One two three .", "<acts>", "By <deadline>."]);
        assert_eq!(body.fill_with_acts(&echo, &[]), ["One two three <asked>.", "<asked>", "By <deadline>."]);
        let signature = t.frame("en", "signature").expect("there");
        assert_eq!(signature.layout(), Layout::Lines);
        assert!(signature.fill(&echo).len() >= 2, "each line of the signature is a line");
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_its_file_and_line() {
        let e = error_of(
            "investigation.sq.txt",
            "[subject]\nRasti {case_number}\n\n[body]\nPër {persn}.\n\n{acts}\n",
        );
        assert_eq!((e.file.as_str(), e.line), ("investigation.sq.txt", Some(5)));
        assert_eq!(e.problem.code(), "unknown_placeholder");
        let msg = e.to_string();
        assert!(msg.starts_with("investigation.sq.txt, line 5: unknown placeholder {persn}."), "{msg}");
        assert!(msg.contains("Known placeholders here: {case_number}, {intake_date}"), "{msg}");
    }

    #[test]
    fn a_placeholder_of_another_section_is_refused() {
        let e = error_of("legal_aid.en.txt", "[subject]\nCase {case_number} {acts}\n[body]\n{acts}\n");
        assert_eq!((e.line, e.problem.code()), (Some(2), "placeholder_not_here"));
        assert!(e.to_string().contains("{acts} cannot be used in [subject]"), "{e}");
        let e = error_of("legal_aid.en.txt", "[subject]\nCase\n[body]\nOn {act_date}\n\n{acts}\n");
        assert_eq!((e.line, e.problem.code()), (Some(4), "placeholder_not_here"));
        let frame = LETTER_FILES.iter().find(|(n, _)| *n == "frame.en.txt").map(|(_, t)| *t).expect("frame");
        let bad = frame.replacen("[page]\n", "[page]\n{case_number} ", 1);
        let e = error_of("frame.en.txt", &bad);
        assert_eq!(e.problem.code(), "placeholder_not_here", "{e}");
        assert!(e.to_string().contains("Placeholders allowed here: {page}, {pages}"), "{e}");
    }

    #[test]
    fn brace_mistakes_are_found() {
        for (text, line, code) in [
            ("[subject]\nCase {case_number\n[body]\n", 2, "unclosed_brace"),
            ("[subject]\nCase {case_number {x}\n[body]\n", 2, "unclosed_brace"),
            ("[subject]\nCase\n[body]\n\nok\nthen } here\n", 6, "stray_brace"),
            ("[subject]\nCase {}\n[body]\n", 2, "empty_placeholder"),
        ] {
            let e = error_of("information.sr.txt", text);
            assert_eq!(
                (e.file.as_str(), e.line, e.problem.code()),
                ("information.sr.txt", Some(line), code),
                "{text}"
            );
        }
    }

    #[test]
    fn acts_must_be_a_paragraph_of_its_own() {
        for (text, line) in [
            ("[subject]\nS\n[body]\nFacts: {acts}\n", 4),
            ("[subject]\nS\n[body]\nFacts:\n{acts}\n", 5),
            ("[subject]\nS\n[body]\n{acts}\nmore\n", 5),
        ] {
            let e = error_of("other.sq.txt", text);
            assert_eq!((e.line, e.problem.code()), (Some(line), "acts_not_alone"), "{text}");
            assert!(e.to_string().contains("{acts} must be alone on its line"), "{e}");
        }
    }

    #[test]
    fn section_mistakes_are_found() {
        for (text, line, code, names) in [
            ("[subject]\nS\n[bdy]\n{acts}\n", Some(3), "unknown_section", "[bdy]"),
            ("[subject]\nS\n[subject]\nT\n", Some(3), "duplicate_section", "first on line 1"),
            ("[subject]\nS {case_number}\n", None, "missing_section", "[body]"),
            ("[subject]\n\n[body]\n{acts} {deadline}\n", Some(1), "empty_section", "[subject]"),
            ("[subject]\nOne\nTwo\n[body]\n", Some(3), "not_one_line", "single line"),
            ("\nHello\n[subject]\nS\n", Some(2), "text_outside_section", "before the first section"),
            ("[subject]\nS\n[body]\n{acts}\n", Some(3), "missing_placeholder", "{deadline}"),
        ] {
            let e = error_of("decision_correction.en.txt", text);
            assert_eq!(
                (e.file.as_str(), e.line, e.problem.code()),
                ("decision_correction.en.txt", line, code)
            );
            assert!(e.to_string().contains(names), "{e}");
        }
    }

    #[test]
    fn a_frame_lacking_a_section_is_refused() {
        let frame = LETTER_FILES.iter().find(|(n, _)| *n == "frame.sr.txt").map(|(_, t)| *t).expect("frame");
        let cut = frame.replace("[closing]", "[closingg]");
        let e = error_of("frame.sr.txt", &cut);
        assert_eq!((e.file.as_str(), e.problem.code()), ("frame.sr.txt", "unknown_section"));
        let start = frame.find("\n[closing]\n").map(|i| i + 1).expect("closing");
        let end = frame[start..].find("\n[").map(|i| start + i + 1).expect("a section after");
        let cut = format!("{}{}", &frame[..start], &frame[end..]);
        let e = error_of("frame.sr.txt", &cut);
        assert_eq!((e.line, e.problem), (None, Problem::MissingSection { name: "closing".into() }));
        let cut = frame.replace("{override_reason}", "");
        let e = error_of("frame.sr.txt", &cut);
        assert_eq!(
            e.problem,
            Problem::MissingPlaceholder { name: "override_reason".into(), section: "override_note".into() }
        );
    }

    #[test]
    fn missing_unknown_and_repeated_files_are_named() {
        let mut files = builtin_owned();
        files.retain(|(n, _)| n != "social_assistance.sr.txt");
        let e = Templates::load(&files).expect_err("incomplete");
        assert_eq!(
            (e.file.as_str(), e.line, e.problem.code()),
            ("social_assistance.sr.txt", None, "missing_file")
        );

        let mut files = builtin_owned();
        files.push(("investigaton.sq.txt".into(), BODY.into()));
        let e = Templates::load(&files).expect_err("a misspelt name");
        assert_eq!(
            (e.file.as_str(), e.line, e.problem.code()),
            ("investigaton.sq.txt", None, "unknown_file")
        );
        assert!(e.to_string().contains("Did you mean investigation.sq.txt?"), "{e}");

        for name in ["investigation.tr.txt", "investigation.sr-Cyrl.txt", "frame.txt", "notes.md"] {
            let mut files = builtin_owned();
            files.push((name.into(), BODY.into()));
            assert_eq!(Templates::load(&files).map_err(|e| e.problem.code()), Err("unknown_file"), "{name}");
        }

        let mut files = builtin_owned();
        files.push(("other.en.txt".into(), BODY.into()));
        let e = Templates::load(&files).expect_err("twice");
        assert_eq!((e.file.as_str(), e.problem.code()), ("other.en.txt", "duplicate_file"));
    }

    #[test]
    fn an_override_replaces_one_file() {
        let edited =
            "# ours\n[subject]\nOur case {case_number}\n\n[body]\nIntro.\n\n{acts}\n\nBy {deadline}.\n";
        let t = Templates::with_overrides(&[("information.sq.txt".into(), edited.into())]).expect("valid");
        let subject = t.subject("information", "sq").map(|s| s.fill_line(&echo));
        assert_eq!(subject.as_deref(), Some("Our case <case_number>"));
        let builtin = Templates::builtin();
        assert_eq!(t.subject("information", "en"), builtin.subject("information", "en"));
        assert_eq!(t.frame("sq", "closing"), builtin.frame("sq", "closing"));
        assert_ne!(t.subject("information", "sq"), builtin.subject("information", "sq"));
        // An override of the Serbian file changes the Cyrillic letter too.
        let t = Templates::with_overrides(&[("information.sr.txt".into(), edited.into())]).expect("valid");
        let cyr = t.subject("information", SR_CYRL).map(|s| s.fill_line(&echo));
        assert_eq!(cyr.as_deref(), Some("Оур цасе <case_number>"));
        assert_eq!(Templates::with_overrides(&[]).as_ref(), Ok(builtin));
    }

    #[test]
    fn a_faulty_override_is_refused_naming_its_file() {
        let bad = "[subject]\nCase {case_number}\n\n[body]\n{acts}\n\nBy {deadlin}.\n";
        let e = Templates::with_overrides(&[("legal_aid.sr.txt".into(), bad.into())]).expect_err("bad");
        assert_eq!(
            (e.file.as_str(), e.line, e.problem.code()),
            ("legal_aid.sr.txt", Some(7), "unknown_placeholder")
        );
        assert!(e.to_string().contains("{deadlin}"), "{e}");
        let e = Templates::with_overrides(&[("legal-aid.sr.txt".into(), BODY.into())]).expect_err("name");
        assert_eq!((e.file.as_str(), e.problem.code()), ("legal-aid.sr.txt", "unknown_file"));
        let twice = [("other.en.txt".to_string(), BODY.to_string()), ("other.en.txt".into(), BODY.into())];
        let e = Templates::with_overrides(&twice).expect_err("twice");
        assert_eq!(e.problem.code(), "duplicate_file");
    }

    #[test]
    fn an_error_serialises_for_the_app() {
        let e = error_of("other.en.txt", "[subject]\nS {nope}\n[body]\n");
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(json["file"], "other.en.txt");
        assert_eq!(json["line"], 2);
        assert_eq!(json["problem"]["code"], "unknown_placeholder");
        assert_eq!(json["problem"]["name"], "nope");
    }
}
