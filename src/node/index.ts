/**
 * xpusim for Node (`import ... from "xpusim"`): the engine plus the built-in catalogs and file
 * loading. Example:
 *
 *   import { loadChip, loadModel, contextFor, estimateInference, DEFAULT_PRECISION } from "xpusim";
 *   const est = estimateInference({ model: loadModel("llama-3.1-8b"), precision: DEFAULT_PRECISION,
 *     batch: 8, input_tokens: 1024, output_tokens: 128, chips: 1, tp: 1, pp: 1 },
 *     contextFor(loadChip("nvidia-h100-sxm")));
 */
export * from "../core/index.js";
export { loadChip, loadAllChips, chipIds, chipFromObject, findChipByAlias } from "./chip-catalog.js";
export { loadModel, loadAllModels, modelIds, modelFromObject, loadModelDetailed } from "./model-catalog.js";
export { loadFamily, resolveEfficiency, efficiencyFor } from "./family-catalog.js";
export { contextFor } from "./resolvers.js";
/** `scenarioResolvers` is the 0.1 name of `nodeCatalog`. */
export { nodeCatalog, nodeCatalog as scenarioResolvers } from "./node-catalog.js";
export { validationResolvers } from "./validation-resolvers.js";
export { readDocument } from "./read-document.js";
export { loadSystem, loadAllSystems, systemIds, defaultSystemFor } from "./system-catalog.js";
export { loadEnergyCatalog } from "./energy-catalog.js";
export { loadMoneyCatalog } from "./money-catalog.js";
export { readScaleSimConfig, readTopology, runSystolicFiles, systolicRequestFromFiles, writeScaleSimReports, writeSystolicJson } from "./scalesim-files.js";
/** Whether the catalog comes from the compiled artefact (dist/catalog.pack) or from catalog/ directly. */
export { catalogMode } from "./compiled-catalog.js";

import { runScenario, parseAnyScenario, type ScenarioEstimate } from "../core/app/run-scenario.js";
import { nodeCatalog } from "./node-catalog.js";
import { readDocument } from "./read-document.js";

/** Runs a scenario file (YAML/JSON) or object, resolving catalog ids and relative paths. */
export function estimateScenario(fileOrObject: string | Record<string, unknown>): ScenarioEstimate {
  if (typeof fileOrObject === "string") return runScenario(parseAnyScenario(readDocument(fileOrObject), fileOrObject), nodeCatalog(fileOrObject));
  return runScenario(parseAnyScenario(fileOrObject), nodeCatalog());
}
