import { describe, expect, it } from "vitest";
import {
  PRESETS, cellText, change, daysInMonth, figureText, isEmptyTable, isIsoDate, monthSeriesOfLabelled, monthSeriesOfTable,
  monthsFrom, presetOf, presetPeriod, shownColumns, shownRows, sizeText, tableBars, withExtension,
} from "./reports";
import type { LabelledTable } from "./types";

describe("the usual reporting periods", () => {
  const on = (today: string) => Object.fromEntries(PRESETS.map((p) => [p, presetPeriod(p, today)]));

  it("are whole months, quarters, half-years and years around today", () => {
    const p = on("2026-11-21");
    expect(p.this_month).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(p.last_month).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(p.this_quarter).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(p.last_quarter).toEqual({ from: "2026-07-01", to: "2026-09-30" });
    expect(p.this_half).toEqual({ from: "2026-07-01", to: "2026-12-31" });
    expect(p.this_year).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(p.last_year).toEqual({ from: "2025-01-01", to: "2025-12-31" });
  });

  it("go back over the new year in January", () => {
    const p = on("2027-01-01");
    expect(p.last_month).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(p.this_quarter).toEqual({ from: "2027-01-01", to: "2027-03-31" });
    expect(p.last_quarter).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(p.this_half).toEqual({ from: "2027-01-01", to: "2027-06-30" });
  });

  it("put the quarter and half-year boundaries on the right side", () => {
    expect(presetPeriod("this_quarter", "2026-03-31")).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(presetPeriod("this_quarter", "2026-04-01")).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(presetPeriod("last_quarter", "2026-04-01")).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(presetPeriod("this_half", "2026-06-30")).toEqual({ from: "2026-01-01", to: "2026-06-30" });
    expect(presetPeriod("this_half", "2026-07-01")).toEqual({ from: "2026-07-01", to: "2026-12-31" });
    expect(presetPeriod("this_quarter", "2026-09-30").to).toBe("2026-09-30");
  });

  it("end February on the 29th in leap years", () => {
    expect(presetPeriod("this_month", "2028-02-10")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(presetPeriod("last_month", "2028-03-31")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(presetPeriod("last_month", "2026-03-31")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetPeriod("last_month", "2100-03-01").to).toBe("2100-02-28"); // a century is not a leap year...
    expect(presetPeriod("last_month", "2000-03-01").to).toBe("2000-02-29"); // ...unless divisible by 400
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it("move months over year ends either way", () => {
    expect(monthsFrom(2026, 0, 1)).toEqual({ from: "2025-12-01", to: "2025-12-31" });
    expect(monthsFrom(2026, -2, 3)).toEqual({ from: "2025-10-01", to: "2025-12-31" });
    expect(monthsFrom(2026, 11, 3)).toEqual({ from: "2026-11-01", to: "2027-01-31" });
  });

  it("recognise typed dates that are a preset", () => {
    expect(presetOf({ from: "2026-07-01", to: "2026-09-30" }, "2026-11-21")).toBe("last_quarter");
    expect(presetOf({ from: "2026-07-01", to: "2026-09-29" }, "2026-11-21")).toBeNull();
  });

  it("check typed dates", () => {
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("")).toBe(false);
  });
});

const months: LabelledTable = {
  id: "activities_by_month", title: "Activities by month", corner: "Month", note: "", chart: true, counts: 3,
  columns: ["Training", "Round table", "Outreach meeting", "Total"],
  rows: [
    { label: "2026-10", cells: ["1", "0", "2", "3"], value: 3, total: false, empty: false },
    { label: "2026-11", cells: ["0", "0", "0", "0"], value: 0, total: false, empty: false },
    { label: "Total", cells: ["1", "0", "2", "3"], value: null, total: true, empty: false },
  ],
};

const grounds: LabelledTable = {
  id: "cases_by_ground_community", title: "Cases by ground and community", corner: "Ground", note: "", chart: true, counts: 3,
  columns: ["Albanian", "Serbian", "Roma", "Total"],
  rows: [
    { label: "Ethnicity", cells: ["12", "0", "<5", "x"], value: null, total: false, empty: false },
    { label: "Age", cells: ["0", "0", "0", "0"], value: 0, total: false, empty: true },
    { label: "Disability", cells: ["7", "0", "<5", "9"], value: 9, total: false, empty: false },
    { label: "Total", cells: ["19", "0", "5", "24"], value: null, total: true, empty: false },
  ],
};

const statuses: LabelledTable = {
  id: "cases_by_status", title: "Cases by status", corner: "Status", note: "", chart: true, counts: 0,
  columns: ["Cases"],
  rows: [
    { label: "New", cells: ["6"], value: 6, total: false, empty: false },
    { label: "Closed", cells: ["<5"], value: null, total: false, empty: false },
    { label: "Total", cells: ["8"], value: null, total: true, empty: false },
  ],
};

describe("report tables on screen", () => {
  it("leave out rows and count columns with nothing counted, as the PDF does", () => {
    expect(shownRows(grounds).map((r) => r.label)).toEqual(["Ethnicity", "Disability", "Total"]);
    expect(shownColumns(grounds)).toEqual([0, 2, 3]);
  });
  it("keep every month and kind in the table of months", () => {
    expect(shownColumns(months)).toEqual([0, 1, 2, 3]);
    expect(shownRows(months)).toHaveLength(3);
    expect(isEmptyTable(months)).toBe(false);
  });
  it("say when a table counted nothing", () => {
    const nothing = { ...grounds, rows: [grounds.rows[1], { ...grounds.rows[3], cells: ["0", "0", "0", "0"] }] };
    expect(isEmptyTable(nothing)).toBe(true);
    expect(isEmptyTable(grounds)).toBe(false);
  });
  it("chart each row's total; a suppressed row keeps its text and gets no bar", () => {
    expect(tableBars(grounds)).toEqual([
      { label: "Ethnicity", value: null, text: "x" },
      { label: "Disability", value: 9, text: "9" },
    ]);
    expect(tableBars(statuses)).toEqual([
      { label: "New", value: 6, text: "6" },
      { label: "Closed", value: null, text: "<5" },
    ]);
  });
  it("stack the months by kind", () => {
    expect(monthSeriesOfLabelled(months)).toEqual({
      months: ["2026-10", "2026-11"],
      series: ["Training", "Round table", "Outreach meeting"],
      values: [[1, 0, 2], [0, 0, 0]],
      totals: ["3", "0"],
    });
    expect(
      monthSeriesOfTable({
        rows: ["2026-01"], columns: ["training", "outreach"], cells: [[2, "<5"]], row_totals: [6], column_totals: [2, "<5"], total: 6,
      }),
    ).toEqual({ months: ["2026-01"], series: ["training", "outreach"], values: [[2, null]], totals: ["6"] });
  });
});

describe("figures and files", () => {
  it("write counts and medians as the backend does", () => {
    expect(cellText(12)).toBe("12");
    expect(cellText("<5")).toBe("<5");
    expect(figureText(12)).toBe("12");
    expect(figureText(12.5)).toBe("12.5");
    expect(figureText("<5")).toBe("<5");
    expect(figureText(null)).toBe("–");
  });
  it("give a typed path the format's extension", () => {
    expect(withExtension("/tmp/q4.pdf", "pdf")).toBe("/tmp/q4.pdf");
    expect(withExtension("/tmp/q4.PDF", "pdf")).toBe("/tmp/q4.PDF");
    expect(withExtension("/tmp/q4.pdf", "zip")).toBe("/tmp/q4.zip");
    expect(withExtension(" /tmp/q4 ", "zip")).toBe("/tmp/q4.zip");
    expect(withExtension("/tmp/raporti.2026", "pdf")).toBe("/tmp/raporti.2026.pdf");
  });
  it("measure the change from last month", () => {
    expect(change(12, 9)).toEqual({ diff: 3, direction: "up" });
    expect(change(4, 9)).toEqual({ diff: -5, direction: "down" });
    expect(change(0, 0)).toEqual({ diff: 0, direction: "same" });
  });
  it("write sizes short", () => {
    expect(sizeText(812)).toBe("812 B");
    expect(sizeText(33 * 1024 + 100)).toBe("33 KB");
    expect(sizeText(1.4 * 1024 * 1024)).toBe("1.4 MB");
  });
});
