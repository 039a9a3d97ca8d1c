// The interface language. Catalogues are the files assets/i18n/<code>.json, picked up at build
// time: adding a language is adding a file. `t()` and `label()` read the current language, so
// every component that uses them re-renders when it changes.
import type { Reference } from "./types";
import {
  REFERENCE, cataloguesFromModules, hasKey, translate, vocabLabel, type Params,
} from "./translate";

export const catalogues = cataloguesFromModules(
  import.meta.glob("../../../assets/i18n/*.json", { eager: true, import: "default" }),
);

const current = $state({ lang: REFERENCE });

/** The current interface language code. */
export function lang(): string {
  return current.lang;
}

/** Switches the interface language (unknown codes fall back to English). */
export function setLang(code: string | null | undefined): void {
  current.lang = code && catalogues[code] ? code : REFERENCE;
  if (typeof document !== "undefined") {
    document.documentElement.lang = translate(catalogues, current.lang, "language.tag");
  }
}

/** The languages of this build, as {code, name} (name in the language itself). */
export function availableLanguages(): { code: string; name: string }[] {
  return Object.keys(catalogues)
    .sort()
    .map((code) => ({ code, name: translate(catalogues, code, "language.name") }));
}

/** The text of `key` in the current language. */
export function t(key: string, params?: Params): string {
  return translate(catalogues, current.lang, key, params);
}

/** Whether a message key exists. */
export function has(key: string): boolean {
  return hasKey(catalogues, current.lang, key);
}

/** The label of a vocabulary entry in the current language. */
export function label(ref: Reference | null | undefined, vocab: string, code: string | null | undefined): string {
  return vocabLabel(ref, vocab, code, current.lang);
}
