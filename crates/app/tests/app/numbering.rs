//! Case numbers (`PRI-2026-K7QX-0001`): municipality prefix, intake year, the device's code and
//! the device's own count for that year. Laptops of one unit never coordinate, yet never give the
//! same number twice.
use super::support::{Office, case_draft, clock, day};
use chrono::NaiveDate;
use proptest::prelude::*;
use rightsdesk_domain::case_number::CaseNumber;
use std::collections::{BTreeMap, HashSet};

const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Opens a case taken in on `intake` and returns its number.
fn open_case(office: &mut Office, intake: NaiveDate) -> String {
    let mut draft = case_draft("Vjosa Morina");
    draft.intake_date = intake;
    office.desk.create_case(draft).expect("opening a valid case").case.number
}

/// Checks the documented shape of a number and returns its parts.
fn parts(number: &str) -> CaseNumber {
    let p: Vec<&str> = number.split('-').collect();
    assert_eq!(p.len(), 4, "{number}: four parts separated by '-'");
    assert!(p[0].len() == 3 && p[0].chars().all(|c| c.is_ascii_uppercase()), "{number}: a 3-letter prefix");
    assert!(p[1].len() == 4 && p[1].chars().all(|c| c.is_ascii_digit()), "{number}: a 4-digit year");
    assert!(
        p[2].len() == 4 && p[2].chars().all(|c| CROCKFORD.contains(c)),
        "{number}: a 4-character device code"
    );
    assert!(
        p[3].len() == 4 && p[3].chars().all(|c| c.is_ascii_digit()),
        "{number}: a zero-padded 4-digit count"
    );
    CaseNumber::parse(number).expect("a well-formed number parses")
}

#[test]
fn numbers_name_the_municipality_year_and_device_and_count_up_per_intake_year() {
    let mut office = Office::new(20);
    let code = office.desk.profile().device_code.clone();
    let this_year: Vec<String> = (0..3).map(|_| open_case(&mut office, day(2026, 11, 18))).collect();
    let expected: Vec<String> = (1..=3).map(|n| format!("PRI-2026-{code}-{n:04}")).collect();
    assert_eq!(this_year, expected, "the first cases of 2026 on this device are numbered 1, 2, 3");
    for n in &this_year {
        parts(n);
    }
    let last_year = open_case(&mut office, day(2025, 12, 30));
    assert_eq!(
        last_year,
        format!("PRI-2025-{code}-0001"),
        "the year is the intake year, and each year counts from 1"
    );
    let next = open_case(&mut office, day(2026, 1, 2));
    assert_eq!(next, format!("PRI-2026-{code}-0004"), "2026 carries on where it was, whatever came between");

    let mut gjakove = Office::with_clock(21, "gjakove", clock());
    let number = parts(&open_case(&mut gjakove, day(2026, 11, 18)));
    assert_eq!(number.prefix, "GJA", "each municipality has its own prefix");
}

#[test]
fn two_devices_of_one_unit_working_offline_on_the_same_day_never_share_a_number() {
    let shared = clock();
    let mut a = Office::with_clock(101, "prishtine", shared.clone());
    let mut b = Office::with_clock(202, "prishtine", shared);
    assert_ne!(
        a.desk.profile().device_code,
        b.desk.profile().device_code,
        "the two installations drew different device codes (the premise of coordination-free numbering)"
    );
    let mut numbers = Vec::new();
    for _ in 0..50 {
        numbers.push(open_case(&mut a, day(2026, 11, 20)));
        numbers.push(open_case(&mut b, day(2026, 11, 20)));
        a.tick();
    }
    let distinct: HashSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), 100, "100 cases on two devices get 100 different numbers, without talking");
    for office in [&a, &b] {
        let code = &office.desk.profile().device_code;
        let mine: Vec<u32> =
            numbers.iter().map(|n| parts(n)).filter(|n| &n.device == code).map(|n| n.seq).collect();
        assert_eq!(
            mine,
            (1..=50).collect::<Vec<u32>>(),
            "each device counts its own cases 1..50 without gaps"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, max_shrink_iters: 32, ..ProptestConfig::default() })]

    /// Whatever the interleaving of creations across two or three devices, and across two intake
    /// years, no number is given twice and each device counts each year 1..n without gaps.
    #[test]
    fn no_interleaving_of_devices_makes_numbers_collide_or_skip(
        devices in 2usize..=3,
        steps in prop::collection::vec((0usize..3, any::<bool>()), 1..30),
    ) {
        let shared = clock();
        let mut offices: Vec<Office> =
            (0..devices).map(|i| Office::with_clock(300 + i as u64, "prishtine", shared.clone())).collect();
        let codes: HashSet<String> = offices.iter().map(|o| o.desk.profile().device_code.clone()).collect();
        prop_assert_eq!(codes.len(), devices, "the seeded installations drew different device codes");

        let mut seen = HashSet::new();
        let mut series: BTreeMap<(String, i32), Vec<u32>> = BTreeMap::new();
        for (who, last_year) in steps {
            let intake = if last_year { day(2025, 6, 1) } else { day(2026, 11, 18) };
            let number = open_case(&mut offices[who % devices], intake);
            prop_assert!(seen.insert(number.clone()), "{} was given twice", number);
            let n = parts(&number);
            series.entry((n.device, n.year)).or_default().push(n.seq);
        }
        for ((device, year), seqs) in series {
            let expected: Vec<u32> = (1..=seqs.len() as u32).collect();
            prop_assert_eq!(seqs, expected, "device {} counts {} as 1..n, in order, without gaps", device, year);
        }
    }
}
