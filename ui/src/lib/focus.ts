// Moving the keyboard focus to what a failed save is about.
import { tick } from "svelte";
import { fieldId } from "./errors";

/** After the view re-renders, focuses (and scrolls to) the control of the first field error shown,
 * or else the element `fallback` selects. */
export async function focusFirstError(fallback: string): Promise<void> {
  await tick();
  const first = document.querySelector<HTMLElement>("[data-error-for]");
  const target = first ? document.getElementById(fieldId(first.dataset.errorFor ?? "")) : null;
  const el = target ?? document.querySelector<HTMLElement>(fallback);
  el?.scrollIntoView({ block: "center" });
  el?.focus();
}
