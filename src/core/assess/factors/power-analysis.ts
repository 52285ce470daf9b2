import type { Chip } from "../../hardware/chip.js";
import { type EstimateForPower, type PowerConditions, powerOfEstimate, type PowerOfEstimate } from "../../power/index.js";
import type { AssessConditions, FactorContext } from "../factor.js";

/** The assessment's conditions as the power model takes them. */
export function powerConditionsOf(c: AssessConditions): PowerConditions {
  const out: PowerConditions = {};
  if (c.power_cap_w !== undefined) out.power_cap_w = c.power_cap_w;
  if (c.cooling !== undefined) out.cooling = c.cooling;
  if (c.thermal_resistance_c_per_w !== undefined) out.thermal_resistance_c_per_w = c.thermal_resistance_c_per_w;
  if (c.ambient_c !== undefined) out.ambient_c = c.ambient_c;
  if (c.pue !== undefined) out.pue = c.pue;
  if (c.usd_per_kwh !== undefined) out.usd_per_kwh = c.usd_per_kwh;
  if (c.grid_kg_co2_per_kwh !== undefined) out.grid_kg_co2_per_kwh = c.grid_kg_co2_per_kwh;
  return out;
}

/** The request paths of the conditions, for errors about them (the CLI names the flags in the hint). */
export const CONDITION_FIELDS = {
  power_cap: "conditions.power_cap_w",
  resistance: "conditions.thermal_resistance_c_per_w",
  ambient: "conditions.ambient_c",
  pue: "conditions.pue",
  usd_per_kwh: "conditions.usd_per_kwh",
  co2: "conditions.grid_kg_co2_per_kwh",
} as const;

/**
 * The power analysis of the factor context's estimate (the mode's) with its sustained operating point,
 * or what is missing: the shared, computed-once one (ctx.shared.power) when the assessment made it.
 */
export function powerAnalysisOf(ctx: FactorContext): PowerOfEstimate {
  return ctx.shared?.power ? ctx.shared.power() : computePowerOf(ctx);
}

/** Runs the power model on the context's estimate (assess.ts calls it once per chip). */
export function computePowerOf(ctx: FactorContext): PowerOfEstimate {
  const e: EstimateForPower = { ctx: ctx.cost, model: ctx.model, precision: ctx.precision };
  if (ctx.mode === "training" && ctx.training) e.training = ctx.training;
  if (ctx.mode === "inference" && ctx.inference) e.inference = ctx.inference;
  // The power of a workload that does not fit is the power of nothing that can run.
  if ((e.training ?? e.inference)?.fits === false) return { missing: ["a layout that fits in memory"] };
  return powerOfEstimate(e, powerConditionsOf(ctx.conditions), ctx.energy, undefined, CONDITION_FIELDS);
}

/** Titles of the sources behind a chip figure (its provenance at `path`). */
export function sourceTitles(chip: Chip, path: string): string | undefined {
  const p = chip.provenance[path];
  const refs = p?.source === undefined ? [] : Array.isArray(p.source) ? p.source : [p.source];
  const titles = refs.map((r) => chip.sources[String(r)]?.title).filter((t): t is string => !!t);
  return titles.length ? titles.join("; ") : undefined;
}

/** "700 W", "72.0 W", "2.50 W": whole watts from 100 W, three figures below. */
export function watts(w: number): string {
  return `${w >= 100 ? w.toFixed(0) : w.toPrecision(3)} W`;
}

/** "1.46 GHz (74 % of boost)", or "74 % of boost" when the chip has no clock figure. */
export function clockWords(hz: number | null, ratio: number): string {
  const share = `${(ratio * 100).toFixed(0)} % of boost`;
  return hz === null ? share : `${(hz / 1e9).toFixed(2)} GHz (${share})`;
}
