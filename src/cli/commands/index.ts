/** Every CLI command, registered in the order `xpusim --help` lists them. */
import type { Command } from "commander";
import { registerChipsCommand } from "./chips.js";
import { registerCollectiveCommand } from "./collective.js";
import { registerCompareCommand } from "./compare.js";
import { registerEstimateCommand } from "./estimate.js";
import { registerModelsCommand } from "./models.js";
import { registerOpCommand } from "./op.js";
import { registerRunCommand } from "./run.js";
import { registerServeCommand } from "./serve.js";
import { registerSystolicCommand } from "./systolic.js";
import { registerValidateCommand } from "./validate.js";

export function registerCommands(program: Command): void {
  registerChipsCommand(program);
  registerModelsCommand(program);
  registerOpCommand(program);
  registerRunCommand(program);
  registerCompareCommand(program);
  registerEstimateCommand(program);
  registerServeCommand(program);
  registerValidateCommand(program);
  registerCollectiveCommand(program);
  registerSystolicCommand(program);
}
