// Pure translation functions: catalogue lookup with fallback, placeholder substitution and
// vocabulary labels. No Svelte state here, so they can be unit-tested directly.
import type { Reference } from "./types";

/** One language's catalogue: flat message key -> text, placeholders written `{name}`. */
export type Catalogue = Record<string, string>;
/** Catalogues by language code (`en`, `sq`, `sr`...). */
export type Catalogues = Record<string, Catalogue>;
export type Params = Record<string, string | number>;
/** A function that turns a message key (and its placeholders) into text. */
export type Translator = (key: string, params?: Params) => string;

/** The catalogue every other is checked against and falls back to. */
export const REFERENCE = "en";

/** Builds the catalogues from `import.meta.glob` output keyed by file path (`.../sq.json`). */
export function cataloguesFromModules(modules: Record<string, unknown>): Catalogues {
  const out: Catalogues = {};
  for (const [path, mod] of Object.entries(modules)) {
    const code = path.split("/").pop()?.replace(/\.json$/, "");
    if (!code || !mod || typeof mod !== "object") continue;
    out[code] = mod as Catalogue;
  }
  return out;
}

/** Replaces `{name}` with `params.name`; unknown placeholders are left as they are. */
export function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Whether `key` exists in `lang` or in the reference catalogue. */
export function hasKey(cats: Catalogues, lang: string, key: string): boolean {
  return key in (cats[lang] ?? {}) || key in (cats[REFERENCE] ?? {});
}

/** The text of `key` in `lang`, falling back to English, then to the key itself. */
export function translate(cats: Catalogues, lang: string, key: string, params?: Params): string {
  const text = cats[lang]?.[key] ?? cats[REFERENCE]?.[key] ?? key;
  return format(text, params);
}

/** The label of a vocabulary entry in `lang`, falling back to English, then to the code. */
export function vocabLabel(
  ref: Reference | null | undefined,
  vocab: string,
  code: string | null | undefined,
  lang: string,
): string {
  if (!code) return "";
  const entry = ref?.vocab[vocab]?.entries.find((e) => e.code === code);
  return entry?.labels[lang] || entry?.labels[REFERENCE] || code;
}
