import type { SoftwareUsed } from "../spec/software-spec.js";
import type { Bound } from "../cost/contract.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";
import type { GraphCost } from "./evaluate-graph.js";
import type { SpeculativeOptions, SpeculativeResult } from "./speculative-decoding.js";

/** What to estimate: a model, its precision and shapes, and the layout it runs on (estimate-inference.ts). */
export interface InferenceRequest {
  model: ModelSpec;
  precision: Precision;
  batch: number;
  input_tokens: number;
  output_tokens: number;
  image_size?: number;
  chips: number;
  tp: number;
  pp: number;
  /** Expert parallelism over data-parallel replicas (MoE; default 1). */
  ep?: number;
  /** Context parallelism: the prompt and KV cache split over cp ranks (default 1). */
  cp?: number;
  /** The system the chips sit in; required when tp·pp·ep·cp > 1 (prices the collectives). */
  system?: System;
  /** Search the largest batch and context that fit (default true; off in tight sweeps). */
  fit_search?: boolean;
  /** Speculative decoding (speculative-decoding.ts); absent = plain one-token decode steps. */
  speculative?: SpeculativeOptions;
  /**
   * Share of each engine iteration (the prefill pass, every decode step) during which the chips
   * compute, in (0, 1]; the rest they wait on the host (HTTP server, scheduler, sampling and output
   * processing) at idle power (inference-host-gaps.ts). Default 1: no host gaps. A serving-stack
   * property: the caller says which engine and version it stands for.
   */
  engine_gpu_busy_fraction?: number;
}

export interface PhaseResult {
  time_s: number;
  flops: number;
  bytes: number;
  bound: Bound;
  energy_j?: number;
  /** Tensor- and pipeline-parallel communication inside the phase, s. */
  comm_s?: number;
  /** Time inside the phase the chips wait on the host (engine_gpu_busy_fraction < 1), s. */
  host_s?: number;
}

export interface InferenceEstimate {
  kind: "inference";
  model: string;
  chip: string;
  chips: number;
  tp: number;
  pp: number;
  ep: number;
  cp: number;
  replicas: number;
  batch_per_replica: number;
  /** Prefill of the whole batch. */
  ttft_s: number;
  /** Mean time per output token of one sequence (decode step time). */
  tpot_s: number;
  e2e_latency_s: number;
  /** Aggregate over all chips. */
  output_tokens_per_s: number;
  /** Sequences or images per second, aggregate. */
  samples_per_s: number;
  memory_per_chip_bytes: number;
  memory_breakdown_bytes: { weights: number; kv_cache: number; activations: number; other: number; draft_model?: number };
  memory_capacity_bytes: number;
  fits: boolean;
  /** Bytes missing when it does not fit. */
  shortfall_bytes: number;
  /** Largest total batch (all replicas) that fits at this input + output length (absent when not searched). */
  max_batch_that_fits?: number;
  /** Longest sequence (prompt + output tokens) that fits at this batch, capped at the model's maximum. */
  max_context_that_fits?: number;
  energy_j?: number;
  energy_per_output_token_j?: number;
  /** Mean power of all chips over the run, W. */
  average_power_w?: number;
  /** Cloud price of the chips over the run per million output tokens (from the chip's $/hour). */
  usd_per_million_tokens?: number;
  bound: Bound;
  phases: { prefill: PhaseResult; decode?: PhaseResult & { steps: number } };
  /** Collectives of one pass: all-reduces per decoder layer, total per pass (tp > 1). */
  communication?: { tp_collectives_per_layer: number; tp_collectives_per_pass: number; system: string };
  /** The prefill graph evaluation (sharded ops of one chip), for per-op breakdowns. */
  prefill_detail: GraphCost;
  /**
   * Requested and executed precision (they differ when the chip lacks the math dtype), and the share
   * of each phase's time that on-the-fly weight dequantisation adds (t / t_without_dequant − 1).
   */
  precision: { requested: string; executed: string; fallback: boolean; dequant_time_fraction?: { prefill: number; decode?: number } };
  speculative?: SpeculativeResult;
  warnings: string[];
  /** The software stack the estimate assumed (set by the application layer: catalog/software presets). */
  software?: SoftwareUsed;
}
