import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, type Stats, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import { withCalibrationField } from "./calibration-note.js";

/**
 * Exit codes of every command (documented in README.md and `xpusim --help`):
 * ok; bad input (an XpusimError: invalid spec, flag value or id, a file that cannot be read or
 * written); usage (unknown command or flag, a UsageError); infeasible (the answer is "does not fit",
 * "nothing meets the SLO", "no chip could run": printed as usual, then exit 3); internal error.
 */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_INFEASIBLE = 3;
export const EXIT_INTERNAL = 70;

let resultExitCode = EXIT_OK;

/**
 * Marks this command's answer as infeasible (nothing fits, nothing meets the SLO, no chip could
 * run): the command prints its answer as usual and xpusim exits with EXIT_INFEASIBLE.
 */
export function reportInfeasible(): void {
  resultExitCode = EXIT_INFEASIBLE;
}

/** The exit code the finished command asked for (EXIT_OK unless it reported infeasible); resets it. */
export function takeResultExitCode(): number {
  const code = resultExitCode;
  resultExitCode = EXIT_OK;
  return code;
}

/**
 * Makes failed writes to stdout end the program cleanly: a reader that closed the pipe early
 * (`xpusim ... | head`) ends it quietly with EXIT_OK; any other failure (a full disk, an I/O error)
 * is reported on stderr and exits EXIT_BAD_INPUT, never 0. No stack trace either way.
 */
export function guardStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT_OK);
    process.stderr.write(`error: cannot write to standard output (${ioReason(e)})\n`);
    process.exit(EXIT_BAD_INPUT);
  });
}

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
 * Writes text to stdout or to a file. A new file or an existing regular file is written atomically
 * (temp file + rename, keeping the file's mode), so a failure never leaves a partial file behind;
 * anything else (a symlink, a pipe, a device such as /dev/stdout or /dev/null) is written through,
 * never replaced. Write errors (e.g. ENOSPC on /dev/full) become a clear E_IO diagnostic.
 */
export function emit(text: string, outFile?: string): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (!outFile) {
    process.stdout.write(body);
    return;
  }
  const existing = lstatOrUndefined(outFile);
  if (existing && !existing.isFile()) {
    try {
      writeFileSync(outFile, body);
    } catch (e) {
      throw outputFileError(e, outFile);
    }
    return;
  }
  replaceAtomically(outFile, body, existing);
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined; // missing (or unreachable: the write below reports why)
  }
}

function replaceAtomically(outFile: string, body: string, existing: Stats | undefined): void {
  const tmp = `${outFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(tmp, body);
    if (existing) chmodSync(tmp, existing.mode & 0o7777);
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

const IO_REASONS: Record<string, string> = {
  ENOTDIR: "a parent of it is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
};

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return (code && IO_REASONS[code] ? `${IO_REASONS[code]}, ${code}` : code) ?? String(e);
}

/** A failure to write an output file (-o), as a diagnostic naming the file instead of an internal error. */
export function outputFileError(e: unknown, file: string): XpusimError {
  return new XpusimError(error("E_IO", "", `cannot write the output file (${ioReason(e)})`, { file, hint: "check the -o/--out path" }));
}

/** A result as JSON; with a calibration overlay in use, a result object gains its `calibration` field. */
export function json(value: unknown): string {
  return JSON.stringify(withCalibrationField(value), (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
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

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 };

/** A count with an optional decimal suffix: 15T, 300B, 2.5e12. */
export function parseCount(flag: string) {
  return (raw: string): number => {
    const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbgtp])?\s*$/i.exec(raw);
    const v = m ? Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()]! : 1) : Number.NaN;
    // Bounded like the integer flags, so products (tokens × price × …) stay finite.
    if (!Number.isFinite(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER) throw new UsageError(`${flag} must be a positive number up to ${Number.MAX_SAFE_INTEGER} (suffixes k, M, B, T allowed), got "${raw}"`, `e.g. ${flag} 15T`);
    return v;
  };
}

export function positiveNumber(flag: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER) throw new UsageError(`${flag} must be a positive number up to ${Number.MAX_SAFE_INTEGER}, got "${raw}"`);
    return v;
  };
}

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
