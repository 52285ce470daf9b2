import { error, XpusimError } from "../../../core/diagnostics/diagnostic.js";

/**
 * A whole-number input of a planner view: empty → undefined (the job's default applies), else a
 * positive integer, or an error naming the field (shown with its path, as the CLI would).
 */
export function positiveWhole(text: string, field: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1) throw new XpusimError(error("E_SCHEMA", field, `${field} must be a positive whole number`, { expected: "an integer ≥ 1", got: JSON.stringify(t) }));
  return n;
}

/** A comma-separated list of names (empty entries dropped). */
export const nameList = (text: string): string[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
