/** Every CLI command, registered in the order `xpusim --help` lists them. */
import type { Command } from "commander";
import { registerChipsCommand } from "./chips.js";
import { registerCollectiveCommand } from "./collective.js";
import { registerCompareCommand } from "./compare.js";
import { registerEstimateCommand } from "./estimate.js";
import { registerMapCommand } from "./map.js";
import { registerModelsCommand } from "./models.js";
import { registerOpCommand } from "./op.js";
import { registerPlanCommand } from "./plan.js";
import { registerRunCommand } from "./run.js";
import { registerScaleCommand } from "./scale.js";
import { registerServeCommand } from "./serve.js";
import { registerSystolicCommand } from "./systolic.js";
import { registerTrainCommand } from "./train.js";
import { registerValidateCommand } from "./validate.js";

export function registerCommands(program: Command): void {
  registerChipsCommand(program);
  registerModelsCommand(program);
  registerOpCommand(program);
  registerRunCommand(program);
  registerCompareCommand(program);
  registerEstimateCommand(program);
  registerTrainCommand(program);
  registerScaleCommand(program);
  registerServeCommand(program);
  registerPlanCommand(program);
  registerValidateCommand(program);
  registerCollectiveCommand(program);
  registerSystolicCommand(program);
  registerMapCommand(program);
}
