//! Referral letters: a referral, its case and the unit's letterhead, filled into the templates of
//! the request type and language (`assets/letters`, or a coordinator's edited copies in the data
//! folder's `letters/`), laid out as a PDF by `rightsdesk-print`.
//!
//! The same referral, case, letterhead and templates always give the same bytes, so the SHA-256
//! recorded on the case's timeline when a letter is saved or printed proves which letter was sent.
//! The PDF itself is kept on the office that issued it.
use crate::cases::CaseDetail;
use crate::error::{AppError, Result};
use crate::referrals::InstitutionView;
use crate::setup::Desk;
use crate::sync::capture;
use chrono::NaiveDate;
use rightsdesk_domain::case::Case;
use rightsdesk_domain::ids::ReferralId;
use rightsdesk_domain::institution::pick as label;
use rightsdesk_domain::letter::{self, TemplateError, Templates};
use rightsdesk_domain::referral::{LetterRecord, Referral, ReferralMark};
use rightsdesk_domain::timeline::EntryKind;
use rightsdesk_domain::translit::latin_to_cyrillic_keep_codes;
use rightsdesk_domain::vocab::{self, Vocabularies};
use rightsdesk_print::{Align, Block, Document, Footer, Para};
use rightsdesk_store::referrals::{self, Letterhead};
use rightsdesk_store::{cases, timeline};
use rightsdesk_sync::Kind;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The folder (in the data folder) where a coordinator puts edited templates.
pub const TEMPLATE_FOLDER: &str = "letters";

/// A letter rendered as a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedLetter {
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, lower-case hex.
    pub sha256: String,
    pub pages: u32,
    pub lang: String,
    /// A file name to offer when saving (`PRI-2026-K7QX-0042-1_sq.pdf`).
    pub file_name: String,
}

/// What the screens show of a letter (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterInfo {
    pub lang: String,
    pub sha256: String,
    pub bytes: u64,
    pub pages: u32,
    pub file_name: String,
}

impl RenderedLetter {
    pub fn info(&self) -> LetterInfo {
        LetterInfo {
            lang: self.lang.clone(),
            sha256: self.sha256.clone(),
            bytes: self.pdf.len() as u64,
            pages: self.pages,
            file_name: self.file_name.clone(),
        }
    }
}

/// A letter issued (saved or printed) and recorded on its case's timeline.
#[derive(Debug, Clone)]
pub struct IssuedLetter {
    pub letter: RenderedLetter,
    pub detail: CaseDetail,
}

/// Which templates letters are made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateStatus {
    /// Where edited templates go (a file there replaces the built-in one of the same name).
    pub folder: PathBuf,
    /// The edited templates in use.
    pub overridden: Vec<String>,
    /// What is wrong with them: no letter can be made until it is corrected.
    pub error: Option<TemplateProblem>,
}

/// A problem with the edited templates, as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateProblem {
    pub file: String,
    pub line: Option<usize>,
    /// `unknown_placeholder`, `missing_section`, ... or `unreadable`.
    pub code: String,
    /// What is wrong, in plain English, naming the file and line.
    pub message: String,
}

impl From<&TemplateError> for TemplateProblem {
    fn from(e: &TemplateError) -> Self {
        TemplateProblem {
            file: e.file.clone(),
            line: e.line,
            code: e.problem.code().to_string(),
            message: e.to_string(),
        }
    }
}

/// The languages one part of a letter is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    En,
    Sq,
    SrLatn,
    SrCyrl,
}

