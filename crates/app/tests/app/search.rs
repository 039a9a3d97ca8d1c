//! The case list: full-text search however a name is typed, filters, sort orders and paging. The
//! volume comes from demo data with a fixed seed; a few cases are written by hand so that what a
//! search must find is known.
use super::support::{Office, act, all_pages, case_draft, day, text};
use chrono::{DateTime, Utc};
use rightsdesk_app::Desk;
use rightsdesk_domain::case::Case;
use rightsdesk_domain::ids::CaseId;
use rightsdesk_domain::workflow::Status;
use rightsdesk_store::search::{CaseFilter, CaseSort, CaseSummary};
use std::collections::{BTreeSet, HashMap};

/// The hand-written cases of the fixture.
struct Known {
    krasniqi: Case,
    gjakove: Case,
    djordjevic: Case,
    cyrillic: Case,
}

/// Demo data (seed 7) and four hand-written cases, in Prishtinë.
fn fixture() -> (Office, Known) {
    let mut office = Office::new(90);
    office.desk.generate_demo(300, 7).expect("generating demo data");
    let mut open = |draft| office.desk.create_case(draft).expect("opening a hand-written case").case;
    let krasniqi = open(case_draft("Kaltrina Krasniqi"));
    let mut d = case_draft("Besa Tahiri");
    d.acts = vec![act("Bus company in Gjakovë refused to sell her a ticket.", &["ethnicity"])];
    d.acts[0].place = "Stacioni i autobusëve".into();
    let gjakove = open(d);
    let djordjevic = open(case_draft("Đorđe Đorđević"));
    let cyrillic = open(case_draft("Ђорђе Ђорђевић"));
    (office, Known { krasniqi, gjakove, djordjevic, cyrillic })
}

fn ids(items: &[CaseSummary]) -> BTreeSet<CaseId> {
    items.iter().map(|c| c.id).collect()
}

/// Every case, with what the list does not show (municipality, last change).
fn details(desk: &Desk, all: &[CaseSummary]) -> HashMap<CaseId, Case> {
    all.iter().map(|c| (c.id, desk.case_detail(c.id).expect("reading a case").case)).collect()
}

#[test]
fn search_finds_names_places_and_numbers_however_they_are_typed() {
    let (office, known) = fixture();
    let desk = &office.desk;
    let all = all_pages(desk, &CaseFilter::default(), 100);
    let find = |words: &str| all_pages(desk, &text(words), 100);

    let kras = find("Kras");
    assert!(ids(&kras).contains(&known.krasniqi.id), "a prefix finds the name: 'Kras' finds Krasniqi");
    assert!(
        kras.iter().all(|c| c.person_name.as_deref().is_some_and(|n| n.contains("Krasniqi"))),
        "and finds nothing but Krasniqis"
    );
    let krasniqis = all.iter().filter(|c| c.person_name.as_deref().is_some_and(|n| n.contains("Krasniqi")));
    assert_eq!(ids(&kras), krasniqis.map(|c| c.id).collect(), "every Krasniqi, demo ones included");
    assert_eq!(
        ids(&find("kRaSnIqI kaltrina")),
        BTreeSet::from([known.krasniqi.id]),
        "any case, every word must match"
    );

    assert_eq!(
        ids(&find("gjakove")),
        BTreeSet::from([known.gjakove.id]),
        "typed without the diacritic, 'gjakove' finds the narrative that says 'Gjakovë'"
    );
    assert!(ids(&find("autobuseve")).contains(&known.gjakove.id), "the place is searched too");

    let djordjevic = ids(&find("Djordjevic"));
    assert!(djordjevic.contains(&known.djordjevic.id), "'Djordjevic' finds 'Đorđević' (đ is typed dj)");
    assert!(djordjevic.contains(&known.cyrillic.id), "and 'Ђорђевић' written in Cyrillic");
    assert!(ids(&find("Ђорђевић")).contains(&known.djordjevic.id), "Cyrillic typed finds Latin written");

    let number = &known.krasniqi.number;
    assert_eq!(
        ids(&find(number)),
        BTreeSet::from([known.krasniqi.id]),
        "the full number finds exactly its case"
    );
    assert_eq!(ids(&find(&number.to_lowercase())), BTreeSet::from([known.krasniqi.id]), "in any letter case");
    let last4 = &number[number.len() - 4..];
    let by_last4 = find(last4);
    assert!(ids(&by_last4).contains(&known.krasniqi.id), "the last four digits ({last4}) find the case");
    assert!(by_last4.iter().all(|c| c.number.ends_with(&format!("-{last4}"))), "and only cases numbered so");
    let unpadded = last4.trim_start_matches('0');
    assert!(
        ids(&find(unpadded)).contains(&known.krasniqi.id),
        "so does the count without zeros ({unpadded})"
    );

    assert!(find("Qwertzuiop").is_empty(), "a word no case holds finds nothing");
}

