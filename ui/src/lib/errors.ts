// Turns backend errors into messages in the user's language. Views never show `err.message`
// (the backend's English developer text); they show the catalogue text for the error's code.
import type { FieldError } from "./types";
import type { Translator } from "./translate";

/** The parts of a BackendError this module needs (kept structural so tests need no Tauri). */
export interface CodedError { code: string; fields?: FieldError[] }

/** Field path -> reason code; the first error of a field wins. */
export type FieldErrors = Record<string, string>;

function isCoded(e: unknown): e is CodedError {
  return !!e && typeof e === "object" && typeof (e as { code?: unknown }).code === "string";
}

/** What happened and what to do, for any error a call may throw. */
export function errorMessage(e: unknown, t: Translator): string {
  const code = isCoded(e) ? e.code : "internal";
  const key = `error.${code}`;
  const text = t(key);
  return text === key ? t("error.internal") : text;
}

/** The message for one field's reason code (`required`, `too_long`...). */
export function fieldMessage(code: string, t: Translator): string {
  const key = `validation.${code}`;
  const text = t(key);
  return text === key ? t("validation.invalid") : text;
}

/** The field errors of a validation error, by field path; empty for any other error. */
export function fieldErrors(e: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!isCoded(e) || e.code !== "validation") return out;
  for (const f of e.fields ?? []) {
    if (!(f.field in out)) out[f.field] = f.code;
  }
  return out;
}

/** The DOM id of the control for a field path: `acts[1].grounds` -> `f-acts-1-grounds`. */
export function fieldId(path: string): string {
  return "f-" + path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "");
}

/** The attributes that tie a control to its label, hint and error (spread onto the control). */
export function control(path: string, error?: string, hint = false): {
  id: string;
  "aria-invalid": "true" | undefined;
  "aria-describedby": string | undefined;
} {
  const id = fieldId(path);
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { id, "aria-invalid": error ? "true" : undefined, "aria-describedby": describedBy || undefined };
}
