/**
 * Node-side wiring of the engine: catalog and file lookups injected into the browser-safe core
 * (scenario runner, validation harness).
 */
import { dirname, isAbsolute, resolve } from "node:path";
import type { CostContext } from "../core/cost/contract.js";
import type { ScenarioResolvers } from "../core/estimate/run-scenario.js";
import type { Chip } from "../core/hardware/chip.js";
import { chipFromObject, findChipByAlias, loadChip } from "./chip-catalog.js";
import { efficiencyFor } from "./family-catalog.js";
import { loadModel, modelFromObject } from "./model-catalog.js";
import { defaultSystemFor, loadSystem, systemFromObject } from "./system-catalog.js";

const contexts = new WeakMap<Chip, CostContext>();

/** The cost context of a chip: the chip and its family's efficiency parameters with its overrides. */
export function contextFor(chip: Chip): CostContext {
  const cached = contexts.get(chip);
  if (cached) return cached;
  const ctx: CostContext = { chip, efficiency: efficiencyFor(chip) };
  contexts.set(chip, ctx);
  return ctx;
}

/** Resolves relative paths in a scenario file against the scenario's folder. */
export function scenarioResolvers(scenarioFile?: string): ScenarioResolvers {
  const base = scenarioFile ? dirname(scenarioFile) : process.cwd();
  const path = (p: string) => (/\.(ya?ml|json)$/i.test(p) && !isAbsolute(p) ? resolve(base, p) : p);
  return {
    chip: (ref) => (typeof ref === "string" ? loadChip(path(ref)) : chipFromObject(ref, scenarioFile)),
    model: (ref) => (typeof ref === "string" ? loadModel(path(ref)) : modelFromObject(ref, scenarioFile)),
    context: contextFor,
    system: (ref, chip, count) =>
      ref === undefined ? defaultSystemFor(chip, count) : typeof ref === "string" ? loadSystem(path(ref)) : systemFromObject(ref, scenarioFile),
  };
}

export { findChipByAlias };
