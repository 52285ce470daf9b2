import { type OwnershipResult, ownershipCost, usdPerUnitOfWork } from "../../money/index.js";
import { coolingOf, resolveFacility } from "../../power/index.js";
import type { MoneyCatalog } from "../../spec/money-spec.js";
import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";
import type { Chip } from "../../hardware/chip.js";
import { type DerivedPrice, derivedPrice } from "./derived-price.js";
import { isOperating, type Operating, operatingOf, scaledInference, scaledTraining } from "./operating.js";

/**
 * Cost factor (issue #9): what the workload's unit of work costs on this chip: USD per million output
 * tokens or per thousand images (inference), USD per training step or per training run (training, when
 * a token budget gives the run's length). The rate per busy chip-hour is the owned cost — capex
 * amortised over `amortisation_years` at `utilisation` plus energy × PUE × USD/kWh, the energy from the
 * estimate — or, for a cloud deployment, the chip's on-demand rate ÷ utilisation. Method: docs/cost.md.
 * At the sustained operating point (a power cap, thermal throttling: operating.ts) a unit of work takes
 * longer (more capex-hours per unit) and draws the power model's average power at that point.
 * A chip with no price but a die area and a process node is priced at its die-cost floor
 * (derived-price.ts), said in the note and `details.price_basis`.
 */
export function costFactor(ctx: FactorContext): FactorValue {
  const stockWork = unitOfWork(ctx);
  if ("missing" in stockWork) return unknownFactor(stockWork.unit, "lower", stockWork.missing, stockWork.note);
  if (!ctx.money) return unknownFactor(stockWork.unit, "lower", ["money catalog (FactorContext.money)"], "the ownership defaults (catalog/money) were not given to the assessment");
  const cloud = ctx.conditions.deployment === "cloud";
  const { chip, derived } = pricedChip(ctx, ctx.money);
  const stockOwned = ownership(ctx, chip, ctx.money, stockWork.busyPowerW);
  if ((cloud ? stockOwned.cloud_usd_per_busy_chip_hour : stockOwned.owned_usd_per_busy_chip_hour) === null) {
    const need = cloud ? ["cost.cloud_per_hour"] : stockOwned.missing.filter((m) => m !== "cost.cloud_per_hour");
    const why = ctx.chip.cost.note ? ` (${ctx.chip.cost.note})` : "";
    return unknownFactor(stockWork.unit, "lower", need, `no ${cloud ? "cloud rate" : "purchase price or power"} for ${ctx.chip.id}${why}: ${stockWork.unit} cannot be priced`);
  }
  const op = operatingOf(ctx, stockWork.unit, "lower");
  if (op && !isOperating(op)) return op;
  const work = op ? atOperatingPoint(ctx, stockWork, op) : stockWork;
  const owned = work === stockWork ? stockOwned : ownership(ctx, chip, ctx.money, work.busyPowerW);
  const rate = (cloud ? owned.cloud_usd_per_busy_chip_hour : owned.owned_usd_per_busy_chip_hour)!;
  const value = usdPerUnitOfWork(rate, ctx.chips, work.secondsPerUnit);
  const ownedUnit = owned.owned_usd_per_busy_chip_hour === null ? null : usdPerUnitOfWork(owned.owned_usd_per_busy_chip_hour, ctx.chips, work.secondsPerUnit);
  const cloudUnit = owned.cloud_usd_per_busy_chip_hour === null ? null : usdPerUnitOfWork(owned.cloud_usd_per_busy_chip_hour, ctx.chips, work.secondsPerUnit);
  const c = owned.conditions;
  return {
    value,
    unit: work.unit,
    better: "lower",
    rank: null,
    limited_by: cloud ? `cloud rate $${owned.cloud_usd_per_hour}/chip-h at ${(c.utilisation * 100).toFixed(0)} % utilisation` : dominantOwnedPart(owned),
    note: `${cloud ? "cloud on-demand rate" : `owned: capex over ${c.years} yr + energy at PUE ${c.pue}, $${c.usd_per_kwh}/kWh`}, ${(c.utilisation * 100).toFixed(0)} % utilisation, ${ctx.chips} chip(s), ${work.what}${op ? `; ${op.words}` : ""}${derived ? `; ${derived.words}` : ""}`,
    basis: "derived",
    ...(derived ? {} : { source: sourceOf(ctx, cloud) }),
    details: {
      basis: cloud ? "cloud" : "owned",
      capex_usd: owned.capex_usd,
      opex_usd_per_year: owned.opex_usd_per_year,
      tco_usd: owned.tco_usd,
      cloud_usd_per_hour: owned.cloud_usd_per_hour,
      owned_usd_per_busy_chip_hour: owned.owned_usd_per_busy_chip_hour,
      cloud_usd_per_busy_chip_hour: owned.cloud_usd_per_busy_chip_hour,
      owned_usd_per_unit: ownedUnit,
      cloud_usd_per_unit: cloudUnit,
      busy_power_w_per_chip: owned.busy_power_w_per_chip,
      seconds_per_unit: work.secondsPerUnit,
      years: c.years,
      utilisation: c.utilisation,
      pue: c.pue,
      usd_per_kwh: c.usd_per_kwh,
      system_share_counted: c.include_system,
      ...(derived ? derived.details : {}),
      ...(op ? { ...op.details, throughput_ratio: stockWork.secondsPerUnit / work.secondsPerUnit, stock_seconds_per_unit: stockWork.secondsPerUnit } : {}),
    },
  };
}

