// The shapes that cross the IPC boundary. They mirror the Rust types in crates/domain,
// crates/store and crates/app (serde, snake_case fields). Dates are "YYYY-MM-DD", instants RFC 3339.

export type Lang = string; // "en" | "sq" | "sr" | ...
export type Status = "new" | "assessment" | "referred" | "follow_up" | "closed" | "reopened";
export type CloseReason =
  | "resolved" | "referred_completed" | "withdrawn" | "not_discrimination" | "lost_contact" | "other";
export type Risk = "low" | "medium" | "high";
export type Role = "officer" | "coordinator";
export type ActivityKind = "training" | "round_table" | "outreach";
export type EntryKind =
  | "note" | "action" | "correction" | "status_change" | "opened" | "task_added" | "task_done" | "edited"
  | "referred" | "referral_update" | "letter";

export interface Language { code: string; name: string }

export interface Profile {
  device_id: string;
  device_code: string;
  municipality: string;
  office: string;
  officer: string;
  role: Role;
  lang: Lang;
  created_at: string;
}

export interface ProfileDraft {
  municipality: string;
  office: string;
  officer: string;
  role: Role;
  lang: Lang;
}

export interface AppState {
  state: "first_run" | "locked" | "unlocked";
  lang: Lang;
  languages: Language[];
  profile: Profile | null;
  /** The folder the database lives in (shown in settings). */
  data_dir: string;
}

export interface VocabEntry { code: string; prefix?: string; labels: Record<string, string> }
export interface Vocabulary { vocabulary: string; description: string; entries: VocabEntry[] }

export interface Reference {
  /** By name: grounds, areas, forms, communities, genders, age_bands, person_languages, channels,
   * respondent_types, action_types, target_groups, meeting_formats, municipalities. */
  vocab: Record<string, Vocabulary>;
  /** For each status, the statuses a case may move to. */
  transitions: Record<Status, Status[]>;
  statuses: Status[];
  close_reasons: CloseReason[];
  risks: Risk[];
}

export interface Person {
  name: string | null;
  contact: string | null;
  gender: string;
  age_band: string;
  community: string;
  language: string;
  consent_processing: boolean;
  consent_referral: boolean;
  consent_statistics: boolean;
}

export interface Act {
  id: string | null;
  date_from: string | null;
  date_to: string | null;
  place: string;
  narrative: string;
  grounds: string[];
  ground_other: string | null;
  area: string;
  form: string;
  respondent_type: string;
  respondent_name: string;
}

export interface CaseDraft {
  intake_date: string;
  channel: string;
  source_activity: string | null;
  person: Person;
  acts: Act[];
  risk: Risk;
  assigned_officer: string;
}

export interface Case extends CaseDraft {
  id: string;
  number: string;
  municipality: string;
  status: Status;
  close_reason: CloseReason | null;
  created_at: string;
  updated_at: string;
  device_id: string;
}

export interface Entry {
  id: string;
  case_id: string;
  kind: EntryKind;
  action_type: string | null;
  occurred_on: string;
  text: string;
  corrects: string | null;
  status_from: Status | null;
  status_to: Status | null;
  author: string;
  created_at: string;
  device_id: string;
  /** Referral entries only (`referred`, `referral_update`, `letter`): which referral, the status it
   * moved to, the letter issued. */
  referral?: ReferralMark;
}

export interface EntryDraft {
  kind: "note" | "action" | "correction";
  action_type: string | null;
  occurred_on: string;
  text: string;
  corrects: string | null;
}

export interface Task {
  id: string;
  case_id: string;
  title: string;
  due: string;
  assignee: string;
  done_at: string | null;
  done_by: string | null;
  created_at: string;
  device_id: string;
}

export interface TaskDraft { title: string; due: string; assignee: string }

export interface DueTask extends Task { case_number: string; overdue: boolean }

export interface Transition { to: Status; close_reason: CloseReason | null; note: string | null }