impl Part {
    fn parts(lang: &str) -> Option<Vec<Part>> {
        Some(match lang {
            "en" => vec![Part::En],
            "sq" => vec![Part::Sq],
            "sr-Latn" => vec![Part::SrLatn],
            "sr-Cyrl" => vec![Part::SrCyrl],
            "sq+sr-Latn" => vec![Part::Sq, Part::SrLatn],
            "sq+sr-Cyrl" => vec![Part::Sq, Part::SrCyrl],
            _ => return None,
        })
    }
    /// The language of the templates.
    fn template(self) -> &'static str {
        match self {
            Part::En => "en",
            Part::Sq => "sq",
            Part::SrLatn => "sr",
            Part::SrCyrl => letter::SR_CYRL,
        }
    }
    /// The language of vocabulary labels and institution names.
    fn labels(self) -> &'static str {
        match self {
            Part::En => "en",
            Part::Sq => "sq",
            Part::SrLatn | Part::SrCyrl => "sr",
        }
    }
    /// Institution names, vocabulary labels and places in the part's script (what the person and
    /// the officer wrote stays as they wrote it).
    fn script(self, s: &str) -> String {
        match self {
            Part::SrCyrl => latin_to_cyrillic_keep_codes(s),
            _ => s.to_string(),
        }
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Everything a letter is made of, gathered before any template is filled.
struct Sources<'a> {
    referral: &'a Referral,
    case: &'a Case,
    institution: &'a InstitutionView,
    head: &'a Letterhead,
    office: &'a str,
    municipality: &'a str,
    vocab: &'a Vocabularies,
}

