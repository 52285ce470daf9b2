import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import type { TrainingEstimate } from "../estimate/estimate-training.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import type { System } from "../network/build-system.js";
import { layoutLabel, searchTrainingLayouts } from "../search/training-search.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { Precision } from "../workload/precision.js";

/**
 * Weak-scaling efficiency of training over chip counts (the scalability factor): at each count the
 * layout search (search/training-search.ts, as the scaling job runs it) picks the fastest layout on
 * the chip's usual system, with the global batch growing with the chips (batch_per_chip sequences each):
 *   efficiency(N) = (tokens/s(N) / N) / (tokens/s(N0) / N0), N0 = the smallest count with a fitting layout.
 * The curve bends at the first count whose efficiency falls by more than BEND_DROP against the previous
 * fitting count, or where no layout fits or the system cannot hold the chips; the cause is the step-time
 * component whose share grew most (communication by kind, pipeline bubble, recompute), else the layout change.
 */
export const SCALE_COUNTS: readonly number[] = [1, 8, 64, 1024, 16384];
/** A fall of more than 10 % of per-chip throughput between consecutive counts counts as a bend. */
export const BEND_DROP = 0.1;

export interface ScalingCurvePoint {
  chips: number;
  fits: boolean;
  efficiency: number | null;
  layout?: string;
  tokens_per_s_per_chip?: number;
  /** Share of step time of each component of the best layout. */
  shares?: Record<string, number>;
  reason?: string;
  search_ms: number;
}

export interface ScalingCurve {
  points: ScalingCurvePoint[];
  batch_per_chip: number;
  /** Largest scale-up domain of the chip's usual system (chips), when one exists. */
  max_scale_up_domain: number | null;
  scale_up_fabric?: string;
  bend?: { at_chips: number; from_chips: number; drop: number | null; cause: string };
  /** Counts not searched because the budget ran out. */
  skipped: number[];
  elapsed_ms: number;
}

export interface ScalingCurveInput {
  ctx: CostContext;
  model: ModelSpec;
  precision: Precision;
  seq_len: number;
  image_size?: number;
  batch_per_chip: number;
  systemFor: (chips: number) => System | undefined;
  counts?: readonly number[];
  budget_ms?: number;
  options?: EvaluateOptions;
}

const COMPONENTS = ["tensor_parallel_comm", "expert_parallel_comm", "context_parallel_comm", "pipeline_p2p", "data_parallel_exposed", "overlap_slowdown", "pipeline_bubble", "recompute"] as const;

function sharesOf(e: TrainingEstimate): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of COMPONENTS) out[c] = e.step_breakdown_s[c] / e.step_time_s;
  return out;
}

export function scalingCurve(input: ScalingCurveInput): ScalingCurve {
  const start = Date.now();
  // No budget unless the caller sets one: the same request must give the same result on any machine.
  const budget = input.budget_ms ?? Number.POSITIVE_INFINITY;
  const points: ScalingCurvePoint[] = [];
  const skipped: number[] = [];
  let domain: number | null = null;
  let fabric: string | undefined;
  for (const n of input.counts ?? SCALE_COUNTS) {
    if (Date.now() - start > budget) {
      skipped.push(n);
      continue;
    }
    const t0 = Date.now();
    const point = pointAt(n, input);
    point.search_ms = Date.now() - t0;
    points.push(point);
    try {
      const s = n > 1 ? input.systemFor(n) : undefined;
      if (s && (domain === null || s.scale_up.domain_size > domain)) [domain, fabric] = [s.scale_up.domain_size, s.scale_up.name];
    } catch {
      /* reported by the point */
    }
  }
  const base = points.find((p) => p.fits);
  for (const p of points) if (p.fits && base) p.efficiency = p.tokens_per_s_per_chip! / base.tokens_per_s_per_chip!;
  const bend = bendOf(points);
  return { points, batch_per_chip: input.batch_per_chip, max_scale_up_domain: domain, ...(fabric ? { scale_up_fabric: fabric } : {}), ...(bend ? { bend } : {}), skipped, elapsed_ms: Date.now() - start };
}

function pointAt(n: number, input: ScalingCurveInput): ScalingCurvePoint {
  try {
    const system = n > 1 ? input.systemFor(n) : undefined;
    const r = searchTrainingLayouts(
      { model: input.model, precision: input.precision, seq_len: input.seq_len, chips: n, global_batch: input.batch_per_chip * n, top: 1, max_microbatch: 16, ...(input.image_size ? { image_size: input.image_size } : {}), ...(system ? { system } : {}) },
      input.ctx,
      input.options ?? {},
    );
    const e = r.best;
    if (!e) return { chips: n, fits: false, efficiency: null, reason: (r.closest ? r.infeasible_reason : r.rejections[0]?.reason) ?? r.infeasible_reason ?? "no layout fits", search_ms: 0 };
    return { chips: n, fits: true, efficiency: null, layout: layoutLabel(e.layout), tokens_per_s_per_chip: e.tokens_per_s / n, shares: sharesOf(e), search_ms: 0 };
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { chips: n, fits: false, efficiency: null, reason: e.diagnostics.map((d) => d.message).join("; "), search_ms: 0 };
  }
}

function bendOf(points: readonly ScalingCurvePoint[]): ScalingCurve["bend"] {
  let prev: ScalingCurvePoint | undefined;
  for (const p of points) {
    if (!prev) {
      if (p.fits) prev = p;
      continue;
    }
    if (!p.fits) return { at_chips: p.chips, from_chips: prev.chips, drop: null, cause: p.reason ?? "no layout fits" };
    const ratio = p.efficiency! / prev.efficiency!;
    if (ratio < 1 - BEND_DROP) return { at_chips: p.chips, from_chips: prev.chips, drop: 1 - ratio, cause: causeOf(prev, p) };
    prev = p;
  }
  return undefined;
}

function causeOf(a: ScalingCurvePoint, b: ScalingCurvePoint): string {
  let best: string | undefined;
  let grew = 0;
  for (const c of COMPONENTS) {
    const d = (b.shares?.[c] ?? 0) - (a.shares?.[c] ?? 0);
    if (d > grew) [best, grew] = [c, d];
  }
  if (best) return `${best.replace(/_/g, " ")} grew from ${(100 * (a.shares?.[best] ?? 0)).toFixed(1)} % to ${(100 * (b.shares?.[best] ?? 0)).toFixed(1)} % of the step (layout ${b.layout})`;
  return `layout change ${a.layout} → ${b.layout}`;
}
