// The only module that talks to the Tauri backend. Every call goes through `call`, which turns
// the backend's `{code, message, fields}` errors into `BackendError`, so views never parse strings.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  ActivityDetail, ActivityDraft, ActivityFilter, ActivityPage, AppState, CaseDetail, CaseDraft,
  CaseFilter, CasePage, ConflictView, DueTask, EnrolmentView, EntryDraft, ErrorCode, Exported, FieldError,
  ImportReport, InstitutionDraft, InstitutionView, LetterIssued, LetterLang, Letterhead, ProfileDraft, Reference,
  ReferralDraft, ReferralRow, ReferralUpdate, RegistryDevice, RegistryFileView, RegistryImported, Saved, Stats,
  SyncOverview, SyncStep, TaskDraft, TemplateStatus, Transition, Dashboard, ReportExported, ReportFormat,
  ReportRequest, ReportView,
} from "./types";

export class BackendError extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public fields: FieldError[] = [],
  ) {
    super(message);
  }
  /** The error of one field (`person.name`, `acts[0].grounds`), if any. */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.field === path)?.code;
  }
}

export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (e && typeof e === "object" && "code" in e) {
    const o = e as { code: ErrorCode; message?: string; fields?: FieldError[] };
    return new BackendError(o.code, o.message ?? o.code, o.fields ?? []);
  }
  return new BackendError("internal", String(e));
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toBackendError(e);
  }
}

/** A command that answers with raw bytes (a Tauri `ipc::Response`: an ArrayBuffer). */
async function callBytes(cmd: string, args?: Record<string, unknown>): Promise<Uint8Array> {
  const out = await call<ArrayBuffer | number[]>(cmd, args);
  return out instanceof ArrayBuffer ? new Uint8Array(out) : Uint8Array.from(out ?? []);
}

