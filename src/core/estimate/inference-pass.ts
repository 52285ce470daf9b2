import type { CostContext } from "../cost/contract.js";
import type { LayoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload, type WorkloadShape } from "../workload/build-workload.js";
import type { WorkloadGraph } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";
import type { EvaluateOptions } from "./evaluate-graph.js";
import type { InferenceLayout } from "./inference-layout.js";
import { evaluateShardedPass, type ShardedPassCost } from "./sharded-pass.js";

/**
 * The passes of one inference replica on its layout: a prefill of the batch, or a decode step
 * (sharded-pass.ts prices the ops, the collectives and the pipeline transfers). Serving engines
 * compute logits for the last position of each sequence only (lm_head_tokens: last); a speculative
 * verify pass needs all k + 1.
 */
export interface InferencePasses {
  /** One pass of `graph` on `ctx`; `tokens` activations of width `hidden` cross each stage boundary. */
  run(ctx: CostContext, graph: WorkloadGraph, tokens: number, hidden?: number): ShardedPassCost;
  /** One decode step of `model` for the replica's batch: `newTokens` per sequence attending `contextTokens`. */
  decodeStep(ctx: CostContext, model: ModelSpec, contextTokens: number, newTokens: number, hidden: number): ShardedPassCost;
  /** The prefill shape of `batch` prompts of `input` tokens. */
  prefillShape(batch: number, input: number): WorkloadShape;
}

/** The hidden width of a model's activations (0 for models without one: CNNs). */
export function hiddenSize(model: ModelSpec, fallback = 0): number {
  return "hidden_size" in model && typeof model.hidden_size === "number" ? model.hidden_size : fallback;
}

export function inferencePasses(model: ModelSpec, precision: Precision, l: InferenceLayout, net: LayoutNetwork | undefined, opts: EvaluateOptions, imageSize?: number): InferencePasses {
  const { tp, pp, ep, cp } = l;
  const hidden = hiddenSize(model);
  const actBytes = DTYPE_BYTES[precision.activations];
  const run = (c: CostContext, graph: WorkloadGraph, tokens: number, h = hidden): ShardedPassCost =>
    ep === 1 && cp === 1
      ? evaluateShardedPass(graph, c, opts, tp, pp, net, tokens * h * actBytes)
      : evaluateShardedPass(graph, c, opts, tp, pp, net, tokens * h * actBytes, true, { ep, cp, cp_phase: graph.phase === "decode" ? "decode" : "prefill" });
  const b = l.batchPerReplica;
  return {
    run,
    decodeStep: (c, m, contextTokens, newTokens, h) =>
      run(c, buildWorkload(m, { batch: b, new_tokens: newTokens, context_tokens: contextTokens, phase: "decode", lm_head_tokens: newTokens > 1 ? "all" : "last" }, precision), b * newTokens, h),
    prefillShape: (batch, input) => ({ batch, new_tokens: input, context_tokens: input, phase: "prefill", lm_head_tokens: "last", ...(imageSize ? { image_size: imageSize } : {}) }),
  };
}

/** Time of collectives and transfers in a pass: TP + PP + EP + CP. */
export function passCommS(g: ShardedPassCost): number {
  return g.tp_comm_s + g.pp_comm_s + g.ep_comm_s + g.cp_comm_s;
}
