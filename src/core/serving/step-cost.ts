import type { CostContext } from "../cost/contract.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import type { LayoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";
import { exactStepFormula } from "./exact-step.js";
import { interpolatedStepFormula } from "./interpolated-step.js";
import type { StepBatch, StepCostModel } from "./step-batch.js";
import { type Priced, stepTerms } from "./step-terms.js";

export { createStepBatch, type StepBatch, type StepCostModel } from "./step-batch.js";
export { linearStepCost, type LinearStepCostParams } from "./linear-step-cost.js";

/**
 * The time of one engine iteration (one forward pass over a continuous batch), priced with the
 * engine's own cost models.
 *
 * A step holds prefill chunks (t_i new tokens after p_i already-cached tokens each) and D decoding
 * sequences (one new token each, Σc cached-plus-new context tokens). Serving engines run it as one
 * forward pass: the linear layers (QKV/out projections, MLP, MoE experts, norms, embedding) see all
 * N = Σt_i + D tokens stacked into one matrix, so the weights stream from memory once; attention
 * runs per sequence against its own context (varlen FlashAttention / paged attention); the LM head
 * computes logits for the last position of every scheduled sequence (R = chunks + D rows). Hence
 *
 *   step(chunks, D, Σc) = body(N) + head(R) + attn_decode(D, Σc/D) + Σ_i attn_prefill(t_i, p_i)
 *
 * where each term is read from evaluated workload graphs:
 *   body(N)            non-attention ops outside the LM-head block of a prefill graph of N tokens
 *                      (of a decode graph of batch N when the step has no prefill: MLA decode uses
 *                      the absorbed form, so its projections differ);
 *   head(R)            the final norm + LM head of a decode graph of batch R;
 *   attn_decode(B, c)  the attention ops of a decode graph of batch B at context c — attention cost
 *                      is linear in each sequence's context, so the mean context is exact;
 *   attn_prefill(t, p) the attention ops of a prefill graph of t new tokens at context p + t.
 * A lone prefill is exactly the prefill graph, a pure decode batch exactly the decode graph; a
 * mixed batch is "prefill + decode minus the weight read they share", priced per op rather than by
 * subtracting one bandwidth term. MLA models in mixed steps use the prefill form for the decode
 * tokens' projections (an approximation).
 *
 * Speed: evaluating a graph costs ~0.3–0.5 ms, and a 10,000-request simulation has ~10⁵ steps, so
 * every term is cached on a grid and interpolated linearly: token/batch axes are exact integers up
 * to 32, then geometric with `points_per_octave` points per doubling (default 8, i.e. ≤ 9 %
 * apart); 2-D terms are bilinear. Graph costs are piecewise-smooth in these sizes (tile and wave
 * quantisation are the only steps), so the interpolation error is small — test/serving-step-cost
 * measures it against exact pricing (`interpolate: false`, memoised per distinct shape).
 *
 * Tensor parallelism (`tp` > 1 with a `network`): every graph is sharded over the TP group before
 * pricing (Megatron column/row split, heads ÷ tp; sharded-pass.ts) and each term carries its own
 * collectives priced on the system — body(N) the two all-reduces per layer of N tokens × hidden (and
 * the one after the embedding), head(R) the all-gather of R rows of logits. Attention needs no
 * communication. Same interface, so the simulator does not change.
 *
 * Expert parallelism (`ep` > 1, MoE models; DP-attention + EP as vLLM `--data-parallel-size ep
 * --enable-expert-parallel` and SGLang serve DeepSeek-V3): the instance is ep attention groups of
 * tp chips; each group runs attention and the dense layers for its own sequences, the routed experts
 * are split over the groups (parallel/expert-parallel.ts), and every MoE layer adds a dispatch and a
 * combine all-to-all over the ep group, both in body(N). The groups step in lock-step (MoE layers
 * need every rank), so a step takes the time of the busiest group: ⌈N/ep⌉ tokens (at least the
 * largest prompt chunk, which is never split), ⌈R/ep⌉ LM-head rows, ⌈D/ep⌉ decodes, and prefill
 * attention max(Σ/ep, largest chunk). Expert work is priced as if every group held that many tokens
 * (exact when balanced, an upper bound otherwise). ep = 1 is the formula above, unchanged.
 *
 * Energy (`stepEnergyJ`): the same formula over the terms' energies — each op's energy (dynamic +
 * static over its time, evaluate-graph) × the instance's chips, plus waiting power × chips over the
 * collectives' time (as sharded-pass.ts). The simulator adds waiting power between steps.
 *
 * Files: step-batch.ts (the batch and the StepCostModel contract), step-terms.ts (the priced terms),
 * group-load.ts (the busiest ep group), exact-step.ts and interpolated-step.ts (the formula over
 * exact or grid-interpolated terms; grid in step-grid.ts), linear-step-cost.ts (a hand-checkable model).
 */

