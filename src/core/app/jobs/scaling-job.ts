import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { EvaluateOptions } from "../../estimate/evaluate-graph.js";
import { fmtBytes } from "../../report/table.js";
import { layoutLabel, searchTrainingLayouts, type TrainingSearchResult } from "../../search/training-search.js";
import { type PrecisionInput, resolvePrecision } from "../../workload/precision.js";
import type { SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import type { SoftwareRef, SoftwareUsed } from "../software-stack.js";
import { applyTrainingStack } from "../training-software.js";

/**
 * Strong- or weak-scaling curve of training a model on growing chip counts. Each count gets the best
 * layout of the layout search (the training-search job); scaling efficiency is the per-chip
 * throughput relative to the smallest count that has a fitting layout:
 *   efficiency(N) = (tokens_per_s(N) / N) / (tokens_per_s(N0) / N0)
 * (for strong scaling, with a fixed global batch, this is T(N0)·N0 / (T(N)·N)).
 */
export interface ScalingRequest {
  chip: SpecRef;
  model: SpecRef;
  /** The named system at every count, else the chip's usual one. */
  system?: SpecRef;
  /** Chip counts, ascending. */
  chip_counts: readonly number[];
  /** strong: a fixed global batch (default); weak: the batch grows with the chips. */
  mode?: "strong" | "weak";
  /** Sequences per step for strong scaling (default 1024). */
  global_batch?: number;
  /** Sequences per chip per step for weak scaling (default 1; may be a fraction). */
  batch_per_chip?: number;
  seq_len: number;
  precision: PrecisionInput;
  tokens?: number;
  usd_per_chip_hour?: number;
  /** Choose each count's layout by step time (default) or cost. */
  rank_by?: "time" | "cost";
  /** Largest micro-batch tried (default 16). */
  max_microbatch?: number;
  options?: EvaluateOptions;
  /** The software stack (as the training job's); unset: the default for the chip and model. */
  software?: SoftwareRef;
}

export interface ScalePoint {
  chips: number;
  global_batch: number;
  fits: boolean;
  layout?: string;
  step_time_s?: number;
  tokens_per_s?: number;
  tokens_per_s_per_chip?: number;
  model_flops_per_s_per_chip?: number;
  mfu?: number;
  memory_per_chip_bytes?: number;
  scaling_efficiency?: number;
  time_to_train_s?: number;
  chip_hours?: number;
  cost_usd?: number;
  energy_j?: number;
  layouts_priced: number;
  layouts_fitting: number;
  /** Why no layout was chosen. */
  reason?: string;
}

export interface ScalingResult {
  model: string;
  chip: string;
  mode: "strong" | "weak";
  seq_len: number;
  points: ScalePoint[];
  /** Whether some count has a layout that fits (the CLI exits 3 when none does). */
  feasible: boolean;
  /** The software stack every count was priced on. */
  software?: SoftwareUsed;
  /** With no count fitting: why, count by count. */
  infeasible_reason?: string;
}

export const STRONG_SCALING_GLOBAL_BATCH = 1024;

export const scalingJob = defineJob<ScalingRequest, ScalingResult>({
  id: "scaling",
  summary: "strong or weak scaling of training over chip counts: the best layout, step time, tokens/s and efficiency per count",
  supports: "every model and chip the training-search job supports; counts as a list",
  run(req, catalog) {
    const weak = req.mode === "weak";
    if (weak && req.global_batch !== undefined) throw new XpusimError(error("E_SCHEMA", "global_batch", "a global batch fixes the batch (strong scaling); weak scaling takes batch_per_chip"));
    if (!weak && req.batch_per_chip !== undefined) throw new XpusimError(error("E_SCHEMA", "batch_per_chip", "batch_per_chip is for weak scaling", { hint: "set mode: weak" }));
    const chip = catalog.chip(req.chip);
    const ctx = catalog.context(chip);
    const model = catalog.model(req.model);
    const precision = resolvePrecision(req.precision);
    const points: ScalePoint[] = [];
    const { options, software, notes: _notes, zero: _zero, interleave: _interleave, zero_prefetch_layers: _prefetch, ...stack } = applyTrainingStack(req, chip, model, catalog);
    for (const n of req.chip_counts) {
      const gb = weak ? (req.batch_per_chip ?? 1) * n : (req.global_batch ?? STRONG_SCALING_GLOBAL_BATCH);
      if (!Number.isInteger(gb)) {
        points.push({ chips: n, global_batch: gb, fits: false, layouts_priced: 0, layouts_fitting: 0, reason: `batch per chip ${req.batch_per_chip} × ${n} chips is not a whole number of sequences` });
        continue;
      }
      const system = catalog.system(req.system, chip, n);
      const r = searchTrainingLayouts(
        {
          ...stack,
          model,
          precision,
          seq_len: req.seq_len,
          chips: n,
          global_batch: gb,
          top: 1,
          rank_by: req.rank_by ?? "time",
          max_microbatch: req.max_microbatch ?? 16,
          ...(system ? { system } : {}),
          ...(req.tokens !== undefined ? { tokens: req.tokens } : {}),
          ...(req.usd_per_chip_hour !== undefined ? { usd_per_chip_hour: req.usd_per_chip_hour } : {}),
        },
        ctx,
        options,
      );
      points.push(pointOf(n, gb, r));
    }
    return { ...scalingResult({ model: model.id ?? (typeof req.model === "string" ? req.model : "model"), chip: chip.id, mode: weak ? "weak" : "strong", seq_len: req.seq_len }, points), software };
  },
});

/**
 * The scaling result of the points (each count's best layout): efficiencies relative to the first
 * count that fits, and why nothing fits when none does. Also merges curves priced count by count.
 */
export function scalingResult(head: Pick<ScalingResult, "model" | "chip" | "mode" | "seq_len">, points: ScalePoint[]): ScalingResult {
  const base = points.find((p) => p.fits);
  for (const p of points) delete p.scaling_efficiency;
  if (base) for (const p of points) if (p.fits) p.scaling_efficiency = p.tokens_per_s! / p.chips / (base.tokens_per_s! / base.chips);
  const feasible = base !== undefined;
  return {
    ...head,
    points,
    feasible,
    ...(feasible ? {} : { infeasible_reason: `no layout fits at any chip count: ${points.map((p) => `${p.chips} chip${p.chips === 1 ? "" : "s"}: ${p.reason}`).join("; ")}` }),
  };
}

function pointOf(chips: number, gb: number, r: TrainingSearchResult): ScalePoint {
  const e = r.best;
  const p: ScalePoint = { chips, global_batch: gb, fits: !!e, layouts_priced: r.evaluated, layouts_fitting: r.feasible };
  if (!e) {
    if (r.closest) p.reason = `no layout fits (closest ${layoutLabel(r.closest.layout)} short by ${fmtBytes(r.closest.shortfall_bytes)})`;
    else if (r.rejections[0]) p.reason = `no valid layout: ${r.rejections[0].reason}`;
    else p.reason = r.infeasible_reason ?? "no layout";
    return p;
  }
  p.layout = layoutLabel(e.layout);
  p.step_time_s = e.step_time_s;
  p.tokens_per_s = e.tokens_per_s;
  p.tokens_per_s_per_chip = e.tokens_per_s / chips;
  p.model_flops_per_s_per_chip = e.model_flops_per_s_per_chip;
  p.mfu = e.mfu;
  p.memory_per_chip_bytes = e.memory_per_chip_bytes;
  if (e.time_to_train_s !== undefined) p.time_to_train_s = e.time_to_train_s;
  if (e.chip_hours !== undefined) p.chip_hours = e.chip_hours;
  if (e.cost_usd !== undefined) p.cost_usd = e.cost_usd;
  if (e.energy_j !== undefined) p.energy_j = e.energy_j;
  return p;
}
