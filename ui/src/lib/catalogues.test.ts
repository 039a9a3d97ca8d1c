// The real catalogues (assets/i18n/*.json) against what the UI and the backend rely on.
import { describe, expect, it } from "vitest";
import { activityFieldLabel, caseFieldLabel } from "./fieldLabels";
import { REFERENCE, cataloguesFromModules, translate } from "./translate";
import type { SyncTab } from "./app.svelte";
import { CATEGORIES, LETTER_LANGS, REFERRAL_STATUSES, letterLangKey } from "./referrals";
import { PRESETS } from "./reports";
import type {
  ActivityKind, CaseSort, CloseReason, EntryKind, ErrorCode, InstitutionCategory, RecordKind, ReferralStatus, Risk,
  Role, Status, SyncStep,
} from "./types";

const cats = cataloguesFromModules(import.meta.glob("../../../assets/i18n/*.json", { eager: true, import: "default" }));
const en = cats[REFERENCE];
const sources = import.meta.glob(["../**/*.svelte", "../**/*.ts", "!../**/*.test.ts"], {
  eager: true,
  query: "?raw",
  import: "default",
}) as Record<string, string>;

// Records keyed by the contract's unions: the compiler fails if a value is added to types.ts
// without being listed here (and so without a message).
const errorCodes: Record<ErrorCode, true> = {
  validation: true, wrong_passphrase: true, not_initialised: true, already_initialised: true, schema_too_new: true,
  database_corrupt: true, disk_full: true, busy: true, locked: true, not_found: true, transition_not_allowed: true,
  io: true, internal: true,
  registry_missing: true, not_coordinator: true, device_revoked: true, cannot_revoke_self: true, unknown_peer: true,
  confirm_central: true, own_registry: true, registry_not_from_central: true, bad_enrolment: true, bundle_truncated: true,
  bundle_not_rightsdesk: true, bundle_bad_signature: true, bundle_malformed: true, bundle_too_large: true,
  bundle_too_deep: true, bundle_unknown_version: true, bundle_wrong_document: true, bundle_not_for_us: true,
  bundle_unknown_signer: true, bundle_revoked_signer: true, bundle_own: true, bundle_replayed: true, bundle_older: true,
  bundle_forked: true, bundle_missing_changes: true, bundle_invalid_record: true, bundle_plain_refused: true,
  file_not_found: true, folder_not_found: true, file_read: true, file_write: true, enrolment_changed: true,
  letter_template: true, letter_unprintable: true,
};
const recordKinds: Record<RecordKind, true> = { case: true, act: true, entry: true, task: true, activity: true };
const syncPhases: Record<SyncStep["phase"], true> = { reading: true, checking: true, merging: true, writing: true };
const syncTabs: Record<SyncTab, true> = { exchange: true, conflicts: true, devices: true, trust: true };
const statuses: Record<Status, true> = { new: true, assessment: true, referred: true, follow_up: true, closed: true, reopened: true };
const closeReasons: Record<CloseReason, true> = {
  resolved: true, referred_completed: true, withdrawn: true, not_discrimination: true, lost_contact: true, other: true,
};
const risks: Record<Risk, true> = { low: true, medium: true, high: true };
const kinds: Record<ActivityKind, true> = { training: true, round_table: true, outreach: true };
const entryKinds: Record<EntryKind, true> = {
  note: true, action: true, correction: true, status_change: true, opened: true, task_added: true, task_done: true, edited: true,
  referred: true, referral_update: true, letter: true,
};
const referralStatuses: Record<ReferralStatus, true> = {
  sent: true, acknowledged: true, answered: true, done: true, rejected: true, revoked: true,
};
const categories: Record<InstitutionCategory, true> = {
  ombudsperson: true, court: true, police: true, prosecution: true, good_governance: true, communities_office: true,
  privacy_agency: true, social_work: true, inspectorate: true, legal_aid: true, other: true,
};
const roles: Record<Role, true> = { officer: true, coordinator: true };
const sorts: Record<CaseSort, true> = { intake_desc: true, intake_asc: true, updated_desc: true, number: true };
const validationCodes = [
  "required", "too_long", "unknown_code", "in_future", "too_old", "end_before_start", "duplicate", "too_large",
  "not_without_consent", "at_least_one", "too_short", "mismatch", "not_allowed", "out_of_range",
];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  it("include English, Albanian and Serbian, each named in itself", () => {
    expect(cats.en["language.name"]).toBe("English");
    expect(cats.sq["language.name"]).toBe("Shqip");
    expect(cats.sr["language.name"]).toBe("Srpski (latinica)");
  });

  it("all have exactly the keys of English, with no empty text and the same placeholders", () => {
    for (const [lang, cat] of Object.entries(cats)) {
      expect(Object.keys(cat).sort(), `${lang}.json keys`).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(cat)) {
        expect(text.trim(), `${lang}.json ${key} is empty`).not.toBe("");
        expect(placeholders(text), `${lang}.json ${key} placeholders`).toEqual(placeholders(en[key]));
      }
    }
  });

  it("are written with the letters of each language, not transliterated", () => {
    const sq = Object.values(cats.sq).join(" ");
    const sr = Object.values(cats.sr).join(" ");
    expect(sq).toMatch(/ë/);
    expect(sq).toMatch(/ç/);
    for (const letter of ["č", "ć", "š", "ž", "đ"]) expect(sr).toContain(letter);
  });

  const families: [string, string[]][] = [
    ["error", Object.keys(errorCodes)],
    ["validation", validationCodes],
    ["status", Object.keys(statuses)],
    ["transition.to", Object.keys(statuses)],
    ["close_reason", Object.keys(closeReasons)],
    ["risk", Object.keys(risks)],
    ["activity_kind", Object.keys(kinds)],
    ["activity.new", Object.keys(kinds)],
    ["entry_kind", Object.keys(entryKinds)],
    ["role", Object.keys(roles)],
    ["sort", Object.keys(sorts)],
    ["sync.kind", [...Object.keys(recordKinds), "record"]],
    ["sync.kinds", Object.keys(recordKinds)],
    ["sync.progress", Object.keys(syncPhases)],
    ["sync.tab", Object.keys(syncTabs)],
    ["sync.report.missing", ["one", "many"]],
    ["sync.devices.missing", ["one", "many"]],
    ["referral_status", Object.keys(referralStatuses)],
    ["referral_update.action", Object.keys(referralStatuses)],
    ["referral_update.explain", Object.keys(referralStatuses)],
    ["referral_update.text", Object.keys(referralStatuses)],
    ["institution_category", Object.keys(categories)],
    ["letter.lang", LETTER_LANGS.map(letterLangKey)],
    ["institution.name", ["en", "sq", "sr"]],
    ["reports.preset", [...PRESETS, "custom"]],
    ["month.short", Array.from({ length: 12 }, (_, i) => String(i + 1))],
    ["report.chart", [
      "cases_by_ground_community", "cases_by_area_gender", "cases_by_status", "referrals_by_institution",
      "activities_by_month", "participants_by_community_gender",
    ]],
  ];
  for (const [prefix, codes] of families) {
    it(`have a message for every ${prefix} code (the UI builds these keys)`, () => {
      const sep =
        prefix === "activity.new" || prefix.endsWith(".missing") || prefix === "letter.lang" || prefix === "institution.name"
          ? "_"
          : ".";
      const missing = codes.map((c) => `${prefix}${sep}${c}`).filter((k) => !(k in en));
      expect(missing).toEqual([]);
    });
  }

  it("list the same referral statuses and institution categories as the referral helpers", () => {
    expect([...REFERRAL_STATUSES].sort()).toEqual(Object.keys(referralStatuses).sort());
    expect([...CATEGORIES].sort()).toEqual(Object.keys(categories).sort());
  });

  it("say what to do next in every error message, not just what went wrong", () => {
    for (const code of Object.keys(errorCodes)) {
      expect(en[`error.${code}`].split(/[.—;]/).filter((s) => s.trim()).length, `error.${code}`).toBeGreaterThan(1);
    }
  });

  it("contain every key the views ask for", () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*"([a-z0-9_.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it("name every field a validation error can point at", () => {
    const t = (k: string, p?: Record<string, string | number>) => translate(cats, "en", k, p);
    expect(caseFieldLabel("acts[1].grounds", t)).toBe("Alleged act 2 – Grounds");
    expect(caseFieldLabel("person.community", t)).toBe("Community");
    expect(activityFieldLabel("attendance[0].community", t)).toBe("Row 1 – Community");
    expect(activityFieldLabel("venue", t, true)).toBe("Place or settlement");
    for (const path of ["intake_date", "channel", "source_activity", "assigned_officer", "acts", "person.name", "person.contact"]) {
      expect(caseFieldLabel(path, t), path).not.toBe(path);
    }
  });
});
