#!/usr/bin/env node
/**
 * xpusim command-line entry. Each command lives in src/cli/commands/<name>.ts and registers itself
 * on the commander program; this file only wires them and turns failures into clear messages:
 *   bad input (XpusimError)  → diagnostics on stderr, exit 1
 *   bad flags (UsageError)   → message + hint on stderr, exit 2
 *   infeasible result        → the result on stdout, the reason on stderr, exit 3 (EXIT_INFEASIBLE)
 *   anything else            → "internal error", exit 70 (stack with XPUSIM_DEBUG=1)
 */
import { Command, CommanderError } from "commander";
import { formatDiagnostic, XpusimError } from "../core/diagnostics/diagnostic.js";
import { registerCommands } from "./commands/index.js";
import { EXIT_INFEASIBLE, InfeasibleResult, UsageError } from "./output.js";
import { VERSION } from "./version.js";

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name("xpusim")
    .description("Simulate AI chips: how fast, how much memory, power, energy and money, and why.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    return reportFailure(e);
  }
}

export function reportFailure(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version are "errors" in commander's exit-override mode.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
    return 2;
  }
  if (e instanceof XpusimError) {
    process.stderr.write(`${e.diagnostics.map(formatDiagnostic).join("\n")}\n`);
    return 1;
  }
  if (e instanceof InfeasibleResult) {
    process.stderr.write(`infeasible: ${e.message}\n`);
    return EXIT_INFEASIBLE;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ""}`);
    return 2;
  }
  const err = e as Error;
  process.stderr.write(`internal error: ${err?.message ?? String(e)}\n  please report it with the command line that caused it.\n`);
  if (process.env.XPUSIM_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
  return 70;
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
