//! Referral letters: the PDF says what was asked, in the language chosen (every letter of Albanian
//! and Serbian in both scripts extracts as typed), long texts flow onto numbered pages, the same
//! letter gives the same bytes, and issuing it records its hash on the case's timeline.
//!
//! The text is read back with poppler's `pdftotext -raw` (installed by `scripts/setup --test`), an
//! implementation independent of ours.
use super::referrals::referral_for;
use super::support::{Office, case_draft};
use super::sync_support::{Network, import};
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_app::letters::RenderedLetter;
use rightsdesk_domain::ids::ReferralId;
use rightsdesk_domain::referral::ReferralDraft;
use rightsdesk_domain::timeline::EntryKind;
use std::process::Command;

/// The text of a PDF as `pdftotext` reads it, whitespace collapsed to single spaces.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("writing the PDF");
    // `-raw`: in the order the text is drawn. (Without it, poppler reads justified lines of
    // same-length words, as in the long test, as table columns.)
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup --test");
    assert!(out.status.success(), "pdftotext reads the letter: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A case about `name` with one referral to the Ombudsperson, asking `asked`.
fn referred(
    office: &mut Office,
    name: Option<&str>,
    narrative: &str,
    asked: &str,
) -> (CaseDetail, ReferralId) {
    let mut draft = case_draft(name.unwrap_or("x"));
    draft.person.name = name.map(str::to_string);
    if name.is_none() {
        draft.person.contact = None;
    }
    draft.acts[0].narrative = narrative.into();
    let detail = office.desk.create_case(draft).expect("opening a valid case");
    office.tick();
    let mut r: ReferralDraft = referral_for(&detail, office);
    r.asked = asked.into();
    let after = office.desk.create_referral(detail.case.id, r).expect("referring the case");
    let id = after.referrals[0].id;
    (after, id)
}

fn letter(office: &Office, id: ReferralId, lang: &str) -> RenderedLetter {
    office.desk.render_letter(id, lang).unwrap_or_else(|e| panic!("rendering the {lang} letter: {e}"))
}

#[test]
fn each_language_prints_its_own_text_and_the_case_facts() {
    let mut office = Office::new(11);
    let (detail, id) = referred(
        &mut office,
        Some("Drita Krasniqi"),
        "Refused at the counter of the social work centre.",
        "Examine the refusal.",
    );
    let number = &detail.case.number;
    let cases = [
        ("en", vec!["Ombudsperson Institution", "Ethnicity", "Page 1 of"]),
        ("sq", vec!["Institucioni i Avokatit të Popullit", "Etnia", "Faqja 1"]),
        ("sr-Latn", vec!["Institucija Ombudsmana", "Etnička pripadnost"]),
        ("sr-Cyrl", vec!["Институција Омбудсмана", "Етничка припадност"]),
    ];
    for (lang, wanted) in cases {
        let l = letter(&office, id, lang);
        let text = text_of(&l.pdf);
        for w in wanted.iter().chain(&[
            "Drita Krasniqi",
            "Refused at the counter of the social work centre.",
            "Examine the refusal.",
        ]) {
            assert!(text.contains(w), "the {lang} letter says {w:?}:\n{text}");
        }
        assert!(text.contains(&format!("{number}/1")), "the {lang} letter carries its protocol number");
        assert!(text.contains("05/L-021"), "the {lang} letter cites the anti-discrimination law");
        assert!(l.pdf.len() < 60_000, "a {lang} letter without a logo stays small: {} bytes", l.pdf.len());
        assert!(l.pages <= 2, "a short {lang} letter takes one or two pages, not {}", l.pages);
    }
    let both = text_of(&letter(&office, id, "sq+sr-Cyrl").pdf);
    assert!(
        both.contains("Institucioni i Avokatit të Popullit") && both.contains("Институција Омбудсмана"),
        "the bilingual letter holds both texts:\n{both}"
    );
    assert!(
        both.find("Avokatit").unwrap_or(usize::MAX) < both.find("Омбудсмана").unwrap_or(0),
        "Albanian first, then Serbian"
    );
}

#[test]
fn every_letter_of_both_alphabets_extracts_exactly() {
    let mut office = Office::new(12);
    let names = "Ëndrit Çeku, Gëzim Thaçi, Đorđe Šćekić, Živko Njegoš, Ljiljana Džakula, Љубица Ђурђевић, Џевад Ћосић";
    let narrative = "ABCÇDDHEËFGGJHIJKLLLMNNJOPQRRRSSHTTHUVXXHYZZH abcçddheëfggjhijklllmnnjopqrrrsshtthuvxxhyzzh \
                     ČĆĐŠŽ čćđšž АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ абвгдђежзијклљмнњопрстћуфхцчџш";
    let (_, id) = referred(&mut office, Some(names), narrative, "Të shqyrtohet. Да се испита.");
    for lang in ["sq", "sr-Cyrl", "sq+sr-Latn"] {
        let text = text_of(&letter(&office, id, lang).pdf);
        for w in [names, narrative, "Të shqyrtohet. Да се испита."] {
            assert!(text.contains(&squash(w)), "{lang}: {w:?} comes back exactly:\n{text}");
        }
    }
}

#[test]
fn a_long_narrative_flows_onto_numbered_pages_and_nothing_is_lost() {
    let mut office = Office::new(13);
    let words: Vec<String> = (0..1900).map(|i| format!("fjala{i}")).collect();
    let narrative = words.join(" ");
    let (_, id) = referred(&mut office, Some("Arta Morina"), &narrative, "Examine it.");
    let l = letter(&office, id, "sq+sr-Latn");
    assert!(l.pages >= 3, "1,900 words and two languages take several pages, not {}", l.pages);
    let text = text_of(&l.pdf);
    let mut at = 0;
    for w in &words {
        let found = text[at..].find(&format!("{w} ")).or_else(|| text[at..].find(w.as_str()));
        let Some(i) = found else {
            let from = text[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
            panic!(
                "{w} is missing or out of order: the letter cut text off; text around: {}",
                &text[from..(at + 300).min(text.len())]
            )
        };
        at += i + w.len();
    }
    for p in 1..=l.pages {
        assert!(
            text.contains(&format!("Faqja {p} nga {}", l.pages)),
            "page {p} is numbered 'of {}'",
            l.pages
        );
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes_and_issuing_records_its_hash() {
    let mut office = Office::new(14);
    let (_, id) = referred(&mut office, Some("Vjosa Hoxha"), "Refused a flat.", "Examine it.");
    let a = letter(&office, id, "sq+sr-Latn");
    let b = letter(&office, id, "sq+sr-Latn");
    assert!(a.pdf == b.pdf, "rendering twice gives byte-identical PDFs");
    assert_eq!(a.sha256, rightsdesk_sync::digest::sha256_hex(&a.pdf), "the hash is the SHA-256 of the file");
    assert_ne!(letter(&office, id, "sq").sha256, a.sha256, "another language is another letter");

    let before =
        office.desk.case_detail(office.desk.referral(id).expect("the referral").case_id).expect("case");
    office.tick();
    let issued = office.desk.issue_letter(id, "sq+sr-Latn").expect("issuing the letter");
    assert_eq!(issued.letter.pdf, a.pdf, "issuing later (another clock time) prints the same letter");
    let entry = issued.detail.timeline.last().expect("an entry");
    assert_eq!(entry.kind, EntryKind::Letter, "the letter is on the case's timeline");
    let record = entry.referral.as_ref().and_then(|m| m.letter.as_ref()).expect("the letter's record");
    assert_eq!((record.sha256.as_str(), record.lang.as_str()), (a.sha256.as_str(), "sq+sr-Latn"));
    assert_eq!((record.bytes, record.pages), (a.pdf.len() as u64, a.pages));
    assert_eq!(issued.detail.timeline.len(), before.timeline.len() + 1, "one entry added");
    assert_eq!(
        office.desk.issued_letter(&a.sha256).expect("the kept copy"),
        a.pdf,
        "the office keeps the file"
    );
}

#[test]
fn saving_a_letter_writes_the_file_whole_and_a_failed_save_records_nothing() {
    let mut office = Office::new(15);
    let (detail, id) = referred(&mut office, Some("Blerta Shala"), "Refused a job.", "Examine it.");
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("letter.pdf");
    let issued = office.desk.issue_letter_to(id, "en", Some(&path)).expect("saving");
    assert_eq!(std::fs::read(&path).expect("the saved file"), issued.letter.pdf, "the file is the letter");
    let entries = issued.detail.timeline.len();
    let bad = dir.path().join("no such folder").join("letter.pdf");
    let err = office.desk.issue_letter_to(id, "en", Some(&bad)).expect_err("a folder that does not exist");
    assert_eq!(err.code(), "io", "{err}");
    let after = office.desk.case_detail(detail.case.id).expect("the case");
    assert_eq!(after.timeline.len(), entries, "a letter that could not be saved is not recorded as sent");
}

#[test]
fn an_unnamed_person_and_a_referral_without_consent_are_said_so() {
    let mut office = Office::new(16);
    let mut draft = case_draft("x");
    draft.person.name = None;
    draft.person.contact = None;
    draft.person.consent_referral = false;
    let detail = office.desk.create_case(draft).expect("a case without a name");
    office.tick();
    let mut r = referral_for(&detail, &office);
    r.override_reason = Some("Immediate danger to the child".into());
    let id = office.desk.create_referral(detail.case.id, r).expect("an override").referrals[0].id;
    let text = text_of(&letter(&office, id, "en").pdf);
    assert!(text.contains("name withheld"), "the letter says the name is withheld:\n{text}");
    assert!(text.contains("Immediate danger to the child"), "and why the case is referred without consent");
}

#[test]
fn edited_templates_are_used_and_a_mistake_in_them_is_named_with_file_and_line() {
    let mut office = Office::new(17);
    let (_, id) = referred(&mut office, Some("Hana Zeqiri"), "Refused.", "Examine it.");
    let folder = office.desk.template_folder();
    std::fs::create_dir_all(&folder).expect("the template folder");
    let original = rightsdesk_domain::letter::builtin_files()
        .iter()
        .find(|(n, _)| *n == "investigation.en.txt")
        .map(|(_, t)| t.to_string())
        .expect("the built-in English investigation template");
    let edited = original.replace("request for investigation", "request for urgent investigation");
    std::fs::write(folder.join("investigation.en.txt"), &edited).expect("an edited copy");
    let text = text_of(&letter(&office, id, "en").pdf);
    assert!(text.contains("request for urgent investigation"), "the coordinator's copy is used:\n{text}");
    assert_eq!(office.desk.template_status().overridden, vec!["investigation.en.txt".to_string()]);

    let broken = edited.replacen("{case_number}", "{case_numbr}", 1);
    let line = broken.lines().position(|l| l.contains("{case_numbr}")).expect("the typo") + 1;
    std::fs::write(folder.join("investigation.en.txt"), &broken).expect("a broken copy");
    let err = office.desk.render_letter(id, "en").expect_err("a template with an unknown placeholder");
    assert_eq!(err.code(), "letter_template");
    let message = err.to_string();
    assert!(
        message.contains("investigation.en.txt")
            && message.contains(&format!("line {line}"))
            && message.contains("case_numbr"),
        "the error names the file, the line and the placeholder: {message}"
    );
    let status = office.desk.template_status();
    let problem = status.error.expect("the status shows the problem");
    assert_eq!((problem.file.as_str(), problem.line), ("investigation.en.txt", Some(line)));
}

#[test]
fn a_letter_record_travels_but_the_file_stays_with_the_office_that_issued_it() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let (detail, id) = referred(&mut unit, Some("Fitore Bytyqi"), "Refused.", "Examine it.");
    let issued = unit.desk.issue_letter(id, "sq").expect("issuing");
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    let file = net.bundle(&mut unit, &central, false);
    import(&mut central, &file).expect("importing the unit's bundle");
    let there = central.desk.case_detail(detail.case.id).expect("the case at the central office");
    let record = there
        .timeline
        .iter()
        .find_map(|e| e.referral.as_ref().and_then(|m| m.letter.clone()))
        .expect("the letter's record arrives with the timeline");
    assert_eq!(record.sha256, issued.letter.sha256, "with the hash that proves which letter was sent");
    let err = central.desk.issued_letter(&record.sha256).expect_err("the file itself is not sent");
    assert_eq!(err.code(), "not_found");
    central.desk.render_letter(id, "sq").expect("the central office can print the referral's letter too");
}

/// A 2×2 PNG (dark blue, opaque), as a logo.
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x72, 0xB6, 0x0D, 0x24, 0x00,
    0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x90, 0xF7, 0xAB, 0xFC, 0x0F, 0xC2, 0x0C,
    0x30, 0x06, 0x00, 0x3E, 0xB0, 0x07, 0x95, 0xE1, 0x1B, 0xBA, 0x33, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[test]
fn the_letterhead_is_printed_and_a_file_that_is_not_a_logo_is_refused_leaving_it_as_it_was() {
    let mut office = Office::new(18);
    let (_, id) = referred(&mut office, Some("Teuta Rexhepi"), "Refused.", "Examine it.");
    office
        .desk
        .set_letterhead(rightsdesk_app::referrals::LetterheadSettings {
            address: " Rr. UÇK 12\n10000 Prishtinë ".into(),
            contact: "038 200 000 · mhru@prishtine.example".into(),
            signer: "Zyrtare për të drejtat e njeriut".into(),
            has_logo: false,
        })
        .expect("saving the letterhead");
    office.desk.set_logo(Some(TINY_PNG.to_vec())).expect("a PNG logo");
    let before = office.desk.letterhead().expect("the letterhead");
    assert!(before.has_logo, "the logo is kept");
    let text = text_of(&letter(&office, id, "sq").pdf);
    for w in [
        "Rr. UÇK 12, 10000 Prishtinë",
        "038 200 000 · mhru@prishtine.example",
        "Zyrtare për të drejtat e njeriut",
    ] {
        assert!(text.contains(w), "the letter carries the unit's {w:?}:\n{text}");
    }

    let err = office.desk.set_logo(Some(b"GIF89a not a png".to_vec())).expect_err("not a PNG");
    assert_eq!(super::support::fields(&err), vec![("logo".to_string(), "unknown_code")], "{err}");
    let err = office.desk.set_logo(Some(vec![0; 600 * 1024])).expect_err("too large");
    assert_eq!(super::support::fields(&err), vec![("logo".to_string(), "too_large")], "{err}");
    assert_eq!(office.desk.letterhead().expect("the letterhead"), before, "a refused logo changes nothing");
    assert_eq!(office.desk.logo().expect("the logo"), Some(TINY_PNG.to_vec()), "the old logo stays");
}
