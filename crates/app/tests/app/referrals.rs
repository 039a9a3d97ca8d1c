//! Referrals: a case referred to an institution with the person's consent (or an override with a
//! reason), followed through its statuses until the institution answers, overdue when it does not,
//! and carried to the central office in bundles like every other record.
use super::support::{Office, assert_invalid, case_draft, day};
use super::sync_support::{Network, digest, import};
use chrono::Duration;
use rightsdesk_app::cases::CaseDetail;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::referral::{InstitutionDraft, ReferralDraft, ReferralStatus, ReferralUpdate};
use rightsdesk_domain::timeline::EntryKind;

fn open_case(office: &mut Office, consent: bool) -> CaseDetail {
    let mut draft = case_draft("Drita Krasniqi");
    draft.person.consent_referral = consent;
    office.desk.create_case(draft).expect("opening a valid case")
}

pub fn referral_for(detail: &CaseDetail, office: &Office) -> ReferralDraft {
    let act = &detail.case.draft.acts[0];
    ReferralDraft {
        institution: "ombudsperson".into(),
        request_type: "investigation".into(),
        acts: vec![act.id.expect("a stored act has an id")],
        grounds: act.grounds.clone(),
        asked: "Examine the refusal of social assistance and take measures within your competence.".into(),
        sent_on: office.today(),
        deadline: office.today() + Duration::days(30),
        protocol: String::new(),
        enclosures: vec!["Copy of the complaint".into()],
        override_reason: None,
    }
}

fn case_id(d: &CaseDetail) -> CaseId {
    d.case.id
}

#[test]
fn a_case_is_referred_only_with_consent_or_an_override_with_a_reason() {
    let mut office = Office::new(1);
    let detail = open_case(&mut office, false);
    let before = office.counts();
    office.tick();
    assert_invalid(
        office.desk.create_referral(case_id(&detail), referral_for(&detail, &office)),
        &[("consent", "not_without_consent")],
        "without the person's consent to referral the app says so",
    );
    assert_eq!(office.counts(), before, "a refused referral writes nothing");

    let mut draft = referral_for(&detail, &office);
    draft.override_reason = Some("  Immediate risk to her safety; the police must know.  ".into());
    let after =
        office.desk.create_referral(case_id(&detail), draft).expect("an override with a reason is accepted");
    let r = &after.referrals[0];
    assert_eq!(
        r.draft.override_reason.as_deref(),
        Some("Immediate risk to her safety; the police must know."),
        "the reason stays on the record, trimmed"
    );
    assert_eq!(r.status, ReferralStatus::Sent, "a new referral is sent");
    assert_eq!(r.draft.protocol, format!("{}/1", after.case.number), "the first referral's protocol number");
    let last = after.timeline.last().expect("an entry");
    assert_eq!(last.kind, EntryKind::Referred, "the referral is on the case's timeline");
    assert_eq!(last.referral.as_ref().map(|m| m.id), Some(r.id), "the entry names the referral");
}

#[test]
fn recording_consent_then_referring_needs_no_override() {
    let mut office = Office::new(2);
    let detail = open_case(&mut office, false);
    office.tick();
    let consented = office.desk.record_referral_consent(case_id(&detail)).expect("recording consent");
    assert!(consented.case.draft.person.consent_referral, "consent to referral is now on the case");
    assert_eq!(consented.timeline.last().map(|e| e.kind), Some(EntryKind::Edited), "recorded as an edit");
    office.tick();
    let mut with_override = referral_for(&consented, &office);
    with_override.override_reason = Some("not needed".into());
    assert_invalid(
        office.desk.create_referral(case_id(&detail), with_override),
        &[("override_reason", "not_allowed")],
        "nothing to override once consent is recorded",
    );
    let after =
        office.desk.create_referral(case_id(&detail), referral_for(&consented, &office)).expect("referring");
    assert_eq!(after.referrals.len(), 1);
    office.tick();
    let second =
        office.desk.create_referral(case_id(&detail), referral_for(&consented, &office)).expect("again");
    assert_eq!(second.referrals[1].draft.protocol, format!("{}/2", second.case.number), "numbered in turn");
}

#[test]
fn a_referral_names_a_known_institution_the_cases_acts_and_their_grounds() {
    let mut office = Office::new(3);
    let detail = open_case(&mut office, true);
    let mut draft = referral_for(&detail, &office);
    draft.institution = "ministry_of_magic".into();
    assert_invalid(
        office.desk.create_referral(case_id(&detail), draft),
        &[("institution", "unknown_code")],
        "an institution that is neither in the directory nor the unit's own",
    );
    let mut draft = referral_for(&detail, &office);
    draft.grounds = vec!["religion".into()];
    draft.asked = " ".into();
    assert_invalid(
        office.desk.create_referral(case_id(&detail), draft),
        &[("grounds", "unknown_code"), ("asked", "required")],
        "a letter never alleges a ground the act was not recorded with, and asks for something",
    );
}

