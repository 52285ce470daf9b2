import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import { averagePowerW, type CapOperatingPoint, operatingPointUnderCap, peakSegmentPowerW, profileEnergyJ } from "./dvfs.js";
import { checkFacilityInputs, facilityOf } from "./facility.js";
import { type PowerConditions, resolveFacility, resolveThermal, type ResolvedThermal } from "./power-conditions.js";
import type { PowerProfile } from "./power-profile.js";
import { type RackFigures, type RackInputs, rackPowerOf } from "./rack.js";
import { checkThermalParams, steadyTjC, thermalPowerLimitW, timeToLimitS } from "./thermal.js";
import { burstToSustained, type TimelinePoint } from "./timeline.js";
import type { VoltageFrequency } from "./voltage-frequency.js";

/**
 * The power and thermal analysis of one workload on one chip (docs/power.md):
 *  1. demand: average and hottest-op power at the boost clock (power-profile.ts, dvfs.ts);
 *  2. stock: the clock the chip's TDP implies. The estimate's times already reflect stock power (the
 *     family efficiencies are fitted to measurements at stock power), so they are kept as they are and
 *     this point is the reference every ratio is taken against;
 *  3. cap: a user cap (MLPerf Power runs cap an H200 at e.g. 500 W) lowers the clock to fit; caps above
 *     TDP are clamped to it (the board's limit);
 *  4. thermal: from a cold start the junction heats at the capped power; at its limit the power manager
 *     holds (Tj_max − Ta)/R and DVFS gives the sustained clock (thermal.ts, timeline.ts);
 *  5. facility: energy per unit of work × PUE, cost and CO₂ (facility.ts); rack power (rack.ts).
 */
export interface PowerAnalysisInput {
  profile: PowerProfile;
  ctx: CostContext;
  /** Wall time of the profile as the estimate reports it (at stock power). */
  estimate_time_s: number;
  /** Units of work the profile does ("output token", "training step", "image") and how many. */
  work: { unit: string; count: number };
  conditions: PowerConditions;
  energy?: EnergyCatalog;
  /** Length of the burst → sustained timeline, s (default 600). */
  duration_s?: number;
  rack?: RackInputs;
  /** Field names for errors (CLI flags or request paths). */
  fields?: Partial<Record<"power_cap" | "resistance" | "time_constant" | "ambient" | "tj_max" | "pue" | "usd_per_kwh" | "co2" | "duration", string>>;
}

export interface OperatingSummary {
  clock_ratio: number;
  clock_hz: number | null;
  power_w: number;
  /** Share of the time the chip runs (< 1 only below the DVFS floor). */
  duty: number;
  binds: boolean;
  /** Throughput relative to stock (1 = as estimated). */
  throughput_ratio: number;
}

export interface ThermalSummary {
  cooling: string;
  form_factor: string | null;
  resistance_c_per_w: number;
  time_constant_s: number;
  ambient_c: number;
  tj_max_c: number;
  /** Steady junction temperature at the capped (burst) power if nothing throttled. */
  tj_steady_c: number;
  /** The power that holds Tj at its limit. */
  thermal_power_limit_w: number;
  /** From a cold start at the burst power; null when the junction never reaches its limit. */
  time_to_throttle_s: number | null;
  throttles: boolean;
  sustained: OperatingSummary;
  /** Sustained over burst throughput (1 when thermal never throttles). */
  sustained_over_burst: number;
  origin: ResolvedThermal["origin"];
}

export interface PowerAnalysis {
  chip: string;
  tdp_w: number;
  idle_w: number;
  static_w: number;
  boost_clock_hz: number | null;
  min_clock_hz: number | null;
  /** Average power the workload would draw at the boost clock with no limit. */
  demanded_power_w: number;
  /** The hottest op's power at the boost clock (a cap acts on the average, not on one op). */
  peak_op_power_w: number;
  power_cap_w: number;
  power_cap_origin: string;
  stock: OperatingSummary;
  capped: OperatingSummary;
  time_s: number;
  energy_j: number;
  average_power_w: number;
  work_unit: string;
  work_units: number;
  energy_per_unit_j: number;
  thermal: ThermalSummary | null;
  /** What the thermal part lacks when it is null. */
  thermal_missing?: string[];
  timeline: TimelinePoint[];
  facility: ({ pue: number; usd_per_kwh: number; grid_kg_co2_per_kwh: number; energy_per_unit_kwh: number; cost_per_unit_usd: number; co2_per_unit_kg: number; facility_power_kw: number; cost_usd_per_hour: number; co2_kg_per_hour: number; origin: Record<string, string> }) | null;
  rack: RackFigures | null;
  notes: string[];
}

