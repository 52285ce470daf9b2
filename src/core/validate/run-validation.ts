import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { estimateInference } from "../estimate/estimate-inference.js";
import { estimateOpSpec } from "../estimate/estimate-op.js";
import { estimateTraining } from "../estimate/estimate-training.js";
import type { Chip } from "../hardware/chip.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { type DType, toDType } from "../units/dtype.js";
import type { Precision } from "../workload/precision.js";
import { type MeasuredPoint, toSi } from "./measured-point.js";
import type { System } from "../network/build-system.js";
import { validateCollectivePoint } from "./validate-collective.js";
import { evaluateShardedPass } from "../estimate/sharded-pass.js";
import { layoutNetwork } from "../parallel/network-context.js";
import { buildWorkload } from "../workload/build-workload.js";
import type { Op } from "../workload/op.js";
import { isLayerBlock } from "../workload/graph-semantics.js";

/**
 * The validation harness: turns each measured point into a scenario, predicts it, and reports the
 * signed error (predicted − measured) / measured. Points that cannot be modelled yet are returned as
 * `unsupported` with the reason — never skipped silently.
 */
export interface ValidationResolvers {
  /** Chip from the hardware text of the measured file ("NVIDIA A100 80GB (DGX A100)"). */
  chipByName(text: string): Chip | undefined;
  /** Model from the model text and config; a string is the reason it cannot be resolved. */
  modelByName(text: string, config: Record<string, unknown>): ModelSpec | string;
  context(chip: Chip): CostContext;
  /**
   * The system a collective measurement ran on, from its hardware text and chip count, with the
   * assumptions made to pick it; a string is the reason it cannot be resolved.
   */
  /** Configuration the point's source used but the file omits (catalog/validation/point-supplements.yaml). */
  supplement?(id: string): { config: Record<string, unknown>; source: string } | undefined;
  systemByName?(hardware: string, chipCount: number): { system: System; assumptions: string[] } | string;
}

export interface ValidationResult {
  id: string;
  category: string;
  metric: string;
  unit: string;
  hardware: string;
  chip?: string;
  measured: number;
  predicted?: number;
  /** (predicted − measured) / measured. */
  error?: number;
  status: "ok" | "unsupported" | "failed";
  reason?: string;
  /** Assumptions made to build the scenario (e.g. a batch the source did not state). */
  assumptions: string[];
}

export interface ValidationSummary {
  results: ValidationResult[];
  by_category: Array<{ category: string; points: number; predicted: number; median_abs_error?: number; max_abs_error?: number }>;
  overall: { points: number; predicted: number; median_abs_error?: number };
}

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}