#[test]
fn search_syntax_typed_in_the_box_never_errors() {
    let (office, known) = fixture();
    let desk = &office.desk;
    let everyone = desk.list_cases(&CaseFilter::default()).expect("listing").total;
    let queries = [
        "\"",
        "\"Kras",
        "Kras\"",
        "*",
        "Kras*",
        "**",
        "OR",
        "Kras OR",
        "OR Kras",
        "AND",
        "NOT",
        "Kras NOT Gashi",
        "(",
        ")",
        "(Kras",
        "Kras)",
        "()",
        "-",
        " - ",
        "-Kras",
        "Kras -Gashi",
        "+",
        "^Kras",
        "person:Kras",
        "number:",
        "NEAR(Kras Gashi)",
        "'",
        "''",
        "\\",
        "{",
        "}",
        "[]",
        "Kras;",
        "%",
        "_",
        "\u{0}",
        "🙂",
        "ë ç đ Đ",
        "\"\"\"\"",
    ];
    for q in queries {
        let page = desk.list_cases(&text(q)).unwrap_or_else(|e| panic!("{q:?} must not be an error: {e}"));
        assert!(page.total <= everyone, "{q:?} finds at most every case");
    }
    for blank in ["-", "*", "()", "\"", " - ", "^"] {
        assert_eq!(
            desk.list_cases(&text(blank)).expect("listing").total,
            everyone,
            "{blank:?} holds no word, so it filters nothing (like an empty box)"
        );
    }
    let long = "Krasniqi ".repeat(2000);
    let page = desk.list_cases(&text(&long)).expect("a very long query is not an error");
    assert!(ids(&page.items).contains(&known.krasniqi.id), "and still finds what its words match");
}

