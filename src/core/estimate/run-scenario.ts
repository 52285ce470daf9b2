import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { type Scenario, scenarioSpec } from "../spec/scenario-spec.js";
import { parseWith } from "../spec/validate.js";
import type { DType } from "../units/dtype.js";
import type { Precision } from "../workload/precision.js";
import { estimateInference, type InferenceEstimate } from "./estimate-inference.js";
import { estimateOpSpec, type OpEstimate } from "./estimate-op.js";
import { estimateTraining, type TrainingEstimate } from "./estimate-training.js";

/**
 * The pipeline behind `xpusim estimate`, drawn:
 *
 *   scenario (YAML/JSON) ──validate──▶ Scenario
 *        │ hardware.chip ──resolve──▶ Chip ──family──▶ efficiency parameters   (CostContext)
 *        │ workload ──resolve──▶ ModelSpec | OpSpec
 *        ▼
 *   kind: op        → estimateOpSpec      (one op, best cost model)
 *         inference → estimateInference   (prefill + decode over the op graph)
 *         training  → estimateTraining    (forward + backward + optimizer, memory)
 *
 * File access is injected (`ScenarioResolvers`) so the engine stays browser-safe.
 */
export interface ScenarioResolvers {
  chip(ref: string | Record<string, unknown>): Chip;
  /** The system for a multi-chip scenario: the named/inline one, else a default for the chip and count. */
  system(ref: string | Record<string, unknown> | undefined, chip: Chip, count: number): System | undefined;
  model(ref: string | Record<string, unknown>): ModelSpec;
  context(chip: Chip): CostContext;
}

export type ScenarioEstimate = OpEstimate | InferenceEstimate | TrainingEstimate;

export function parseScenario(raw: unknown, file?: string): Scenario {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    // Otherwise zod reports "required field is missing, got nothing" for an empty file, a list or a string.
    throw new XpusimError(
      error("E_SCHEMA", "", "a scenario must be a mapping with kind, hardware and workload", {
        got: raw === null || raw === undefined ? "nothing (an empty file?)" : JSON.stringify(raw).slice(0, 60),
        hint: "see docs/scenario.md and examples/*.yaml",
        ...(file ? { file } : {}),
      }),
    );
  }
  return parseWith(scenarioSpec, raw, file);
}

/** Precision with defaults: compute from the scenario (bf16 if unset); weights/activations/KV follow compute. */
export function resolvePrecision(p: Scenario["precision"], fallback: DType = "bf16"): Precision {
  const compute = p.compute ?? fallback;
  // Integer and 4-bit formats are storage formats; the activations stay 16-bit unless set.
  const act: DType = p.activations ?? (compute === "int8" || compute === "int4" || compute === "fp4" ? "bf16" : compute);
  return {
    compute,
    weights: p.weights ?? compute,
    activations: act,
    kv_cache: p.kv_cache ?? act,
  };
}

export function runScenario(s: Scenario, r: ScenarioResolvers): ScenarioEstimate {
  const chip = r.chip(s.hardware.chip);
  const ctx = r.context(chip);
  const opts = { execution: s.execution, ...(s.cost_model ? { costModel: s.cost_model } : {}) };
  const par = s.parallelism;
  if (s.kind === "op") {
    if (!("op" in s.workload)) throw new XpusimError(error("E_SCHEMA", "workload", "kind: op needs `workload: { op: {...} }`", { hint: "or set kind: inference / training for a model" }));
    if (s.hardware.count > 1 && s.workload.op.type !== "collective") {
      throw new XpusimError(error("E_UNSUPPORTED", "hardware.count", "a single op runs on one chip; sharded ops arrive with the parallelism models (issue #3)"));
    }
    return estimateOpSpec(s.workload.op, ctx, opts);
  }
  if (!("model" in s.workload)) {
    throw new XpusimError(error("E_SCHEMA", "workload", `kind: ${s.kind} needs \`workload: { model: <id or path> }\``, { hint: "use kind: op for a single operator" }));
  }
  const model = r.model(s.workload.model);
  const precision = resolvePrecision(s.precision);
  if (s.kind === "inference") {
    const inf = s.inference ?? { batch: 1, input_tokens: 1, output_tokens: 0 };
    const infSystem = par.tp * par.pp * par.ep * par.cp > 1 ? r.system(s.hardware.system, chip, s.hardware.count) : undefined;
    return estimateInference(
      {
        model,
        precision,
        batch: inf.batch,
        input_tokens: inf.input_tokens,
        output_tokens: inf.output_tokens,
        chips: s.hardware.count,
        tp: par.tp,
        pp: par.pp,
        ...(par.ep > 1 ? { ep: par.ep } : {}),
        ...(par.cp > 1 ? { cp: par.cp } : {}),
        ...(infSystem ? { system: infSystem } : {}),
        ...(inf.image_size ? { image_size: inf.image_size } : {}),
        ...(inf.speculative
          ? {
              speculative: {
                draft_tokens: inf.speculative.draft_tokens,
                acceptance_rate: inf.speculative.acceptance_rate,
                ...(inf.speculative.draft_model !== undefined ? { draft: r.model(inf.speculative.draft_model) } : {}),
              },
            }
          : {}),
      },
      ctx,
      opts,
    );
  }
  const tr = s.training;
  if (!tr) throw new XpusimError(error("E_SCHEMA", "training", "kind: training needs a `training: { global_batch, seq_len }` section"));
  // dp left at 1 fills the chips the other degrees leave: dp = count / (tp·pp·cp) when that divides.
  const model_parallel = par.tp * par.pp * par.cp;
  const dp = par.dp === 1 && s.hardware.count % model_parallel === 0 ? s.hardware.count / model_parallel : par.dp;
  const system = s.hardware.count > 1 ? r.system(s.hardware.system, chip, s.hardware.count) : undefined;
  return estimateTraining(
    {
      sp: par.sp,
      interleave: par.interleave,
      flash_attention: tr.flash_attention,
      dropout: tr.dropout,
      overlap_grad_reduce: tr.overlap_grad_reduce,
      ...(tr.grad_bucket_bytes ? { grad_bucket_bytes: tr.grad_bucket_bytes } : {}),
      ...(system ? { system } : {}),
      model,
      precision,
      global_batch: tr.global_batch,
      seq_len: tr.seq_len ?? 2048,
      recompute: tr.recompute,
      chips: s.hardware.count,
      tp: par.tp,
      pp: par.pp,
      dp,
      ep: par.ep,
      cp: par.cp,
      zero: par.zero,
      microbatch: par.microbatch,
      ...(tr.tokens !== undefined ? { tokens: tr.tokens } : {}),
      ...(tr.image_size ? { image_size: tr.image_size } : {}),
    },
    ctx,
    opts,
  );
}
