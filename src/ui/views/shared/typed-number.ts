import type { SpecRef } from "../../../core/app/index.js";

/** Maps a picker's id to what a job takes (`specRef` in the page: the inline spec for a workspace id). */
export type RefOf = (id: string) => SpecRef;
export const byId: RefOf = (id) => id;

/** A typed number, or undefined when blank (the job's default applies); anything else goes to the job, which checks it. */
export function numberOf(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}
