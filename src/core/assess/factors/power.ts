import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";
import type { PowerAnalysis } from "../../power/index.js";
import { isOperating, operatingOf } from "./operating.js";
import { clockWords, powerAnalysisOf, sourceTitles, watts } from "./power-analysis.js";

/**
 * Power: energy per unit of work at the operating power cap (J per output token for LLM inference,
 * per sample for other inference, per training step), lower is better — the figure MLPerf Power
 * reports inverted (samples per joule), so it rewards a chip that is both fast and frugal. The power
 * model (src/core/power, docs/power.md) prices the estimate's ops: dynamic energy from the family's
 * per-FLOP and per-byte constants plus static power, DVFS under the cap (default TDP; a user cap
 * slows compute-bound work). Details carry the demanded and average power, the clocks, and the
 * facility energy, cost and CO₂ per unit of work. Under thermal throttling the value is the energy at
 * the sustained operating point (operating.ts: assessments describe sustained operation), the capped
 * (burst) figure in the details.
 */
export function powerFactor(ctx: FactorContext): FactorValue {
  const { analysis: a, missing } = powerAnalysisOf(ctx);
  if (!a) return unknownFactor("J", "lower", missing, `no power figure: missing ${missing.join(", ")}`);
  const unit = `J/${a.work_unit}`;
  const op = operatingOf(ctx, unit, "lower");
  if (op && !isOperating(op)) return op;
  const thermal = op?.point.set_by === "thermal";
  const value = thermal ? op!.point.energy_per_unit_j : a.energy_per_unit_j;
  const binds = a.capped.binds;
  const f = a.facility;
  const source = sourceTitles(ctx.chip, "power.tdp_w");
  const note = `${watts(a.average_power_w)} average (demand ${watts(a.demanded_power_w)} at the boost clock, cap ${watts(a.power_cap_w)} ${a.power_cap_origin}); energy per ${a.work_unit} from the estimate's ops priced by the family's energy constants`;
  return {
    value,
    unit,
    better: "lower",
    rank: null,
    limited_by: thermal ? `${op!.label}: sustained clock ${clockWords(op!.point.clock_hz, op!.point.clock_ratio)}` : binds ? capWords(a) : null,
    note: op ? `${note}; ${op.words}${thermal ? ` at ${watts(op.point.average_power_w)}` : ""}` : note,
    basis: "derived",
    ...(source ? { source } : {}),
    details: {
      average_power_w: a.average_power_w,
      demanded_w: a.demanded_power_w,
      peak_op_power_w: a.peak_op_power_w,
      power_cap_w: a.power_cap_w,
      tdp_w: a.tdp_w,
      idle_w: a.idle_w,
      cap_binds: binds,
      stock_tdp_binds: a.stock.binds,
      peak_clock_hz: a.boost_clock_hz,
      sustained_clock_hz: a.capped.clock_hz,
      clock_ratio: a.capped.clock_ratio,
      throughput_ratio_vs_stock: a.capped.throughput_ratio,
      energy_per_unit_j: a.energy_per_unit_j,
      work_unit: a.work_unit,
      facility_energy_per_unit_kwh: f ? f.energy_per_unit_kwh : null,
      facility_cost_per_unit_usd: f ? f.cost_per_unit_usd : null,
      facility_co2_per_unit_kg: f ? f.co2_per_unit_kg : null,
      pue: f ? f.pue : null,
      ...(op ? { ...op.details, sustained_average_power_w: op.point.average_power_w, burst_energy_per_unit_j: a.energy_per_unit_j } : {}),
    },
  };
}

/** "power cap 500 W: clock 1.46 GHz of 1.98 GHz", or "TDP 900 W: clock at 75 % of boost" for a chip without clock figures. */
function capWords(a: PowerAnalysis): string {
  const what = a.power_cap_origin === "TDP" ? "TDP" : "power cap";
  const c = a.capped;
  const clock = c.clock_hz !== null && a.boost_clock_hz !== null ? `${(c.clock_hz / 1e9).toFixed(2)} GHz of ${(a.boost_clock_hz / 1e9).toFixed(2)} GHz` : `at ${(c.clock_ratio * 100).toFixed(0)} % of boost`;
  return `${what} ${watts(a.power_cap_w)}: clock ${clock}${c.duty < 1 ? `, running ${(c.duty * 100).toFixed(0)} % of the time` : ""}`;
}
