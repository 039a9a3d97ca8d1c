//! Period reports: the period, the privacy rules, and the shape of a report's figures.
//!
//! A report counts; it never lists. Its figures come as [`RawTable`]s of exact counts (from the
//! store), which [`Privacy`] turns into the [`Table`]s that are shown, printed or exported:
//!
//! - **inside the office** ([`Audience::Internal`]) every case is counted and every count shown;
//! - **leaving the office** ([`Audience::Export`], the default) only cases whose person consented
//!   to anonymous statistics are counted (the caller filters; the report says how many were left
//!   out), and every count of people from 1 to `threshold − 1` is *suppressed* (shown as `<5`).
//!   Then, so that no suppressed count can be worked out by subtracting the others from a total,
//!   every row and column (totals included) that holds exactly one suppressed count gets a
//!   second one: one of its shown positive counts is hidden too (shown as `x`). This repeats
//!   until no line has a single suppressed count. The count to hide is chosen to hide as little
//!   as it can: first one whose crossing line also holds a single suppressed count (one hidden
//!   cell then protects two lines), then one whose crossing line already holds two or more (no new
//!   line to protect), and only then one that makes its crossing line need a second; among
//!   those, a count inside the table before a total, and the smallest.
//!
//! Periods are whole local days, both ends included; "today" is the user's day (the clock's
//! time zone, Europe/Belgrade in Kosovo), never the UTC date.
use crate::validation::{FieldError, Invalid, codes};
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

/// The smallest count shown in an export, unless configured otherwise.
pub const DEFAULT_THRESHOLD: u32 = 5;
/// The lowest threshold allowed: a count of one or two people is never published.
pub const MIN_THRESHOLD: u32 = 3;
/// The highest threshold allowed.
pub const MAX_THRESHOLD: u32 = 50;
/// The longest period a report may cover, in days (about 20 years).
pub const MAX_DAYS: i64 = 7_320;

/// The days a report covers: `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The usual reporting periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Semester,
    Year,
}

impl Period {
    /// A period from `from` to `to`, both included.
    ///
    /// # Errors
    /// `to` before `from` (`end_before_start` on `to`), or longer than [`MAX_DAYS`] (`too_long`).
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, Invalid> {
        if to < from {
            return Err(invalid("to", codes::END_BEFORE_START));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(invalid("to", codes::TOO_LONG));
        }
        Ok(Period { from, to })
    }

    /// The month, quarter, half-year or year that holds `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let months = kind.months();
        let first_month = (day.month0() / months) * months + 1;
        let from = first_of(day.year(), first_month);
        let to = from + Months::new(months) - Duration::days(1);
        Period { from, to }
    }

    /// Whether `day` is in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Its length in days.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period before this one, to compare with: the same number of whole months when the
    /// period is whole months (March → February, Q2 → Q1, a year → the year before); the same
    /// days of the previous month when it is a month so far (1–21 November → 1–21 October,
    /// cut at the month's end); otherwise as many days just before it.
    pub fn previous(&self) -> Period {
        let starts_month = self.from.day() == 1;
        let ends_month = (self.to + Duration::days(1)).day() == 1;
        if starts_month && ends_month {
            let months = self.whole_months();
            let from = self.from - Months::new(months);
            return Period { from, to: self.from - Duration::days(1) };
        }
        if starts_month && self.to.year() == self.from.year() && self.to.month() == self.from.month() {
            let from = self.from - Months::new(1);
            let last = self.from - Duration::days(1);
            let to = from.with_day(self.to.day()).map_or(last, |d| d.min(last));
            return Period { from, to };
        }
        let to = self.from - Duration::days(1);
        Period { from: to - Duration::days(self.days() - 1), to }
    }

    /// The month so far: the first of `today`'s month to `today`.
    pub fn month_to_date(today: NaiveDate) -> Period {
        Period { from: first_of(today.year(), today.month()), to: today }
    }

    /// The twelve whole months ending with `today`'s month.
    pub fn last_twelve_months(today: NaiveDate) -> Period {
        let this = Period::containing(PeriodKind::Month, today);
        Period { from: this.from - Months::new(11), to: this.to }
    }

    /// The months the period touches, as `YYYY-MM`, in order.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = first_of(self.from.year(), self.from.month());
        while m <= self.to {
            out.push(m.format("%Y-%m").to_string());
            m = m + Months::new(1);
        }
        out
    }

    fn whole_months(&self) -> u32 {
        let a = self.from.year() * 12 + i32::try_from(self.from.month0()).unwrap_or(0);
        let b = self.to.year() * 12 + i32::try_from(self.to.month0()).unwrap_or(0);
        u32::try_from(b - a + 1).unwrap_or(1)
    }
}

