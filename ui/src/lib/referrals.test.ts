import { describe, expect, it } from "vitest";
import {
  REFERRAL_NEXT, dataUrl, groundsOf, groupInstitutions, hex, institutionName, isFinal, isOverdue, labelIn,
  letterFileName, letterLangKey, needsText, nextStatuses, plain, regrounded, shortHash, sortAwaiting,
} from "./referrals";
import type { InstitutionView, ReferralStatus } from "./types";

describe("referral statuses", () => {
  it("move forward only, as the backend allows", () => {
    expect(nextStatuses("sent")).toEqual(["acknowledged", "answered", "rejected", "revoked"]);
    expect(nextStatuses("acknowledged")).toEqual(["answered", "rejected", "revoked"]);
    expect(nextStatuses("answered")).toEqual(["done"]);
  });
  it("end in done, rejected or revoked: no Update button there", () => {
    const finals = (Object.keys(REFERRAL_NEXT) as ReferralStatus[]).filter(isFinal);
    expect(finals.sort()).toEqual(["done", "rejected", "revoked"]);
  });
  it("need a text for an answer, the reasons of a refusal and a withdrawal, and only there", () => {
    expect((Object.keys(REFERRAL_NEXT) as ReferralStatus[]).filter(needsText).sort()).toEqual(["answered", "rejected", "revoked"]);
  });
});

describe("overdue", () => {
  it("is a referral still awaiting an answer after its deadline, not on the deadline itself", () => {
    expect(isOverdue({ status: "sent", deadline: "2026-11-25" }, "2026-11-25")).toBe(false);
    expect(isOverdue({ status: "sent", deadline: "2026-11-25" }, "2026-11-26")).toBe(true);
    expect(isOverdue({ status: "acknowledged", deadline: "2026-11-25" }, "2026-12-01")).toBe(true);
  });
  it("never applies once the institution answered or the referral ended", () => {
    for (const status of ["answered", "done", "rejected", "revoked"] as ReferralStatus[]) {
      expect(isOverdue({ status, deadline: "2026-01-01" }, "2026-12-01"), status).toBe(false);
    }
  });
  it("lists overdue replies first, then by deadline", () => {
    const rows = [
      { id: "a", overdue: false, deadline: "2026-12-01", case_number: "X-2" },
      { id: "b", overdue: true, deadline: "2026-11-20", case_number: "X-3" },
      { id: "c", overdue: false, deadline: "2026-11-28", case_number: "X-1" },
      { id: "d", overdue: true, deadline: "2026-11-10", case_number: "X-4" },
    ];
    expect(sortAwaiting(rows).map((r) => r.id)).toEqual(["d", "b", "c", "a"]);
  });
});

describe("grounds of a referral", () => {
  const acts = [
    { id: "a1", grounds: ["ethnicity", "gender"] },
    { id: null, grounds: ["age"] },
    { id: "a2", grounds: ["disability", "ethnicity"] },
  ];
  it("are the union of the chosen acts' grounds, each once, in the acts' order", () => {
    expect(groundsOf(acts, ["a1", "a2"])).toEqual(["ethnicity", "gender", "disability"]);
    expect(groundsOf(acts, ["a2"])).toEqual(["disability", "ethnicity"]);
    expect(groundsOf(acts, [])).toEqual([]);
  });
  it("keep what the officer unticked when acts change, and tick grounds that newly appear", () => {
    const before = groundsOf(acts, ["a1"]); // ethnicity, gender
    const ticked = ["ethnicity"]; // gender unticked by hand
    const after = groundsOf(acts, ["a1", "a2"]); // + disability
    expect(regrounded(before, ticked, after)).toEqual(["ethnicity", "disability"]);
  });
  it("drop grounds no chosen act has any more", () => {
    expect(regrounded(["ethnicity", "gender", "disability"], ["ethnicity", "gender", "disability"], ["disability", "ethnicity"]))
      .toEqual(["disability", "ethnicity"]);
  });
});

