import { afterEach, describe, expect, it } from "vitest";
import { availableLanguages, label, lang, setLang, t } from "./i18n.svelte";
import type { Reference } from "./types";

afterEach(() => setLang("en"));

describe("the current language", () => {
  it("switches every text at once", () => {
    setLang("sq");
    expect(lang()).toBe("sq");
    expect(t("nav.cases")).toBe("Rastet");
    setLang("sr");
    expect(t("nav.cases")).toBe("Slučajevi");
  });
  it("falls back to English for a language without a catalogue", () => {
    setLang("xx");
    expect(lang()).toBe("en");
    expect(t("nav.cases")).toBe("Cases");
  });
  it("fills placeholders", () => {
    setLang("sr");
    expect(t("common.range", { from: 1, to: 50, total: 73 })).toBe("1–50 od 73");
  });
  it("lists the languages found in assets/i18n", () => {
    expect(availableLanguages().map((l) => l.code)).toEqual(expect.arrayContaining(["en", "sq", "sr"]));
  });
  it("labels vocabulary entries in the current language", () => {
    const ref = {
      vocab: { genders: { vocabulary: "genders", description: "", entries: [{ code: "female", labels: { en: "Female", sq: "Femër" } }] } },
    } as unknown as Reference;
    setLang("sq");
    expect(label(ref, "genders", "female")).toBe("Femër");
  });
});
