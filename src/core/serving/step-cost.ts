import type { CostContext } from "../cost/contract.js";
import { type BlockResult, eagerDispatchS, type EvaluateOptions, evaluateBlocks, evaluateGraph } from "../estimate/evaluate-graph.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload } from "../workload/build-workload.js";
import type { LayoutNetwork } from "../parallel/network-context.js";
import { shardGraphBlocks, waitingPowerW } from "../estimate/sharded-pass.js";
import type { Block, WorkloadGraph } from "../workload/op.js";
import type { Precision } from "../workload/precision.js";

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
 */

/** One iteration's batch. Reused between steps by the simulator (no allocation per step). */
export interface StepBatch {
  /** Prefill chunks in this step. */
  chunks: number;
  /** New tokens of each chunk (first `chunks` entries are valid). */
  chunk_tokens: Int32Array;
  /** Tokens of the same sequence already in the KV cache before the chunk. */
  chunk_prior: Int32Array;
  /** Decoding sequences (one new token each). */
  decodes: number;
  /** Σ over decoding sequences of their context (cached tokens + the new one). */
  decode_context_sum: number;
}

export function createStepBatch(maxSequences: number): StepBatch {
  return { chunks: 0, chunk_tokens: new Int32Array(maxSequences), chunk_prior: new Int32Array(maxSequences), decodes: 0, decode_context_sum: 0 };
}

/** Prices one iteration. Implementations must be deterministic and side-effect free (caches aside). */
export interface StepCostModel {
  readonly id: string;
  /** What the model assumes, for the output's notes. */
  readonly notes: readonly string[];
  stepTimeS(batch: StepBatch): number;
  /**
   * Energy of all chips of one instance over the step, J (their op energy, and idle power while
   * they wait on collectives); NaN when the chip has no power data. Absent: energy not modelled.
   */
  stepEnergyJ?(batch: StepBatch): number;
  /** Power one chip draws while the engine has nothing to run, W (for the gaps between steps). */
  readonly idle_power_w?: number;
  /** Chips of one engine instance (tp × ep; default 1). */
  readonly chips?: number;
}

export interface LinearStepCostParams {
  /** Fixed time of every step, s. */
  base_s: number;
  /** Per prefill-chunk token, s. */
  per_prefill_token_s?: number;
  /** Per decoding sequence, s. */
  per_decode_seq_s?: number;
  /** Per context token attended by a decoding sequence, s. */
  per_context_token_s?: number;
  /** Power of one chip while a step runs, W (gives the model an energy: busy × step time × chips). */
  busy_power_w?: number;
  /** Power of one chip between steps, W (default 0 when busy_power_w is set). */
  idle_power_w?: number;
  /** Chips per instance (default 1). */
  chips?: number;
}

/** A hand-checkable step cost (tests, what-if studies): base + per-token terms. */
export function linearStepCost(p: LinearStepCostParams): StepCostModel {
  const pt = p.per_prefill_token_s ?? 0;
  const pd = p.per_decode_seq_s ?? 0;
  const pc = p.per_context_token_s ?? 0;
  const chips = p.chips ?? 1;
  const time = (b: StepBatch): number => {
    let tokens = 0;
    for (let i = 0; i < b.chunks; i++) tokens += b.chunk_tokens[i]!;
    return p.base_s + pt * tokens + pd * b.decodes + pc * b.decode_context_sum;
  };
  const model: StepCostModel = {
    id: "linear",
    notes: [`step time = ${p.base_s} s + ${pt} s/prefill token + ${pd} s/decode sequence + ${pc} s/context token`],
    stepTimeS: time,
    chips,
  };
  if (p.busy_power_w === undefined) return model;
  const busy = p.busy_power_w;
  return { ...model, idle_power_w: p.idle_power_w ?? 0, stepEnergyJ: (b: StepBatch) => busy * chips * time(b) };
}

const LINEAR_TOP = 32;
/** Sizes above this are clamped (tokens, sequences or context): 2^24. */
const AXIS_MAX_LOG2 = 24;
/** Buckets of 16 from 32 to 256, then 8 per doubling. */
const FINE_TOP = 256;
const FINE_BUCKETS = (FINE_TOP - LINEAR_TOP) / 16;
const BUCKETS_PER_OCTAVE = 8;

