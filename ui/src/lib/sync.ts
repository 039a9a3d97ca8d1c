// Pure helpers of the Sync screen: how a synced value reads (codes as their labels), default file
// names, fingerprints in groups, and the share of a long operation done. No Svelte state here.
import { DELETED } from "./fieldLabels";
import { formatDate } from "./dates";
import type { Translator } from "./translate";
import type { RecordKind, SyncStep } from "./types";

/** The label of a vocabulary entry (`label(app.ref, vocab, code)` in the app). */
export type VocabLabel = (vocab: string, code: string) => string;

/** Fields whose values are codes of a vocabulary, by kind of record. */
const VOCAB_FIELDS: Record<string, Record<string, string>> = {
  case: {
    channel: "channels",
    municipality: "municipalities",
    "person.gender": "genders",
    "person.age_band": "age_bands",
    "person.community": "communities",
    "person.language": "person_languages",
  },
  act: { grounds: "grounds", area: "areas", form: "forms", respondent_type: "respondent_types" },
  entry: { action_type: "action_types" },
  activity: { target_groups: "target_groups", format: "meeting_formats", municipality: "municipalities" },
};

/** Fields whose values are the app's own codes, shown with a catalogue message `<prefix>.<code>`. */
const ENUM_FIELDS: Record<string, Record<string, string>> = {
  case: { risk: "risk", status: "status", close_reason: "close_reason" },
  entry: { kind: "entry_kind", status_from: "status", status_to: "status" },
  activity: { kind: "activity_kind" },
};

const DATE_FIELDS = new Set(["intake_date", "date_from", "date_to", "due", "occurred_on"]);

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

/** A value of a synced record as a person reads it: labels for codes, dates in the local format. */
export function syncValue(kind: RecordKind | string, field: string, value: unknown, t: Translator, vocab: VocabLabel): string {
  if (field === DELETED) return value === true ? t("sync.value.deleted") : t("sync.value.kept");
  if (isEmpty(value)) return t("sync.value.empty");
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  const vocabName = VOCAB_FIELDS[kind]?.[field];
  if (vocabName) {
    const codes = Array.isArray(value) ? value : [value];
    return codes.map((c) => vocab(vocabName, String(c))).join(", ");
  }
  const prefix = ENUM_FIELDS[kind]?.[field];
  if (prefix && typeof value === "string") return t(`${prefix}.${value}`);
  if (DATE_FIELDS.has(field) && typeof value === "string") return formatDate(value, t);
  if (kind === "case" && field === "source_activity") return t("sync.value.linked_meeting");
  if (kind === "activity" && field === "attendance" && Array.isArray(value)) {
    const people = value.reduce((sum: number, row) => {
      const r = (row ?? {}) as Record<string, unknown>;
      return sum + ["female", "male", "other", "not_stated"].reduce((s, k) => s + (Number(r[k]) || 0), 0);
    }, 0);
    return t("sync.value.attendance", { rows: value.length, people });
  }
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** A file-name-safe form of a name: lower case, letters without accents, words joined by `-`. */
export function slug(text: string, max = 40): string {
  const plain = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "dj").replace(/Đ/g, "Dj")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return plain.slice(0, max).replace(/-+$/, "") || "rightsdesk";
}

/** `rightsdesk-<municipality>-to-<peer>-<date>.rdbundle` */
export function bundleFileName(municipality: string, peer: string, date: string): string {
  return `rightsdesk-${slug(municipality)}-to-${slug(peer)}-${date}.rdbundle`;
}

/** `rightsdesk-enrolment-<device short>.rdenrol` */
export function enrolmentFileName(device: string): string {
  return `rightsdesk-enrolment-${device.replace(/-/g, "").slice(0, 8)}.rdenrol`;
}

/** `rightsdesk-registry-v<N>.rdreg` */
export function registryFileName(version: number): string {
  return `rightsdesk-registry-v${version}.rdreg`;
}

/** A fingerprint's groups of four (`7KQX-M2PA-9R0C-T4VW` -> four strings). */
export function fingerprintGroups(fp: string): string[] {
  return fp.split("-").filter(Boolean);
}

/** The share done of a long operation (0..1), or null while it cannot be measured yet. */
export function stepFraction(step: SyncStep | null): number | null {
  if (!step || step.phase !== "merging" || step.total <= 0) return null;
  return Math.min(1, step.done / step.total);
}

/** `[3, 4, 5, 9]` -> "3–5, 9": missing bundle numbers, short. */
export function numberRanges(ns: number[]): string {
  const sorted = [...ns].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return out.join(", ");
}
