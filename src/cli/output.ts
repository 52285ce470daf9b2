import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";

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
  const tmp = `${outFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(tmp, body);
    renameSync(tmp, outFile);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temp file was never created (its folder could not be made).
    }
    throw outputFileError(e, outFile);
  }
}

/** A failure to write an output file (-o), as a diagnostic naming the file instead of an internal error. */
export function outputFileError(e: unknown, file: string): XpusimError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why = code === "ENOTDIR" ? "a parent of it is a file, not a folder" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a folder" : code ?? String(e);
  return new XpusimError(error("E_IO", "", `cannot write the output file (${why})`, { file, hint: "check the -o/--out path" }));
}

export function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

/** Parses a positive integer flag; throws UsageError naming the flag. */
export function positiveInt(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    // Safe integers only: above 2^53 a double no longer holds every integer (1e20 would pass isInteger).
    if (!Number.isSafeInteger(v) || v <= 0) throw new UsageError(`${flag} must be a positive integer (at most ${Number.MAX_SAFE_INTEGER}), got "${raw}"`);
    return v;
  };
}

export function nonNegativeInt(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`${flag} must be a non-negative integer (at most ${Number.MAX_SAFE_INTEGER}), got "${raw}"`);
    return v;
  };
}

/** Exit code of a command whose result says nothing was feasible (documented with the other codes in main.ts). */
export const EXIT_INFEASIBLE = 3;

/**
 * Thrown by a command after it has printed a result that says nothing is feasible (no chip could
 * run, nothing fits): main prints the reason on stderr and exits with EXIT_INFEASIBLE.
 */
export class InfeasibleResult extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InfeasibleResult";
  }
}