interface UnitOfWork {
  unit: string;
  what: string;
  /** Wall time of one unit on `ctx.chips` chips, s. */
  secondsPerUnit: number;
  /** Mean power of one chip while it works, from the estimate (undefined: TDP × average power fraction). */
  busyPowerW?: number;
}

function unitOfWork(ctx: FactorContext): UnitOfWork | { unit: string; missing: string[]; note: string } {
  if (ctx.mode === "inference") {
    const e = ctx.inference;
    if (!e) return { unit: "USD/Mtok", missing: ["inference estimate"], note: "the inference estimate could not be made" };
    const tokens = e.output_tokens_per_s > 0;
    const things = ctx.workload?.unit === "sequence" ? "sequences" : "images";
    const unit = tokens ? "USD/Mtok" : `USD/1k ${things}`;
    if (!e.fits) return { unit, missing: ["a layout that fits in memory"], note: `the workload does not fit on ${e.chips} chip(s)` };
    const perS = tokens ? e.output_tokens_per_s : e.samples_per_s;
    if (!(perS > 0)) return { unit, missing: ["throughput"], note: "the estimate has no throughput" };
    const power = e.average_power_w === undefined ? undefined : e.average_power_w / e.chips;
    return { unit, what: tokens ? `${perS.toPrecision(3)} output tokens/s` : `${perS.toPrecision(3)} ${things}/s`, secondsPerUnit: (tokens ? 1e6 : 1e3) / perS, ...(power !== undefined ? { busyPowerW: power } : {}) };
  }
  const t = ctx.training;
  if (!t) return { unit: "USD/step", missing: ["training estimate"], note: "the training estimate could not be made" };
  const run = t.time_to_train_s !== undefined;
  const unit = run ? "USD/run" : "USD/step";
  if (!t.fits) return { unit, missing: ["a layout that fits in memory"], note: `the step does not fit on ${t.chips} chip(s)` };
  const power = t.energy_per_step_j === undefined ? undefined : t.energy_per_step_j / t.step_time_s / t.chips;
  return {
    unit,
    what: run ? `a run of ${(t.time_to_train_s! / 86400).toPrecision(3)} days` : `a step of ${t.step_time_s.toPrecision(3)} s`,
    secondsPerUnit: run ? t.time_to_train_s! : t.step_time_s,
    ...(power !== undefined ? { busyPowerW: power } : {}),
  };
}

