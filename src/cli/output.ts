import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Output format chosen by --json / --csv (human table otherwise). */
export type Format = "table" | "json" | "csv";

export function formatOf(opts: { json?: boolean; csv?: boolean }): Format {
  if (opts.json && opts.csv) throw new UsageError("--json and --csv cannot be used together");
  return opts.json ? "json" : opts.csv ? "csv" : "table";
}

/** A command-line usage error (bad flag value): printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Writes text to stdout, or atomically to a file (temp file + rename), so a failure never leaves
 * a partial output file behind.
 */
export function emit(text: string, outFile?: string): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (!outFile) {
    process.stdout.write(body);
    return;
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, outFile);
}

export function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

/** Parses a positive integer flag; throws UsageError naming the flag. */
export function positiveInt(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new UsageError(`${flag} must be a positive integer, got "${raw}"`);
    return v;
  };
}

export function nonNegativeInt(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0) throw new UsageError(`${flag} must be a non-negative integer, got "${raw}"`);
    return v;
  };
}
