// Human names of the fields a validation error can point at, for the error summary at the top of
// a form ("Alleged act 2 – Grounds: Choose at least one.").
import type { Translator } from "./translate";

const CASE_FIELDS: Record<string, string> = {
  intake_date: "case.intake_date",
  channel: "case.channel",
  source_activity: "case.source_activity",
  "person.name": "person.name",
  "person.contact": "person.contact",
  "person.gender": "person.gender",
  "person.age_band": "person.age_band",
  "person.community": "person.community",
  "person.language": "person.language",
  "person.consent_processing": "consent.processing",
  "person.consent_referral": "consent.referral",
  "person.consent_statistics": "consent.statistics",
  assigned_officer: "case.officer",
  risk: "case.risk",
  acts: "case.acts",
};

const ACT_FIELDS: Record<string, string> = {
  date_from: "act.date_from",
  date_to: "act.date_to",
  place: "act.place",
  narrative: "act.narrative",
  grounds: "act.grounds",
  ground_other: "act.ground_other",
  area: "act.area",
  form: "act.form",
  respondent_type: "act.respondent_type",
  respondent_name: "act.respondent_name",
};

const ACTIVITY_FIELDS: Record<string, string> = {
  kind: "activity.kind",
  title: "activity.title",
  date_from: "activity.date_from",
  date_to: "activity.date_to",
  venue: "activity.venue",
  municipality: "activity.municipality",
  organiser: "activity.organiser",
  trainers: "activity.trainers",
  topics: "activity.topics",
  target_groups: "activity.target_groups",
  format: "activity.format",
  issues_raised: "activity.issues_raised",
  notes: "activity.notes",
  attendance: "attendance.title",
};

const ATTENDANCE_FIELDS: Record<string, string> = {
  community: "attendance.community",
  female: "attendance.female",
  male: "attendance.male",
  other: "attendance.other",
  not_stated: "attendance.not_stated",
};

/** The label of a case form field path (`acts[1].grounds` -> "Alleged act 2 – Grounds"). */
export function caseFieldLabel(path: string, t: Translator): string {
  const act = /^acts\[(\d+)\]\.(\w+)$/.exec(path);
  if (act) {
    const field = ACT_FIELDS[act[2]];
    return t("form.nested", { group: t("act.heading", { n: Number(act[1]) + 1 }), field: field ? t(field) : act[2] });
  }
  const key = CASE_FIELDS[path];
  return key ? t(key) : path;
}

/** The label of an activity form field path; outreach meetings call the venue "place". */
export function activityFieldLabel(path: string, t: Translator, outreach = false): string {
  const row = /^attendance\[(\d+)\]\.(\w+)$/.exec(path);
  if (row) {
    const field = ATTENDANCE_FIELDS[row[2]];
    return t("form.nested", { group: t("attendance.row", { n: Number(row[1]) + 1 }), field: field ? t(field) : row[2] });
  }
  if (outreach && path === "venue") return t("activity.place");
  if (outreach && path === "date_from") return t("activity.date");
  const key = ACTIVITY_FIELDS[path];
  return key ? t(key) : path;
}

// Fields as sync names them (conflicts and rejected records of an import): a case's own fields are
// the form's plus its status; acts, timeline entries, tasks and activities are records of their own.
const SYNC_CASE_FIELDS: Record<string, string> = {
  ...CASE_FIELDS,
  status: "case.status",
  close_reason: "transition.close_reason",
  number: "case.number",
  municipality: "profile.municipality",
};

const SYNC_ACT_FIELDS: Record<string, string> = { ...ACT_FIELDS, position: "sync.field.position" };

const ENTRY_FIELDS: Record<string, string> = {
  kind: "timeline.type",
  action_type: "timeline.actions",
  occurred_on: "timeline.date",
  text: "sync.field.text",
  corrects: "timeline.corrected",
  author: "sync.field.author",
  status_from: "case.status",
  status_to: "case.status",
};

const TASK_FIELDS: Record<string, string> = { title: "task.what", due: "task.due", assignee: "task.assignee" };

/** The pseudo-field of a record deleted on one device while edited on another. */
export const DELETED = "$deleted";

/** The label of a field of a synced record (`kind`: case, act, entry, task, activity). */
export function recordFieldLabel(kind: string, field: string, t: Translator): string {
  const table: Record<string, Record<string, string>> = {
    case: SYNC_CASE_FIELDS,
    act: SYNC_ACT_FIELDS,
    entry: ENTRY_FIELDS,
    task: TASK_FIELDS,
    activity: ACTIVITY_FIELDS,
  };
  // A validation path inside an activity (`attendance[0].female`) or a case (`acts[1].grounds`).
  if (kind === "activity" && field.startsWith("attendance[")) return activityFieldLabel(field, t);
  if (kind === "case" && field.startsWith("acts[")) return caseFieldLabel(field, t);
  const key = field === DELETED ? "sync.field.deleted" : table[kind]?.[field];
  const name = key ? t(key) : field;
  // A part of a case is named with its kind: "Alleged act – Grounds", "Task – Due date".
  return kind === "act" || kind === "entry" || kind === "task"
    ? t("form.nested", { group: t(`sync.kind.${kind}`), field: name })
    : name;
}
