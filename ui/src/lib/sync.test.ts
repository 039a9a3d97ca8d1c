// The Sync screen's pure helpers against the real catalogues.
import { describe, expect, it } from "vitest";
import { recordFieldLabel } from "./fieldLabels";
import {
  bundleFileName, enrolmentFileName, fingerprintGroups, numberRanges, registryFileName, slug, stepFraction, syncValue,
} from "./sync";
import { cataloguesFromModules, translate } from "./translate";

const cats = cataloguesFromModules(import.meta.glob("../../../assets/i18n/*.json", { eager: true, import: "default" }));
const en = (k: string, p?: Record<string, string | number>) => translate(cats, "en", k, p);
const sq = (k: string, p?: Record<string, string | number>) => translate(cats, "sq", k, p);
const vocab = (v: string, code: string) => `${v}:${code}`;

describe("conflict values", () => {
  it("show codes by their labels, in the user's language", () => {
    expect(syncValue("case", "risk", "high", en, vocab)).toBe("High");
    expect(syncValue("case", "risk", "high", sq, vocab)).toBe(sq("risk.high"));
    expect(syncValue("case", "status", "follow_up", en, vocab)).toBe("Follow-up");
    expect(syncValue("case", "close_reason", "withdrawn", en, vocab)).toBe("Withdrawn by the person");
    expect(syncValue("case", "person.community", "roma", en, vocab)).toBe("communities:roma");
    expect(syncValue("act", "grounds", ["ethnicity", "gender"], en, vocab)).toBe("grounds:ethnicity, grounds:gender");
    expect(syncValue("entry", "kind", "note", en, vocab)).toBe("Note");
  });

  it("show dates, yes/no, empty values and deletions in words", () => {
    expect(syncValue("case", "intake_date", "2026-03-05", en, vocab)).toBe("05/03/2026");
    expect(syncValue("case", "person.consent_referral", true, en, vocab)).toBe("Yes");
    expect(syncValue("case", "person.contact", null, en, vocab)).toBe("(empty)");
    expect(syncValue("act", "grounds", [], en, vocab)).toBe("(empty)");
    expect(syncValue("case", "$deleted", true, en, vocab)).toBe("Deleted");
    expect(syncValue("case", "assigned_officer", "Vesa Hoxha", en, vocab)).toBe("Vesa Hoxha");
    const rows = [{ community: "albanian", female: 3, male: 2, other: 0, not_stated: 1 }];
    expect(syncValue("activity", "attendance", rows, en, vocab)).toBe("1 communities, 6 people");
  });
});

describe("field labels of synced records", () => {
  it("name a case's own fields, the parts of a case and deletions", () => {
    expect(recordFieldLabel("case", "risk", en)).toBe("Risk");
    expect(recordFieldLabel("case", "status", en)).toBe("Status");
    expect(recordFieldLabel("case", "close_reason", en)).toBe("Reason for closing");
    expect(recordFieldLabel("case", "person.age_band", en)).toBe("Age");
    expect(recordFieldLabel("act", "grounds", en)).toBe("Alleged act – Grounds");
    expect(recordFieldLabel("task", "due", en)).toBe("Task – Due date");
    expect(recordFieldLabel("activity", "venue", en)).toBe("Venue");
    expect(recordFieldLabel("case", "$deleted", en)).toBe("Deleted on one device, edited on another");
    expect(recordFieldLabel("act", "$deleted", en)).toBe("Alleged act – Deleted on one device, edited on another");
    for (const f of ["intake_date", "channel", "person.name", "person.consent_processing", "assigned_officer", "status"]) {
      expect(recordFieldLabel("case", f, en), f).not.toBe(f);
    }
  });
});

describe("file names", () => {
  it("are safe and say who the file is for", () => {
    expect(slug("Njësia Komunale për të Drejtat e Njeriut")).toBe("njesia-komunale-per-te-drejtat-e-njeriut");
    expect(slug("Đorđe Šćepanović")).toBe("djordje-scepanovic");
    expect(slug("???")).toBe("rightsdesk");
    expect(bundleFileName("gjilan", "Zyra Qendrore", "2026-03-05")).toBe("rightsdesk-gjilan-to-zyra-qendrore-2026-03-05.rdbundle");
    expect(enrolmentFileName("0195f3a2-7c41-7d2e-9b1a-3c4d5e6f7a8b")).toBe("rightsdesk-enrolment-0195f3a2.rdenrol");
    expect(registryFileName(7)).toBe("rightsdesk-registry-v7.rdreg");
  });
});

describe("small pieces", () => {
  it("split a fingerprint in its four groups", () => {
    expect(fingerprintGroups("7KQX-M2PA-9R0C-T4VW")).toEqual(["7KQX", "M2PA", "9R0C", "T4VW"]);
  });
  it("measure progress only once records are counted", () => {
    expect(stepFraction(null)).toBeNull();
    expect(stepFraction({ phase: "checking", done: 0, total: 0 })).toBeNull();
    expect(stepFraction({ phase: "merging", done: 50, total: 200 })).toBe(0.25);
  });
  it("write missing bundle numbers as short ranges", () => {
    expect(numberRanges([9, 3, 4, 5])).toBe("3–5, 9");
    expect(numberRanges([6])).toBe("6");
  });
});
