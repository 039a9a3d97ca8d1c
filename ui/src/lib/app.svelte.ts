// Application state: what the backend says about the app (first run, locked, unlocked), the
// reference data, and which view is shown. Navigation is a plain $state value, no router.
import { backend } from "./backend";
import { errorMessage, fieldErrors } from "./errors";
import { setLang, t } from "./i18n.svelte";
import type { ActivityKind, AppState, CaseSort, Profile, Reference } from "./types";

export type View =
  | { name: "home" }
  | { name: "cases" }
  | { name: "case"; id: string }
  | { name: "case_new"; sourceActivity?: string | null }
  | { name: "case_edit"; id: string }
  | { name: "tasks"; section?: "replies" }
  | { name: "activities" }
  | { name: "activity"; id: string }
  | { name: "activity_new"; kind: ActivityKind }
  | { name: "activity_edit"; id: string }
  | { name: "reports" }
  | { name: "sync"; tab?: SyncTab }
  | { name: "settings" };

/** The tabs of the Sync screen. */
export type SyncTab = "exchange" | "conflicts" | "devices" | "trust";

export const app = $state({
  state: null as AppState | null,
  ref: null as Reference | null,
  view: { name: "home" } as View,
  /** Where the user asked to go while a form had unsaved changes ("lock" for the Lock button). */
  pending: null as View | "lock" | null,
  /** A start-up failure (the reference data or app state could not be read). */
  startError: null as string | null,
  /** Open sync conflicts (the badge beside "Sync" in the sidebar). */
  conflicts: 0,
});

/** Re-reads the number of open sync conflicts; a failure leaves the last number. */
export async function refreshConflicts(): Promise<void> {
  try {
    app.conflicts = await backend.conflictCount();
  } catch {
    // Locked or not set up: the badge is not shown then anyway.
  }
}

/** The unit's profile once unlocked. */
export function profile(): Profile | null {
  return app.state?.profile ?? null;
}

/** The case list's search and filters, kept while the user opens a case and comes back. */
export const caseQuery = $state({
  text: "",
  status: "all",
  ground: "",
  area: "",
  community: "",
  officer: "",
  from: "",
  to: "",
  overdue: false,
  sort: "intake_desc" as CaseSort,
  offset: 0,
});

/** The activity list's tab and filters. */
export const activityQuery = $state({
  kind: "all" as ActivityKind | "all",
  text: "",
  municipality: "",
  community: "",
  target_group: "",
  from: "",
  to: "",
  offset: 0,
});

/** The Reports screen's choices, kept while the user visits other screens. */
export const reportQuery = $state({
  /** A preset, or "custom" for the dates typed. */
  preset: "last_month" as string,
  from: "",
  to: "",
  municipalities: [] as string[],
  audience: "export" as "export" | "internal",
  /** The report's language; "" follows the interface. */
  lang: "",
});

/** Opens the case list with only the given filters (from the dashboard). */
export function showCases(filters: Partial<Pick<typeof caseQuery, "status" | "from" | "to" | "overdue">>): void {
  Object.assign(caseQuery, {
    text: "", status: "all", ground: "", area: "", community: "", officer: "", from: "", to: "", overdue: false, offset: 0,
    ...filters,
  });
  go({ name: "cases" });
}

let unsaved: (() => boolean) | null = null;

/** Lets a form say it holds unsaved changes; returns the function that removes the guard. */
export function guardUnsaved(isDirty: () => boolean): () => void {
  unsaved = isDirty;
  return () => {
    if (unsaved === isDirty) unsaved = null;
  };
}

/** Shows `view`, unless a form has unsaved changes: then the user is asked first. */
export function go(view: View): void {
  if (unsaved?.()) {
    app.pending = view;
    return;
  }
  app.view = view;
}

/** The user chose to leave a form without saving. */
export function confirmLeave(): void {
  const pending = app.pending;
  app.pending = null;
  unsaved = null;
  if (pending === "lock") void doLock();
  else if (pending) app.view = pending;
}

export function cancelLeave(): void {
  app.pending = null;
}

export function applyState(s: AppState): void {
  app.state = s;
  setLang(s.lang);
}

/** Reads the reference data and the app state; called once at start. */
export async function start(): Promise<void> {
  app.startError = null;
  try {
    const [ref, s] = await Promise.all([backend.reference(), backend.appState()]);
    app.ref = ref;
    applyState(s);
  } catch (e) {
    app.startError = errorMessage(e, t);
  }
}

async function refreshState(): Promise<void> {
  try {
    applyState(await backend.appState());
  } catch {
    // The caller already shows the original error.
  }
}

/** The message for a failed call; a locked or missing database also brings back its screen. */
export function failed(e: unknown): string {
  const code = e && typeof e === "object" && "code" in e ? (e as { code: string }).code : "";
  if (code === "locked" || code === "not_initialised") void refreshState();
  return errorMessage(e, t);
}

async function doLock(): Promise<void> {
  try {
    applyState(await backend.lock());
  } catch {
    await refreshState();
  }
  app.view = { name: "home" };
}

/** Locks the database (asking first if a form has unsaved changes). */
export function lock(): void {
  if (unsaved?.()) {
    app.pending = "lock";
    return;
  }
  void doLock();
}

/** What reading a file the user chose gave: its content, or why not (a problem with the path
 *  itself is named next to the path box; anything else is a message). */
export interface FileRead<T> {
  value?: T;
  pathError?: string;
  error?: string;
}

/** Reads a chosen file with `read`; an empty path is `required`. */
export async function readChosen<T>(path: string, read: (path: string) => Promise<T>): Promise<FileRead<T>> {
  if (!path.trim()) return { pathError: "required" };
  try {
    return { value: await read(path) };
  } catch (e) {
    const pathError = fieldErrors(e).path;
    return pathError ? { pathError } : { error: failed(e) };
  }
}
