// The only module that talks to the Tauri backend. Every call goes through `call`, which turns
// the backend's `{code, message, fields}` errors into `BackendError`, so views never parse strings.
import { invoke } from "@tauri-apps/api/core";
import type {
  ActivityDetail, ActivityDraft, ActivityFilter, ActivityPage, AppState, CaseDetail, CaseDraft,
  CaseFilter, CasePage, DueTask, EntryDraft, ErrorCode, FieldError, ProfileDraft, Reference, Stats,
  TaskDraft, Transition,
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
};
