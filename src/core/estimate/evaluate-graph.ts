import type { Bound, CostContext, DecodeAttentionKernel, ExecutionMode, OpCost } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import type { Block, BlockKind, Op, WorkloadGraph } from "../workload/op.js";

/**
 * Prices a workload graph op by op with the cost-model registry and sums block × repeat.
 * Each distinct op is priced once per block (a 126-layer model costs one layer's ops), so a whole
 * forward pass of a 405B model is a few dozen cost-model calls.
 *
 * Eager execution (PyTorch without CUDA graphs): the host issues one kernel per op and the device
 * idles when a kernel is shorter than the host's dispatch time, so each op takes
 * max(kernel time, dispatch time) (the dispatch interval is a family efficiency parameter).
 */
export interface OpResult {
  block: string;
  op: Op;
  /** Executions of this op in the pass (block repeat). */
  repeat: number;
  cost: OpCost;
  /** Time of one execution as scheduled (eager dispatch applied). */
  time_s: number;
}

export interface BlockResult {
  name: string;
  kind: BlockKind;
  repeat: number;
  /** One repetition of the block. */
  time_s: number;
  total_time_s: number;
  flops: number;
  bytes: number;
  ops: OpResult[];
}

export interface GraphCost {
  time_s: number;
  flops: number;
  bytes: number;
  /** Undefined when the chip has no power data. */
  energy_j?: number;
  /** Total time spent in ops of each bound. */
  time_by_bound_s: Record<Bound, number>;
  /** The bound holding the largest share of time. */
  bound: Bound;
  blocks: BlockResult[];
  /** Ops priced by each cost model id. */
  models_used: Record<string, number>;
}

export interface EvaluateOptions {
  /** graph (default), eager or stream (cost/contract.ts ExecutionMode). */
  execution?: ExecutionMode;
  /** The decode-attention kernel of the engine (default "packed"; cost/contract.ts). */
  decodeAttention?: DecodeAttentionKernel;
  /** Force a cost model id. */
  costModel?: string;
}

export function emptyBoundTimes(): Record<Bound, number> {
  return { compute: 0, memory: 0, capacity: 0, overhead: 0, network: 0 };
}

export function dominantBound(t: Record<Bound, number>): Bound {
  let best: Bound = "compute";
  for (const k of Object.keys(t) as Bound[]) if (t[k] > t[best]) best = k;
  return best;
}

export function eagerDispatchS(ctx: CostContext): number {
  const v = ctx.efficiency.eager_dispatch_overhead_s;
  return typeof v === "number" ? v : 0;
}

export function evaluateGraph(graph: WorkloadGraph, ctx: CostContext, opts: EvaluateOptions = {}): GraphCost {
  return evaluateBlocks(graph.blocks, ctx, opts);
}

export function evaluateBlocks(blocks: readonly Block[], ctx: CostContext, opts: EvaluateOptions = {}): GraphCost {
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const byBound = emptyBoundTimes();
  const modelsUsed: Record<string, number> = {};
  const out: BlockResult[] = [];
  let time = 0;
  let flops = 0;
  let bytes = 0;
  let energy = 0;
  let energyKnown = true;
  for (const block of blocks) {
    const ops: OpResult[] = [];
    let bt = 0;
    let bf = 0;
    let bb = 0;
    for (const op of block.ops) {
      const { cost } = estimateOp(op, ctx.chip, ctx.efficiency, {
        ...(opts.costModel ? { model: opts.costModel } : {}),
        ...(opts.execution ? { execution: opts.execution } : {}),
        ...(opts.decodeAttention ? { decode_attention: opts.decodeAttention } : {}),
      });
      let t = cost.time_s;
      let bound = cost.bound;
      if (dispatch > t) {
        t = dispatch;
        bound = "overhead";
      }
      ops.push({ block: block.name, op, repeat: block.repeat, cost, time_s: t });
      bt += t;
      bf += cost.flops;
      bb += cost.bytes;
      byBound[bound] += t * block.repeat;
      modelsUsed[cost.model] = (modelsUsed[cost.model] ?? 0) + block.repeat;
      if (cost.energy_j === undefined) energyKnown = false;
      else energy += (cost.energy_j + (t - cost.time_s) * idlePowerW(ctx)) * block.repeat;
    }
    out.push({ name: block.name, kind: block.kind, repeat: block.repeat, time_s: bt, total_time_s: bt * block.repeat, flops: bf * block.repeat, bytes: bb * block.repeat, ops });
    time += bt * block.repeat;
    flops += bf * block.repeat;
    bytes += bb * block.repeat;
  }
  const result: GraphCost = { time_s: time, flops, bytes, time_by_bound_s: byBound, bound: dominantBound(byBound), blocks: out, models_used: modelsUsed };
  if (energyKnown) result.energy_j = energy;
  return result;
}

/** Power drawn while the device waits on the host (idle power, or a family fraction of TDP). */
function idlePowerW(ctx: CostContext): number {
  if (ctx.chip.power.idle_w !== undefined) return ctx.chip.power.idle_w;
  const frac = ctx.efficiency.static_power_fraction;
  return (ctx.chip.power.tdp_w ?? 0) * (typeof frac === "number" ? frac : 0);
}