#[test]
fn every_filter_returns_exactly_the_matching_cases() {
    let (office, known) = fixture();
    let desk = &office.desk;
    let all = all_pages(desk, &CaseFilter::default(), 100);
    let cases = details(desk, &all);
    assert!(all.len() > 300, "the fixture holds the demo cases and the hand-written ones");

    let check = |name: &str, filter: CaseFilter, matches: &dyn Fn(&CaseSummary, &Case) -> bool| {
        let got = all_pages(desk, &filter, 40);
        for c in &got {
            assert!(matches(c, &cases[&c.id]), "{name}: {} does not match the filter", c.number);
        }
        let expected: BTreeSet<CaseId> =
            all.iter().filter(|c| matches(c, &cases[&c.id])).map(|c| c.id).collect();
        assert_eq!(ids(&got), expected, "{name}: exactly the matching cases, none missing");
        assert!(!got.is_empty(), "{name}: the fixture has matching cases, so the check means something");
        assert!(got.len() < all.len() || name == "every status", "{name}: and the filter leaves some out");
    };
    let f = CaseFilter::default;

    check("closed", CaseFilter { statuses: vec![Status::Closed], ..f() }, &|c, _| c.status == Status::Closed);
    check("new or reopened", CaseFilter { statuses: vec![Status::New, Status::Reopened], ..f() }, &|c, _| {
        matches!(c.status, Status::New | Status::Reopened)
    });
    check("every status", CaseFilter { statuses: Status::ALL.to_vec(), ..f() }, &|_, _| true);
    check("ground", CaseFilter { ground: Some("disability".into()), ..f() }, &|c, _| {
        c.grounds.iter().any(|g| g == "disability")
    });
    check("ground other", CaseFilter { ground: Some("other".into()), ..f() }, &|_, case| {
        case.draft.acts.iter().any(|a| a.grounds.iter().any(|g| g == "other"))
    });
    check("area", CaseFilter { area: Some("education".into()), ..f() }, &|c, _| {
        c.areas.iter().any(|a| a == "education")
    });
    check("community", CaseFilter { community: Some("roma".into()), ..f() }, &|c, _| c.community == "roma");
    check("officer", CaseFilter { officer: Some("Vjosa Morina".into()), ..f() }, &|c, _| {
        c.assigned_officer == "Vjosa Morina"
    });
    check("municipality", CaseFilter { municipality: Some("prishtine".into()), ..f() }, &|_, case| {
        case.municipality == "prishtine"
    });
    check("other municipality", CaseFilter { municipality: Some("gjakove".into()), ..f() }, &|_, case| {
        case.municipality == "gjakove"
    });
    let (from, to) = (day(2025, 1, 1), day(2025, 6, 30));
    check("date range", CaseFilter { from: Some(from), to: Some(to), ..f() }, &|c, _| {
        (from..=to).contains(&c.intake_date)
    });
    let edge = all[all.len() / 2].intake_date;
    check("one day, both ends inclusive", CaseFilter { from: Some(edge), to: Some(edge), ..f() }, &|c, _| {
        c.intake_date == edge
    });
    check(
        "combined",
        CaseFilter {
            text: Some("Krasniqi".into()),
            statuses: vec![Status::New, Status::Assessment, Status::Referred, Status::FollowUp],
            municipality: Some("prishtine".into()),
            ..f()
        },
        &|c, case| {
            matches!(c.status, Status::New | Status::Assessment | Status::Referred | Status::FollowUp)
                && case.municipality == "prishtine"
                && c.person_name.as_deref().is_some_and(|n| n.contains("Krasniqi"))
        },
    );
    check("overdue", CaseFilter { overdue: true, ..f() }, &|c, _| c.overdue_tasks > 0);
    let blank = CaseFilter { ground: Some("  ".into()), officer: Some(String::new()), ..f() };
    assert_eq!(all_pages(desk, &blank, 100).len(), all.len(), "blank filter fields filter nothing");
    assert!(cases.contains_key(&known.gjakove.id), "the hand-written cases are in the list");
}

#[test]
fn sort_orders_hold_and_paging_covers_every_case_exactly_once() {
    let (office, _) = fixture();
    let desk = &office.desk;
    let all = all_pages(desk, &CaseFilter::default(), 500);
    let cases = details(desk, &all);
    let everyone: BTreeSet<CaseId> = ids(&all);
    let updated = |c: &CaseSummary| -> DateTime<Utc> { cases[&c.id].updated_at };

    for sort in [CaseSort::IntakeDesc, CaseSort::IntakeAsc, CaseSort::UpdatedDesc, CaseSort::Number] {
        for page_size in [1, 37, 50] {
            let list = all_pages(desk, &CaseFilter { sort, ..CaseFilter::default() }, page_size);
            assert_eq!(ids(&list), everyone, "{sort:?} in pages of {page_size}: every case, once");
            let ordered = list.windows(2).all(|w| match sort {
                CaseSort::IntakeDesc => w[0].intake_date >= w[1].intake_date,
                CaseSort::IntakeAsc => w[0].intake_date <= w[1].intake_date,
                CaseSort::UpdatedDesc => updated(&w[0]) >= updated(&w[1]),
                CaseSort::Number => w[0].number < w[1].number,
            });
            assert!(
                ordered,
                "{sort:?} in pages of {page_size}: the pages follow the sort order across page breaks"
            );
        }
    }
    let searched =
        CaseFilter { text: Some("Krasniqi".into()), sort: CaseSort::UpdatedDesc, ..CaseFilter::default() };
    let whole = all_pages(desk, &searched, 500);
    assert_eq!(all_pages(desk, &searched, 3), whole, "paging a search gives the same list as one big page");

    let first = desk.list_cases(&CaseFilter::default()).expect("listing");
    assert_eq!(first.items.len(), 50, "a page size of 0 means 50");
    let past = desk.list_cases(&CaseFilter { offset: 10_000, ..CaseFilter::default() }).expect("listing");
    assert!(past.items.is_empty(), "a page past the end is empty");
    assert_eq!(past.total, all.len() as i64, "and still reports the total");
}

