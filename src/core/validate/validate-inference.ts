import { estimateInference, type InferenceEstimate } from "../estimate/estimate-inference.js";
import type { System } from "../network/build-system.js";
import { decodeAttentionOf, dtypeOf, executionOf, isAutocast, num, precisionFor } from "./point-config.js";
import { pointSystem, type PointContext, type ValidationResult } from "./validation-result.js";
import { fmtBytes } from "../units/format-bytes.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";

/** What each inference metric reads from the estimate (SI units). */
const INFERENCE_METRICS: Record<string, (e: InferenceEstimate) => number> = {
  throughput: (e) => e.samples_per_s,
  latency_avg: (e) => e.e2e_latency_s,
  latency: (e) => e.e2e_latency_s,
  output_throughput: (e) => e.output_tokens_per_s,
  output_throughput_per_gpu: (e) => e.output_tokens_per_s / e.chips,
  time_to_first_token: (e) => e.ttft_s,
  prefill_latency: (e) => e.ttft_s,
  time_per_output_token: (e) => e.tpot_s,
};

/**
 * An LLM or CNN inference run (categories llm_inference, cnn_inference): the point's chips form one
 * tensor × pipeline group; batch, input and output lengths come from the config.
 */
export function validateInferencePoint(pc: PointContext): ValidationResult {
  const run = inferenceRunOf(pc);
  if (typeof run === "string") return pc.unsupported(run);
  const read = INFERENCE_METRICS[pc.p.metric];
  return read ? pc.ok(read(run.estimate)) : pc.unsupported(`metric "${pc.p.metric}" is not understood for ${pc.p.category}`);
}

/** An inference point's estimate with the model and precision it was made for. */
export interface InferenceRun {
  estimate: InferenceEstimate;
  model: ModelSpec;
  precision: Precision;
}

/**
 * The inference estimate of a point (shared with the power predictor): the point's chips form one
 * tensor × pipeline group; batch, input and output lengths come from the config. A string is the
 * reason it cannot be built.
 */
export function inferenceRunOf(pc: PointContext): InferenceRun | string {
  const { p, cfg, chip } = pc;
  const tp = num(cfg.tp) ?? 1;
  const pp = num(cfg.pp) ?? 1;
  let system: System | undefined;
  if (tp * pp > 1) {
    const sys = pointSystem(pc);
    if (typeof sys === "string") return sys;
    system = sys;
  }
  const model = pc.r.modelByName(p.model, cfg);
  if (typeof model === "string") return model;
  const dt = dtypeOf(cfg) ?? "fp16";
  const precision = precisionFor(dt, cfg);
  if (model.category === "cnn" && isAutocast(cfg) && (dt === "fp16" || dt === "bf16")) {
    // The CNN builder inserts autocast's per-layer weight casts for this precision (builders/cnn.ts).
    precision.weights = "fp32";
    pc.assumptions.push(`AMP (autocast): fp32 weights, each conv/fc weight cast to ${dt} every pass (one extra kernel per layer)`);
  }
  const e = estimateInference(
    {
      model,
      precision,
      batch: num(cfg.batch) ?? 1,
      input_tokens: num(cfg.input_len) ?? num(cfg.context_len) ?? 1,
      output_tokens: num(cfg.output_len) ?? (p.metric === "time_per_output_token" ? num(cfg.tokens_generated) ?? 2 : 1),
      // The point's chips form one tensor/pipeline group (metrics per GPU are divided by its size).
      chips: tp * pp,
      tp,
      pp,
      fit_search: false,
      ...(system ? { system } : {}),
      ...(num(cfg.image) ? { image_size: num(cfg.image)! } : {}),
      ...engineHostOf(pc),
    },
    pc.ctx,
    { execution: executionOf(cfg), decodeAttention: decodeAttentionOf(cfg) },
  );
  if (!e.fits) pc.assumptions.push(`does not fit in ${chip.id} memory as modelled (${fmtBytes(e.memory_per_chip_bytes)})`);
  return { estimate: e, model, precision };
}

/**
 * The host gaps of the serving engine the point names, when the catalog has its version
 * (catalog/validation/serving-engine-host.yaml); the assumption is recorded either way.
 */
function engineHostOf(pc: PointContext): { engine_gpu_busy_fraction?: number } {
  const fw = String(pc.cfg.framework ?? pc.cfg.engine ?? "");
  if (!/vllm/i.test(fw)) return {};
  const host = pc.r.engineHost?.(fw);
  if (!host) {
    pc.assumptions.push(`no host-gap measurement for "${fw}" (catalog/validation/serving-engine-host.yaml): the engine's CPU work is taken as hidden`);
    return {};
  }
  pc.assumptions.push(`${host.entry} (catalog/validation/serving-engine-host.yaml): the GPU computes ${(host.gpu_busy_fraction * 100).toFixed(0)} % of each engine iteration, idle the rest`);
  return { engine_gpu_busy_fraction: host.gpu_busy_fraction };
}
