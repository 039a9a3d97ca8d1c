// The institution directory (built in, and the unit's own), read once per session and re-read
// after the unit adds or edits one. Names are shown in the interface language.
import { backend } from "./backend";
import { lang } from "./i18n.svelte";
import { institutionName, labelIn } from "./referrals";
import type { InstitutionView, Labels } from "./types";

export const directory = $state({
  list: [] as InstitutionView[],
  loaded: false,
  /** Why the directory could not be read (a message), if it could not. */
  error: null as unknown,
});

let pending: Promise<void> | null = null;

/** Reads the directory (once; again with `force`). Failures leave the last list. */
export function loadInstitutions(force = false): Promise<void> {
  if (directory.loaded && !force) return Promise.resolve();
  if (pending && !force) return pending;
  pending = backend
    .institutions()
    .then((list) => {
      directory.list = list;
      directory.loaded = true;
      directory.error = null;
    })
    .catch((e) => {
      directory.error = e;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Puts a saved institution into the list (added or edited). */
export function remember(saved: InstitutionView): void {
  const i = directory.list.findIndex((x) => x.id === saved.id);
  if (i >= 0) directory.list[i] = saved;
  else directory.list.push(saved);
}

/** The name of an institution (code or id) in the interface language. */
export function institutionLabel(id: string): string {
  return institutionName(directory.list, id, lang());
}

/** Labels in the interface language (English, then any, as fallback). */
export function inLang(labels: Labels | null | undefined): string {
  return labelIn(labels, lang());
}
