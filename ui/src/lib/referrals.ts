// Pure helpers of referrals: the statuses a referral may move to, what counts as overdue, the
// grounds a referral can allege, institution names and groups, letter file names. No Svelte state
// here, so they can be unit-tested directly.
import { REFERENCE } from "./translate";
import type {
  Act, InstitutionCategory, InstitutionView, Labels, LetterLang, Referral, ReferralRow, ReferralStatus,
} from "./types";

/** For each status, the statuses a referral may move to (crates/domain/src/referral.rs). */
export const REFERRAL_NEXT: Record<ReferralStatus, ReferralStatus[]> = {
  sent: ["acknowledged", "answered", "rejected", "revoked"],
  acknowledged: ["answered", "rejected", "revoked"],
  answered: ["done"],
  done: [],
  rejected: [],
  revoked: [],
};

export const REFERRAL_STATUSES = Object.keys(REFERRAL_NEXT) as ReferralStatus[];

/** A reply is expected this many days after the letter, unless the officer sets another date. */
export const DEFAULT_DEADLINE_DAYS = 30;

/** The statuses a referral may move to from `status`. */
export function nextStatuses(status: ReferralStatus): ReferralStatus[] {
  return REFERRAL_NEXT[status] ?? [];
}

/** Nothing more happens to a referral in this status. */
export function isFinal(status: ReferralStatus): boolean {
  return nextStatuses(status).length === 0;
}

/** Moving to `to` needs a text: the institution's answer, its reasons, or why it is withdrawn. */
export function needsText(to: ReferralStatus): boolean {
  return to === "answered" || to === "rejected" || to === "revoked";
}

/** Still waiting for the institution's answer. */
export function awaitsAnswer(status: ReferralStatus): boolean {
  return status === "sent" || status === "acknowledged";
}

/** Waiting for an answer after its deadline (on the deadline itself it is not yet overdue). */
export function isOverdue(r: Pick<Referral, "status" | "deadline">, today: string): boolean {
  return awaitsAnswer(r.status) && r.deadline < today;
}

/** Replies awaited: overdue ones first, then by deadline, then by case number. */
export function sortAwaiting<T extends Pick<ReferralRow, "overdue" | "deadline" | "case_number">>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      a.deadline.localeCompare(b.deadline) ||
      a.case_number.localeCompare(b.case_number),
  );
}

/** The grounds of the chosen acts, each once, in the order the acts list them. */
export function groundsOf(acts: Pick<Act, "id" | "grounds">[], chosen: string[]): string[] {
  const out: string[] = [];
  for (const act of acts) {
    if (!act.id || !chosen.includes(act.id)) continue;
    for (const g of act.grounds) if (!out.includes(g)) out.push(g);
  }
  return out;
}

/** The grounds ticked after the choice of acts changed: those the chosen acts still have, ticked
 *  as before; a ground that newly appears is ticked (the default is all). */
export function regrounded(before: string[], ticked: string[], after: string[]): string[] {
  return after.filter((g) => ticked.includes(g) || !before.includes(g));
}

/** The text of `labels` in `lang`, else in English, else in any language it has. */
export function labelIn(labels: Labels | null | undefined, lang: string): string {
  if (!labels) return "";
  return labels[lang] || labels[REFERENCE] || Object.values(labels).find((v) => !!v) || "";
}

/** The categories of institutions, in the order the referral form groups them. */
export const CATEGORIES: InstitutionCategory[] = [
  "ombudsperson", "court", "police", "prosecution", "good_governance", "communities_office",
  "privacy_agency", "social_work", "inspectorate", "legal_aid", "other",
];

/** Lower case, without accents, Serbian đ as dj: what a filter compares. */
export function plain(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "dj")
    .replace(/Đ/g, "Dj")
    .toLowerCase();
}

export interface InstitutionGroup { category: string; items: InstitutionView[] }

/** Institutions whose name (in any language), department or address contains every word of
 *  `filter`, grouped by category in the form's order, by name within a group. */
export function groupInstitutions(list: InstitutionView[], filter: string, lang: string): InstitutionGroup[] {
  const words = plain(filter).split(/\s+/).filter(Boolean);
  const matches = (i: InstitutionView) => {
    if (!words.length) return true;
    const hay = plain(
      [
        ...Object.values(i.name),
        ...Object.values(i.department ?? {}),
        ...Object.values(i.address ?? {}),
      ].join(" "),
    );
    return words.every((w) => hay.includes(w));
  };
  const groups = new Map<string, InstitutionView[]>();
  for (const i of list.filter(matches)) {
    const cat = (CATEGORIES as string[]).includes(i.category) ? i.category : "other";
    groups.set(cat, [...(groups.get(cat) ?? []), i]);
  }
  return CATEGORIES.filter((c) => groups.has(c)).map((category) => ({
    category,
    items: (groups.get(category) ?? []).sort((a, b) => labelIn(a.name, lang).localeCompare(labelIn(b.name, lang), lang)),
  }));
}

/** The name of the institution `id` (a code or a uuid) in `lang`; the id itself if unknown. */
export function institutionName(list: InstitutionView[], id: string, lang: string): string {
  const found = list.find((i) => i.id === id);
  return found ? labelIn(found.name, lang) || id : id;
}

/** The languages a letter can be written in, in the order the letter dialog offers them. */
export const LETTER_LANGS: LetterLang[] = ["sq", "sr-Latn", "sr-Cyrl", "en", "sq+sr-Latn", "sq+sr-Cyrl"];

/** Kosovo's institutions print letters in Albanian and Serbian side by side. */
export const DEFAULT_LETTER_LANG: LetterLang = "sq+sr-Latn";

/** The catalogue key part of a letter language (`sq+sr-Latn` -> `sq_sr_latn`). */
export function letterLangKey(lang: string): string {
  return lang.replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
}

/** The file name a letter is saved under: `<protocol, / as ->_<lang>.pdf`. */
export function letterFileName(protocol: string, lang: string): string {
  const base =
    protocol
      .trim()
      .replace(/[/\\]/g, "-")
      .replace(/[<>:"|?*\u0000-\u001f]/g, "")
      .replace(/\s+/g, "-")
      .replace(/^[.-]+|[.-]+$/g, "") || "referral";
  return `${base}_${lang}.pdf`;
}

/** The first characters of a hash, enough to tell letters apart at a glance. */
export function shortHash(sha256: string, n = 12): string {
  return sha256.slice(0, n);
}

/** A SHA-256 digest as lower-case hex. */
export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const arr = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(arr, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `data:` URL of bytes (the window's security policy allows `data:` images, not `blob:`). */
export function dataUrl(bytes: Uint8Array, mime: string): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return `data:${mime};base64,${btoa(binary)}`;
}
