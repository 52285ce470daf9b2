import { estimateInference, type InferenceEstimate } from "../estimate/estimate-inference.js";
import type { System } from "../network/build-system.js";
import { decodeAttentionOf, dtypeOf, executionOf, num, precisionFor } from "./point-config.js";
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
    },
    pc.ctx,
    { execution: executionOf(cfg), decodeAttention: decodeAttentionOf(cfg) },
  );
  if (!e.fits) pc.assumptions.push(`does not fit in ${chip.id} memory as modelled (${fmtBytes(e.memory_per_chip_bytes)})`);
  return { estimate: e, model, precision };
}