/** Parses "AMP (fp16)", "FP8 (weights+KV)", "fp16 mixed" → a dtype. */
function dtypeOf(config: Record<string, unknown>): DType | undefined {
  const raw = String(config.dtype ?? "");
  const m = raw.toLowerCase().match(/fp64|fp32|tf32|bf16|fp16|fp8|int8|int4|fp4|float16|bfloat16/);
  return m ? toDType(m[0]) : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const m = v.match(/^\s*(\d+)/);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

/** Frameworks that dispatch kernels one by one from Python (no CUDA graphs / TensorRT). */
function executionOf(config: Record<string, unknown>): "graph" | "eager" {
  const fw = `${String(config.framework ?? "")} ${String(config.engine ?? "")}`.toLowerCase().replace(/\b(no|without)\s+(tensorrt|cuda graphs?)/g, "");
  if (/tensorrt|cuda graph|xla|jax|fastertransformer/.test(fw)) return "graph";
  return /pytorch|eager/.test(fw) ? "eager" : "graph";
}

const unsupported = (p: MeasuredPoint, reason: string, chip?: Chip): ValidationResult => ({
  id: p.id,
  category: p.category,
  metric: p.metric,
  unit: p.unit,
  hardware: p.hardware,
  ...(chip ? { chip: chip.id } : {}),
  measured: p.value,
  status: "unsupported",
  reason,
  assumptions: [],
});

function precisionFor(dt: DType, config: Record<string, unknown>): Precision {
  const raw = String(config.dtype ?? "").toLowerCase();
  // "AMP"/"mixed": fp16 math with fp16 activations; weights kept in fp16 for the forward.
  if (dt === "fp8") return { compute: "fp8", weights: "fp8", activations: raw.includes("kv") ? "fp8" : "bf16", kv_cache: "fp8" };
  return { compute: dt, weights: dt, activations: dt, kv_cache: dt };
}

/** Predicts one point in SI units of its metric, or explains why it cannot. */
export function validatePoint(p: MeasuredPoint, r: ValidationResolvers): ValidationResult {
  const measuredSi = toSi(p.value, p.unit);
  if (measuredSi === undefined) return unsupported(p, `unit "${p.unit}" is not understood`);
  // Collective points name a system (which gives the chip), so they are resolved before the chip lookup.
  if (p.category === "collective") return validateCollectivePoint(p, r);
  const chip = r.chipByName(p.hardware);
  if (!chip) return unsupported(p, `hardware "${p.hardware}" matches no catalog chip or alias`);
  const sup = r.supplement?.(p.id);
  const cfg = sup ? { ...p.config, ...sup.config } : p.config;
  const tp = num(cfg.tp) ?? 1;
  const pp = num(cfg.pp) ?? 1;
  const assumptions: string[] = sup ? [`config supplemented from ${sup.source}`] : [];
  const ok = (predictedSi: number): ValidationResult => ({
    id: p.id,
    category: p.category,
    metric: p.metric,
    unit: p.unit,
    hardware: p.hardware,
    chip: chip.id,
    measured: p.value,
    predicted: (predictedSi / measuredSi) * p.value,
    error: (predictedSi - measuredSi) / measuredSi,
    status: "ok",
    assumptions,
  });
  try {
    const ctx = r.context(chip);
    const execution = executionOf(cfg);
    switch (p.category) {
      case "gemm": {
        const dt = dtypeOf(cfg) ?? "fp16";
        const M = num(cfg.M);
        const N = num(cfg.N);
        const K = num(cfg.K);
        if (!M || !N || !K) return unsupported(p, "config needs M, N and K", chip);
        const e = estimateOpSpec({ type: "gemm", m: M, n: N, k: K, batch: num(cfg.batch) ?? 1, dtype: dt }, ctx);
        // "achieved_tflops": the 2·M·N·K·batch FLOPs of the product over its time (MAMF-style tables).
        if (p.metric === "achieved_tflops") return ok((2 * M * N * K * (num(cfg.batch) ?? 1)) / e.latency_s);
        if (p.metric !== "latency") return unsupported(p, `metric "${p.metric}" for gemm is not understood`, chip);
        return ok(e.latency_s);
      }
      case "cnn_inference":
      case "llm_inference": {
        let system: System | undefined;
        if (tp * pp > 1) {
          if (!r.systemByName) return unsupported(p, "no system resolver was supplied to the harness", chip);
          const sys = r.systemByName(p.hardware, p.chip_count);
          if (typeof sys === "string") return unsupported(p, sys, chip);
          system = sys.system;
          assumptions.push(...sys.assumptions);
        }
        const model = r.modelByName(p.model, cfg);
        if (typeof model === "string") return unsupported(p, model, chip);
        const dt = dtypeOf(cfg) ?? "fp16";
        const batch = num(cfg.batch) ?? 1;
        const input = num(cfg.input_len) ?? num(cfg.context_len) ?? 1;
        const output = num(cfg.output_len) ?? (p.metric === "time_per_output_token" ? num(cfg.tokens_generated) ?? 2 : 1);
        const e = estimateInference(
          {
            model,
            precision: precisionFor(dt, cfg),
            batch,
            input_tokens: input,
            output_tokens: output,
            // The point's chips form one tensor/pipeline group (metrics per GPU are divided below).
            chips: tp * pp,
            tp,
            pp,
            fit_search: false,
            ...(system ? { system } : {}),
            ...(num(cfg.image) ? { image_size: num(cfg.image)! } : {}),
          },
          ctx,
          { execution },
        );
        if (!e.fits) assumptions.push(`does not fit in ${chip.id} memory as modelled (${(e.memory_per_chip_bytes / 1e9).toFixed(1)} GB)`);
        switch (p.metric) {
          case "throughput":
            return ok(e.samples_per_s);
          case "latency_avg":
          case "latency":
            return ok(e.e2e_latency_s);
          case "output_throughput":
            return ok(e.output_tokens_per_s);
          case "output_throughput_per_gpu":
            return ok(e.output_tokens_per_s / e.chips);
          case "time_to_first_token":
          case "prefill_latency":
            return ok(e.ttft_s);
          case "time_per_output_token":
            return ok(e.tpot_s);
          default:
            return unsupported(p, `metric "${p.metric}" is not understood for ${p.category}`, chip);
        }
      }
      case "cnn_training": {
        const model = r.modelByName(p.model, cfg);
        if (typeof model === "string") return unsupported(p, model, chip);
        const dt = dtypeOf(cfg) ?? "fp32";
        let perChip = num(cfg.batch_per_gpu);
        if (perChip === undefined) {
          perChip = 256;
          assumptions.push("batch per GPU not stated: 256 assumed (the script default)");
        }
        let system: System | undefined;
        if (p.chip_count > 1) {
          const sys = r.systemByName?.(p.hardware, p.chip_count) ?? "no system resolver was supplied to the harness";
          if (typeof sys === "string") return unsupported(p, sys, chip);
          system = sys.system;
          assumptions.push(...sys.assumptions);
        }
        const e = estimateTraining(
          {
            model,
            precision: { compute: dt === "fp32" ? "fp32" : dt, weights: dt, activations: dt, kv_cache: dt },
            global_batch: perChip * p.chip_count,
            seq_len: 1,
            recompute: "none",
            chips: p.chip_count,
            tp: 1,
            pp: 1,
            dp: p.chip_count,
            ep: 1,
            cp: 1,
            zero: 0,
            microbatch: perChip,
            ...(system ? { system } : {}),
            ...(num(cfg.image) ? { image_size: num(cfg.image)! } : {}),
          },
          ctx,
          { execution },
        );
        if (p.metric !== "throughput") return unsupported(p, `metric "${p.metric}" is not understood for cnn_training`, chip);
        return ok(e.samples_per_s);
      }
      case "llm_training":
      case "memory": {
        const model = r.modelByName(p.model, cfg);
        if (typeof model === "string") return unsupported(p, model, chip);
        let system: System | undefined;
        if (p.chip_count > 1) {
          if (!r.systemByName) return unsupported(p, "no system resolver was supplied to the harness", chip);
          const sys = r.systemByName(p.hardware, p.chip_count);
          if (typeof sys === "string") return unsupported(p, sys, chip);
          system = sys.system;
          assumptions.push(...sys.assumptions);
        }
        const dt = dtypeOf(cfg) ?? "fp16";
        const recomputeText = String(cfg.activation_recompute ?? "");
        let recompute: "none" | "selective" | "full";
        if (/selective/.test(recomputeText)) recompute = "selective";
        else if (/full/.test(recomputeText)) recompute = "full";
        else if (/none/.test(recomputeText)) recompute = "none";
        else {
          recompute = "full";
          assumptions.push("activation recomputation not stated: full assumed (the FLOP formula of Narayanan et al. 2021 §5.1 counts it)");
        }
        let mb = num(cfg.micro_batch);
        if (mb === undefined) {
          mb = 1;
          assumptions.push("micro-batch not stated: 1 assumed");
        }
        const cp = num(cfg.cp) ?? 1;
        const ep = num(cfg.ep) ?? 1;
        // FSDP (Megatron-Bridge / MaxText) shards weights, gradients and optimizer state: ZeRO-3.
        const zero = cfg.fsdp === true || num(cfg.fsdp) === 1 ? 3 : (num(cfg.zero) ?? 0);
        const dpDeg = num(cfg.dp) ?? Math.max(1, p.chip_count / (tp * pp * cp));
        let gb = num(cfg.global_batch);
        if (gb === undefined) {
          gb = dpDeg * mb * pp * 8;
          assumptions.push(`global batch not stated: ${gb} assumed`);
        }
        // Megatron-LM of 2021-22 (the default, the source of the shared points): no FlashAttention,
        // dropout 0.1, and the data-parallel gradient all-reduce after the pipeline flush (not
        // overlapped). A point from a later stack states its settings (flash_attention, dropout,
        // overlap_grad_reduce, execution) in its config; those replace the defaults.
        const stated = (k: string): boolean | undefined => (typeof cfg[k] === "boolean" ? (cfg[k] as boolean) : undefined);
        const flash = stated("flash_attention") ?? false;
        const dropout = stated("dropout") ?? true;
        const overlap = stated("overlap_grad_reduce") ?? false;
        const trainExecution: "graph" | "eager" = cfg.execution === "graph" ? "graph" : "eager";
        if ([stated("flash_attention"), stated("dropout"), stated("overlap_grad_reduce"), cfg.execution].every((x) => x === undefined))
          assumptions.push("Megatron-LM 2021-22 settings: eager PyTorch (one kernel per op), unfused attention, dropout masks kept, DP reduction not overlapped");
        else
          assumptions.push(`training stack as stated: ${trainExecution} execution, ${flash ? "fused" : "unfused"} attention, dropout ${dropout ? "on" : "off"}, DP reduction ${overlap ? "overlapped" : "not overlapped"}`);
        // FP8 training (Transformer Engine, MaxText fp8): fp8 GEMMs, bf16 master weights and activations.
        const trainPrecision: Precision = dt === "fp8" ? { compute: "fp8", weights: "bf16", activations: "bf16", kv_cache: "bf16" } : { compute: dt, weights: dt, activations: dt, kv_cache: dt };
        const e = estimateTraining(
          {
            model,
            precision: trainPrecision,
            global_batch: gb,
            seq_len: num(cfg.seq) ?? 2048,
            recompute,
            chips: p.chip_count,
            tp,
            pp,
            dp: dpDeg,
            ep,
            cp,
            zero,
            microbatch: mb,
            sp: cfg.sequence_parallel === true || recompute === "selective" && cfg.sequence_parallel !== false,
            interleave: num(cfg.pipeline_interleaving) ?? 1,
            flash_attention: flash,
            dropout,
            overlap_grad_reduce: overlap,
            ...(system ? { system } : {}),
          },
          ctx,
          { execution: trainExecution },
        );
        switch (p.metric) {
          case "iteration_time":
            return ok(e.step_time_s);
          case "achieved_tflops_per_gpu":
            return ok(e.hardware_flops_per_s_per_chip);
          case "model_tflops_per_gpu":
            return ok(e.model_flops_per_s_per_chip);
          case "tokens_per_s_per_gpu":
            return ok(e.tokens_per_s / e.chips);
          case "mfu":
            return ok(e.mfu);
          case "activation_memory_per_gpu":
            return ok(e.memory_breakdown_bytes.activations);
          default:
            return unsupported(p, `metric "${p.metric}" is not understood for ${p.category}`, chip);
        }
      }
      case "collective":
        return validateCollectivePoint(p, r);
      case "transformer_layer":
        return transformerLayerPoint(p, r, chip, cfg, tp, ok, assumptions);
      default:
        return unsupported(p, `category "${p.category}" is not known to the harness`, chip);
    }
  } catch (e) {
    if (e instanceof XpusimError) return { ...unsupported(p, e.diagnostics.map((d) => d.message).join("; "), chip), status: "failed" };
    throw e;
  }
}

/**
 * One decoder layer split over a tensor-parallel group, measured op by op the way LLMCompass's
 * real-hardware baseline does (Zhang et al., ISCA'24, Fig. 5i–l; peers.md §LLMCompass): QKV, QKᵀ,
 * softmax, AV, Wo, W1, GeLU, W2, two LayerNorms and the two all-reduces, each its own kernel and
 * timed alone. So: unfused attention (QKᵀ and AV as batched GEMMs with a separate softmax whose
 * scores go through memory — the dense score matrix, as a PyTorch matmul computes it), the GeLU
 * not fused into W1, residual adds excluded (not among the measured ops). Each op is timed from
 * Python around a synchronize (LLMCompass ae/figure5 scripts), so an op shorter than the host's
 * dispatch time takes the dispatch time: eager execution with the family's dispatch overhead.
 * The all-reduces were measured apart (nccl-tests style), so they are priced as kernels alone.
 */
function transformerLayerPoint(
  p: MeasuredPoint,
  r: ValidationResolvers,
  chip: Chip,
  cfg: Record<string, unknown>,
  tp: number,
  ok: (predictedSi: number) => ValidationResult,
  assumptions: string[],
): ValidationResult {
  if (p.metric !== "latency_sum_of_ops") return unsupported(p, `metric "${p.metric}" is not understood for transformer_layer`, chip);
  const model = r.modelByName(p.model, cfg);
  if (typeof model === "string") return unsupported(p, model, chip);
  if (model.category !== "decoder-llm") return unsupported(p, `${model.id} is not a decoder LLM`, chip);
  const dt = dtypeOf(cfg) ?? "fp16";
  const batch = num(cfg.batch) ?? 1;
  const decode = /decode/i.test(String(cfg.phase ?? ""));
  const seq = num(cfg.seq) ?? 1;
  const kvLen = num(cfg.kv_len) ?? seq;
  const graph = buildWorkload(
    model,
    decode
      ? { batch, new_tokens: 1, context_tokens: kvLen, phase: "decode", lm_head_tokens: "last", fused_attention: false }
      : { batch, new_tokens: seq, context_tokens: seq, phase: "prefill", lm_head_tokens: "last", fused_attention: false },
    precisionFor(dt, cfg),
  );
  const layer = graph.blocks.find(isLayerBlock);
  if (!layer) return unsupported(p, `${model.id} has no decoder layer block`, chip);
  const ops = layer.ops.filter((o) => o.role !== "residual").map((o) => (o.kind === "elementwise" && o.epilogue_of ? { ...o, epilogue_of: undefined } : o));
  assumptions.push("LLMCompass per-op baseline: unfused attention with a separate softmax, GeLU as its own kernel, residual adds not measured");
  let system: System | undefined;
  if (tp > 1) {
    if (!r.systemByName) return unsupported(p, "no system resolver was supplied to the harness", chip);
    const sys = r.systemByName(typeof cfg.system === "string" ? cfg.system : p.hardware, p.chip_count);
    if (typeof sys === "string") return unsupported(p, sys, chip);
    system = sys.system;
    assumptions.push(...sys.assumptions, `system ${system.id}`);
  }
  const ctx = r.context(chip);
  const pass = evaluateShardedPass({ ...graph, blocks: [{ ...layer, repeat: 1, ops: ops as Op[] }] }, ctx, { execution: "eager" }, tp, 1, system ? layoutNetwork(system, tp, 1, 1) : undefined, 0, false);
  return ok(pass.time_s);
}

export function runValidation(points: readonly MeasuredPoint[], r: ValidationResolvers): ValidationSummary {
  const results = points.map((p) => validatePoint(p, r));
  const cats = [...new Set(results.map((x) => x.category))];
  const by_category = cats.map((category) => {
    const rs = results.filter((x) => x.category === category);
    const errs = rs.filter((x) => x.status === "ok").map((x) => Math.abs(x.error!));
    const med = median(errs);
    return {
      category,
      points: rs.length,
      predicted: errs.length,
      ...(med !== undefined ? { median_abs_error: med, max_abs_error: Math.max(...errs) } : {}),
    };
  });
  const all = results.filter((x) => x.status === "ok").map((x) => Math.abs(x.error!));
  const med = median(all);
  return { results, by_category, overall: { points: results.length, predicted: all.length, ...(med !== undefined ? { median_abs_error: med } : {}) } };
}