export interface LinkedCase { id: string; number: string; status: Status }

export interface CaseDetail {
  case: Case;
  timeline: Entry[];
  tasks: Task[];
  /** Statuses this case may move to now. */
  next: Status[];
  /** The outreach meeting the case was opened at, if any. */
  source_activity: { id: string; title: string; date_from: string; venue: string } | null;
  /** The case's referrals, oldest first. */
  referrals: Referral[];
}

export type CaseSort = "intake_desc" | "intake_asc" | "updated_desc" | "number";

export interface CaseFilter {
  text?: string | null;
  statuses?: Status[];
  ground?: string | null;
  area?: string | null;
  community?: string | null;
  officer?: string | null;
  municipality?: string | null;
  from?: string | null;
  to?: string | null;
  overdue?: boolean;
  sort?: CaseSort;
  offset?: number;
  limit?: number;
}

export interface CaseSummary {
  id: string;
  number: string;
  intake_date: string;
  status: Status;
  person_name: string | null;
  gender: string;
  community: string;
  risk: Risk;
  assigned_officer: string;
  grounds: string[];
  areas: string[];
  open_tasks: number;
  overdue_tasks: number;
}

export interface CasePage { items: CaseSummary[]; total: number }

export interface Counts { female: number; male: number; other: number; not_stated: number }
export interface AttendanceRow extends Counts { community: string }

export interface ActivityDraft {
  kind: ActivityKind;
  title: string;
  date_from: string;
  date_to: string | null;
  venue: string;
  municipality: string;
  organiser: string;
  trainers: string;
  topics: string;
  target_groups: string[];
  format: string | null;
  issues_raised: string;
  notes: string;
  attendance: AttendanceRow[];
}

export interface Activity extends ActivityDraft {
  id: string;
  created_at: string;
  updated_at: string;
  device_id: string;
}

export interface ActivityDetail { activity: Activity; linked_cases: LinkedCase[] }

export interface ActivityFilter {
  text?: string | null;
  kinds?: ActivityKind[];
  municipality?: string | null;
  community?: string | null;
  target_group?: string | null;
  from?: string | null;
  to?: string | null;
  offset?: number;
  limit?: number;
}

export interface ActivitySummary {
  id: string;
  kind: ActivityKind;
  title: string;
  date_from: string;
  date_to: string | null;
  venue: string;
  municipality: string;
  attendance_total: number;
  attendance_female: number;
  communities: string[];
  linked_cases: number;
}

export interface ActivityPage { items: ActivitySummary[]; total: number }

export interface Stats {
  cases: number;
  open_cases: number;
  acts: number;
  timeline_entries: number;
  tasks: number;
  open_tasks: number;
  trainings: number;
  round_tables: number;
  outreach_meetings: number;
}

export interface FieldError { field: string; code: string }

/** Error codes the backend returns (see crates/app/src/error.rs). */
export type ErrorCode =
  | "validation" | "wrong_passphrase" | "not_initialised" | "already_initialised" | "schema_too_new"
  | "database_corrupt" | "disk_full" | "busy" | "locked" | "not_found" | "transition_not_allowed"
  | "io" | "internal"
  // sync (SyncError::code in crates/app/src/sync/mod.rs)
  | "registry_missing" | "not_coordinator" | "device_revoked" | "cannot_revoke_self" | "unknown_peer"
  | "confirm_central" | "own_registry" | "registry_not_from_central" | "bad_enrolment" | "bundle_truncated"
  | "bundle_not_rightsdesk" | "bundle_bad_signature" | "bundle_malformed" | "bundle_too_large" | "bundle_too_deep"
  | "bundle_unknown_version" | "bundle_wrong_document" | "bundle_not_for_us" | "bundle_unknown_signer"
  | "bundle_revoked_signer" | "bundle_own" | "bundle_replayed" | "bundle_older" | "bundle_forked"
  | "bundle_missing_changes" | "bundle_invalid_record" | "bundle_plain_refused"
  // the sync commands' own (src-tauri/src/commands/sync.rs)
  | "file_not_found" | "folder_not_found" | "file_read" | "file_write" | "enrolment_changed"
  // letters: the templates have an error (`letter_templates` says where); a character the fonts lack
  | "letter_template" | "letter_unprintable";

