/**
 * The Compare view's inputs, as the URL holds them (strings; blank = the job's default). One key per
 * factor weight (`w_<factor>`), so a shared link carries the weights too.
 */
import { INFERENCE_FACTORS, TRAINING_FACTORS, type FactorKey } from "../../../core/app/index.js";

export const ALL_FACTORS: readonly FactorKey[] = [...new Set<FactorKey>([...INFERENCE_FACTORS, ...TRAINING_FACTORS])];

export type WeightKey = `w_${FactorKey}`;
export const weightKey = (f: FactorKey): WeightKey => `w_${f}`;

const WEIGHT_DEFAULTS = Object.fromEntries(ALL_FACTORS.map((f) => [weightKey(f), "1"])) as Record<WeightKey, string>;

export const COMPARE_DEFAULTS = {
  /** "model" (catalog or workspace model) or "op" (one GEMM). */
  source: "model",
  model: "llama-3.1-70b",
  mode: "inference",
  batch: "1",
  input: "2048",
  output: "256",
  seq: "2048",
  /** Training global batch; blank = 8 per chip (the assess job's default). */
  gbatch: "",
  /** Chips the workload runs on (inference: tensor-parallel degree; training: the assessment's count). */
  count: "2",
  chips: "nvidia-h100-sxm,nvidia-a100-sxm-80gb,amd-mi300x",
  m: "4096",
  n: "4096",
  k: "4096",
  dtype: "bf16",
  ...WEIGHT_DEFAULTS,
};

export type CompareState = typeof COMPARE_DEFAULTS;
