import { describe, expect, it } from "vitest";
import { cataloguesFromModules, format, hasKey, translate, vocabLabel, type Catalogues } from "./translate";
import type { Reference } from "./types";

const cats: Catalogues = {
  en: { "nav.cases": "Cases", "common.range": "{from}–{to} of {total}", "only.en": "English only" },
  sq: { "nav.cases": "Rastet", "common.range": "{from}–{to} nga {total}" },
};

describe("format", () => {
  it("replaces every placeholder it has a value for", () => {
    expect(format("{from}–{to} of {total}", { from: 1, to: 50, total: 120 })).toBe("1–50 of 120");
  });
  it("leaves unknown placeholders visible rather than inventing text", () => {
    expect(format("Due {date} ({who})", { date: "1.2.2026" })).toBe("Due 1.2.2026 ({who})");
  });
  it("substitutes a placeholder used twice, and zero is a value", () => {
    expect(format("{n} / {n}", { n: 0 })).toBe("0 / 0");
  });
});

describe("translate", () => {
  it("uses the requested language", () => {
    expect(translate(cats, "sq", "nav.cases")).toBe("Rastet");
  });
  it("falls back to English when the language lacks the key", () => {
    expect(translate(cats, "sq", "only.en")).toBe("English only");
  });
  it("falls back to English for a language that does not exist", () => {
    expect(translate(cats, "tr", "nav.cases")).toBe("Cases");
  });
  it("shows the key itself when no catalogue has it, so a gap is visible but nothing breaks", () => {
    expect(translate(cats, "sq", "no.such.key")).toBe("no.such.key");
  });
  it("substitutes placeholders in the translated text", () => {
    expect(translate(cats, "sq", "common.range", { from: 1, to: 2, total: 3 })).toBe("1–2 nga 3");
  });
  it("knows which keys exist in the language or in English", () => {
    expect(hasKey(cats, "sq", "only.en")).toBe(true);
    expect(hasKey(cats, "sq", "missing")).toBe(false);
  });
});

describe("cataloguesFromModules", () => {
  it("names each catalogue after its file, so a new language file appears by itself", () => {
    const out = cataloguesFromModules({
      "../../../assets/i18n/en.json": { a: "A" },
      "../../../assets/i18n/sr-Cyrl.json": { a: "А" },
    });
    expect(Object.keys(out).sort()).toEqual(["en", "sr-Cyrl"]);
    expect(out["sr-Cyrl"].a).toBe("А");
  });
});

describe("vocabLabel", () => {
  const ref = {
    vocab: {
      communities: {
        vocabulary: "communities",
        description: "",
        entries: [
          { code: "ashkali", labels: { en: "Ashkali", sq: "Ashkali", sr: "Aškalijska" } },
          { code: "gorani", labels: { en: "Gorani" } },
        ],
      },
    },
  } as unknown as Reference;

  it("shows the label in the current language, never the code", () => {
    expect(vocabLabel(ref, "communities", "ashkali", "sr")).toBe("Aškalijska");
  });
  it("falls back to the English label", () => {
    expect(vocabLabel(ref, "communities", "gorani", "sq")).toBe("Gorani");
  });
  it("falls back to the code only for a code the vocabulary does not know", () => {
    expect(vocabLabel(ref, "communities", "martian", "en")).toBe("martian");
  });
  it("is empty for no code", () => {
    expect(vocabLabel(ref, "communities", null, "en")).toBe("");
  });
});
