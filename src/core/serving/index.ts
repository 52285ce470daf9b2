/** Request-level serving simulator (issue #4): public API. Browser-safe. */
export { type ServingRequest, sortByArrival } from "./request.js";
export { createRng, type Rng } from "./random.js";
export { generateWorkload, parseWorkloadSpec, workloadSpecSchema, type WorkloadSpec, type WorkloadSpecInput, type LengthDist, type ArrivalProcess } from "./workload-gen.js";
export { parseTrace } from "./trace.js";
export {
  servingConfigSchema,
  servingPreset,
  resolveServingConfig,
  ENGINE_PRESETS,
  SCHEDULING_POLICIES,
  type ServingConfig,
  type ServingConfigInput,
  type EnginePreset,
} from "./serving-config.js";
export { kvCapacity, type KvCapacity } from "./kv-capacity.js";
export { engineStepCost, type EngineStepCost, type EngineStepCostOptions } from "./step-cost.js";
export { createStepBatch, type StepBatch, type StepCostModel } from "./step-batch.js";
export { linearStepCost, type LinearStepCostParams } from "./linear-step-cost.js";
export { withHostGap, hostGapOf, hostTimeS, stepWithHostS, type HostGap } from "./host-gap.js";
export { simulate, type SimulationSetup, type SimulationTrace, type PoolSetup } from "./simulator.js";
export { computeMetrics, distribution, type ServingMetrics, type Distribution, type Slo, type KvSeries } from "./metrics.js";
export { simulateServing, type ServingResult, type SimulateServingOptions } from "./simulate-serving.js";
export { servingSummary, servingMemoryPerChip, type ServingSummary, type ServingBound } from "./serving-summary.js";
