// Calendar dates as the backend sends them ("YYYY-MM-DD"), in the computer's local time zone.
import type { Translator } from "./translate";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today's date in local time. */
export function today(): string {
  return isoDate(new Date());
}

/** `iso` moved by `days` (negative for earlier). */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  return isoDate(new Date(y, m - 1, d + days));
}

/** A date for display, in the order of the current language's `format.date`. */
export function formatDate(iso: string | null | undefined, t: Translator): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return t("format.date", { y: m[1], m: m[2], d: m[3] });
}

/** An instant (RFC 3339) as a local date and time. */
export function formatInstant(instant: string | null | undefined, t: Translator): string {
  if (!instant) return "";
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return t("format.datetime", {
    date: formatDate(isoDate(d), t),
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  });
}

/** A period "from – to", or one date when there is no end. */
export function formatPeriod(from: string | null, to: string | null, t: Translator): string {
  if (!from) return "";
  return to && to !== from ? t("format.period", { from: formatDate(from, t), to: formatDate(to, t) }) : formatDate(from, t);
}
