// The native file dialogs (Tauri's dialog plugin). Each returns the chosen path, or null when the
// user cancelled; the Sync screen also lets the user type or paste a path instead.
import { open, save } from "@tauri-apps/plugin-dialog";

export interface FileKind {
  /** The filter's name in the dialog ("Rightsdesk bundle"). */
  name: string;
  /** Extensions without the dot. */
  extensions: string[];
}

/** Asks where to save a file; `defaultPath` is a file name or a full path. */
export async function chooseSave(title: string, kind: FileKind, defaultPath: string): Promise<string | null> {
  const path = await save({ title, defaultPath, filters: [kind, { name: "*", extensions: ["*"] }] });
  return path ?? null;
}

/** Asks for a file to open. */
export async function chooseOpen(title: string, kind: FileKind, defaultPath?: string): Promise<string | null> {
  const path = await open({
    title,
    multiple: false,
    directory: false,
    defaultPath: defaultPath || undefined,
    filters: [kind, { name: "*", extensions: ["*"] }],
  });
  return typeof path === "string" ? path : null;
}
