#!/usr/bin/env node
/**
 * xpusim command-line entry. Each command lives in src/cli/commands/<name>.ts and registers itself
 * on the commander program; this file loads only the command the command line names (every
 * command for the top-level help; nothing at all for --version) and turns failures into clear
 * messages and exit codes (see EXIT_* in output.ts):
 *   bad input (XpusimError)  → diagnostics on stderr, exit 1
 *   bad flags (UsageError)   → message + hint on stderr, exit 2
 *   infeasible answer        → the answer as usual, exit 3 (the command calls reportInfeasible)
 *   anything else            → "internal error", exit 70 (stack with XPUSIM_DEBUG=1)
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { formatDiagnostic, XpusimError } from "../core/diagnostics/diagnostic.js";
import { preloadSpecSupport } from "../node/spec-support-loader.js";
import { calibrationLine, clearCalibration, startCalibration } from "./calibration-note.js";
import { COMMANDS, loadCommands } from "./commands/index.js";
import { EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, guardStdout, InfeasibleResult, takeResultExitCode, UsageError } from "./output.js";
import { VERSION } from "./version.js";

export const EXIT_CODES_HELP = `
Exit codes:
  0   ok (also when the reader of a pipe closes it early, as in \`xpusim ... | head\`)
  1   bad input: an invalid spec file or scenario, an unknown id, or a file that cannot be
      read or written
  2   usage error: unknown command or option, missing argument, a flag value that does not parse
  3   infeasible: the answer is "does not fit" (estimate, run, train), "no layout fits"
      (train --search), "no chip could run" (compare), "cannot serve" (serve) or "nothing
      meets the SLO" (plan serve); the answer is still printed
  70  internal error (please report it; XPUSIM_DEBUG=1 prints the stack)`;

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    process.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  takeResultExitCode();
  clearCalibration();
  try {
    const names = commandsNamedIn(argv);
    // commander and the command's chunk load side by side.
    const [program, registrars] = await Promise.all([newProgram(), loadCommands(names), needsSpecParsersFirst(argv, names) ? preloadSpecSupport() : undefined]);
    for (const register of registrars) register(program);
    await program.parseAsync(argv, { from: "user" });
    writeCalibrationLine(argv);
    return takeResultExitCode();
  } catch (e) {
    takeResultExitCode();
    // An infeasible answer was printed as usual: it was computed with the overlay too.
    if (e instanceof InfeasibleResult) writeCalibrationLine(argv);
    return reportFailure(e);
  }
}

/** Text output ends with a line naming the calibration overlay in use (JSON and CSV carry it as data, or not at all). */
function writeCalibrationLine(argv: readonly string[]): void {
  const note = calibrationLine();
  if (note && !argv.includes("--json") && !argv.includes("--csv")) process.stdout.write(`\n${note}\n`);
}

async function newProgram(): Promise<Command> {
  const { Command } = await import("commander");
  return new Command()
    .name("xpusim")
    .description("Simulate AI chips: how fast, how much memory, power, energy and money, and why.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .option("--calibration <file>", "apply a calibration overlay written by `xpusim calibrate --out` on top of the built-in catalog (docs/calibrate.md)")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .hook("preAction", (program, action) => startCalibration(program.opts<{ calibration?: string }>().calibration, topCommandName(program, action)));
}

/** The command directly under the program that `action` belongs to (`op` for `op gemm`). */
function topCommandName(program: Command, action: Command): string {
  let c = action;
  while (c.parent && c.parent !== program) c = c.parent;
  return c.name();
}

/** The one command the command line names, or undefined (top-level help, `help`, unknown names: load all). */
function commandsNamedIn(argv: readonly string[]): string[] | undefined {
  const first = argv.find((a) => !a.startsWith("-"));
  return first !== undefined && COMMANDS.some((c) => c.name === first) ? [first] : undefined;
}

/**
 * Where Node cannot load the spec parsers synchronously on first use (require of ES modules, Node
 * < 20.19), they are loaded up front for commands that read files and command lines naming one.
 */
function needsSpecParsersFirst(argv: readonly string[], names: readonly string[] | undefined): boolean {
  if ((process.features as { require_module?: boolean }).require_module) return false;
  if (names?.some((n) => COMMANDS.find((c) => c.name === n)?.readsFiles)) return true;
  return argv.some((a) => a.split(",").some((p) => /\.(ya?ml|json)$/i.test(p) || (!p.startsWith("-") && existsSync(p))));
}

const isCommanderError = (e: unknown): e is { code: string } =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" && (e as { code: string }).code.startsWith("commander.");

export function reportFailure(e: unknown): number {
  if (isCommanderError(e)) {
    // Help and version are "errors" in commander's exit-override mode.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT_OK;
    return EXIT_USAGE;
  }
  if (e instanceof XpusimError) {
    process.stderr.write(`${e.diagnostics.map(formatDiagnostic).join("\n")}\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof InfeasibleResult) {
    process.stderr.write(`infeasible: ${e.message}\n`);
    return EXIT_INFEASIBLE;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ""}`);
    return EXIT_USAGE;
  }
  const err = e as Error;
  process.stderr.write(`internal error: ${err?.message ?? String(e)}\n  please report it with the command line that caused it.\n`);
  if (process.env.XPUSIM_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  return EXIT_INTERNAL;
}

/** Runs xpusim as a program: stdout failures handled (see guardStdout), exit code set. */
export async function cli(argv: string[] = process.argv.slice(2)): Promise<void> {
  guardStdout();
  process.exitCode = await main(argv);
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isEntry) void cli();