#[test]
fn the_units_own_institution_can_be_added_and_referred_to() {
    let mut office = Office::new(4);
    let detail = open_case(&mut office, true);
    let inst = office
        .desk
        .add_institution(InstitutionDraft {
            name: [("sq".to_string(), " OJQ Iniciativa 6 ".to_string())].into(),
            address: "Rr. Nëna Terezë 12, Prishtinë".into(),
            category: "other".into(),
        })
        .expect("adding an institution");
    assert!(inst.custom && inst.name["sq"] == "OJQ Iniciativa 6", "trimmed, marked as the unit's own");
    assert!(office.desk.institutions().expect("the directory").iter().any(|i| i.id == inst.id), "listed");
    let mut draft = referral_for(&detail, &office);
    draft.institution = inst.id.clone();
    let after = office.desk.create_referral(case_id(&detail), draft).expect("referring to it");
    assert_eq!(after.referrals[0].draft.institution, inst.id);
    assert_invalid(
        office.desk.add_institution(InstitutionDraft {
            name: Default::default(),
            address: String::new(),
            category: "circus".into(),
        }),
        &[("name", "required"), ("category", "unknown_code")],
        "an institution needs a name and a known category",
    );
}

#[test]
fn a_referral_moves_through_its_statuses_with_the_answer_recorded() {
    let mut office = Office::new(5);
    let detail = open_case(&mut office, true);
    let after =
        office.desk.create_referral(case_id(&detail), referral_for(&detail, &office)).expect("referring");
    let id = after.referrals[0].id;
    let today = office.today();
    office.tick();
    assert_invalid(
        office.desk.update_referral(id, ReferralUpdate { to: ReferralStatus::Done, on: today, text: None }),
        &[("to", "not_allowed")],
        "a referral is not done before the institution answers",
    );
    assert_invalid(
        office
            .desk
            .update_referral(id, ReferralUpdate { to: ReferralStatus::Answered, on: today, text: None }),
        &[("text", "required")],
        "an answer is recorded with what the institution said",
    );
    office
        .desk
        .update_referral(id, ReferralUpdate { to: ReferralStatus::Acknowledged, on: today, text: None })
        .expect("acknowledged");
    office.tick();
    let answered = office
        .desk
        .update_referral(
            id,
            ReferralUpdate {
                to: ReferralStatus::Answered,
                on: today,
                text: Some("Investigation opened, ref. 12/26".into()),
            },
        )
        .expect("answered");
    let r = &answered.referrals[0];
    assert_eq!(r.status, ReferralStatus::Answered);
    assert_eq!((r.acknowledged_on, r.answered_on), (Some(today), Some(today)));
    assert_eq!(r.answer.as_deref(), Some("Investigation opened, ref. 12/26"));
    let updates: Vec<_> = answered
        .timeline
        .iter()
        .filter(|e| e.kind == EntryKind::ReferralUpdate)
        .map(|e| (e.referral.as_ref().and_then(|m| m.status), e.text.as_str()))
        .collect();
    assert_eq!(
        updates,
        vec![
            (Some(ReferralStatus::Acknowledged), ""),
            (Some(ReferralStatus::Answered), "Investigation opened, ref. 12/26")
        ],
        "each move is on the timeline, the answer with it"
    );
    office.tick();
    let done = office
        .desk
        .update_referral(id, ReferralUpdate { to: ReferralStatus::Done, on: today, text: None })
        .expect("done");
    assert!(done.referrals[0].status.next().is_empty(), "done is final");
}

#[test]
fn an_unanswered_referral_past_its_deadline_is_overdue() {
    let mut office = Office::new(6);
    let detail = open_case(&mut office, true);
    let mut draft = referral_for(&detail, &office);
    draft.sent_on = day(2026, 10, 1);
    draft.deadline = day(2026, 10, 31);
    office.desk.create_referral(case_id(&detail), draft).expect("an old referral");
    let mut draft = referral_for(&detail, &office);
    draft.deadline = office.today() + Duration::days(3);
    office.desk.create_referral(case_id(&detail), draft).expect("a recent referral");
    let awaiting = office.desk.referrals_awaiting(7, 100).expect("the awaited replies");
    assert_eq!(awaiting.len(), 2, "both await an answer within the week");
    assert!(awaiting[0].overdue && !awaiting[1].overdue, "the one past its deadline first, flagged overdue");
    assert_eq!(awaiting[0].institution_name, "Ombudsperson Institution", "named in the interface language");
    let old = awaiting[0].referral.id;
    let today = office.today();
    office
        .desk
        .update_referral(
            old,
            ReferralUpdate {
                to: ReferralStatus::Rejected,
                on: today,
                text: Some("Outside our competence".into()),
            },
        )
        .expect("declined");
    let awaiting = office.desk.referrals_awaiting(0, 100).expect("the awaited replies");
    assert!(awaiting.is_empty(), "a declined referral no longer awaits an answer: {awaiting:?}");
}