export function analysePower(a: PowerAnalysisInput): PowerAnalysis {
  const { profile: p, ctx } = a;
  const tdp = ctx.chip.power.tdp_w;
  if (tdp === undefined) throw new XpusimError(error("E_UNSUPPORTED", "chip.power.tdp", `${ctx.chip.id} has no TDP in its sources: its power cannot be modelled`, { hint: "give the chip a power.tdp figure with its source" }));
  const vf = ctx.efficiency.voltage_frequency;
  const notes: string[] = [];
  const cap = resolveCap(a, tdp, p.idle_w, notes);
  const stockPoint = operatingPointUnderCap(p, vf, tdp);
  const capPoint = cap.w < tdp ? operatingPointUnderCap(p, vf, cap.w) : stockPoint;
  const boost = ctx.chip.clock_hz;
  const summary = (o: CapOperatingPoint): OperatingSummary => ({ clock_ratio: o.clock_ratio, clock_hz: boost !== undefined ? o.clock_ratio * boost : null, power_w: o.power_w, duty: o.duty, binds: o.binds, throughput_ratio: stockPoint.time_s / o.time_s });
  const stock = summary(stockPoint);
  const capped = summary(capPoint);
  // Anchor to the estimate: its time is the stock point's; powers are the model's.
  const k = stockPoint.time_s > 0 ? a.estimate_time_s / stockPoint.time_s : 1;
  const time = capPoint.time_s * k;
  const energy = capPoint.duty < 1 ? capPoint.power_w * capPoint.time_s * k : profileEnergyJ(p, vf, capPoint.clock_ratio) * k;
  if (stockPoint.binds) notes.push(`the stock ${tdp} W limit binds: demand ${Math.round(averagePowerW(p, vf, 1))} W at the boost clock implies ${pct(stockPoint.clock_ratio)} of it; the estimate's times already reflect this (efficiencies fitted at stock power)`);
  if (capPoint.duty < 1) notes.push(`the cap is below the power at the lowest DVFS clock: the chip duty-cycles (${pct(capPoint.duty)} of the time running)`);
  const th = thermalOf(a, p, vf, capPoint, stockPoint.time_s, boost, notes);
  const duration = a.duration_s ?? 600;
  const work = a.work.count > 0 ? a.work.count : 1;
  const result: PowerAnalysis = {
    chip: ctx.chip.id,
    tdp_w: tdp,
    idle_w: p.idle_w,
    static_w: p.static_w,
    boost_clock_hz: boost ?? null,
    min_clock_hz: boost !== undefined ? boost * vf.min_clock_fraction : null,
    demanded_power_w: averagePowerW(p, vf, 1),
    peak_op_power_w: peakSegmentPowerW(p, vf, 1),
    power_cap_w: cap.w,
    power_cap_origin: cap.origin,
    stock,
    capped,
    time_s: time,
    energy_j: energy,
    average_power_w: time > 0 ? energy / time : capPoint.power_w,
    work_unit: a.work.unit,
    work_units: a.work.count,
    energy_per_unit_j: energy / work,
    thermal: th.summary,
    ...(th.missing.length ? { thermal_missing: th.missing } : {}),
    timeline: th.summary ? timelineOf(th.summary, capped, duration) : [],
    facility: facilityFigures(a, energy / work, th.summary ? th.summary.sustained.power_w : capPoint.power_w, th.cooling),
    rack: a.rack ? rackPowerOf(a.rack, th.summary ? th.summary.sustained.power_w : capPoint.power_w) : null,
    notes,
  };
  return result;
}

function resolveCap(a: PowerAnalysisInput, tdp: number, idle: number, notes: string[]): { w: number; origin: string } {
  const field = a.fields?.power_cap ?? "power_cap_w";
  const c = a.conditions.power_cap_w;
  if (c === undefined) return { w: tdp, origin: "TDP" };
  if (!Number.isFinite(c) || c <= idle) {
    throw new XpusimError(error("E_RANGE", field, `a power cap of ${c} W is not above the chip's idle power (${idle.toFixed(1)} W): nothing could run`, { expected: `> ${idle.toFixed(1)} W and ≤ TDP ${tdp} W`, got: `${c} W`, hint: `give a cap above ${idle.toFixed(0)} W (this chip's idle power); MLPerf Power runs cap an H200 at about 500 W, and NVIDIA's minimum H100/H800 limit is 200 W` }));
  }
  if (c > tdp) {
    notes.push(`a cap of ${c} W is above the ${tdp} W TDP: clamped to TDP (the board's power limit)`);
    return { w: tdp, origin: "input (clamped to TDP)" };
  }
  return { w: c, origin: "input" };
}