export interface EngineStepCostOptions extends EvaluateOptions {
  /** Interpolate on a grid (default, fast) or price every distinct shape exactly (memoised). */
  interpolate?: boolean;
  /** Tensor-parallel degree of one attention group (default 1); needs `network` when > 1. */
  tp?: number;
  /**
   * Expert-parallel degree (MoE; default 1): the instance is ep attention groups of tp chips whose
   * routed experts are split over the ep groups; needs `network` when > 1.
   */
  ep?: number;
  /** Where the instance sits (layoutNetwork(system, tp, ep, 1, ep)): prices its collectives. */
  network?: LayoutNetwork;
}

export interface EngineStepCost extends StepCostModel {
  /** Graph evaluations done so far (cache misses), for benchmarks and tests. */
  readonly evaluations: () => number;
  stepEnergyJ(batch: StepBatch): number;
  readonly idle_power_w: number;
  readonly chips: number;
}

/** Step cost priced with the workload builder and cost-model registry (see the file comment). */
export function engineStepCost(model: ModelSpec, ctx: CostContext, precision: Precision, opts: EngineStepCostOptions = {}): EngineStepCost {
  const tp = opts.tp ?? 1;
  const ep = opts.ep ?? 1;
  const net = opts.network;
  if ((tp > 1 || ep > 1) && !net) throw new Error("engineStepCost: tp or ep > 1 needs a network (layoutNetwork(system, tp, ep, 1, ep))");
  const terms = stepTerms(model, ctx, precision, {
    tp,
    ep,
    ...(net ? { network: net } : {}),
    ...(opts.execution ? { execution: opts.execution } : {}),
    ...(opts.costModel ? { costModel: opts.costModel } : {}),
  });
  const notes = stepCostNotes(tp, ep, net);
  const suffix = `${tp > 1 ? `-tp${tp}` : ""}${ep > 1 ? `-ep${ep}` : ""}`;
  const time = (p: Priced) => p.t;
  const energy = (p: Priced) => p.e;
  const common = { evaluations: terms.evaluations, idle_power_w: terms.idleW, chips: terms.chips };
  if (opts.interpolate === false) {
    return { id: `engine-exact${suffix}`, notes, ...common, stepTimeS: exactStepFormula(terms, ep, time), stepEnergyJ: exactStepFormula(terms, ep, energy) };
  }
  return {
    id: `engine-interpolated${suffix}`,
    notes: [...notes, "graph costs cached on a tile-aligned grid (exact to 32 tokens, 16-token buckets to 256, then 8 per doubling) and interpolated linearly"],
    ...common,
    stepTimeS: interpolatedStepFormula(terms, ep, time),
    stepEnergyJ: interpolatedStepFormula(terms, ep, energy),
  };
}

/** What the step cost assumes, for the output's notes. */
function stepCostNotes(tp: number, ep: number, net: LayoutNetwork | undefined): string[] {
  const notes = [
    "step time = linear layers over all batched tokens once + LM head per sequence + attention per sequence, priced with the engine's cost models",
    tp > 1
      ? `tensor parallel over ${tp} chips: sharded ops + per-layer all-reduces of the step's tokens on ${net!.system.id}`
      : ep > 1
        ? "one chip per attention group (tensor parallelism: tp > 1)"
        : "single chip (tensor parallelism: tp > 1 with a system)",
  ];
  if (ep > 1) {
    notes.push(
      `expert parallel over ${ep} attention groups of ${tp} chip(s) (${tp * ep} chips per instance): routed experts ÷ ${ep}, a dispatch and a combine all-to-all per MoE layer on ${net!.system.id}; ` +
        `the step is priced for the busiest group (⌈1/${ep}⌉ of the batch, a prompt chunk never split)`,
    );
  }
  return notes;
}
