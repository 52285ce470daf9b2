import type { TrainingRequest } from "../estimate/estimate-training.js";
import type { SoftwareSpec } from "../spec/software-spec.js";
import type { DType } from "../units/dtype.js";
import type { Precision } from "../workload/precision.js";
import { num } from "./point-config.js";

/**
 * A Megatron-style training point's config → the layout and stack of a training request. What the
 * source does not state is assumed, and each assumption is appended to `assumptions` in order.
 */
export type LlmTrainingLayout = Pick<TrainingRequest, "recompute" | "tp" | "pp" | "cp" | "ep" | "dp" | "global_batch" | "sp" | "interleave" | "zero_prefetch_layers" | "zero_recompute_regather" | "grad_bucket_bytes" | "overlap_param_gather"> & { microbatch?: number; zero?: number };
export type LlmTrainingStack = Pick<TrainingRequest, "flash_attention" | "dropout" | "overlap_grad_reduce"> & { execution: "graph" | "eager" };

function recomputeOf(cfg: Record<string, unknown>, assumptions: string[]): "none" | "selective" | "full" {
  const text = String(cfg.activation_recompute ?? "");
  if (/selective/.test(text)) return "selective";
  if (/full/.test(text)) return "full";
  if (/none/.test(text)) return "none";
  assumptions.push("activation recomputation not stated: full assumed (the FLOP formula of Narayanan et al. 2021 §5.1 counts it)");
  return "full";
}

export function llmTrainingLayout(cfg: Record<string, unknown>, chipCount: number, assumptions: string[]): LlmTrainingLayout {
  const tp = num(cfg.tp) ?? 1;
  const pp = num(cfg.pp) ?? 1;
  const recompute = recomputeOf(cfg, assumptions);
  // Unstated: left to the chooser (estimate/training-defaults.ts), as a tuned stack picks it.
  const mb = num(cfg.micro_batch);
  const cp = num(cfg.cp) ?? 1;
  const ep = num(cfg.ep) ?? 1;
  // FSDP (Megatron-Bridge / MaxText) shards weights, gradients and optimizer state: ZeRO-3. Unstated:
  // 0, or the lowest stage that fits when 0 does not (validate-llm-training.ts).
  const zero = cfg.fsdp === true || num(cfg.fsdp) === 1 ? 3 : num(cfg.fsdp) === 0 ? 0 : num(cfg.zero);
  const dp = num(cfg.dp) ?? Math.max(1, chipCount / (tp * pp * cp));
  let gb = num(cfg.global_batch);
  if (gb === undefined) {
    gb = dp * (mb ?? 1) * pp * 8;
    assumptions.push(`global batch not stated: ${gb} assumed`);
  }
  const sp = cfg.sequence_parallel === true || (recompute === "selective" && cfg.sequence_parallel !== false);
  // Unstated interleaving stays 1 (Megatron's default, the schedule of the points without it): choosing it
  // as a tuned stack would raises the shared points' median error (10.3 → 11.8 %) — the interleaved
  // schedule's costs are under-priced, not the choice wrong. The micro-batch is chosen.
  const interleave = num(cfg.pipeline_interleaving) ?? 1;
  return { ...zeroCommOf(cfg), recompute, ...(mb !== undefined ? { microbatch: mb } : {}), tp, pp, cp, ep, dp, ...(zero !== undefined ? { zero } : {}), global_batch: gb, sp, interleave };
}

/** ZeRO communication settings a point states (DeepSpeed / FSDP configs); unstated: the engine's defaults. */
function zeroCommOf(cfg: Record<string, unknown>): Pick<TrainingRequest, "zero_prefetch_layers" | "zero_recompute_regather" | "grad_bucket_bytes" | "overlap_param_gather"> {
  const flag = (k: string) => (typeof cfg[k] === "boolean" ? (cfg[k] as boolean) : undefined);
  const fields = { zero_prefetch_layers: num(cfg.zero_prefetch_layers), grad_bucket_bytes: num(cfg.grad_bucket_bytes), overlap_param_gather: flag("overlap_param_gather"), zero_recompute_regather: flag("zero_recompute_regather") };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The point's stack when it states nothing (docs/software.md: the modern default for LLM training on GPUs). */
export const DEFAULT_VALIDATION_STACK = "megatron-core";

type StackBooleans = "flash_attention" | "dropout" | "overlap_grad_reduce";

/** A preset's training settings as a stack, the engine's defaults where the preset is silent. */
function presetStack(spec: SoftwareSpec): LlmTrainingStack {
  const v = (k: StackBooleans | "execution") => {
    const x = spec.settings[k];
    return x === undefined ? undefined : x.value;
  };
  return {
    flash_attention: (v("flash_attention") as boolean | undefined) ?? true,
    dropout: (v("dropout") as boolean | undefined) ?? false,
    overlap_grad_reduce: (v("overlap_grad_reduce") as boolean | undefined) ?? true,
    execution: (v("execution") as "graph" | "eager" | undefined) ?? "graph",
  };
}

/**
 * The training stack of a point: the preset its config names in `software` (a catalog/software id
 * or alias; catalog/validation/point-supplements.yaml states it, with the source, for points whose
 * file does not), with the settings its config states (flash_attention, dropout, overlap_grad_reduce,
 * execution) on top. A point that states neither gets {@link DEFAULT_VALIDATION_STACK}, and the
 * assumption says so. `software` looks a preset up (the validation resolvers' catalog).
 */
export function llmTrainingStack(cfg: Record<string, unknown>, assumptions: string[], software: (id: string) => SoftwareSpec): LlmTrainingStack | string {
  const stated = (k: string): boolean | undefined => (typeof cfg[k] === "boolean" ? (cfg[k] as boolean) : undefined);
  const named = typeof cfg.software === "string" ? cfg.software : undefined;
  let spec: SoftwareSpec;
  try {
    spec = software(named ?? DEFAULT_VALIDATION_STACK);
  } catch (e) {
    return `field "config.software": ${e instanceof Error ? e.message : String(e)}`;
  }
  const base = presetStack(spec);
  const exec = cfg.execution === "graph" || cfg.execution === "eager" ? cfg.execution : undefined;
  const stack: LlmTrainingStack = {
    flash_attention: stated("flash_attention") ?? base.flash_attention,
    dropout: stated("dropout") ?? base.dropout,
    overlap_grad_reduce: stated("overlap_grad_reduce") ?? base.overlap_grad_reduce,
    execution: exec ?? base.execution,
  };
  const anyStated = [stated("flash_attention"), stated("dropout"), stated("overlap_grad_reduce"), exec].some((x) => x !== undefined);
  const settings = `${stack.execution} execution, ${stack.flash_attention ? "fused" : "unfused"} attention, dropout ${stack.dropout ? "on" : "off"}, DP reduction ${stack.overlap_grad_reduce ? "overlapped" : "not overlapped"}`;
  if (named) assumptions.push(`training stack ${spec.id} (stated)${anyStated ? " with the config's own settings" : ""}: ${settings}`);
  else if (anyStated) assumptions.push(`training stack as stated (${spec.id} for what is not): ${settings}`);
  else assumptions.push(`training stack not stated: the modern default ${spec.id} assumed (${settings})`);
  return stack;
}

/** FP8 training (Transformer Engine, MaxText fp8): fp8 GEMMs, bf16 master weights and activations. */
export function trainingPrecision(dt: DType): Precision {
  return dt === "fp8" ? { compute: "fp8", weights: "bf16", activations: "bf16", kv_cache: "bf16" } : { compute: dt, weights: dt, activations: dt, kv_cache: dt };
}