impl PeriodKind {
    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Semester => 6,
            PeriodKind::Year => 12,
        }
    }
}

fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

fn invalid(field: &str, code: &'static str) -> Invalid {
    Invalid { fields: vec![FieldError { field: field.into(), code }] }
}

/// Who the figures are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// For the office's own use: every case counted, every count shown. Never leaves the office.
    Internal,
    /// For the central office, ministries and donors: only cases whose person consented to
    /// statistics, small counts suppressed.
    #[default]
    Export,
}

/// The privacy rules a report is made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    pub audience: Audience,
    /// Counts of people from 1 to `threshold − 1` are suppressed in an export.
    pub threshold: u32,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy { audience: Audience::Export, threshold: DEFAULT_THRESHOLD }
    }
}

impl Privacy {
    /// Export rules with `threshold`.
    ///
    /// # Errors
    /// A threshold outside [`MIN_THRESHOLD`]..=[`MAX_THRESHOLD`] (`out_of_range` on
    /// `threshold`).
    pub fn export(threshold: u32) -> Result<Privacy, Invalid> {
        check_threshold(threshold)?;
        Ok(Privacy { audience: Audience::Export, threshold })
    }

    /// The rules for the office's own use.
    pub fn internal() -> Privacy {
        Privacy { audience: Audience::Internal, threshold: DEFAULT_THRESHOLD }
    }

    /// Whether only cases with consent to statistics are counted.
    pub fn consent_only(&self) -> bool {
        self.audience == Audience::Export
    }

    /// A single count of people as shown under these rules.
    pub fn count(&self, n: u64) -> Cell {
        if self.audience == Audience::Export && n > 0 && n < u64::from(self.threshold) {
            Cell::Small(self.threshold)
        } else {
            Cell::Count(n)
        }
    }

    /// A table of counts of people as shown under these rules (see the module docs).
    pub fn table(&self, raw: &RawTable) -> Table {
        match self.audience {
            Audience::Internal => raw.exact(),
            Audience::Export => suppress(raw, self.threshold),
        }
    }
}

/// Checks a suppression threshold.
///
/// # Errors
/// Outside [`MIN_THRESHOLD`]..=[`MAX_THRESHOLD`]: `out_of_range` on `threshold`.
pub fn check_threshold(threshold: u32) -> Result<(), Invalid> {
    if (MIN_THRESHOLD..=MAX_THRESHOLD).contains(&threshold) {
        Ok(())
    } else {
        Err(invalid("threshold", "out_of_range"))
    }
}

/// A figure as shown: a count, or why it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Count(u64),
    /// From 1 to the threshold − 1 people: written `<5` (for a threshold of 5).
    Small(u32),
    /// Hidden so that a small count cannot be worked out from the totals: written `x`.
    Hidden,
}

impl Cell {
    /// The count, if shown.
    pub fn value(self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(n),
            _ => None,
        }
    }

    /// As written in tables and CSV: `12`, `<5`, `x`.
    pub fn text(self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Small(t) => format!("<{t}"),
            Cell::Hidden => "x".into(),
        }
    }

    fn suppressed(self) -> bool {
        !matches!(self, Cell::Count(_))
    }
}

/// In JSON a shown count is a number; a suppressed one is the string written in tables.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(n) => s.serialize_u64(*n),
            other => s.serialize_str(&other.text()),
        }
    }
}

/// Exact counts by row and column, with the totals. A total is not always the sum of its line:
/// a case with two grounds counts under both, but once in the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawTable {
    /// Row codes, in order.
    pub rows: Vec<String>,
    /// Column codes, in order.
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<u64>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    pub total: u64,
}