#[test]
fn referrals_and_institutions_travel_to_the_central_office_and_concurrent_answers_conflict() {
    let mut net = Network::new(&["gjilan"]);
    let mut unit = net.units.remove(0);
    let detail = open_case(&mut unit, true);
    let inst = unit
        .desk
        .add_institution(InstitutionDraft {
            name: [("en".to_string(), "Roma Versitas Kosovo".to_string())].into(),
            address: String::new(),
            category: "other".into(),
        })
        .expect("adding an institution");
    let mut draft = referral_for(&detail, &unit);
    draft.institution = inst.id.clone();
    let referred = unit.desk.create_referral(case_id(&detail), draft).expect("referring");
    let id = referred.referrals[0].id;
    let mut central =
        std::mem::replace(&mut net.central, super::sync_support::central_office(1, net.clock.clone()));
    let file = net.bundle(&mut unit, &central, false);
    let report = import(&mut central, &file).expect("importing the unit's bundle");
    assert_eq!(report.by_kind["referral"].new, 1, "the referral arrives: {report:?}");
    assert_eq!(report.by_kind["institution"].new, 1, "so does the unit's own institution");
    assert_eq!(digest(&central), digest(&unit), "both offices hold the same data");
    let there = central.desk.case_detail(case_id(&detail)).expect("the case at the central office");
    assert_eq!(there.referrals, referred.referrals, "the referral arrives as made");
    assert!(central.desk.institution(&inst.id).is_ok(), "the institution is known there too");

    // The unit records an answer; the central office, not having seen it, records a rejection.
    let today = unit.today();
    unit.tick();
    unit.desk
        .update_referral(
            id,
            ReferralUpdate { to: ReferralStatus::Answered, on: today, text: Some("Case opened".into()) },
        )
        .expect("the unit records the answer");
    central
        .desk
        .update_referral(
            id,
            ReferralUpdate { to: ReferralStatus::Rejected, on: today, text: Some("Declined".into()) },
        )
        .expect("the central office records a rejection");
    let file = net.bundle(&mut unit, &central, false);
    let report = import(&mut central, &file).expect("importing the answer");
    assert!(
        report.conflicts.iter().any(|c| c.field == "status"),
        "two offices moved the same referral without seeing each other: a conflict, not an overwrite ({report:?})"
    );
}

#[test]
fn demo_data_has_referrals_answered_waiting_and_overdue() {
    let mut office = Office::new(7);
    let summary = office.desk.generate_demo(150, 3).expect("demo data");
    assert!(summary.referrals > 0, "the demo refers the cases it moved to `referred`");
    let all = office.desk.referrals(None, 1000).expect("the referrals");
    assert_eq!(all.len(), summary.referrals, "every generated referral is listed");
    let today = office.today();
    let vocab = office.desk.vocab();
    for r in &all {
        let case = office.desk.case_detail(r.referral.case_id).expect("its case");
        let mut draft = r.referral.draft.clone();
        if case.case.draft.person.consent_referral {
            assert!(
                draft.override_reason.is_none(),
                "{}: no override where consent is recorded",
                r.case_number
            );
        }
        draft.sent_on = draft.sent_on.min(today);
        assert_eq!(draft.validate(&case.case, vocab, today), Ok(()), "{}: a valid referral", r.case_number);
        assert!(
            office.desk.render_letter(r.referral.id, "sq+sr-Latn").is_ok(),
            "{}: its letter prints",
            r.case_number
        );
    }
    let count =
        |f: &dyn Fn(&rightsdesk_app::referrals::ReferralRow) -> bool| all.iter().filter(|r| f(r)).count();
    assert!(count(&|r| r.referral.answer.is_some()) > 0, "some referrals are answered");
    assert!(count(&|r| r.overdue) > 0, "some are overdue");
    assert!(
        count(&|r| r.referral.status == ReferralStatus::Sent && !r.overdue) > 0,
        "some are still within their deadline"
    );
}
