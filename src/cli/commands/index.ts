/**
 * Every CLI command, in the order `xpusim --help` lists them. Each is loaded only when the command
 * line names it (all of them for the top-level help), so a command pays only for its own imports.
 * `readsFiles`: the command always reads YAML/JSON files (scenarios, measurements), so the spec
 * parsers are loaded before it runs.
 */
import type { Command } from "commander";

export interface CommandEntry {
  name: string;
  load(): Promise<(program: Command) => void>;
  readsFiles?: boolean;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: "chips", load: async () => (await import("./chips.js")).registerChipsCommand },
  { name: "models", load: async () => (await import("./models.js")).registerModelsCommand },
  { name: "op", load: async () => (await import("./op.js")).registerOpCommand },
  { name: "run", load: async () => (await import("./run.js")).registerRunCommand },
  { name: "compare", load: async () => (await import("./compare.js")).registerCompareCommand },
  { name: "estimate", load: async () => (await import("./estimate.js")).registerEstimateCommand, readsFiles: true },
  { name: "train", load: async () => (await import("./train.js")).registerTrainCommand },
  { name: "scale", load: async () => (await import("./scale.js")).registerScaleCommand },
  { name: "serve", load: async () => (await import("./serve.js")).registerServeCommand },
  { name: "plan", load: async () => (await import("./plan.js")).registerPlanCommand },
  { name: "software", load: async () => (await import("./software.js")).registerSoftwareCommand },
  { name: "validate", load: async () => (await import("./validate.js")).registerValidateCommand, readsFiles: true },
  { name: "calibrate", load: async () => (await import("./calibrate.js")).registerCalibrateCommand, readsFiles: true },
  { name: "collective", load: async () => (await import("./collective.js")).registerCollectiveCommand },
  { name: "systolic", load: async () => (await import("./systolic.js")).registerSystolicCommand },
  { name: "assess", load: async () => (await import("./assess.js")).registerAssessCommand },
  { name: "map", load: async () => (await import("./map.js")).registerMapCommand },
  { name: "report", load: async () => (await import("./report.js")).registerReportCommand },
  { name: "precision", load: async () => (await import("./precision.js")).registerPrecisionCommand },
  { name: "cost", load: async () => (await import("./cost.js")).registerCostCommand },
  { name: "power", load: async () => (await import("./power.js")).registerPowerCommand },
  { name: "routes", load: async () => (await import("./routes.js")).registerRoutesCommand },
  { name: "pipeline", load: async () => (await import("./pipeline.js")).registerPipelineCommand, readsFiles: true },
  { name: "fpga", load: async () => (await import("./fpga.js")).registerFpgaCommand },
  { name: "ui", load: async () => (await import("./ui.js")).registerUiCommand },
];

/** Loads the named commands (every command when `names` is omitted): their registrars, in listing order. */
export function loadCommands(names?: readonly string[]): Promise<Array<(program: Command) => void>> {
  return Promise.all(COMMANDS.filter((c) => !names || names.includes(c.name)).map((c) => c.load()));
}