impl RawTable {
    /// An all-zero table.
    pub fn zeros(rows: Vec<String>, columns: Vec<String>) -> RawTable {
        RawTable {
            cells: vec![vec![0; columns.len()]; rows.len()],
            row_totals: vec![0; rows.len()],
            column_totals: vec![0; columns.len()],
            total: 0,
            rows,
            columns,
        }
    }

    /// Sets totals to the sums of the cells: for tables where each thing counts in one cell.
    pub fn sum_totals(&mut self) {
        self.row_totals = self.cells.iter().map(|r| r.iter().sum()).collect();
        self.column_totals = (0..self.columns.len()).map(|c| self.cells.iter().map(|r| r[c]).sum()).collect();
        self.total = self.row_totals.iter().sum();
    }

    /// The index of a row or column code.
    pub fn row(&self, code: &str) -> Option<usize> {
        self.rows.iter().position(|r| r == code)
    }
    pub fn column(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == code)
    }

    /// The table with every count shown.
    pub fn exact(&self) -> Table {
        Table {
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            cells: self.cells.iter().map(|r| r.iter().map(|&n| Cell::Count(n)).collect()).collect(),
            row_totals: self.row_totals.iter().map(|&n| Cell::Count(n)).collect(),
            column_totals: self.column_totals.iter().map(|&n| Cell::Count(n)).collect(),
            total: Cell::Count(self.total),
        }
    }
}

/// A table as shown: [`RawTable`] after the privacy rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
}

impl Table {
    /// The index of a row or column code.
    pub fn row(&self, code: &str) -> Option<usize> {
        self.rows.iter().position(|r| r == code)
    }
    pub fn column(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == code)
    }
}

