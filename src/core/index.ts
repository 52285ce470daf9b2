/**
 * xpusim engine, browser-safe public API (`xpusim/core`): specs, hardware and workload models,
 * cost models, estimators and the validation harness. No file access: catalogs and files are
 * loaded by the Node entry (`xpusim`) or passed in as objects.
 */
export * from "./diagnostics/diagnostic.js";
export * from "./units/quantity.js";
export * from "./units/dtype.js";
export { chipSpecSchema, type ChipSpec, type ChipSpecInput } from "./spec/chip-spec.js";
export { scenarioSpec, opSpec, type Scenario, type ScenarioInput, type OpSpec } from "./spec/scenario-spec.js";
export { modelSpecSchema, parseModelSpec, type ModelSpec } from "./spec/model-spec.js";
export { resolveChip } from "./hardware/resolve-chip.js";
export { buildChip, matrixDTypes, type Chip, type MemoryLevel, type Link } from "./hardware/chip.js";
export type * from "./workload/op.js";
export { buildWorkload, modelParams, kvCacheBytes, kvCacheBytesPerToken } from "./workload/build-workload.js";
export { opFlops, opMinBytes, opParams } from "./workload/op-metrics.js";
export { isLayerBlock, isRoutedExpert, roleFitsOp, ROLE_OP_KINDS, tensorParallelTreatment, type TensorParallelTreatment } from "./workload/graph-semantics.js";
export { DEFAULT_PRECISION, parsePrecision, formatPrecision, resolvePrecision, type Precision, type PrecisionInput } from "./workload/precision.js";
export { importHfConfig } from "./workload/hf-import.js";
export type { Bound, CostContext, CostModel, OpCost } from "./cost/contract.js";
export { estimateOp, listCostModels } from "./cost/registry.js";
export { evaluateGraph, type GraphCost } from "./estimate/evaluate-graph.js";
export { estimateOpSpec, opFromSpec, type OpEstimate } from "./estimate/estimate-op.js";
export { estimateInference, type InferenceEstimate, type InferenceRequest } from "./estimate/estimate-inference.js";
export { estimateTraining, trainingPricer, type TrainingEstimate, type TrainingPricer, type TrainingRequest } from "./estimate/estimate-training.js";
export { searchTrainingLayouts, type TrainingSearchRequest, type TrainingSearchResult } from "./search/training-search.js";
export * from "./app/index.js";
/** @deprecated the 0.1 name of `Catalog` (what the scenario runner and every job look things up in). */
export type { Catalog as ScenarioResolvers } from "./app/catalog.js";
export { runValidation, validatePoint, type ValidationSummary, type ValidationResult } from "./validate/run-validation.js";
export { measuredFileSchema, type MeasuredPoint } from "./validate/measured-point.js";
export * as systolic from "./systolic/index.js";
export { estimateCollective, estimateCollectiveOnPlacement, type CollectiveCost } from "./network/estimate-collective.js";
export { buildSystem, type System } from "./network/build-system.js";
export * as serving from "./serving/index.js";
export * as charts from "./charts/index.js";
export * as numerics from "./numerics/index.js";
export * as money from "./money/index.js";
export * as power from "./power/index.js";
export { moneyFileSchema, type MoneyCatalog, type MoneyFile } from "./spec/money-spec.js";
export type { ChipSecurity, ChipSoftware, SoftwareStack } from "./hardware/chip-security.js";
export { parseFamilySpec, resolveFamilyChain, mergeEfficiency, type EfficiencyParams, type FamilySpec } from "./spec/family-spec.js";
/** Spec support (zod validators, YAML parser) for `packedCatalog(bytes, specSupportFromCore)` in a browser. */
export { specSupportFromCore } from "./catalog/spec-support-from-core.js";
