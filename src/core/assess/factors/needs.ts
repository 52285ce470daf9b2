import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../../estimate/estimate-training.js";
import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Shared guards and formatting of the factor providers. */
export function pct(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)} %`;
}

export function si(v: number, unit: string): string {
  const a = Math.abs(v);
  const [d, p] = a >= 1e15 ? [1e15, "P"] : a >= 1e12 ? [1e12, "T"] : a >= 1e9 ? [1e9, "G"] : a >= 1e6 ? [1e6, "M"] : a >= 1e3 ? [1e3, "k"] : [1, ""];
  return `${(v / d).toPrecision(3)} ${p}${unit}`;
}

/** The training estimate when it exists and fits, else the unknown factor saying why. */
export function fittingTraining(ctx: FactorContext, unit: string, better: "higher" | "lower"): TrainingEstimate | FactorValue {
  const e = ctx.training;
  if (!e) return unknownFactor(unit, better, ["training estimate"], ctx.estimate_issue ?? "no training estimate for this chip");
  if (!e.fits) return unknownFactor(unit, better, ["a layout that fits in memory"], ctx.estimate_issue ?? `does not fit: short by ${si(e.shortfall_bytes, "B")} per chip`);
  return e;
}

/** The inference estimate when it exists and fits, else the unknown factor saying why. */
export function fittingInference(ctx: FactorContext, unit: string, better: "higher" | "lower"): InferenceEstimate | FactorValue {
  const e = ctx.inference;
  if (!e) return unknownFactor(unit, better, ["inference estimate"], ctx.estimate_issue ?? "no inference estimate for this chip");
  if (!e.fits) return unknownFactor(unit, better, ["memory capacity for the model"], ctx.estimate_issue ?? `does not fit: short by ${si(e.shortfall_bytes, "B")} per chip`);
  return e;
}

export function isFactor(x: unknown): x is FactorValue {
  return typeof x === "object" && x !== null && "better" in x && "unit" in x && "value" in x;
}

/** Words for an estimator bound. */
export function boundWords(b: string): string {
  return b === "memory" ? "memory bandwidth" : b === "network" ? "communication" : b === "capacity" ? "memory capacity" : b === "overhead" ? "launch overhead" : "compute";
}
