import { XpusimError } from "../../diagnostics/diagnostic.js";
import type { InferenceEstimate } from "../../estimate/estimate-inference.js";
import type { TrainingEstimate } from "../../estimate/estimate-training.js";
import type { SustainedOperatingPoint } from "../../power/index.js";
import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";
import { clockWords, powerAnalysisOf, watts } from "./power-analysis.js";
import { pct } from "./needs.js";

/**
 * The operating point every time-based factor is reported at (docs/assess.md "Operating point"):
 * assessments describe sustained operation, so latency, throughput, compute, data transfer, cost and
 * power are taken where the chip settles under the power cap and, once the cooler has saturated, under
 * thermal throttling — the power model's sustained point (power/operating-point.ts), the slower of the
 * capped and the thermal point. Its ratios are taken against the estimate (the stock point), so with no
 * cap and no throttling nothing changes and the factors report the estimate as is.
 */
export interface Operating {
  point: SustainedOperatingPoint;
  /** What sets the clock, short: "power cap 500 W", "thermal throttling (air, 35 °C)", "stock". */
  label: string;
  /** One clause for a note: "at power cap 500 W: clock 1.46 GHz (74 % of boost), 74.5 % of stock throughput". */
  words: string;
  /** operating_point, operating_clock_hz, operating_clock_ratio, throughput_ratio. */
  details: Record<string, number | string | null>;
}

/**
 * undefined: the stock point (no cap given and no throttling): the estimate stands. A factor value:
 * the operating point cannot be formed (a cap was given but the chip's power cannot be modelled, or the
 * cooling sustains no work), so the time-based factor is unknown with what is missing.
 */
export function operatingOf(ctx: FactorContext, unit: string, better: "higher" | "lower"): Operating | FactorValue | undefined {
  const cap = ctx.conditions.power_cap_w;
  let power;
  try {
    power = powerAnalysisOf(ctx);
  } catch (e) {
    if (!(e instanceof XpusimError) || cap === undefined) return undefined;
    return unknownFactor(unit, better, ["power model of the chip"], `the ${cap} W power cap cannot be applied: ${e.diagnostics.map((d) => d.message).join("; ")}`);
  }
  const { analysis: a, operating: op } = power;
  if (!a || !op) return cap === undefined ? undefined : unknownFactor(unit, better, power.missing, `the ${cap} W power cap cannot be applied: missing ${power.missing.join(", ")} (the stock estimate would overstate a capped chip)`);
  if (op.set_by === "stock" && cap === undefined) return undefined;
  if (!(op.throughput_ratio > 0)) {
    return unknownFactor(unit, better, ["cooling that removes more than the idle power"], `no sustained work: the cooling removes only ${a.thermal ? watts(a.thermal.thermal_power_limit_w) : "less than the idle power"}, below the ${watts(a.idle_w)} idle power`);
  }
  const th = a.thermal;
  const label = op.set_by === "thermal" && th ? `thermal throttling (${th.cooling}, ${th.ambient_c} °C)` : op.set_by === "power cap" ? `power cap ${watts(a.power_cap_w)}` : "stock";
  const words =
    op.set_by !== "stock"
      ? `at the sustained operating point, ${label}: clock ${clockWords(op.clock_hz, op.clock_ratio)}, ${pct(op.throughput_ratio)} of stock throughput`
      : cap !== undefined && cap > a.tdp_w
        ? `the ${watts(cap)} power cap is above the ${watts(a.tdp_w)} TDP: clamped to TDP, stock clock`
        : `the ${watts(cap ?? a.power_cap_w)} power cap does not slow this workload: stock clock`;
  return {
    point: op,
    label,
    words,
    details: { operating_point: op.set_by, operating_clock_hz: op.clock_hz, operating_clock_ratio: op.clock_ratio, throughput_ratio: op.throughput_ratio },
  };
}

export function isOperating(x: Operating | FactorValue | undefined): x is Operating {
  return x !== undefined && "point" in x;
}

/** limited_by with the operating point appended when it slows the work. */
export function limitedAt(base: string | null, op: Operating): string | null {
  if (op.point.set_by === "stock") return base;
  return base ? `${base}; ${op.label}` : op.label;
}

/** The inference estimate's times at the operating point: prefill by its own ratio, decode by its own. */
export interface ScaledInference {
  ttft_s: number;
  tpot_s: number;
  e2e_s: number;
  prefill_s: number;
  decode_s: number;
  /** e2e at stock / e2e at the operating point: the throughput ratio of the request. */
  ratio: number;
}

export function scaledInference(e: InferenceEstimate, op: Operating): ScaledInference {
  const whole = 1 / op.point.throughput_ratio;
  const rp = op.point.phase_time_ratio.prefill ?? whole;
  const rd = op.point.phase_time_ratio.decode ?? whole;
  const ttft = e.ttft_s * rp;
  const e2e = ttft + (e.e2e_latency_s - e.ttft_s) * rd;
  return { ttft_s: ttft, tpot_s: e.tpot_s * rd, e2e_s: e2e, prefill_s: e.phases.prefill.time_s * rp, decode_s: (e.phases.decode?.time_s ?? 0) * rd, ratio: e2e > 0 ? e.e2e_latency_s / e2e : 1 };
}

/** The training step at the operating point: the busy part slows, communication and the bubble do not. */
export interface ScaledTraining {
  step_time_s: number;
  /** Forward + backward + recompute + optimizer at the operating point. */
  work_s: number;
  ratio: number;
  time_to_train_s?: number;
}

export function scaledTraining(e: TrainingEstimate, op: Operating): ScaledTraining {
  const ratio = op.point.throughput_ratio;
  const b = e.step_breakdown_s;
  const waits = e.step_time_s - (b.forward + b.backward + b.recompute + b.optimizer);
  const step = e.step_time_s / ratio;
  return { step_time_s: step, work_s: step - waits, ratio, ...(e.time_to_train_s !== undefined ? { time_to_train_s: e.time_to_train_s / ratio } : {}) };
}
