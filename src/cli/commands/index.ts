/** Every CLI command, registered in the order `xpusim --help` lists them. */
import type { Command } from "commander";
import { registerChipsCommand } from "./chips.js";

export function registerCommands(program: Command): void {
  registerChipsCommand(program);
}