// ---- Referrals, institutions and letters (crates/domain/src/referral.rs, crates/app/src/referrals.rs) ----

export type ReferralStatus = "sent" | "acknowledged" | "answered" | "done" | "rejected" | "revoked";

/** The languages a letter can be written in (`sq+sr-Latn`: Albanian and Serbian side by side). */
export type LetterLang = "sq" | "sr-Latn" | "sr-Cyrl" | "en" | "sq+sr-Latn" | "sq+sr-Cyrl";

export interface ReferralDraft {
  /** A built-in institution's code, or the id of one of the unit's own. */
  institution: string;
  /** Code of the `request_types` vocabulary. */
  request_type: string;
  /** Ids of the case's acts the referral concerns. */
  acts: string[];
  grounds: string[];
  asked: string;
  sent_on: string;
  deadline: string;
  /** "" = the app numbers the letter. */
  protocol: string;
  enclosures: string[];
  /** Why the case is referred without the person's consent to referral. */
  override_reason: string | null;
}

export interface Referral extends ReferralDraft {
  id: string;
  case_id: string;
  status: ReferralStatus;
  acknowledged_on: string | null;
  answered_on: string | null;
  answer: string | null;
  closed_on: string | null;
  author: string;
  created_at: string;
  updated_at: string;
  device_id: string;
}

/** A referral in the list of replies awaited, across cases. */
export interface ReferralRow extends Referral {
  case_number: string;
  /** In the interface language. */
  institution_name: string;
  overdue: boolean;
}

export interface ReferralUpdate { to: ReferralStatus; on: string; text: string | null }

export interface LetterRecord { lang: LetterLang | string; sha256: string; bytes: number; pages: number }

export interface ReferralMark { id: string; status?: ReferralStatus; letter?: LetterRecord }

/** Labels by interface language (`en`, `sq`, `sr`); any may be missing. */
export type Labels = Partial<Record<string, string>>;

export type InstitutionCategory =
  | "ombudsperson" | "court" | "police" | "prosecution" | "good_governance" | "communities_office"
  | "privacy_agency" | "social_work" | "inspectorate" | "legal_aid" | "other";

export interface InstitutionView {
  /** A built-in institution's code, or the id of one of the unit's own (`custom`). */
  id: string;
  custom: boolean;
  category: InstitutionCategory | string;
  name: Labels;
  department: Labels | null;
  address: Labels | null;
  address_verified: boolean;
  salutation: Labels;
}

export interface InstitutionDraft { name: Labels; address: string; category: string }

export interface LetterInfo extends LetterRecord { file_name: string }

export interface LetterIssued { letter: LetterInfo; detail: CaseDetail; path: string | null }

export interface TemplateProblem { file: string; line: number | null; message: string }

export interface TemplateStatus {
  /** Where a coordinator puts edited templates. */
  folder: string;
  /** The edited templates in use. */
  overridden: string[];
  /** Letters cannot be produced while this is set. */
  error: TemplateProblem | null;
}

export interface Letterhead { address: string; contact: string; signer: string; has_logo: boolean }

// ---- Sync between offices (crates/app/src/sync, src-tauri/src/commands/sync.rs) ----

export type DeviceRole = "officer" | "coordinator";
export type RecordKind = "case" | "act" | "entry" | "task" | "activity";

export interface Identity {
  device: string;
  /** Four groups of four characters, to read aloud (`7KQX-M2PA-9R0C-T4VW`). */
  fingerprint: string;
  public_key: string;
  age_recipient: string;
  role: Role;
  municipality: string;
  office: string;
  officer: string;
}

