// Pure helpers of the Reports screen and the dashboard: the usual reporting periods computed from
// today's local date, what a report table shows on screen, file names. No Svelte state here, so
// they can be unit-tested directly.
import type { Cell, Figure, LabelledTable, LabelledRow, Period, Table } from "./types";

/** The periods offered with one click, in the order shown. */
export const PRESETS = [
  "this_month",
  "last_month",
  "this_quarter",
  "last_quarter",
  "this_half",
  "this_year",
  "last_year",
] as const;
export type Preset = (typeof PRESETS)[number];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The last day of month `m` (1–12) of year `y` (28–31; leap years included). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `months` whole months starting with month `m` (1-based; may be below 1 or above 12: the year
 *  moves accordingly). */
export function monthsFrom(y: number, m: number, months: number): Period {
  const start = y * 12 + (m - 1);
  const end = start + months - 1;
  const [fy, fm] = [Math.floor(start / 12), (start % 12 + 12) % 12 + 1];
  const [ty, tm] = [Math.floor(end / 12), (end % 12 + 12) % 12 + 1];
  return { from: `${fy}-${pad(fm)}-01`, to: `${ty}-${pad(tm)}-${pad(daysInMonth(ty, tm))}` };
}

/** The period a preset means on `today` ("YYYY-MM-DD", the user's local date). Periods are whole
 *  months (the backend names them in file names: `2026-Q4`, `2026-H1`...). */
export function presetPeriod(preset: Preset, today: string): Period {
  const [y, m] = today.split("-").map(Number);
  const quarter = Math.floor((m - 1) / 3) * 3 + 1;
  const half = m <= 6 ? 1 : 7;
  switch (preset) {
    case "this_month": return monthsFrom(y, m, 1);
    case "last_month": return monthsFrom(y, m - 1, 1);
    case "this_quarter": return monthsFrom(y, quarter, 3);
    case "last_quarter": return monthsFrom(y, quarter - 3, 3);
    case "this_half": return monthsFrom(y, half, 6);
    case "this_year": return monthsFrom(y, 1, 12);
    case "last_year": return monthsFrom(y - 1, 1, 12);
  }
}

/** The preset that gives exactly `p` on `today`, if any (so a typed range that happens to be one
 *  is shown as that preset). */
export function presetOf(p: Period, today: string): Preset | null {
  return PRESETS.find((k) => {
    const q = presetPeriod(k, today);
    return q.from === p.from && q.to === p.to;
  }) ?? null;
}

/** A well-formed calendar date "YYYY-MM-DD". */
export function isIsoDate(s: string | null | undefined): s is string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? "");
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** A count as written in tables: `12`, `<5`, `x`. */
export function cellText(c: Cell): string {
  return typeof c === "number" ? String(c) : c;
}

/** A cell's count, or null when it is suppressed. */
export function cellValue(c: Cell): number | null {
  return typeof c === "number" ? c : null;
}

/** A median as written: `12`, `12.5`, `<5`, `–`. */
export function figureText(f: Figure): string {
  if (f === null || f === undefined) return "–";
  if (typeof f === "string") return f;
  return Number.isInteger(f) ? String(f) : f.toFixed(1);
}

/** The index of a table's total column (`columns[counts]`; the only count for one-column tables). */
export function totalColumn(t: LabelledTable): number {
  return t.counts;
}

/** The columns shown on screen, as indexes: count columns with nothing counted are left out (as in
 *  the PDF; the CSV keeps them), except in the table of months. */
export function shownColumns(t: LabelledTable): number[] {
  const total = t.rows.find((r) => r.total);
  return t.columns
    .map((_, j) => j)
    .filter((j) => t.id === "activities_by_month" || j >= t.counts || !total || total.cells[j] !== "0");
}

/** The rows shown on screen: those with something counted, and the total row. */
export function shownRows(t: LabelledTable): LabelledRow[] {
  return t.rows.filter((r) => !r.empty);
}

/** Whether a table counted nothing at all in the period (every month is shown, also quiet ones). */
export function isEmptyTable(t: LabelledTable): boolean {
  return t.id !== "activities_by_month" && t.rows.every((r) => r.empty || r.total);
}

/** One bar of a chart: its length (`null`: suppressed, no bar) and the text at its end. */
export interface Bar {
  label: string;
  value: number | null;
  text: string;
}

/** A table's rows as bars (the total row and empty rows left out); the text is the row's total. */
export function tableBars(t: LabelledTable): Bar[] {
  const at = totalColumn(t);
  return t.rows
    .filter((r) => !r.total && !r.empty)
    .map((r) => ({ label: r.label, value: r.value, text: r.cells[at] ?? "" }));
}

/** A table of counts by month (rows `YYYY-MM`) and series (columns) as stacked-bar data. */
export interface MonthSeries {
  months: string[];
  series: string[];
  /** `values[month][series]`; null when not shown. */
  values: (number | null)[][];
  /** The text above each month's bar. */
  totals: string[];
}

/** The dashboard's activities-by-month table as chart data. */
export function monthSeriesOfTable(t: Table): MonthSeries {
  return {
    months: t.rows,
    series: t.columns,
    values: t.cells.map((row) => row.map(cellValue)),
    totals: t.row_totals.map(cellText),
  };
}

/** A report's activities-by-month table (labelled) as chart data: the count columns are series. */
export function monthSeriesOfLabelled(t: LabelledTable): MonthSeries {
  const rows = t.rows.filter((r) => !r.total);
  const n = t.counts;
  return {
    months: rows.map((r) => r.label),
    series: t.columns.slice(0, n),
    values: rows.map((r) => r.cells.slice(0, n).map((c) => (/^\d+$/.test(c) ? Number(c) : null))),
    totals: rows.map((r) => r.cells[n] ?? ""),
  };
}

/** `path` ending in `.ext`: a path ending in another of the report's extensions gets this one
 *  instead; any other path gets it added (a typed path never saves one format under another's
 *  name). */
export function withExtension(path: string, ext: string): string {
  const p = path.trim();
  if (p.toLowerCase().endsWith(`.${ext}`)) return p;
  const other = /\.(pdf|zip|csv|json)$/i.exec(p);
  return other ? p.slice(0, other.index) + `.${ext}` : `${p}.${ext}`;
}

/** The change from one count to another, for the dashboard's arrow. */
export function change(now: number, before: number): { diff: number; direction: "up" | "down" | "same" } {
  const diff = now - before;
  return { diff, direction: diff > 0 ? "up" : diff < 0 ? "down" : "same" };
}

/** Bytes as a short size: `812 B`, `33 KB`, `1.4 MB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