#[test]
fn the_search_index_follows_edits() {
    let mut office = Office::new(91);
    let desk = &mut office.desk;
    let case = desk.create_case(case_draft("Qendresa Zhubi")).expect("opening").case;
    let mut other = case_draft("Valon Hajdari");
    other.acts[0].narrative = "Refused at the counter in Gjakovë.".into();
    let other = desk.create_case(other).expect("opening").case;
    assert_eq!(ids(&all_pages(desk, &text("Zhubi"), 10)), BTreeSet::from([case.id]), "found by name");

    let mut renamed = case.draft.clone();
    renamed.person.name = Some("Qendresa Berisha".into());
    desk.update_case(case.id, renamed).expect("renaming");
    assert!(all_pages(desk, &text("Zhubi"), 10).is_empty(), "the old name no longer finds the case");
    assert_eq!(ids(&all_pages(desk, &text("Berisha"), 10)), BTreeSet::from([case.id]), "the new name does");

    let mut moved = other.draft.clone();
    moved.acts[0].narrative = "Refused at the counter in Pejë.".into();
    desk.update_case(other.id, moved).expect("editing the narrative");
    assert!(all_pages(desk, &text("gjakove"), 10).is_empty(), "an edited narrative leaves the index");
    assert_eq!(
        ids(&all_pages(desk, &text("peje"), 10)),
        BTreeSet::from([other.id]),
        "and its new text enters it"
    );
    assert_eq!(
        desk.list_cases(&CaseFilter::default()).expect("listing").total,
        2,
        "edits never duplicate a case"
    );
}

#[test]
fn a_case_with_several_matching_acts_or_tasks_takes_one_place_in_the_pages() {
    // Regression: with SQLite 3.51 a correlated EXISTS filter became a join that counted such a
    // case once per matching row against OFFSET, so the second page skipped cases.
    let mut office = Office::new(92);
    let mut twice = case_draft("Ardita Gashi");
    twice.acts.push(act("Refused again a week later.", &["disability", "age"]));
    twice.acts[0].grounds.push("disability".into());
    twice.acts[1].area = "education".into();
    twice.acts[0].area = "education".into();
    let mut opened = vec![office.desk.create_case(twice).expect("opening").case.id];
    for name in ["Blerim Shala", "Dragana Ilić", "Avdi Osmani"] {
        let mut d = case_draft(name);
        d.acts[0].grounds.push("disability".into());
        d.acts[0].area = "education".into();
        opened.push(office.desk.create_case(d).expect("opening").case.id);
    }
    let yesterday = office.today().pred_opt().expect("yesterday");
    for (case, n) in [(opened[0], 2), (opened[2], 1), (opened[3], 1)] {
        for i in 0..n {
            let task = rightsdesk_domain::task::TaskDraft {
                title: format!("Task {i}"),
                due: yesterday,
                assignee: "".into(),
            };
            office.desk.add_task(case, task).expect("a task due yesterday");
        }
    }
    let everyone: BTreeSet<CaseId> = opened.iter().copied().collect();
    for (name, filter) in [
        ("ground", CaseFilter { ground: Some("disability".into()), ..CaseFilter::default() }),
        ("area", CaseFilter { area: Some("education".into()), ..CaseFilter::default() }),
    ] {
        assert_eq!(
            ids(&all_pages(&office.desk, &filter, 1)),
            everyone,
            "{name}: one case per page, each case once"
        );
    }
    let overdue = CaseFilter { overdue: true, ..CaseFilter::default() };
    let expected: BTreeSet<CaseId> = [opened[0], opened[2], opened[3]].into();
    assert_eq!(ids(&all_pages(&office.desk, &overdue, 1)), expected, "overdue: each overdue case once");
}