/** The unit of work at the operating point: longer by the throughput ratio, at the power model's average power. */
function atOperatingPoint(ctx: FactorContext, w: UnitOfWork, op: Operating): UnitOfWork {
  if (op.point.set_by === "stock") return w;
  const ratio = ctx.mode === "inference" && ctx.inference ? scaledInference(ctx.inference, op).ratio : ctx.training ? scaledTraining(ctx.training, op).ratio : op.point.throughput_ratio;
  const seconds = w.secondsPerUnit / ratio;
  const what = ctx.mode === "inference" ? w.what.replace(/^[0-9.e+-]+/, (n) => (Number(n) * ratio).toPrecision(3)) : ctx.training?.time_to_train_s !== undefined ? `a run of ${(seconds / 86400).toPrecision(3)} days` : `a step of ${seconds.toPrecision(3)} s`;
  return { ...w, what, secondsPerUnit: seconds, busyPowerW: op.point.average_power_w };
}

/** The chip as the factor prices it: with its die-cost floor as the price when no price is published (derived-price.ts; owned only). */
function pricedChip(ctx: FactorContext, money: MoneyCatalog): { chip: Chip; derived?: DerivedPrice } {
  const derived = ctx.conditions.deployment === "cloud" ? undefined : derivedPrice(ctx.chip, money);
  return derived ? { chip: { ...ctx.chip, cost: { ...ctx.chip.cost, price_usd: derived.usd } }, derived } : { chip: ctx.chip };
}

/**
 * The ownership result the cost factor prices with at a busy power (its `details.busy_power_w_per_chip`):
 * the same derived price and facility figures, so a breakdown of the factor (the report's cost chart)
 * adds up to it. Undefined without the money catalog.
 */
export function factorOwnership(ctx: FactorContext, busyPowerW: number | undefined): OwnershipResult | undefined {
  return ctx.money ? ownership(ctx, pricedChip(ctx, ctx.money).chip, ctx.money, busyPowerW) : undefined;
}

function ownership(ctx: FactorContext, chip: Chip, money: MoneyCatalog, busyPowerW: number | undefined): OwnershipResult {
  const k = facilityConditions(ctx);
  return ownershipCost(chip, money.ownership, {
    count: ctx.chips,
    include_system: k.deployment !== "edge",
    ...(k.amortisation_years !== undefined ? { years: k.amortisation_years } : {}),
    ...(k.utilisation !== undefined ? { utilisation: k.utilisation } : {}),
    ...(k.usd_per_kwh !== undefined ? { usd_per_kwh: k.usd_per_kwh } : {}),
    ...(k.pue !== undefined ? { pue: k.pue } : {}),
    ...(k.grid_kg_co2_per_kwh !== undefined ? { grid_kg_co2_per_kwh: k.grid_kg_co2_per_kwh } : {}),
    ...(busyPowerW !== undefined ? { busy_power_w: busyPowerW } : {}),
  });
}

/**
 * The conditions with the facility figures the power factor uses filled in (PUE by the chip's cooling,
 * $/kWh, grid CO₂ from catalog/energy/facility.yaml), so power and cost price the same kWh the same way.
 */
function facilityConditions(ctx: FactorContext): FactorContext["conditions"] {
  const k = ctx.conditions;
  const facility = ctx.energy?.facility ? resolveFacility(ctx.energy.facility, coolingOf(ctx.chip, k).cooling, k) : undefined;
  return facility ? { ...k, ...facility.inputs } : k;
}

/** Which part of the owned cost per busy hour dominates: capex or energy, with its share. */
function dominantOwnedPart(o: OwnershipResult): string {
  const total = o.owned_usd_per_busy_chip_hour!;
  const c = o.conditions;
  const capexH = o.capex_usd! / o.count / (c.years * c.hours_per_year) / c.utilisation;
  const share = capexH / total;
  return share >= 0.5 ? `capex (${(share * 100).toFixed(0)} % of the cost per busy hour)` : `energy (${((1 - share) * 100).toFixed(0)} % of the cost per busy hour)`;
}

function sourceOf(ctx: FactorContext, cloud: boolean): string | undefined {
  const p = ctx.chip.provenance[cloud ? "cost.cloud_usd_per_hour" : "cost.price_usd"];
  const titles = (p?.source ?? []).map((n) => ctx.chip.sources[String(n)]?.title).filter((t): t is string => !!t);
  return titles.length ? titles.join("; ") : undefined;
}