export interface Revocation { at: string; after_seq: number; reason: string }

export interface RegistryDevice {
  device: string;
  key: string;
  age: string;
  municipality: string;
  office: string;
  officer: string;
  role: DeviceRole;
  approved: string;
  revoked: Revocation | null;
  fingerprint: string;
}

export interface RegistryView {
  issuer: string;
  issuer_fingerprint: string;
  version: number;
  issued: string;
  /** Whether this device issues it (the central office's coordinator installation). */
  ours: boolean;
  devices: RegistryDevice[];
}

export interface PeerView {
  device: string;
  office: string;
  officer: string;
  municipality: string;
  role: DeviceRole | null;
  fingerprint: string;
  revoked: Revocation | null;
  received: number;
  last_received_at: string | null;
  last_n: number | null;
  /** Bundles it addressed to this office that have not been imported. */
  missing: number[];
  sent: number;
}

export interface KindCounts { new: number; updated: number; unchanged: number }
export interface ConflictLine { kind: RecordKind; record: string; case_number: string | null; field: string }
export interface Rejection {
  kind: RecordKind | "record";
  record: string;
  field: string;
  /** A stable code: a validation code, `unreadable_value`, `fixed_at_creation`, `refers_to_missing_record`. */
  reason: string;
  detail?: string | null;
}

export interface ImportReport {
  sender: string;
  sender_office: string;
  sender_officer: string;
  sender_municipality: string;
  seq: number;
  n: number;
  created: string;
  scope: "incremental" | "full";
  encrypted: boolean;
  changes: number;
  new_changes: number;
  by_kind: Partial<Record<RecordKind, KindCounts>>;
  conflicts: ConflictLine[];
  rejected: Rejection[];
  registry_updated: boolean;
  /** Bundles from this sender still missing after this one. */
  missing: number[];
  applied: boolean;
}

export interface Received {
  sender: string;
  seq: number;
  n: number;
  created_at: string;
  imported_at: string;
  report: ImportReport | null;
}

export interface Sent { seq: number; recipients: string[]; scope: string; changes: number; created_at: string }

export interface SyncOverview {
  identity: Identity;
  registry: RegistryView | null;
  peers: PeerView[];
  conflicts: number;
  sent: Sent[];
  received: Received[];
}

export interface Exported {
  path: string;
  recipient: string;
  recipient_office: string;
  seq: number;
  n: number;
  changes: number;
  encrypted: boolean;
  hash: string;
  bytes: number;
}

export interface SyncStep { phase: "writing" | "reading" | "checking" | "merging"; done: number; total: number }

export interface Saved { path: string; bytes: number }

export interface EnrolmentView {
  device: string;
  fingerprint: string;
  municipality: string;
  office: string;
  officer: string;
  role: DeviceRole;
  created: string;
  /** Whether the registry already lists this device. */
  known: "approved" | "revoked" | null;
}

export interface RegistryFileView {
  issuer: string;
  fingerprint: string;
  version: number;
  issued: string;
  issuer_office: string;
  issuer_officer: string;
  issuer_municipality: string;
  devices: number;
}

export interface RegistryImported { changed: boolean; registry: RegistryView | null }

export interface CandidateView {
  /** The change that wrote this value (`device:number`): what a resolution names. */
  change: string;
  device: string;
  office: string | null;
  officer: string | null;
  municipality: string | null;
  at: string;
  value: unknown;
  /** For `$deleted`: the field an edit made without seeing the deletion wrote; null for the deletion. */
  field?: string | null;
}

export interface ConflictView {
  record: string;
  kind: RecordKind;
  /** The field, or `$deleted` for a record deleted on one device and edited on another. */
  field: string;
  case_id: string | null;
  case_number: string | null;
  /** An act's place, or an activity's title (or venue). */
  record_label: string | null;
  /** For an act: its place in the case's list, from 1. */
  act_number: number | null;
  /** The value shown meanwhile comes first. */
  candidates: CandidateView[];
}