impl Sources<'_> {
    fn vocab_label(&self, part: Part, name: &str, code: &str) -> String {
        part.script(self.vocab.label(name, code, part.labels()))
    }

    fn grounds(&self, part: Part, codes: &[String]) -> String {
        let other = self.case.draft.acts.iter().find_map(|a| a.ground_other.clone());
        codes
            .iter()
            .map(|g| match (g.as_str(), &other) {
                (vocab::OTHER, Some(o)) => o.clone(),
                _ => self.vocab_label(part, vocab::GROUNDS, g),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The acts the referral concerns, in the case's order, numbered as on the case.
    fn acts(&self) -> Vec<(usize, &rightsdesk_domain::case::Act)> {
        self.case
            .draft
            .acts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.id.is_some_and(|id| self.referral.draft.acts.contains(&id)))
            .collect()
    }

    fn common(&self, part: Part, name: &str, t: &Templates) -> String {
        let r = &self.referral.draft;
        let phrase = |section: &str| {
            t.frame(part.template(), section).map(|s| s.fill_line(&|_| String::new())).unwrap_or_default()
        };
        match name {
            "case_number" => self.case.number.clone(),
            "intake_date" => date(self.case.draft.intake_date),
            "municipality" => self.vocab_label(part, vocab::MUNICIPALITIES, self.municipality),
            "office" => self.office.to_string(),
            "unit_address" => self
                .head
                .address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            "institution" => part.script(label(&self.institution.name, part.labels())),
            "person" => match &self.case.draft.person.name {
                Some(n) => n.clone(),
                None => phrase("anonymous_person"),
            },
            "deadline" => date(r.deadline),
            "asked" => r.asked.clone(),
            "grounds" => self.grounds(part, &r.grounds),
            "areas" => {
                let mut areas: Vec<&str> = Vec::new();
                for (_, a) in self.acts() {
                    if !areas.contains(&a.area.as_str()) {
                        areas.push(&a.area);
                    }
                }
                areas.iter().map(|a| self.vocab_label(part, vocab::AREAS, a)).collect::<Vec<_>>().join(", ")
            }
            "officer" => self.referral.author.clone(),
            "protocol" => r.protocol.clone(),
            "date" => date(r.sent_on),
            "request_type" => self.vocab_label(part, vocab::REQUEST_TYPES, &r.request_type),
            "override_reason" => r.override_reason.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// One language's text of the letter.
struct Text {
    letterhead: Vec<String>,
    to_label: String,
    protocol_label: String,
    date_label: String,
    subject_label: String,
    subject: String,
    addressee: Vec<String>,
    salutation: String,
    body: Vec<String>,
    legal_heading: String,
    legal: Vec<String>,
    notes: Vec<String>,
    data_note: Vec<String>,
    closing: String,
    signature: Vec<String>,
    enclosures_heading: String,
    no_enclosures: String,
    page: String,
}

fn missing(file: &str, what: &str) -> AppError {
    AppError::Template(TemplateError {
        file: file.to_string(),
        line: None,
        problem: letter::Problem::MissingSection { name: what.to_string() },
    })
}

fn compose_part(s: &Sources<'_>, t: &Templates, part: Part) -> Result<Text> {
    let lang = part.template();
    let rt = &s.referral.draft.request_type;
    let value = |n: &str| s.common(part, n, t);
    let frame = |name: &str| {
        t.frame(lang, name).ok_or_else(|| missing(&letter::file_name(letter::FRAME, lang), name))
    };
    let line = |name: &str| -> Result<String> { Ok(frame(name)?.fill_line(&value)) };
    let unknown = |name: &str| -> Result<String> { Ok(frame(name)?.fill_line(&|_| String::new())) };
    let (date_unknown, place_unknown, respondent_unknown) =
        (unknown("date_unknown")?, unknown("place_unknown")?, unknown("respondent_unknown")?);
    let act_section = frame("act")?;
    let mut acts = Vec::new();
    for (i, a) in s.acts() {
        let mut chosen: Vec<String> =
            a.grounds.iter().filter(|g| s.referral.draft.grounds.contains(g)).cloned().collect();
        if chosen.is_empty() {
            // Referrals are checked to name a ground of each act; one from elsewhere may not.
            chosen = a.grounds.clone();
        }
        let when = match (a.date_from, a.date_to) {
            (Some(f), Some(t)) => format!("{} – {}", date(f), date(t)),
            (Some(f), None) => date(f),
            _ => date_unknown.clone(),
        };
        let respondent = if !a.respondent_name.is_empty() {
            a.respondent_name.clone()
        } else if a.respondent_type.is_empty() {
            respondent_unknown.clone()
        } else {
            s.vocab_label(part, vocab::RESPONDENT_TYPES, &a.respondent_type)
        };
        acts.extend(act_section.fill(&|n| match n {
            "act_number" => (i + 1).to_string(),
            "act_date" => when.clone(),
            "act_place" => {
                if a.place.is_empty() {
                    place_unknown.clone()
                } else {
                    a.place.clone()
                }
            }
            "act_narrative" => a.narrative.clone(),
            "act_grounds" => s.grounds(part, &chosen),
            "act_area" => s.vocab_label(part, vocab::AREAS, &a.area),
            "act_form" => s.vocab_label(part, vocab::FORMS, &a.form),
            "act_respondent" => respondent.clone(),
            other => value(other),
        }));
    }
    let request_file = letter::file_name(rt, lang);
    let subject = t.subject(rt, lang).ok_or_else(|| missing(&request_file, "subject"))?.fill_line(&value);
    let body = t.body(rt, lang).ok_or_else(|| missing(&request_file, "body"))?.fill_with_acts(&value, &acts);
    let inst = s.institution;
    let mut addressee = vec![part.script(label(&inst.name, part.labels()))];
    if let Some(d) = &inst.department {
        addressee.push(part.script(label(d, part.labels())));
    }
    if let Some(a) = &inst.address {
        addressee
            .extend(label(a, part.labels()).lines().map(|l| part.script(l.trim())).filter(|l| !l.is_empty()));
    }
    let salutation = match label(&inst.salutation, part.labels()) {
        // The unit's own institutions have no salutation of their own.
        "" => generic_salutation(part),
        s => part.script(s),
    };
    let notes = if s.referral.draft.override_reason.is_some() {
        frame("override_note")?.fill(&value)
    } else {
        frame("consent_note")?.fill(&value)
    };
    let mut signature = frame("signature")?.fill(&value);
    if !s.head.signer.is_empty() && signature.len() >= 2 {
        // The unit's own title for the signer replaces the template's.
        signature[1] = s.head.signer.clone();
    }
    Ok(Text {
        letterhead: frame("letterhead")?.fill(&value),
        to_label: line("to_label")?,
        protocol_label: line("protocol_label")?,
        date_label: line("date_label")?,
        subject_label: line("subject_label")?,
        subject,
        addressee,
        salutation,
        body,
        legal_heading: line("legal_basis_heading")?,
        legal: frame("legal_basis")?.fill(&value),
        notes,
        data_note: frame("data_protection_note")?.fill(&value),
        closing: line("closing")?,
        signature,
        enclosures_heading: line("enclosures_heading")?,
        no_enclosures: line("no_enclosures")?,
        page: frame("page")?.fill_line(&|n| format!("{{{n}}}")),
    })
}

/// Used when an institution (one of the unit's own) has no salutation.
fn generic_salutation(part: Part) -> String {
    match part {
        Part::En => "Dear Sir or Madam,",
        Part::Sq => "Të nderuar,",
        Part::SrLatn => "Poštovani,",
        Part::SrCyrl => "Поштовани,",
    }
    .to_string()
}

/// The letter's running text size (the print engine's default is for longer documents).
const BODY: f32 = 10.0;

/// A paragraph of the letter's running text: justified, like a ministry's letters.
fn text(s: &str) -> Para {
    Para::new(s.to_string()).size(BODY).align(Align::Justify).space_after(2.0)
}

/// Two texts as one line: `a / b`, or `a` when they are the same.
fn both(a: &str, b: &str) -> String {
    if a == b || b.is_empty() {
        a.to_string()
    } else if a.is_empty() {
        b.to_string()
    } else {
        format!("{a} / {b}")
    }
}

/// Lines of two languages paired (`Republika e Kosovës / Republika Kosovo`).
fn pair_lines(a: &[String], b: &[String]) -> Vec<String> {
    let n = a.len().max(b.len());
    (0..n).map(|i| both(a.get(i).map_or("", String::as_str), b.get(i).map_or("", String::as_str))).collect()
}

/// The letter as a document to print, in one language or two (one text after the other, with
/// the letterhead, labels, signature and enclosures given once in both).
fn compose(s: &Sources<'_>, t: &Templates, lang: &str) -> Result<Document> {
    let parts = Part::parts(lang).ok_or_else(|| AppError::Invalid(field_error("lang")))?;
    let texts: Vec<Text> = parts.iter().map(|p| compose_part(s, t, *p)).collect::<Result<_>>()?;
    let first = &texts[0];
    let joined = |f: &dyn Fn(&Text) -> String| -> String {
        texts.iter().skip(1).fold(f(first), |acc, x| both(&acc, &f(x)))
    };
    let mut letterhead =
        texts.iter().skip(1).fold(first.letterhead.clone(), |acc, x| pair_lines(&acc, &x.letterhead));
    if !s.head.contact.is_empty() {
        letterhead.push(s.head.contact.clone());
    }
    let r = &s.referral.draft;
    let mut blocks = vec![Block::Fields(vec![
        (joined(&|x| x.protocol_label.clone()), r.protocol.clone()),
        (joined(&|x| x.date_label.clone()), date(r.sent_on)),
    ])];
    blocks.push(Block::Spacer(4.0));
    blocks.push(Block::Paragraph(Para::new(joined(&|x| x.to_label.clone())).size(BODY).space_after(1.0)));
    let addressee =
        texts.iter().skip(1).fold(first.addressee.clone(), |acc, x| pair_lines(&acc, &x.addressee));
    for (i, l) in addressee.iter().enumerate() {
        let p = Para::new(l.clone())
            .size(BODY)
            .space_after(if i + 1 == addressee.len() { 0.0 } else { 0.3 })
            .indent(8.0);
        blocks.push(Block::Paragraph(if i == 0 { p.bold() } else { p }));
    }
    for (n, x) in texts.iter().enumerate() {
        let opening = vec![
            Block::Spacer(4.0),
            Block::Fields(vec![(x.subject_label.clone(), x.subject.clone())]),
            Block::Spacer(2.0),
            Block::Paragraph(text(&x.salutation)),
        ];
        let mut body = x.body.iter().map(|p| Block::Paragraph(text(p)));
        if n > 0 {
            // The rule between the languages, the subject, the salutation and the first paragraph
            // stay together: a subject never ends a page.
            let mut group = vec![Block::Spacer(4.0), Block::Rule];
            group.extend(opening);
            group.extend(body.next());
            blocks.push(Block::KeepTogether(group));
        } else {
            blocks.extend(opening);
        }
        blocks.extend(body);
        // A heading goes with the paragraph under it.
        let mut legal = x.legal.iter().map(|p| Block::Paragraph(text(p)));
        let mut heading = vec![Block::Paragraph(
            Para::new(x.legal_heading.clone()).bold().size(BODY + 0.5).space_after(1.5),
        )];
        heading.extend(legal.next());
        blocks.push(Block::KeepTogether(heading));
        blocks.extend(legal);
        blocks.extend(x.notes.iter().map(|p| Block::Paragraph(text(p))));
        let note: Vec<Block> = x.data_note.iter().map(|p| Block::Paragraph(text(p).size(8.0))).collect();
        if n + 1 == texts.len() {
            let closing = joined(&|x| x.closing.clone());
            let signature =
                texts.iter().skip(1).fold(first.signature.clone(), |acc, x| pair_lines(&acc, &x.signature));
            // The signature never stands on a page of its own: the last note goes with it.
            let mut keep = note;
            keep.extend([Block::Spacer(2.0), Block::Paragraph(text(&closing)), Block::Spacer(12.0)]);
            for (i, l) in signature.iter().enumerate() {
                let p = Para::new(l.clone()).size(BODY).space_after(0.3);
                keep.push(Block::Paragraph(if i == 0 { p.bold() } else { p }));
            }
            blocks.push(Block::KeepTogether(keep));
        } else {
            // The closing is said once, in both languages, before the signature.
            blocks.extend(note);
        }
    }
    blocks.push(Block::Spacer(5.0));
    if r.enclosures.is_empty() {
        blocks.push(Block::Paragraph(text(&joined(&|x| x.no_enclosures.clone())).size(9.0)));
    } else {
        blocks.push(Block::KeepTogether(vec![
            Block::Paragraph(
                Para::new(joined(&|x| x.enclosures_heading.clone())).bold().size(9.0).space_after(1.0),
            ),
            Block::Paragraph(
                Para::new(
                    r.enclosures
                        .iter()
                        .enumerate()
                        .map(|(i, e)| format!("{}. {e}", i + 1))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .size(9.0),
            ),
        ]));
    }
    Ok(Document {
        title: first.subject.clone(),
        author: s.office.to_string(),
        lang: match parts[0] {
            Part::En => "en",
            Part::Sq => "sq",
            Part::SrLatn => "sr-Latn",
            Part::SrCyrl => "sr-Cyrl",
        }
        .to_string(),
        date: r.sent_on,
        logo: s.head.logo.clone(),
        letterhead,
        blocks,
        footer: Footer {
            left: format!("{} · {}", r.protocol, s.case.number),
            page_label: joined(&|x| x.page.clone()),
        },
    })
}

fn field_error(field: &str) -> rightsdesk_domain::Invalid {
    rightsdesk_domain::Invalid {
        fields: vec![rightsdesk_domain::FieldError {
            field: field.into(),
            code: rightsdesk_domain::validation::codes::UNKNOWN_CODE,
        }],
    }
}

/// `PRI-2026-K7QX-0042/1` in `sq+sr-Latn` → `PRI-2026-K7QX-0042-1_sq+sr-Latn.pdf`.
pub fn file_name(protocol: &str, lang: &str) -> String {
    let safe: String = protocol
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '.' | '_') { c } else { '-' })
        .collect();
    format!("{}_{lang}.pdf", safe.trim_matches('-'))
}

/// The edited templates in `folder` (`*.txt`), by file name.
fn read_overrides(folder: &Path) -> Result<Vec<(String, String)>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AppError::io(folder, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| AppError::io(folder, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| AppError::io(&path, e))?;
        out.push((name, text));
    }
    out.sort();
    Ok(out)
}

impl Desk {
    /// Where a coordinator puts edited templates.
    pub fn template_folder(&self) -> PathBuf {
        self.dir().path().join(TEMPLATE_FOLDER)
    }

    /// The templates letters are made from now: the built-in ones, with the edited copies in the
    /// template folder in their place (checked whole: any error refuses them all).
    pub fn templates(&self) -> Result<std::borrow::Cow<'static, Templates>> {
        let overrides = read_overrides(&self.template_folder())?;
        if overrides.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(Templates::builtin()));
        }
        Ok(std::borrow::Cow::Owned(Templates::with_overrides(&overrides).map_err(AppError::Template)?))
    }

    /// Which templates are in use, and what is wrong with them.
    pub fn template_status(&self) -> TemplateStatus {
        let folder = self.template_folder();
        let (overridden, error) = match read_overrides(&folder) {
            Ok(files) => {
                let names = files.iter().map(|(n, _)| n.clone()).collect();
                (names, Templates::with_overrides(&files).err().map(|e| TemplateProblem::from(&e)))
            }
            Err(e) => (
                Vec::new(),
                Some(TemplateProblem {
                    file: folder.display().to_string(),
                    line: None,
                    code: "unreadable".into(),
                    message: e.to_string(),
                }),
            ),
        };
        TemplateStatus { folder, overridden, error }
    }

    /// The letter of a referral in `lang`, as it would be sent; nothing is recorded.
    pub fn render_letter(&self, id: ReferralId, lang: &str) -> Result<RenderedLetter> {
        self.render(&self.referral(id)?, lang)
    }

    fn render(&self, referral: &Referral, lang: &str) -> Result<RenderedLetter> {
        let conn = self.store.conn();
        let case = cases::get(conn, referral.case_id)?
            .ok_or_else(|| AppError::NotFound { what: "case", id: referral.case_id.to_string() })?;
        let institution = self
            .institutions_in(&case.municipality)?
            .into_iter()
            .find(|i| i.id == referral.draft.institution)
            .ok_or_else(|| AppError::NotFound {
                what: "institution",
                id: referral.draft.institution.clone(),
            })?;
        let head = referrals::letterhead(conn)?;
        let templates = self.templates()?;
        let sources = Sources {
            referral,
            case: &case,
            institution: &institution,
            head: &head,
            office: &self.profile.office,
            municipality: &case.municipality,
            vocab: self.vocab,
        };
        let doc = compose(&sources, &templates, lang)?;
        let pdf = rightsdesk_print::render_counted(&doc).map_err(AppError::Print)?;
        Ok(RenderedLetter {
            sha256: rightsdesk_sync::digest::sha256_hex(&pdf.bytes),
            pages: pdf.pages,
            pdf: pdf.bytes,
            lang: lang.to_string(),
            file_name: file_name(&referral.draft.protocol, lang),
        })
    }

    /// Issues a referral's letter: records it on the case's timeline with its hash and keeps the
    /// PDF on this office.
    pub fn issue_letter(&mut self, id: ReferralId, lang: &str) -> Result<IssuedLetter> {
        self.issue_letter_to(id, lang, None)
    }

    /// Issues a referral's letter and, with `out`, writes it there first (whole or not at all):
    /// a letter that could not be saved is not recorded as sent.
    pub fn issue_letter_to(
        &mut self,
        id: ReferralId,
        lang: &str,
        out: Option<&Path>,
    ) -> Result<IssuedLetter> {
        let referral = self.referral(id)?;
        let letter = self.render(&referral, lang)?;
        if let Some(path) = out {
            write_file(path, &letter.pdf)?;
        }
        let now = self.clock.now();
        let record = LetterRecord {
            lang: letter.lang.clone(),
            sha256: letter.sha256.clone(),
            bytes: letter.pdf.len() as u64,
            pages: letter.pages,
        };
        let mut entry = self.entry(referral.case_id, EntryKind::Letter, letter.file_name.clone());
        entry.occurred_on = self.clock.today();
        entry.referral = Some(ReferralMark { id, status: None, letter: Some(record) });
        let tx = self.store.transaction()?;
        referrals::keep_letter(&tx, &letter.sha256, id, &letter.lang, &letter.pdf, now)?;
        timeline::append(&tx, &entry)?;
        cases::touch(&tx, referral.case_id, now, self.profile.device_id)?;
        capture(&tx, self.profile.device_id.as_uuid(), now, &[(Kind::Entry, entry.id.as_uuid())])?;
        rightsdesk_store::commit(tx)?;
        Ok(IssuedLetter { letter, detail: self.case_detail(referral.case_id)? })
    }

    /// A letter this office issued, exactly as it was, by its SHA-256.
    pub fn issued_letter(&self, sha256: &str) -> Result<Vec<u8>> {
        referrals::letter(self.store.conn(), sha256)?
            .ok_or_else(|| AppError::NotFound { what: "letter", id: sha256.to_string() })
    }
}

/// Writes `bytes` to `path` whole or not at all: to `<path>.part`, then renamed over `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    if let Err(e) = std::fs::write(&part, bytes) {
        let _ = std::fs::remove_file(&part);
        return Err(AppError::io(&part, e));
    }
    std::fs::rename(&part, path).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        AppError::io(path, e)
    })
}