/**
 * Grid of evaluation points, aligned to the tile sizes cost models quantise on. Sizes 0..32 are
 * points themselves. Above, the line is cut into buckets (lo, hi] with lo, hi multiples of 16 —
 * 16 wide up to 256, then 8 buckets per doubling (width 2^(e−3) in (2^e, 2^(e+1)]) — and each
 * bucket is evaluated at both ends, lo + 1 and hi. GEMM and attention tiles are multiples of 16
 * (64, 128, 256), so a tile or wave step happens between hi of one bucket and lo + 1 of the next,
 * never inside a bucket up to widths of 64 (sizes ≤ 1024); interpolation inside a bucket then
 * only sees the smooth (memory-traffic) part.
 *
 * `locate(v)` sets pa, pb (point indices) and frac, so that f(v) ≈ f(pa) + frac·(f(pb) − f(pa)).
 */
class Axis {
  /** Value of each point index. */
  readonly values: Float64Array;
  pa = 0;
  pb = 0;
  frac = 0;
  constructor() {
    const buckets = FINE_BUCKETS + BUCKETS_PER_OCTAVE * (AXIS_MAX_LOG2 - Math.log2(FINE_TOP));
    this.values = new Float64Array(LINEAR_TOP + 2 + 2 * buckets);
    for (let i = 0; i <= LINEAR_TOP + 1; i++) this.values[i] = i;
    for (let k = 0; k < buckets; k++) {
      const [lo, hi] = bucketBounds(k);
      this.values[LINEAR_TOP + 2 + 2 * k] = lo + 1;
      this.values[LINEAR_TOP + 3 + 2 * k] = hi;
    }
  }
  locate(v: number): void {
    if (v <= LINEAR_TOP) {
      const lo = v > 0 ? Math.floor(v) : 0;
      this.pa = lo;
      this.pb = lo + 1;
      this.frac = v - lo;
      return;
    }
    const top = 2 ** AXIS_MAX_LOG2;
    const c = Math.ceil(v > top ? top : v);
    let k: number;
    if (c <= FINE_TOP) k = Math.ceil((c - LINEAR_TOP) / 16) - 1;
    else {
      const e = 31 - Math.clz32(c - 1);
      k = FINE_BUCKETS + BUCKETS_PER_OCTAVE * (e - 8) + Math.ceil((c - 2 ** e) / 2 ** (e - 3)) - 1;
    }
    const pa = LINEAR_TOP + 2 + 2 * k;
    const a = this.values[pa]!;
    const b = this.values[pa + 1]!;
    this.pa = pa;
    this.pb = pa + 1;
    const f = (v > top ? top : v) - a;
    this.frac = f <= 0 ? 0 : f / (b - a);
  }
}

/** (lo, hi] of bucket k above LINEAR_TOP. */
function bucketBounds(k: number): [number, number] {
  if (k < FINE_BUCKETS) return [LINEAR_TOP + 16 * k, LINEAR_TOP + 16 * (k + 1)];
  const j = k - FINE_BUCKETS;
  const e = 8 + Math.floor(j / BUCKETS_PER_OCTAVE);
  const w = 2 ** (e - 3);
  const lo = 2 ** e + w * (j % BUCKETS_PER_OCTAVE);
  return [lo, lo + w];
}

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

/** Time (s) and energy of all chips of the instance (J; NaN without power data) of a step term. */
interface Priced {
  t: number;
  e: number;
}

