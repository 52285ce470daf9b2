import type { CostContext } from "../cost/contract.js";
import { type BlockResult, eagerDispatchS, type EvaluateOptions, evaluateBlocks, evaluateGraph } from "../estimate/evaluate-graph.js";
import { shardGraphBlocks, waitingPowerW } from "../estimate/sharded-pass.js";
import type { LayoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload } from "../workload/build-workload.js";
import type { Block, WorkloadGraph } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";

/**
 * The terms of the engine step formula (step-cost.ts), each priced exactly from an evaluated workload
 * graph and memoised by its exact shape:
 *   body(N), head(R)   of a decode graph of batch N / R (`decodeParts`), body(N) of a prefill graph of
 *                      N tokens (`prefillBody`);
 *   attn_decode(B, c)  attention ops of a decode graph of batch B at context c;
 *   attn_prefill(t, p) attention ops of a prefill graph of t new tokens after p cached ones.
 * With tp / ep > 1 every graph is sharded first (sharded-pass.ts) and each block's collectives, priced
 * on the instance's network, are added to its term (attention needs none).
 */

/** Time (s) and energy of all chips of the instance (J; NaN without power data) of a step term. */
export interface Priced {
  t: number;
  e: number;
}

/** The parts of an evaluated graph the step formula needs. */
export interface GraphParts {
  body: Priced;
  head: Priced;
  attention: Priced;
}

export interface StepTermsOptions extends EvaluateOptions {
  tp: number;
  ep: number;
  network?: LayoutNetwork;
}

export interface StepTerms {
  decodeParts(batch: number): GraphParts;
  prefillBody(tokens: number): Priced;
  attnDecode(batch: number, context: number): Priced;
  attnPrefill(tokens: number, prior: number): Priced;
  /** Graph evaluations done so far (cache misses). */
  evaluations(): number;
  /** Chips of the instance (tp × ep) and the waiting power of one, W. */
  readonly chips: number;
  readonly idleW: number;
}

/** Splits a graph's ops into body / head / attention; energy × `chips` (each chip runs the same sharded ops). */
function partsOf(blocks: readonly BlockResult[], chips: number, idleW: number): GraphParts {
  const parts: GraphParts = { body: { t: 0, e: 0 }, head: { t: 0, e: 0 }, attention: { t: 0, e: 0 } };
  for (const b of blocks) {
    for (const o of b.ops) {
      const t = o.time_s * b.repeat;
      // Eager dispatch gaps idle like evaluate-graph's energy.
      const e = ((o.cost.energy_j ?? NaN) + (o.time_s - o.cost.time_s) * idleW) * b.repeat * chips;
      const p = b.kind === "head" ? parts.head : o.op.kind === "attention" ? parts.attention : parts.body;
      p.t += t;
      p.e += e;
    }
  }
  return parts;
}

function attentionOnly(graph: WorkloadGraph): Block[] {
  const out: Block[] = [];
  for (const b of graph.blocks) {
    const ops = b.ops.filter((o) => o.kind === "attention");
    if (ops.length) out.push({ ...b, ops });
  }
  return out;
}

/** Prices graphs whole (body/head/attention) or attention-only, sharded over ep then tp with collectives. */
function graphPricer(ctx: CostContext, opts: StepTermsOptions, chips: number, idleW: number) {
  const { tp, ep, network: net } = opts;
  const evalOpts: EvaluateOptions = {};
  if (opts.execution) evalOpts.execution = opts.execution;
  if (opts.costModel) evalOpts.costModel = opts.costModel;
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const parts = (graph: WorkloadGraph): GraphParts => {
    if (tp === 1 && ep === 1) return partsOf(evaluateGraph(graph, ctx, evalOpts).blocks, 1, idleW);
    const { blocks, comm, a2a } = shardGraphBlocks(graph, tp, ep);
    const out = partsOf(evaluateBlocks(blocks, ctx, evalOpts).blocks, chips, idleW);
    for (let i = 0; i < blocks.length; i++) {
      let t = 0;
      for (const c of comm[i]!) t += Math.max(net!.tp(c.collective, c.bytes), dispatch);
      for (const c of a2a[i]!) t += Math.max(net!.ep(c.collective, c.bytes, c.moe), dispatch);
      // While the collectives run, every chip of the instance draws its waiting power.
      const p = blocks[i]!.kind === "head" ? out.head : out.body;
      const r = blocks[i]!.kind === "head" ? 1 : blocks[i]!.repeat;
      p.t += t * r;
      p.e += t * r * chips * idleW;
    }
    return out;
  };
  /** Attention ops only (heads ÷ tp; no communication). */
  const attention = (graph: WorkloadGraph): Priced => {
    const blocks = attentionOnly(graph);
    return partsOf(evaluateBlocks(tp === 1 ? blocks : shardGraphBlocks({ ...graph, blocks }, tp).blocks, ctx, evalOpts).blocks, chips, idleW).attention;
  };
  return { parts, attention };
}

/** The memoised exact step terms of `model` on `ctx` at `precision`. */
export function stepTerms(model: ModelSpec, ctx: CostContext, precision: Precision, opts: StepTermsOptions): StepTerms {
  const chips = opts.tp * opts.ep;
  const idleW = waitingPowerW(ctx);
  const price = graphPricer(ctx, opts, chips, idleW);
  const decodeGraph = (batch: number, context: number) =>
    buildWorkload(model, { batch, new_tokens: 1, context_tokens: context, phase: "decode", lm_head_tokens: "last" }, precision);
  const prefillGraph = (tokens: number, prior: number) =>
    buildWorkload(model, { batch: 1, new_tokens: tokens, context_tokens: prior + tokens, phase: "prefill", lm_head_tokens: "last" }, precision);

  let evaluations = 0;
  const KEY = 2 ** 26;
  /** Memoises `compute` by an exact integer key. */
  const memo = <T>(compute: (a: number, b: number) => T) => {
    const cache = new Map<number, T>();
    return (a: number, b = 0): T => {
      const key = a * KEY + b;
      let v = cache.get(key);
      if (v === undefined) {
        evaluations++;
        v = compute(a, b);
        cache.set(key, v);
      }
      return v;
    };
  };
  return {
    decodeParts: memo((batch) => price.parts(decodeGraph(batch, 1))),
    prefillBody: memo((tokens) => price.parts(prefillGraph(tokens, 0)).body),
    attnDecode: memo((batch, context) => price.attention(decodeGraph(batch, context))),
    attnPrefill: memo((tokens, prior) => price.attention(prefillGraph(tokens, prior))),
    evaluations: () => evaluations,
    chips,
    idleW,
  };
}