#[test]
fn both_full_text_plans_give_the_same_pages() {
    // Few matches are read and sorted; many are found by walking the sort order. The switch
    // between the two must never change what the officer sees.
    let (office, _) = fixture();
    let conn = office.desk.store().conn();
    let today = rightsdesk_domain::clock::Clock::today(office.clock.as_ref());
    let sorts = [CaseSort::IntakeDesc, CaseSort::IntakeAsc, CaseSort::UpdatedDesc, CaseSort::Number];
    for words in ["kras", "2026", "shkoll", "refuz soc", "djordjevic", "ethnic"] {
        for sort in sorts {
            for statuses in [vec![], vec![Status::Closed], vec![Status::New, Status::Referred]] {
                let mut offset = 0;
                loop {
                    let f = CaseFilter {
                        text: Some(words.into()),
                        statuses: statuses.clone(),
                        sort,
                        offset,
                        limit: 40,
                        ..CaseFilter::default()
                    };
                    let walked =
                        rightsdesk_store::search::list_planned(conn, &f, today, 0).expect("walking plan");
                    let sorted = rightsdesk_store::search::list_planned(conn, &f, today, i64::MAX)
                        .expect("sorting plan");
                    assert_eq!(
                        walked.iter().map(|c| c.id).collect::<Vec<_>>(),
                        sorted.iter().map(|c| c.id).collect::<Vec<_>>(),
                        "'{words}' sorted by {sort:?} with {statuses:?}, offset {offset}: both plans agree"
                    );
                    if sorted.len() < 40 {
                        break;
                    }
                    offset += 40;
                }
            }
        }
    }
}

#[test]
fn both_plans_for_grounds_areas_and_overdue_tasks_give_the_same_pages() {
    // A rare ground is read and sorted; a common one is found by walking the sort order.
    let (office, _) = fixture();
    let conn = office.desk.store().conn();
    let today = rightsdesk_domain::clock::Clock::today(office.clock.as_ref());
    let filters = [
        CaseFilter { ground: Some("ethnicity".into()), ..CaseFilter::default() },
        CaseFilter { ground: Some("disability".into()), sort: CaseSort::Number, ..CaseFilter::default() },
        CaseFilter { area: Some("education".into()), sort: CaseSort::IntakeAsc, ..CaseFilter::default() },
        CaseFilter { overdue: true, sort: CaseSort::UpdatedDesc, ..CaseFilter::default() },
        CaseFilter {
            ground: Some("age".into()),
            area: Some("employment".into()),
            text: Some("2026".into()),
            ..CaseFilter::default()
        },
    ];
    for base in filters {
        for offset in [0, 20, 40, 60] {
            let f = CaseFilter { offset, limit: 20, ..base.clone() };
            let walked = rightsdesk_store::search::list_planned(conn, &f, today, 0).expect("walking plan");
            let sorted =
                rightsdesk_store::search::list_planned(conn, &f, today, i64::MAX).expect("sorting plan");
            assert_eq!(
                walked.iter().map(|c| c.id).collect::<Vec<_>>(),
                sorted.iter().map(|c| c.id).collect::<Vec<_>>(),
                "{f:?}: both plans agree"
            );
        }
    }
}

#[test]
fn idle_maintenance_merges_the_index_without_losing_a_match() {
    // Saving does not merge the search index (that made one save in a hundred slow); the idle
    // maintenance does, and every case stays findable before and after.
    let mut office = Office::new(77);
    let conn_config = |desk: &Desk| -> i64 {
        desk.store()
            .conn()
            .query_row("SELECT v FROM case_search_config WHERE k = 'automerge'", [], |r| r.get(0))
            .expect("the index's settings")
    };
    assert_eq!(conn_config(&office.desk), 0, "the index never merges on the save path");
    for i in 0..40 {
        office.desk.create_case(case_draft(&format!("Valbona Zeqiri {i}"))).expect("saving a case");
    }
    let before = all_pages(&office.desk, &text("Zeqir"), 100).len();
    assert_eq!(before, 40, "each of the 40 saves is findable at once");
    office.desk.maintain().expect("idle maintenance");
    let segments_after: i64 = office
        .desk
        .store()
        .conn()
        .query_row("SELECT count(*) FROM case_search_data", [], |r| r.get(0))
        .expect("index pages");
    assert!(segments_after > 0, "the index still has its data");
    assert_eq!(all_pages(&office.desk, &text("Zeqir"), 100).len(), 40, "merging keeps every match");
}
