import type { Bound } from "../../cost/contract.js";
import type { Block } from "../../workload/op.js";
import { emptyBoundTimes } from "../evaluate-graph.js";
import type { BlockPrice } from "./block-price.js";
import type { GraphInfo } from "./training-graph.js";

/** The blocks of one pipeline stage added up for one micro-batch (times, parameters, saved bytes). */
export interface Sum {
  fwd: number;
  bwd: number;
  rec: number;
  tp: number;
  ep: number;
  cp: number;
  energy: number | undefined;
  params: number;
  expertParams: number;
  act: number;
  actSel: number;
  actInput: number;
  /** The largest single block's saved bytes (the one full recomputation rebuilds at a time). */
  largest: number;
  bounds: Record<Bound, number>;
}

export interface Stages {
  first: Sum;
  last: Sum;
  /** The most loaded stage's layers: ceil(L / (pp·v)) per chunk (layers spread as evenly as possible). */
  mid: Sum;
  /** A stage's layers on average (L / pp), for the bubble. */
  midMean: Sum;
}

/**
 * The first, last, most loaded and average pipeline stage of `pp` stages with `v` chunks each.
 * Layers need not divide evenly over the stages (Llama 3 405B: 126 layers on 16 stages): the most
 * loaded stage holds ceil(L / (pp·v)) layers per chunk and sets the pace. The first stage adds the
 * pre-layer blocks (embedding), the last the post-layer ones (head, loss).
 */
export function stageSums(g: GraphInfo, prices: ReadonlyMap<Block, BlockPrice>, pp: number, v: number): Stages {
  const sum = (blocks: readonly Block[], scale: (b: Block) => number) => sumBlocks(blocks, prices, scale);
  const maxLayers = g.layers > 0 ? Math.ceil(g.layers / (pp * v)) * v : 0;
  const mid = sum(g.body, (b) => (g.layerSet.has(b) ? (b.repeat * maxLayers) / g.layers : 1));
  const midMean = sum(g.body, (b) => (g.layerSet.has(b) ? b.repeat / pp : 1));
  const first = pp === 1 ? sum(g.graph.blocks, (b) => (g.layerSet.has(b) ? b.repeat : 1)) : addSums(mid, sum(g.pre, () => 1));
  const last = pp === 1 ? first : addSums(mid, sum(g.post, () => 1));
  return { first, last, mid, midMean };
}

/** Σ scale(b) × price(b) over the blocks. */
function sumBlocks(blocks: readonly Block[], prices: ReadonlyMap<Block, BlockPrice>, scale: (b: Block) => number): Sum {
  const s: Sum = { fwd: 0, bwd: 0, rec: 0, tp: 0, ep: 0, cp: 0, energy: 0, params: 0, expertParams: 0, act: 0, actSel: 0, actInput: 0, largest: 0, bounds: emptyBoundTimes() };
  for (const b of blocks) {
    const p = prices.get(b)!;
    const k = scale(b);
    s.fwd += p.fwd * k;
    s.bwd += p.bwd * k;
    s.rec += p.rec * k;
    s.tp += p.tp_comm * k;
    s.ep += p.ep_comm * k;
    s.cp += p.cp_comm * k;
    s.energy = s.energy === undefined || p.energy_j === undefined ? undefined : s.energy + p.energy_j * k;
    s.params += p.params * k;
    s.expertParams += p.expert_params * k;
    s.act += p.act * k;
    s.actSel += p.act_selective * k;
    s.actInput += p.act_input * k;
    s.largest = Math.max(s.largest, p.act);
    for (const key of Object.keys(s.bounds) as Bound[]) s.bounds[key] += p.bounds[key] * k;
  }
  return s;
}

function addSums(a: Sum, b: Sum): Sum {
  const bounds = emptyBoundTimes();
  for (const k of Object.keys(bounds) as Bound[]) bounds[k] = a.bounds[k] + b.bounds[k];
  return {
    fwd: a.fwd + b.fwd,
    bwd: a.bwd + b.bwd,
    rec: a.rec + b.rec,
    tp: a.tp + b.tp,
    ep: a.ep + b.ep,
    cp: a.cp + b.cp,
    energy: a.energy === undefined || b.energy === undefined ? undefined : a.energy + b.energy,
    params: a.params + b.params,
    expertParams: a.expertParams + b.expertParams,
    act: a.act + b.act,
    actSel: a.actSel + b.actSel,
    actInput: a.actInput + b.actInput,
    largest: Math.max(a.largest, b.largest),
    bounds,
  };
}