export const backend = {
  appState: () => call<AppState>("app_state"),
  setup: (profile: ProfileDraft, passphrase: string, confirmation: string) =>
    call<AppState>("setup", { profile, passphrase, confirmation }),
  unlock: (passphrase: string) => call<AppState>("unlock", { passphrase }),
  lock: () => call<AppState>("lock"),
  setLanguage: (lang: string) => call<AppState>("set_language", { lang }),
  updateProfile: (office: string, officer: string) => call<AppState>("profile_update", { office, officer }),
  reference: () => call<Reference>("reference"),
  stats: () => call<Stats>("stats"),
  officers: () => call<string[]>("officers"),

  listCases: (filter: CaseFilter) => call<CasePage>("cases_list", { filter }),
  getCase: (id: string) => call<CaseDetail>("case_get", { id }),
  createCase: (draft: CaseDraft) => call<CaseDetail>("case_create", { draft }),
  updateCase: (id: string, draft: CaseDraft) => call<CaseDetail>("case_update", { id, draft }),
  transition: (id: string, transition: Transition) => call<CaseDetail>("case_transition", { id, transition }),
  addEntry: (caseId: string, entry: EntryDraft) => call<CaseDetail>("timeline_add", { caseId, entry }),
  addTask: (caseId: string, task: TaskDraft) => call<CaseDetail>("task_add", { caseId, task }),
  completeTask: (taskId: string) => call<CaseDetail>("task_complete", { taskId }),
  dueTasks: (days: number) => call<DueTask[]>("tasks_due", { days }),

  listActivities: (filter: ActivityFilter) => call<ActivityPage>("activities_list", { filter }),
  getActivity: (id: string) => call<ActivityDetail>("activity_get", { id }),
  saveActivity: (id: string | null, draft: ActivityDraft) => call<ActivityDetail>("activity_save", { id, draft }),

  institutions: () => call<InstitutionView[]>("institutions"),
  /** Adds one of the unit's own institutions (`id` null) or edits one. */
  saveInstitution: (id: string | null, draft: InstitutionDraft) => call<InstitutionView>("institution_save", { id, draft }),
  createReferral: (caseId: string, draft: ReferralDraft) => call<CaseDetail>("referral_create", { caseId, draft }),
  /** Records on the case that the person consents to referral. */
  recordReferralConsent: (caseId: string) => call<CaseDetail>("referral_consent", { caseId }),
  updateReferral: (id: string, update: ReferralUpdate) => call<CaseDetail>("referral_update", { id, update }),
  referralsAwaiting: (days: number) => call<ReferralRow[]>("referrals_awaiting", { days }),
  /** The letter as a PDF, not recorded (the preview). */
  letterPreview: (id: string, lang: LetterLang) => callBytes("letter_preview", { id, lang }),
  /** Records the letter on the case's timeline (its hash); with `path`, also writes the PDF there. */
  issueLetter: (id: string, lang: LetterLang, path: string | null) => call<LetterIssued>("letter_issue", { id, lang, path }),
  /** A letter this office issued, exactly as it was; with `path`, also writes a copy there. */
  issuedLetter: (sha256: string, path: string | null = null) => callBytes("letter_issued", { sha256, path }),
  letterTemplates: () => call<TemplateStatus>("letter_templates"),
  letterhead: () => call<Letterhead>("letterhead_get"),
  saveLetterhead: (settings: Letterhead) => call<Letterhead>("letterhead_save", { settings }),
  /** Sets the logo from a PNG file (or removes it, with null). */
  setLogo: (path: string | null) => call<Letterhead>("letterhead_logo", { path }),
  /** The logo's PNG bytes; empty when there is none. */
  logo: () => callBytes("letterhead_logo_get"),

  /** The home screen's figures. */
  dashboard: () => call<Dashboard>("dashboard"),
  /** A period report with its tables labelled in the report's language. */
  report: (request: ReportRequest) => call<ReportView>("report", { request }),
  /** The report as PDF bytes, for the preview (nothing written). */
  reportPdf: (request: ReportRequest) => callBytes("report_pdf", { request }),
  /** Writes the report to `path` (CSV to a path ending in .zip: a zip of CSV files). */
  reportExport: (request: ReportRequest, format: ReportFormat, path: string) =>
    call<ReportExported>("report_export", { request, format, path }),
  /** The smallest count of people shown in a report for sharing. */
  reportThreshold: () => call<number>("report_threshold"),
  reportThresholdSave: (threshold: number) => call<number>("report_threshold_save", { threshold }),

  syncOverview: () => call<SyncOverview>("sync_overview"),
  conflictCount: () => call<number>("sync_conflict_count"),
  conflicts: () => call<ConflictView[]>("sync_conflicts"),
  /** Keeps one candidate (`choice`: its `change`, or "delete"/"restore"); returns the conflicts still open. */
  resolveConflict: (record: string, field: string, choice: string) =>
    call<ConflictView[]>("sync_resolve", { record, field, choice }),
  exportBundle: (to: string, full: boolean, path: string, defaultName: string, onStep: (s: SyncStep) => void) =>
    call<Exported>("sync_export", { to, full, path, defaultName, onProgress: channel(onStep) }),
  previewBundle: (path: string, onStep: (s: SyncStep) => void) =>
    call<ImportReport>("sync_preview", { path, onProgress: channel(onStep) }),
  importBundle: (path: string, onStep: (s: SyncStep) => void) =>
    call<ImportReport>("sync_import", { path, onProgress: channel(onStep) }),
  saveEnrolment: (path: string, defaultName: string) => call<Saved>("sync_enrolment_save", { path, defaultName }),
  readEnrolment: (path: string) => call<EnrolmentView>("sync_enrolment_read", { path }),
  approve: (path: string, fingerprint: string) => call<Omit<RegistryDevice, "fingerprint">>("sync_approve", { path, fingerprint }),
  revoke: (device: string, reason: string) => call<Omit<RegistryDevice, "fingerprint">>("sync_revoke", { device, reason }),
  saveRegistry: (path: string, defaultName: string) => call<Saved>("sync_registry_save", { path, defaultName }),
  readRegistry: (path: string) => call<RegistryFileView>("sync_registry_read", { path }),
  /** `fingerprint`: the central office's, as confirmed by the user (needed the first time). */
  importRegistry: (path: string, fingerprint: string | null) =>
    call<RegistryImported>("sync_registry_import", { path, fingerprint }),
};

/** A channel the backend reports the steps of a long operation through. */
function channel(onStep: (s: SyncStep) => void): Channel<SyncStep> {
  const c = new Channel<SyncStep>();
  c.onmessage = onStep;
  return c;
}