describe("institutions", () => {
  const inst = (id: string, category: string, name: Record<string, string>, address: Record<string, string> | null = null): InstitutionView => ({
    id, custom: false, category, name, department: null, address, address_verified: true, salutation: {},
  });
  const list = [
    inst("ombudsperson", "ombudsperson", { en: "Ombudsperson Institution", sq: "Institucioni i Avokatit të Popullit", sr: "Institucija Ombudsmana" }),
    inst("csw", "social_work", { en: "Centre for Social Work Gjilan", sq: "Qendra për Punë Sociale Gjilan" }, { sq: "Rr. Adem Jashari, Gjilan" }),
    inst("court", "court", { en: "Basic Court of Gjakova", sq: "Gjykata Themelore në Gjakovë", sr: "Osnovni sud u Đakovici" }),
    inst("u1", "no_such_category", { sr: "Škola „Vuk Karadžić“" }),
  ];

  it("name an institution in the interface language, else English, else any", () => {
    expect(labelIn({ en: "Court", sq: "Gjykata" }, "sq")).toBe("Gjykata");
    expect(labelIn({ en: "Court" }, "sr")).toBe("Court");
    expect(labelIn({ sr: "Škola" }, "sq")).toBe("Škola");
    expect(labelIn(null, "en")).toBe("");
    expect(institutionName(list, "court", "sr")).toBe("Osnovni sud u Đakovici");
    expect(institutionName(list, "gone", "sr")).toBe("gone");
  });
  it("are grouped by category in the form's order; unknown categories go with the others", () => {
    const groups = groupInstitutions(list, "", "en");
    expect(groups.map((g) => g.category)).toEqual(["ombudsperson", "court", "social_work", "other"]);
    expect(groups.at(-1)?.items.map((i) => i.id)).toEqual(["u1"]);
  });
  it("are filtered by any language's name or the address, accents and đ not mattering", () => {
    expect(groupInstitutions(list, "gjakove", "en").flatMap((g) => g.items.map((i) => i.id))).toEqual(["court"]);
    expect(groupInstitutions(list, "Djakovici", "en").flatMap((g) => g.items.map((i) => i.id))).toEqual(["court"]);
    expect(groupInstitutions(list, "jashari", "en").flatMap((g) => g.items.map((i) => i.id))).toEqual(["csw"]);
    expect(groupInstitutions(list, "avokatit popullit", "en").flatMap((g) => g.items.map((i) => i.id))).toEqual(["ombudsperson"]);
    expect(groupInstitutions(list, "police", "en")).toEqual([]);
  });
  it("compare filter text without accents or case", () => {
    expect(plain("Gjakovë ĐAKOVICA")).toBe("gjakove djakovica");
  });
});

describe("letters", () => {
  it("are saved under the protocol number, slashes made safe, and the language", () => {
    expect(letterFileName("GJI-2026/0042", "sq+sr-Latn")).toBe("GJI-2026-0042_sq+sr-Latn.pdf");
    expect(letterFileName("01/123-4\\5", "en")).toBe("01-123-4-5_en.pdf");
    expect(letterFileName(' 7:12 "a" ', "sq")).toBe("712-a_sq.pdf");
    expect(letterFileName("", "sr-Cyrl")).toBe("referral_sr-Cyrl.pdf");
  });
  it("have catalogue keys for each language", () => {
    expect(letterLangKey("sq+sr-Latn")).toBe("sq_sr_latn");
    expect(letterLangKey("sr-Cyrl")).toBe("sr_cyrl");
  });
  it("are told apart by the first characters of their hash", () => {
    const sha = "ab".repeat(32);
    expect(shortHash(sha)).toBe("abababababab");
    expect(hex(new Uint8Array([0, 15, 255]))).toBe("000fff");
  });
  it("and logos are shown as data: URLs", () => {
    expect(dataUrl(new Uint8Array([137, 80, 78, 71]), "image/png")).toBe("data:image/png;base64,iVBORw==");
  });
});
