import { type FactorKey, type FactorProvider, INFERENCE_FACTORS, TRAINING_FACTORS, type AssessMode } from "./factor.js";
import { computeFactor } from "./factors/compute.js";
import { costFactor } from "./factors/cost.js";
import { dataTransferFactor } from "./factors/data-transfer.js";
import { deploymentFactor } from "./factors/deployment.js";
import { flexibilityFactor } from "./factors/flexibility.js";
import { latencyFactor } from "./factors/latency.js";
import { memoryFactor } from "./factors/memory.js";
import { powerFactor } from "./factors/power.js";
import { precisionFactor } from "./factors/precision.js";
import { scalabilityFactor } from "./factors/scalability.js";
import { securityFactor } from "./factors/security.js";
import { thermalFactor } from "./factors/thermal.js";
import { throughputFactor } from "./factors/throughput.js";

/** One provider per factor key (factors/<name>.ts). */
export const FACTOR_PROVIDERS: Readonly<Record<FactorKey, FactorProvider>> = {
  compute: computeFactor,
  memory: memoryFactor,
  data_transfer: dataTransferFactor,
  power: powerFactor,
  thermal: thermalFactor,
  precision: precisionFactor,
  flexibility: flexibilityFactor,
  scalability: scalabilityFactor,
  cost: costFactor,
  latency: latencyFactor,
  throughput: throughputFactor,
  security: securityFactor,
  deployment: deploymentFactor,
};

export function factorKeys(mode: AssessMode): readonly FactorKey[] {
  return mode === "training" ? TRAINING_FACTORS : INFERENCE_FACTORS;
}