interface ThermalPart {
  summary: ThermalSummary | null;
  missing: string[];
  cooling: "air" | "liquid";
}

function thermalOf(a: PowerAnalysisInput, p: PowerProfile, vf: VoltageFrequency, burst: CapOperatingPoint, stockTime: number, boost: number | undefined, notes: string[]): ThermalPart {
  const r = resolveThermal(a.ctx.chip, a.energy?.thermal, a.conditions);
  const cooling = a.conditions.cooling ?? a.ctx.chip.thermal.cooling ?? "air";
  if (!r.thermal) return { summary: null, missing: r.missing, cooling };
  const t = r.thermal.params;
  const f = a.fields ?? {};
  checkThermalParams(t, { resistance: f.resistance ?? "thermal_resistance_c_per_w", time_constant: f.time_constant ?? "thermal_time_constant_s", ambient: f.ambient ?? "ambient_c", tj_max: f.tj_max ?? "tj_max_c" });
  const limit = thermalPowerLimitW(t);
  const throttle = timeToLimitS(burst.power_w, t, t.ambient_c);
  let sustainedPoint = burst;
  if (Number.isFinite(throttle)) {
    if (limit <= p.idle_w) {
      notes.push(`the cooling removes only ${limit.toFixed(0)} W at ${t.ambient_c} °C, not even the idle ${p.idle_w.toFixed(0)} W: no sustained work`);
      sustainedPoint = { clock_ratio: vf.min_clock_fraction, duty: 0, time_s: Infinity, power_w: limit, binds: true };
    } else sustainedPoint = operatingPointUnderCap(p, vf, limit);
  }
  const sustained: OperatingSummary = { clock_ratio: sustainedPoint.clock_ratio, clock_hz: boost !== undefined ? sustainedPoint.clock_ratio * boost : null, power_w: sustainedPoint.power_w, duty: sustainedPoint.duty, binds: sustainedPoint.binds, throughput_ratio: stockTime / sustainedPoint.time_s };
  return {
    cooling: r.thermal.cooling,
    missing: [],
    summary: {
      cooling: r.thermal.cooling,
      form_factor: r.thermal.form_factor,
      resistance_c_per_w: t.resistance_c_per_w,
      time_constant_s: t.time_constant_s,
      ambient_c: t.ambient_c,
      tj_max_c: t.tj_max_c,
      tj_steady_c: steadyTjC(burst.power_w, t),
      thermal_power_limit_w: limit,
      time_to_throttle_s: Number.isFinite(throttle) ? throttle : null,
      throttles: Number.isFinite(throttle),
      sustained,
      sustained_over_burst: burst.time_s / sustainedPoint.time_s,
      origin: r.thermal.origin,
    },
  };
}

function timelineOf(th: ThermalSummary, burst: OperatingSummary, duration: number): TimelinePoint[] {
  const params = { resistance_c_per_w: th.resistance_c_per_w, time_constant_s: th.time_constant_s, ambient_c: th.ambient_c, tj_max_c: th.tj_max_c };
  const boost = burst.clock_hz !== null ? burst.clock_hz / burst.clock_ratio : undefined;
  return burstToSustained(burst, th.sustained, params, th.time_to_throttle_s ?? Infinity, duration, boost);
}

function facilityFigures(a: PowerAnalysisInput, energyPerUnit: number, sustainedW: number, cooling: "air" | "liquid"): PowerAnalysis["facility"] {
  const r = resolveFacility(a.energy?.facility, cooling, a.conditions);
  if (!r) return null;
  const f = a.fields ?? {};
  checkFacilityInputs(r.inputs, { pue: f.pue ?? "pue", usd_per_kwh: f.usd_per_kwh ?? "usd_per_kwh", co2: f.co2 ?? "grid_kg_co2_per_kwh" });
  const perUnit = facilityOf(energyPerUnit, r.inputs);
  const hour = facilityOf(sustainedW * 3600, r.inputs);
  return {
    ...r.inputs,
    energy_per_unit_kwh: perUnit.facility_energy_kwh,
    cost_per_unit_usd: perUnit.cost_usd,
    co2_per_unit_kg: perUnit.co2_kg,
    facility_power_kw: hour.facility_energy_kwh,
    cost_usd_per_hour: hour.cost_usd,
    co2_kg_per_hour: hour.co2_kg,
    origin: r.origin,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}