// ---------------------------------------------------------------------------------------------
// Reports and the dashboard (crates/domain/src/report.rs, crates/app/src/reports.rs and
// reports/export.rs, src-tauri/src/commands/reports.rs).

/** A count as shown: a number, or why it is not shown: `"<5"` (a small count, suppressed) or
 *  `"x"` (hidden so that a small count cannot be worked out from the totals). */
export type Cell = number | string;

/** Whole local days, both ends included. */
export interface Period { from: string; to: string }

export interface Table {
  rows: string[];
  columns: string[];
  /** `cells[row][column]`. */
  cells: Cell[][];
  row_totals: Cell[];
  column_totals: Cell[];
  total: Cell;
}

/** The home screen's figures (every case counted: it never leaves the office). */
export interface Dashboard {
  today: string;
  open_cases: number;
  overdue_tasks: number;
  overdue_replies: number;
  /** The month so far, and the same days of the month before. */
  this_period: Period;
  previous_period: Period;
  opened_this_period: number;
  opened_previous_period: number;
  /** The twelve months the charts cover. */
  chart_period: Period;
  /** `[code, cases]`, most first, zeros left out. */
  by_ground: [string, number][];
  by_area: [string, number][];
  by_community: [string, number][];
  /** Rows `YYYY-MM`, columns activity kinds. */
  activities_by_month: Table;
}

/** Who a report is for: shared outside the office (consent only, small counts suppressed), or
 *  kept inside it (everything counted and shown). */
export type Audience = "export" | "internal";

export interface ReportRequest {
  from: string;
  to: string;
  /** Municipality codes; empty: the unit's own (at a unit) or all (at the central office). */
  municipalities: string[];
  audience: Audience;
  /** The language of the report's labels and files (default: the interface's). */
  lang?: string;
}

export interface Privacy { audience: Audience; threshold: number }

/** A median: a number, `"<5"` (too few to show) or null (nothing to measure). */
export type Figure = number | string | null;

export interface Report {
  format: string;
  period: Period;
  /** The municipalities counted; empty: every municipality in this database. */
  municipalities: string[];
  privacy: Privacy;
  lang: string;
  office: string;
  prepared_on: string;
  cases: {
    opened: Cell;
    referred: Cell;
    closed: Cell;
    left_out_without_consent: number;
    by_ground_community: Table;
    by_area_gender: Table;
    by_status: Table;
  };
  referrals: {
    by_institution: Table;
    institutions: string[];
    replies: Cell;
    median_days_to_reply: Figure;
    median_days_by_institution: Figure[];
  };
  activities: {
    by_kind_target_group: Table;
    participants_by_kind: Table;
    by_month: Table;
    participants: Table;
  };
  /** One sentence for a newsletter, in `lang`. */
  newsletter: string;
}

/** One row of a labelled table: every cell as text. */
export interface LabelledRow {
  label: string;
  cells: string[];
  /** The row's total for a chart bar (null when suppressed). */
  value: number | null;
  /** A total row (bold). */
  total: boolean;
  /** Nothing counted: not shown on screen (the CSV keeps it). */
  empty: boolean;
}

/** A report table labelled in the report's language. */
export interface LabelledTable {
  /** Stable name (the CSV file's name without `.csv`). */
  id: string;
  title: string;
  /** The header of the label column. */
  corner: string;
  columns: string[];
  rows: LabelledRow[];
  note: string;
  /** Whether a bar chart of the rows' totals goes with it. */
  chart: boolean;
  /** How many of `columns` are counts; `columns[counts]` is the total (or the only count). */
  counts: number;
}

export interface ReportView {
  report: Report;
  tables: LabelledTable[];
  privacy_note: string;
  /** A suggested file name without extension. */
  file_stem: string;
}

export type ReportFormat = "pdf" | "csv" | "json";

/** What a report export wrote. */
export interface ReportExported { files: string[]; bytes: number; pages: number | null }