/** The parts of an evaluated graph the step formula needs. */
interface GraphParts {
  body: Priced;
  head: Priced;
  attention: Priced;
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

/** Lazily filled 1-D or 2-D table keyed by grid indices (NaN = not computed yet). */
class Table {
  private readonly data: Float64Array;
  private readonly done: Uint8Array;
  constructor(
    size: number,
    private readonly cols: number,
  ) {
    this.data = new Float64Array(size);
    this.done = new Uint8Array(size);
  }
  get(i: number, j: number, compute: (i: number, j: number) => number): number {
    const k = i * this.cols + j;
    if (this.done[k] === 1) return this.data[k]!;
    const v = compute(i, j);
    this.data[k] = v;
    this.done[k] = 1;
    return v;
  }
}

export interface EngineStepCost extends StepCostModel {
  /** Graph evaluations done so far (cache misses), for benchmarks and tests. */
  readonly evaluations: () => number;
  stepEnergyJ(batch: StepBatch): number;
  readonly idle_power_w: number;
  readonly chips: number;
}

/**
 * The load of the busiest attention group of an ep-way instance (ep = 1: the batch itself).
 * Sequences are spread evenly over the groups (each group's scheduler has the same budget), so a
 * group holds ⌈N/ep⌉ tokens, ⌈R/ep⌉ rows and ⌈D/ep⌉ decodes, except that a prompt chunk is never
 * split between groups: the busiest group holds at least the largest chunk.
 */
interface GroupLoad {
  tokens: number;
  rows: number;
  decodes: number;
  largestChunk: number;
}

function groupLoad(b: StepBatch, ep: number, out: GroupLoad): void {
  let tokens = b.decodes;
  let largest = 0;
  for (let i = 0; i < b.chunks; i++) {
    const t = b.chunk_tokens[i]!;
    tokens += t;
    if (t > largest) largest = t;
  }
  const rows = b.chunks + b.decodes;
  if (ep === 1) {
    out.tokens = tokens;
    out.rows = rows;
    out.decodes = b.decodes;
  } else {
    const t = Math.ceil(tokens / ep);
    out.tokens = t > largest ? t : largest;
    out.rows = Math.ceil(rows / ep);
    out.decodes = Math.ceil(b.decodes / ep);
  }
  out.largestChunk = largest;
}

/** Step cost priced with the workload builder and cost-model registry (see the file comment). */
export function engineStepCost(model: ModelSpec, ctx: CostContext, precision: Precision, opts: EngineStepCostOptions = {}): EngineStepCost {
  const evalOpts: EvaluateOptions = {};
  if (opts.execution) evalOpts.execution = opts.execution;
  if (opts.costModel) evalOpts.costModel = opts.costModel;
  let evaluations = 0;
  const tp = opts.tp ?? 1;
  const ep = opts.ep ?? 1;
  const net = opts.network;
  if ((tp > 1 || ep > 1) && !net) throw new Error("engineStepCost: tp or ep > 1 needs a network (layoutNetwork(system, tp, ep, 1, ep))");
  const chips = tp * ep;
  const idleW = waitingPowerW(ctx);
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  /** Parts of a whole graph, sharded over ep then tp with each block's collectives added (tp = ep = 1: unchanged). */
  const priceParts = (graph: WorkloadGraph): GraphParts => {
    if (tp === 1 && ep === 1) return partsOf(evaluateGraph(graph, ctx, evalOpts).blocks, 1, idleW);
    const { blocks, comm, a2a } = shardGraphBlocks(graph, tp, ep);
    const parts = partsOf(evaluateBlocks(blocks, ctx, evalOpts).blocks, chips, idleW);
    for (let i = 0; i < blocks.length; i++) {
      let t = 0;
      for (const c of comm[i]!) t += Math.max(net!.tp(c.collective, c.bytes), dispatch);
      for (const c of a2a[i]!) t += Math.max(net!.ep(c.collective, c.bytes), dispatch);
      // While the collectives run, every chip of the instance draws its waiting power.
      const p = blocks[i]!.kind === "head" ? parts.head : parts.body;
      const r = blocks[i]!.kind === "head" ? 1 : blocks[i]!.repeat;
      p.t += t * r;
      p.e += t * r * chips * idleW;
    }
    return parts;
  };
  /** Attention ops only (heads ÷ tp; no communication). */
  const priceAttention = (graph: WorkloadGraph): Priced => {
    const blocks = attentionOnly(graph);
    const parts = partsOf(evaluateBlocks(tp === 1 ? blocks : shardGraphBlocks({ ...graph, blocks }, tp).blocks, ctx, evalOpts).blocks, chips, idleW);
    return parts.attention;
  };

  const decodeGraph = (batch: number, context: number) =>
    buildWorkload(model, { batch, new_tokens: 1, context_tokens: context, phase: "decode", lm_head_tokens: "last" }, precision);
  const prefillGraph = (tokens: number, prior: number) =>
    buildWorkload(model, { batch: 1, new_tokens: tokens, context_tokens: prior + tokens, phase: "prefill", lm_head_tokens: "last" }, precision);

  // Exact shape prices (memoised by exact integer key).
  const decodeParts = new Map<number, GraphParts>();
  const prefillBody = new Map<number, Priced>();
  const attnDecode = new Map<number, Priced>();
  const attnPrefill = new Map<number, Priced>();
  const KEY = 2 ** 26;

  const exactDecodeParts = (batch: number): GraphParts => {
    let p = decodeParts.get(batch);
    if (!p) {
      evaluations++;
      p = priceParts(decodeGraph(batch, 1));
      decodeParts.set(batch, p);
    }
    return p;
  };
  const exactPrefillBody = (tokens: number): Priced => {
    let v = prefillBody.get(tokens);
    if (v === undefined) {
      evaluations++;
      v = priceParts(prefillGraph(tokens, 0)).body;
      prefillBody.set(tokens, v);
    }
    return v;
  };
  const exactAttnDecode = (batch: number, context: number): Priced => {
    const key = batch * KEY + context;
    let v = attnDecode.get(key);
    if (v === undefined) {
      evaluations++;
      v = priceAttention(decodeGraph(batch, context));
      attnDecode.set(key, v);
    }
    return v;
  };
  const exactAttnPrefill = (tokens: number, prior: number): Priced => {
    const key = tokens * KEY + prior;
    let v = attnPrefill.get(key);
    if (v === undefined) {
      evaluations++;
      v = priceAttention(prefillGraph(tokens, prior));
      attnPrefill.set(key, v);
    }
    return v;
  };

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
      `expert parallel over ${ep} attention groups of ${tp} chip(s) (${chips} chips per instance): routed experts ÷ ${ep}, a dispatch and a combine all-to-all per MoE layer on ${net!.system.id}; ` +
        `the step is priced for the busiest group (⌈1/${ep}⌉ of the batch, a prompt chunk never split)`,
    );
  }
  const suffix = `${tp > 1 ? `-tp${tp}` : ""}${ep > 1 ? `-ep${ep}` : ""}`;
  const load: GroupLoad = { tokens: 0, rows: 0, decodes: 0, largestChunk: 0 };

  if (opts.interpolate === false) {
    const exactStep = (b: StepBatch, sel: (p: Priced) => number): number => {
      const rows = b.chunks + b.decodes;
      if (rows === 0) return 0;
      groupLoad(b, ep, load);
      let attn = 0;
      let largest = 0;
      for (let i = 0; i < b.chunks; i++) {
        const a = sel(exactAttnPrefill(b.chunk_tokens[i]!, b.chunk_prior[i]!));
        attn += a;
        if (a > largest) largest = a;
      }
      let t = ep === 1 ? attn : Math.max(attn / ep, largest);
      t += sel(b.chunks === 0 ? exactDecodeParts(load.decodes).body : exactPrefillBody(load.tokens));
      t += sel(exactDecodeParts(load.rows).head);
      if (b.decodes > 0) {
        const c = b.decode_context_sum / b.decodes;
        const lo = Math.floor(c);
        const f = c - lo;
        const a = sel(exactAttnDecode(load.decodes, lo));
        t += f === 0 ? a : a + f * (sel(exactAttnDecode(load.decodes, lo + 1)) - a);
      }
      return t;
    };
    const time = (p: Priced) => p.t;
    const energy = (p: Priced) => p.e;
    return {
      id: `engine-exact${suffix}`,
      notes,
      evaluations: () => evaluations,
      idle_power_w: idleW,
      chips,
      stepTimeS: (b: StepBatch) => exactStep(b, time),
      stepEnergyJ: (b: StepBatch) => exactStep(b, energy),
    };
  }

  const vals = new Axis().values;
  const n = vals.length;
  const at = (i: number) => Math.max(1, vals[i]!);

  /** The interpolated step formula for one quantity of the priced terms (time or energy). */
  const interpolated = (sel: (p: Priced) => number): ((b: StepBatch) => number) => {
    const axis = new Axis();
    const bodyDecodeT = new Table(n, 1);
    const headT = new Table(n, 1);
    const bodyPrefillT = new Table(n, 1);
    const attnDecodeT = new Table(n * n, n);
    const attnPrefillT = new Table(n * n, n);
    const fBodyDecode = (i: number) => sel(exactDecodeParts(at(i)).body);
    const fHead = (i: number) => sel(exactDecodeParts(at(i)).head);
    const fBodyPrefill = (i: number) => sel(exactPrefillBody(at(i)));
    const fAttnDecode = (i: number, j: number) => sel(exactAttnDecode(at(i), at(j)));
    const fAttnPrefill = (i: number, j: number) => sel(exactAttnPrefill(at(i), vals[j]!));

    const lerp1 = (table: Table, f: (i: number, j: number) => number, v: number): number => {
      axis.locate(v);
      const fr = axis.frac;
      const a = table.get(axis.pa, 0, f);
      return fr === 0 ? a : a + fr * (table.get(axis.pb, 0, f) - a);
    };
    const lerp2 = (table: Table, f: (i: number, j: number) => number, u: number, v: number): number => {
      axis.locate(u);
      const ia = axis.pa;
      const ib = axis.pb;
      const fu = axis.frac;
      axis.locate(v);
      const ja = axis.pa;
      const jb = axis.pb;
      const fv = axis.frac;
      const a = table.get(ia, ja, f);
      const lo = fv === 0 ? a : a + fv * (table.get(ia, jb, f) - a);
      if (fu === 0) return lo;
      const c = table.get(ib, ja, f);
      const hi = fv === 0 ? c : c + fv * (table.get(ib, jb, f) - c);
      return lo + fu * (hi - lo);
    };

    // Pure-decode fast path: for a batch size B the step is linear in the mean context within
    // one grid cell of the context axis, so the line (intercept, slope) of the current cell is kept
    // per B and reused until the mean context leaves the cell.
    const DECODE_CACHE = 4096;
    const segLo = new Float64Array(DECODE_CACHE).fill(Infinity);
    const segHi = new Float64Array(DECODE_CACHE).fill(-Infinity);
    const segA = new Float64Array(DECODE_CACHE);
    const segS = new Float64Array(DECODE_CACHE);
    const decodeOnly = (batch: number, c: number): number => {
      if (batch < DECODE_CACHE && c >= segLo[batch]! && c < segHi[batch]!) return segA[batch]! + segS[batch]! * c;
      const base = lerp1(bodyDecodeT, fBodyDecode, batch) + lerp1(headT, fHead, batch);
      axis.locate(c);
      const lo = vals[axis.pa]!;
      const hi = vals[axis.pb]!;
      const a0 = lerp2(attnDecodeT, fAttnDecode, batch, lo);
      const a1 = lerp2(attnDecodeT, fAttnDecode, batch, hi);
      const slope = (a1 - a0) / (hi - lo);
      const intercept = base + a0 - slope * lo;
      if (batch < DECODE_CACHE) {
        segLo[batch] = lo;
        segHi[batch] = hi;
        segA[batch] = intercept;
        segS[batch] = slope;
      }
      return intercept + slope * c;
    };
    const local: GroupLoad = { tokens: 0, rows: 0, decodes: 0, largestChunk: 0 };
    return (b: StepBatch): number => {
      const rows = b.chunks + b.decodes;
      if (rows === 0) return 0;
      groupLoad(b, ep, local);
      if (b.chunks === 0) return decodeOnly(local.decodes, b.decode_context_sum / b.decodes);
      let attn = 0;
      let largest = 0;
      for (let i = 0; i < b.chunks; i++) {
        const a = lerp2(attnPrefillT, fAttnPrefill, b.chunk_tokens[i]!, b.chunk_prior[i]!);
        attn += a;
        if (a > largest) largest = a;
      }
      let t = ep === 1 ? attn : Math.max(attn / ep, largest);
      t += lerp1(bodyPrefillT, fBodyPrefill, local.tokens);
      t += lerp1(headT, fHead, local.rows);
      if (b.decodes > 0) t += lerp2(attnDecodeT, fAttnDecode, local.decodes, b.decode_context_sum / b.decodes);
      return t;
    };
  };

  return {
    id: `engine-interpolated${suffix}`,
    notes: [...notes, "graph costs cached on a tile-aligned grid (exact to 32 tokens, 16-token buckets to 256, then 8 per doubling) and interpolated linearly"],
    evaluations: () => evaluations,
    idle_power_w: idleW,
    chips,
    stepTimeS: interpolated((p) => p.t),
    stepEnergyJ: interpolated((p) => p.e),
  };
}