/// Suppresses `raw`'s small counts and the counts that would give them away (module docs).
pub fn suppress(raw: &RawTable, threshold: u32) -> Table {
    let nr = raw.rows.len();
    let nc = raw.columns.len();
    // The grid with its margins: row `nr` is the column totals, column `nc` the row totals.
    let value = |r: usize, c: usize| -> u64 {
        match (r == nr, c == nc) {
            (false, false) => raw.cells[r][c],
            (false, true) => raw.row_totals[r],
            (true, false) => raw.column_totals[c],
            (true, true) => raw.total,
        }
    };
    let mut grid: Vec<Vec<Cell>> = (0..=nr)
        .map(|r| {
            (0..=nc)
                .map(|c| {
                    let n = value(r, c);
                    if n > 0 && n < u64::from(threshold) { Cell::Small(threshold) } else { Cell::Count(n) }
                })
                .collect()
        })
        .collect();
    let lines: Vec<Vec<(usize, usize)>> = (0..=nr)
        .map(|r| (0..=nc).map(|c| (r, c)).collect())
        .chain((0..=nc).map(|c| (0..=nr).map(|r| (r, c)).collect()))
        .collect();
    let in_row = |grid: &[Vec<Cell>], r: usize| grid[r].iter().filter(|cell| cell.suppressed()).count();
    let in_column = |grid: &[Vec<Cell>], c: usize| grid.iter().filter(|row| row[c].suppressed()).count();
    loop {
        let mut changed = false;
        for line in &lines {
            let suppressed = line.iter().filter(|&&(r, c)| grid[r][c].suppressed()).count();
            if suppressed != 1 {
                continue;
            }
            // Among the line's shown positive counts, the one that hides least in the end (module
            // docs). The line itself holds one suppressed count and the candidate is shown, so the
            // suppressed counts on the candidate's crossing line are its row's and column's less one.
            let pick = line
                .iter()
                .filter_map(|&(r, c)| match grid[r][c] {
                    Cell::Count(n) if n > 0 => {
                        let crossing = in_row(&grid, r) + in_column(&grid, c) - 1;
                        let rank = match crossing {
                            1 => 0,
                            0 => 2,
                            _ => 1,
                        };
                        let margin = r == nr || c == nc;
                        Some(((rank, margin, n), r, c))
                    }
                    _ => None,
                })
                .min();
            if let Some((_, r, c)) = pick {
                grid[r][c] = Cell::Hidden;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut column_totals = grid.pop().unwrap_or_default();
    let total = column_totals.pop().unwrap_or(Cell::Count(0));
    let mut row_totals = Vec::with_capacity(nr);
    for row in &mut grid {
        row_totals.push(row.pop().unwrap_or(Cell::Count(0)));
    }
    Table {
        rows: raw.rows.clone(),
        columns: raw.columns.clone(),
        cells: grid,
        row_totals,
        column_totals,
        total,
    }
}

/// The median of whole numbers of days (the mean of the middle two for an even count).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    #[allow(clippy::cast_precision_loss)] // days: far below 2^52
    Some(if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn presets_cover_whole_months_and_compare_with_the_one_before() {
        let day = d(2026, 11, 21);
        let q = Period::containing(PeriodKind::Quarter, day);
        assert_eq!((q.from, q.to), (d(2026, 10, 1), d(2026, 12, 31)), "Q4 2026");
        assert_eq!(q.previous(), Period { from: d(2026, 7, 1), to: d(2026, 9, 30) }, "Q3 before Q4");
        let h = Period::containing(PeriodKind::Semester, d(2026, 3, 31));
        assert_eq!((h.from, h.to), (d(2026, 1, 1), d(2026, 6, 30)));
        assert_eq!(h.previous(), Period { from: d(2025, 7, 1), to: d(2025, 12, 31) });
        let y = Period::containing(PeriodKind::Year, day);
        assert_eq!(y.previous(), Period { from: d(2025, 1, 1), to: d(2025, 12, 31) });
        let feb = Period::containing(PeriodKind::Month, d(2028, 2, 10));
        assert_eq!(feb.to, d(2028, 2, 29), "leap year February");
        assert_eq!(
            Period::containing(PeriodKind::Month, d(2026, 3, 15)).previous(),
            Period { from: d(2026, 2, 1), to: d(2026, 2, 28) }
        );
    }

    #[test]
    fn a_month_so_far_compares_with_the_same_days_of_the_month_before() {
        let p = Period::month_to_date(d(2026, 11, 21));
        assert_eq!(p.previous(), Period { from: d(2026, 10, 1), to: d(2026, 10, 21) });
        let p = Period::month_to_date(d(2026, 3, 31));
        assert_eq!(p.previous(), Period { from: d(2026, 2, 1), to: d(2026, 2, 28) }, "cut at February's end");
        let range = Period::new(d(2026, 5, 10), d(2026, 5, 19)).unwrap();
        assert_eq!(range.previous(), Period { from: d(2026, 4, 30), to: d(2026, 5, 9) }, "ten days before");
    }

    #[test]
    fn a_period_ends_after_it_starts_and_is_not_endless() {
        assert!(Period::new(d(2026, 5, 2), d(2026, 5, 1)).is_err());
        assert!(Period::new(d(2026, 5, 1), d(2026, 5, 1)).is_ok(), "one day");
        assert!(Period::new(d(1990, 1, 1), d(2026, 1, 1)).is_err());
        assert_eq!(
            Period::new(d(2025, 11, 15), d(2026, 2, 3)).unwrap().months(),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }

    #[test]
    fn thresholds_are_bounded() {
        assert!(Privacy::export(2).is_err(), "a count of two is never published");
        assert!(Privacy::export(3).is_ok());
        assert!(Privacy::export(51).is_err());
    }

    fn raw(cells: Vec<Vec<u64>>) -> RawTable {
        let mut t = RawTable::zeros(
            (0..cells.len()).map(|i| format!("r{i}")).collect(),
            (0..cells.first().map_or(0, Vec::len)).map(|i| format!("c{i}")).collect(),
        );
        t.cells = cells;
        t.sum_totals();
        t
    }

    #[test]
    fn a_single_small_count_takes_a_second_with_it() {
        // r0: 3 (small) and 10; total 13. Without a second suppression, 13 - 10 = 3.
        let t = suppress(&raw(vec![vec![3, 10], vec![8, 9]]), 5);
        assert_eq!(t.cells[0][0], Cell::Small(5));
        assert!(
            t.cells[0][1] == Cell::Hidden || t.row_totals[0] == Cell::Hidden,
            "row 0 needs a second: {t:?}"
        );
        assert_eq!(Privacy::internal().table(&raw(vec![vec![3]])).cells[0][0], Cell::Count(3));
    }

    #[test]
    fn the_second_count_is_chosen_to_protect_two_lines_at_once() {
        // Small counts at (0,0) and (1,2). Hiding row 0's smallest (6) would leave column 1 with a
        // single suppressed count and set off a chain (6, 30, 9 and 20 hidden). Hiding 20 covers
        // row 0 and column 2, and 9 covers row 1 and column 0: two hidden counts in all, and every
        // total stays shown.
        let t = suppress(&raw(vec![vec![3, 6, 20], vec![9, 30, 2]]), 5);
        let hidden: Vec<(usize, usize)> = (0..2)
            .flat_map(|r| (0..3).map(move |c| (r, c)))
            .filter(|&(r, c)| t.cells[r][c] == Cell::Hidden)
            .collect();
        assert_eq!(hidden, vec![(0, 2), (1, 0)], "two hidden counts protect all four lines: {t:?}");
        assert!(
            t.row_totals
                .iter()
                .chain(&t.column_totals)
                .chain([&t.total])
                .all(|c| matches!(c, Cell::Count(_))),
            "no total needs hiding: {t:?}"
        );
        assert_eq!(t.cells[0][1], Cell::Count(6), "the smallest count is not always the one to hide");
    }

    #[test]
    fn json_writes_counts_as_numbers_and_suppressed_as_text() {
        let j = serde_json::to_string(&[Cell::Count(7), Cell::Small(5), Cell::Hidden]).unwrap();
        assert_eq!(j, r#"[7,"<5","x"]"#);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [10, 1, 4, 7]), Some(5.5));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The privacy rules of an export: no small count is shown, no line has a single
        /// suppressed count (it could be worked out from the total), and every shown count is
        /// the true one.
        #[test]
        fn suppression_hides_small_counts_and_cannot_be_undone_by_subtraction(
            cells in prop::collection::vec(prop::collection::vec(prop_oneof![Just(0u64), 0u64..8, 0u64..40], 1..6), 1..7),
            threshold in MIN_THRESHOLD..8,
        ) {
            let width = cells[0].len();
            let cells: Vec<Vec<u64>> = cells.into_iter().map(|mut r| { r.resize(width, 0); r }).collect();
            let raw = raw(cells);
            let t = suppress(&raw, threshold);
            let nr = raw.rows.len();
            let nc = raw.columns.len();
            let shown = |r: usize, c: usize| -> (Cell, u64) {
                match (r == nr, c == nc) {
                    (false, false) => (t.cells[r][c], raw.cells[r][c]),
                    (false, true) => (t.row_totals[r], raw.row_totals[r]),
                    (true, false) => (t.column_totals[c], raw.column_totals[c]),
                    (true, true) => (t.total, raw.total),
                }
            };
            for r in 0..=nr {
                for c in 0..=nc {
                    let (cell, truth) = shown(r, c);
                    match cell {
                        Cell::Count(n) => {
                            prop_assert_eq!(n, truth, "a shown count is the true count");
                            prop_assert!(n == 0 || n >= u64::from(threshold), "{} is below the threshold {}", n, threshold);
                        }
                        Cell::Small(t) => prop_assert!(truth > 0 && truth < u64::from(t), "only small counts are marked small"),
                        Cell::Hidden => prop_assert!(truth > 0, "only a positive count is hidden"),
                    }
                }
            }
            for r in 0..=nr {
                let n = (0..=nc).filter(|&c| shown(r, c).0 != Cell::Count(shown(r, c).1)).count();
                prop_assert!(n != 1, "row {} has a single suppressed count", r);
            }
            for c in 0..=nc {
                let n = (0..=nr).filter(|&r| shown(r, c).0 != Cell::Count(shown(r, c).1)).count();
                prop_assert!(n != 1, "column {} has a single suppressed count", c);
            }
        }
    }
}
