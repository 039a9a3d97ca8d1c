// Pure helpers of the small SVG charts (components/charts): how long a bar is, the top entries
// with the rest summed, the segments of stacked bars, labels cut to fit. No Svelte state, no DOM.

/** A round number at or above `max` for the end of a chart's scale: 1, 2, 5 × 10ⁿ (and 0 for an
 *  empty chart, so nothing is drawn). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** The length of a bar for `value` on a scale ending at `max` drawn over `length` pixels. A value
 *  above zero is never shorter than `min` pixels (so a 1 among hundreds still shows). */
export function barLength(value: number | null, max: number, length: number, min = 2): number {
  if (value === null || !(value > 0) || !(max > 0) || !(length > 0)) return 0;
  return Math.max(min, Math.min(length, (value / max) * length));
}

/** `[code, count]` pairs, most first: the first `max` as they are, or, when there are more, the
 *  first `max − 1` and one entry for the rest (`rest`: how many codes it sums). */
export function topWithRest(
  items: [string, number][],
  max: number,
): { code: string; n: number; rest?: number }[] {
  const sorted = [...items].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (sorted.length <= max) return sorted.map(([code, n]) => ({ code, n }));
  const keep = sorted.slice(0, Math.max(0, max - 1)).map(([code, n]) => ({ code, n }));
  const others = sorted.slice(Math.max(0, max - 1));
  return [...keep, { code: "", n: others.reduce((s, [, n]) => s + n, 0), rest: others.length }];
}

/** One piece of a stacked bar: series `series` from `start` to `start + value`. */
export interface Segment { series: number; start: number; value: number }

/** The pieces of one stacked bar, bottom first; zeros and suppressed values are left out. */
export function stack(values: (number | null)[]): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  values.forEach((v, series) => {
    if (v !== null && v > 0) {
      out.push({ series, start, value: v });
      start += v;
    }
  });
  return out;
}

/** The height of the highest stacked bar. */
export function stackedMax(values: (number | null)[][]): number {
  return values.reduce((m, row) => Math.max(m, row.reduce<number>((s, v) => s + (v ?? 0), 0)), 0);
}

/** `text` cut with an ellipsis to fit `width` as measured by `measure` (whole text if it fits). */
export function fitText(text: string, width: number, measure: (s: string) => number): string {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join("").trimEnd() + "…") <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? "…" : chars.slice(0, lo).join("").trimEnd() + "…";
}

/** Which of `n` bars get a label under them when only `room` labels fit: every k-th, starting
 *  with the first. */
export function labelStep(n: number, room: number): number {
  if (n <= 0 || room <= 0) return 1;
  return Math.max(1, Math.ceil(n / room));
}

/** A text-width measure for SVG labels: the canvas's when there is one, else an estimate. */
export function measurer(font: string): (s: string) => number {
  let ctx: CanvasRenderingContext2D | null = null;
  if (typeof document !== "undefined") {
    ctx = document.createElement("canvas").getContext("2d");
    if (ctx) ctx.font = font;
  }
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  return (s: string) => (ctx ? ctx.measureText(s).width : s.length * size * 0.56);
}
