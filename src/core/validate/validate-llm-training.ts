import type { TrainingEstimate } from "../estimate/estimate-training.js";
import type { CostContext } from "../cost/contract.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import { estimateTrainingWithDefaults, type OpenTrainingRequest } from "../estimate/training-defaults.js";
import type { System } from "../network/build-system.js";
import { llmTrainingLayout, llmTrainingStack, trainingPrecision } from "./llm-training-config.js";
import { dtypeOf, num } from "./point-config.js";
import { RUN_METRICS, tokensToTrain, trainingRunOf } from "./time-to-train.js";
import { pointSystem, type PointContext, type ValidationResult } from "./validation-result.js";

/** What each training metric reads from the estimate (SI units); memory points read the activation memory. */
const TRAINING_METRICS: Record<string, (e: TrainingEstimate, seq: number) => number> = {
  iteration_time: (e) => e.step_time_s,
  achieved_tflops_per_gpu: (e) => e.hardware_flops_per_s_per_chip,
  achieved_flops_total: (e) => e.hardware_flops_per_s_per_chip * e.chips,
  model_tflops_per_gpu: (e) => e.model_flops_per_s_per_chip,
  model_flops_total: (e) => e.model_flops_per_s_per_chip * e.chips,
  tokens_per_s_per_gpu: (e) => e.tokens_per_s / e.chips,
  tokens_per_s: (e) => e.tokens_per_s,
  samples_per_s: (e, seq) => e.tokens_per_s / seq,
  samples_per_s_per_gpu: (e, seq) => e.tokens_per_s / seq / e.chips,
  mfu: (e) => e.mfu,
  // HFU: hardware FLOP/s (recomputation included) over the same peak MFU divides by.
  hfu: (e) => (e.model_flops_per_s_per_chip > 0 ? (e.mfu * e.hardware_flops_per_s_per_chip) / e.model_flops_per_s_per_chip : 0),
  activation_memory_per_gpu: (e) => e.memory_breakdown_bytes.activations,
};

/**
 * An LLM training step (categories llm_training and memory): a Megatron-style layout from the
 * config (llm-training-config.ts) on the system the point ran on.
 */
export function validateLlmTrainingPoint(pc: PointContext): ValidationResult {
  const { p, cfg } = pc;
  const model = pc.r.modelByName(p.model, cfg);
  if (typeof model === "string") return pc.unsupported(model);
  let system: System | undefined;
  if (p.chip_count > 1) {
    const sys = pointSystem(pc);
    if (typeof sys === "string") return pc.unsupported(sys);
    system = sys;
  }
  const dt = dtypeOf(cfg) ?? "fp16";
  const seq = num(cfg.seq) ?? 2048;
  const tokens = p.metric in RUN_METRICS ? tokensToTrain(cfg, seq) : undefined;
  const layout = llmTrainingLayout(cfg, p.chip_count, pc.assumptions);
  if (!pc.r.software) return pc.unsupported("this front end has no software-stack catalog (catalog/software) to read the training stack from");
  const resolved = llmTrainingStack(cfg, pc.assumptions, pc.r.software);
  if (typeof resolved === "string") return pc.unsupported(resolved);
  const { execution, ...stack } = resolved;
  const req: OpenTrainingRequest = { model, precision: trainingPrecision(dt), seq_len: seq, ...(tokens !== undefined ? { tokens } : {}), chips: p.chip_count, ...layout, ...stack, ...(system ? { system } : {}) };
  const e = estimateWithStatedOrNeededZero(req, pc.ctx, { execution });
  for (const c of e.chosen_defaults ?? []) pc.assumptions.push(`${c.field} not stated: ${String(c.value)} chosen (${c.why})`);
  if (p.metric in RUN_METRICS) {
    const run = trainingRunOf(pc, e);
    const v = typeof run === "string" ? run : RUN_METRICS[p.metric]!(run, pc);
    return typeof v === "string" ? pc.unsupported(v) : pc.ok(v);
  }
  const read = TRAINING_METRICS[p.metric];
  return read ? pc.ok(read(e, seq)) : pc.unsupported(`metric "${p.metric}" is not understood for ${p.category}`);
}

/**
 * The estimate of a point's layout. A ZeRO stage the source does not state is 0 — unless stage 0
 * does not fit in memory, where a tuned stack shards as little as it must: the lowest of stages 1
 * and 2 that fits (LLaMA 65B on 2048 A100 with tp 8 needs one), reported as chosen. ZeRO-3 / FSDP,
 * a different framework mode whose communication dominates at scale, only when stated (`fsdp`, `zero`).
 */
function estimateWithStatedOrNeededZero(req: OpenTrainingRequest, ctx: CostContext, opts: EvaluateOptions): TrainingEstimate {
  if (req.zero !== undefined) return estimateTrainingWithDefaults(req, ctx, opts);
  const plain = estimateTrainingWithDefaults({ ...req, zero: 0 }, ctx, opts);
  if (plain.fits || req.dp <= 1) return plain;
  for (const zero of [1, 2]) {
    const sharded = estimateTrainingWithDefaults({ ...req, zero }, ctx, opts);
    if (sharded.fits) return { ...sharded, chosen_defaults: [...(sharded.chosen_defaults ?? []), { field: "zero", value: zero, why: `unset: stage 0 does not fit in memory; the lowest of stages 1-2 that fits (ZeRO-3 only when stated)` }] };
  }
  return plain;
}
