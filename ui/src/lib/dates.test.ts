import { describe, expect, it } from "vitest";
import { addDays, formatDate, formatPeriod, isoDate } from "./dates";
import { translate, type Catalogues } from "./translate";

const cats: Catalogues = {
  en: { "format.date": "{d}/{m}/{y}", "format.period": "{from} – {to}" },
  sr: { "format.date": "{d}.{m}.{y}." },
};

describe("dates", () => {
  it("adds days across month and year ends", () => {
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
  it("formats a local date without shifting it by the time zone", () => {
    expect(isoDate(new Date(2026, 10, 20, 23, 59))).toBe("2026-11-20");
  });
  it("shows dates in the order of the current language", () => {
    expect(formatDate("2026-11-02", (k, p) => translate(cats, "sr", k, p))).toBe("02.11.2026.");
    expect(formatDate("2026-11-02", (k, p) => translate(cats, "en", k, p))).toBe("02/11/2026");
  });
  it("shows a period only when it has a different end", () => {
    const t = (k: string, p?: Record<string, string | number>) => translate(cats, "en", k, p);
    expect(formatPeriod("2026-10-14", "2026-10-15", t)).toBe("14/10/2026 – 15/10/2026");
    expect(formatPeriod("2026-10-14", null, t)).toBe("14/10/2026");
    expect(formatPeriod("2026-10-14", "2026-10-14", t)).toBe("14/10/2026");
  });
});
