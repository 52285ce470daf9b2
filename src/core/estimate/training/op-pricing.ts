import type { Bound, CostContext, OpCost } from "../../cost/contract.js";
import { estimateOp } from "../../cost/registry.js";
import type { ElementwiseOp, Op } from "../../workload/op.js";
import { eagerDispatchS, type EvaluateOptions } from "../evaluate-graph.js";

/** One op as scheduled: its kernel time × factor, never below the eager dispatch interval. */
export interface ScheduledOp {
  t: number;
  cost: OpCost;
  bound: Bound;
}

export type PriceOp = (op: Op, factor: number) => ScheduledOp;

/** The cost-model options an evaluation passes down to every op. */
function costModelOptions(opts: EvaluateOptions) {
  return { ...(opts.costModel ? { model: opts.costModel } : {}), ...(opts.execution ? { execution: opts.execution } : {}) };
}

/**
 * Prices ops on the chip with the cost-model registry. Under eager execution an op takes
 * max(kernel time, dispatch interval), and the dispatch is taken out of the kernel efficiency so it
 * is not counted twice.
 */
export function opPricer(ctx: CostContext, opts: EvaluateOptions): PriceOp {
  const dispatch = opts.execution === "eager" ? eagerDispatchS(ctx) : 0;
  const kernelEff = dispatch > 0 ? { ...ctx.efficiency, eager_dispatch_overhead_s: 0 } : ctx.efficiency;
  const opOpts = costModelOptions(opts);
  return (op, factor) => {
    const { cost } = estimateOp(op, ctx.chip, kernelEff, opOpts);
    const t = Math.max(cost.time_s * factor, dispatch);
    return { t, cost, bound: (dispatch > cost.time_s * factor ? "overhead" : cost.bound) as Bound };
  };
}

/** The Adam step over `elements` parameters (7 fp32-sized streams per parameter), memoised by size. */
export function optimizerPricer(ctx: CostContext, opts: EvaluateOptions): (elements: number) => OpCost {
  const cache = new Map<number, OpCost>();
  const opOpts = costModelOptions(opts);
  return (elements) => {
    let c = cache.get(elements);
    if (!c) {
      const adam: ElementwiseOp = { name: "optimizer.adam", kind: "elementwise", role: "replicated", fn: "adam", dtype: "fp32", act_dtype: "fp32", elements, inputs: 6, flops_per_element: 12 };
      c = estimateOp(adam, ctx.chip, ctx.efficiency, opOpts).cost;
      cache.set(elements, c);
    }
    return c;
  };
}
