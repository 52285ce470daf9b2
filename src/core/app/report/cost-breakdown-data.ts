import type { FactorContext, FactorValue } from "../../assess/factor.js";
import type { CostBreakdownInput } from "../../charts/index.js";
import { type OwnershipResult, usdPerUnitOfWork } from "../../money/index.js";
import { factorOwnership } from "../../assess/factors/cost.js";
import type { Gathered } from "./power-timeline-data.js";

export type CostRow = CostBreakdownInput["rows"][number];

/** The parts of the owned cost per busy chip-hour (USD/h): capex of the chips, the server share and the network share; energy of the chips' own draw, and the overhead (server power factor × PUE − 1). */
export function ownedHourlyParts(o: OwnershipResult): Array<{ component: string; usd_per_hour: number }> {
  const c = o.conditions;
  const perHour = (capex: number) => capex / o.count / (c.years * c.hours_per_year) / c.utilisation;
  const capex = o.capex_usd!;
  const network = c.include_network ? capex * c.cluster_network_share : 0;
  const chips = o.chips_capex_usd!;
  const energy = o.owned_usd_per_busy_chip_hour! - perHour(capex);
  const chipEnergy = (o.busy_power_w_per_chip! / 1000) * c.usd_per_kwh;
  return [
    { component: "chips capex", usd_per_hour: perHour(chips) },
    { component: "server capex", usd_per_hour: perHour(capex - network - chips) },
    { component: "network capex", usd_per_hour: perHour(network) },
    { component: "chip energy", usd_per_hour: chipEnergy },
    { component: "overhead energy", usd_per_hour: energy - chipEnergy },
  ].filter((p) => p.usd_per_hour > 0);
}

/**
 * The cost factor's figure split into what makes it, in the factor's unit (USD per million tokens,
 * per thousand images, per step or per run): the ownership result the factor itself priced with
 * (`factorOwnership`: same price, facility figures and busy power), spread over the factor's seconds
 * per unit of work. Owned: capex parts + energy parts, summing to the factor's value; cloud: the
 * on-demand rate. A chip whose cost factor is unknown gets a note naming what is missing.
 */
export function costRowsOf(ctx: FactorContext, factor: FactorValue | undefined): Gathered<{ unit: string; rows: CostRow[] }> {
  const id = ctx.chip.id;
  if (!factor || factor.value === null) return { note: `${id}: no cost breakdown: missing ${factor?.missing?.join(", ") ?? "the cost factor"}` };
  const d = factor.details ?? {};
  const seconds = d.seconds_per_unit;
  if (typeof seconds !== "number") return { note: `${id}: no cost breakdown: the cost factor gives no time per unit of work` };
  if (d.basis === "cloud") return { chart: { unit: factor.unit, rows: [{ chip: id, component: "cloud rate", usd: factor.value }] } };
  const busy = d.busy_power_w_per_chip;
  const o = factorOwnership(ctx, typeof busy === "number" ? busy : undefined);
  if (!o) return { note: `${id}: no cost breakdown: the money catalog was not given to the assessment` };
  if (o.owned_usd_per_busy_chip_hour === null) return { note: `${id}: no cost breakdown: missing ${o.missing.join(", ")}` };
  const rows = ownedHourlyParts(o).map((p) => ({ chip: id, component: p.component, usd: usdPerUnitOfWork(p.usd_per_hour, ctx.chips, seconds) }));
  return { chart: { unit: factor.unit, rows } };
}

/** The cost chart of the chips gathered: rows in one unit (a chip in another unit is left out with a note). */
export function costChartOf(parts: ReadonlyArray<{ unit: string; rows: CostRow[] }>, notes: string[], workload: string): CostBreakdownInput | undefined {
  if (!parts.length) return undefined;
  const unit = parts[0]!.unit;
  for (const p of parts.filter((x) => x.unit !== unit)) notes.push(`${p.rows[0]?.chip}: cost in ${p.unit}, not ${unit}: left out of the cost chart`);
  const rows = parts.filter((p) => p.unit === unit).flatMap((p) => p.rows);
  return { title: `Cost of ${workload}, by component (${unit})`, unit, rows };
}
