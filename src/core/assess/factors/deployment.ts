import type { FactorContext, FactorValue } from "../factor.js";
import { unknownFactor } from "../factor.js";
import { si } from "./needs.js";

/**
 * Deployment: suitability in [0, 1] for cloud, on-premises and edge, from the chip's data and the
 * workload (the rule, each criterion a factor in [0, 1], multiplied):
 *   edge:        the model fits one chip's memory × min(1, 75 W / TDP)
 *                (75 W: the PCIe CEM slot power limit, PCI-SIG CEM r4.0 §4.2 — an add-in card an
 *                edge box or workstation powers without auxiliary cables).
 *   on-premises: it fits on the chips given × min(1, L / (32 × TDP)) with air cooling (a rack of
 *                four 8-chip nodes under the air-cooled rack limit L: `air_rack_limit_kw` of
 *                catalog/energy/facility.yaml, 35 kW (25–35), else 25 kW; precision-power-thermal.md §3.4);
 *                1 with liquid cooling.
 *   cloud:       it fits on the chips given × offered by the hour (the chip has a cloud price);
 *                unknown (null) without one.
 * TDP here is the board power: the power cap (conditions.power_cap_w) when it is lower.
 * value: the requested deployment (conditions.deployment), else the best-suited one.
 */
export const EDGE_POWER_W = 75;
/** The air-cooled rack limit when the facility table is not given (the low end of its range). */
export const AIR_RACK_LIMIT_W = 25_000;
export const CHIPS_PER_RACK = 32;

type Target = "cloud" | "on-premises" | "edge";

export function deploymentFactor(ctx: FactorContext): FactorValue {
  const e = ctx.mode === "inference" ? ctx.inference : ctx.training;
  // A board power cap (conditions.power_cap_w) below the TDP is the power the deployment must supply.
  const cap = ctx.conditions.power_cap_w;
  const tdp = ctx.chip.power.tdp_w === undefined ? undefined : cap !== undefined ? Math.min(cap, ctx.chip.power.tdp_w) : ctx.chip.power.tdp_w;
  if (!e) return unknownFactor("score", "higher", ["estimate of memory per chip"], ctx.estimate_issue ?? "no estimate for this chip");
  const fits = e.fits ? 1 : 0;
  const rackW = (ctx.energy?.facility?.air_rack_limit_kw.value ?? AIR_RACK_LIMIT_W / 1000) * 1000;
  const oneChip = e.memory_per_chip_bytes * e.chips <= ctx.chip.memory.main.capacity_bytes ? 1 : 0;
  const suit: Record<Target, number | null> = {
    edge: tdp === undefined ? null : oneChip * Math.min(1, EDGE_POWER_W / tdp),
    "on-premises": tdp === undefined ? null : fits * (ctx.conditions.cooling === "liquid" ? 1 : Math.min(1, rackW / (CHIPS_PER_RACK * tdp))),
    cloud: ctx.chip.cost.cloud_usd_per_hour === undefined ? null : fits,
  };
  const details = { cloud: suit.cloud, on_premises: suit["on-premises"], edge: suit.edge, fits_one_chip: oneChip === 1, board_power_w: tdp ?? null, cloud_usd_per_hour: ctx.chip.cost.cloud_usd_per_hour ?? null };
  const want = ctx.conditions.deployment;
  const target: Target | undefined = want ?? (Object.entries(suit) as [Target, number | null][]).filter(([, v]) => v !== null).sort((a, b) => b[1]! - a[1]!)[0]?.[0];
  const value = target ? suit[target] : null;
  if (value === null || value === undefined || !target) {
    const missing = target ? [target === "cloud" ? "cost.cloud_usd_per_hour" : "power.tdp"] : ["cost.cloud_usd_per_hour (cloud)", "power.tdp (on-premises, edge)"];
    return { ...unknownFactor("score", "higher", missing, `${target ? `${target} suitability` : "no deployment can be judged"}: needs ${missing.join(", ")}`), details };
  }
  return {
    value,
    unit: "score",
    better: "higher",
    rank: null,
    limited_by: limitOf(target, suit[target]!, fits, oneChip, tdp, rackW),
    note: `${target}${want ? " (requested)" : " (best suited)"}: ${value.toFixed(2)}; cloud ${fmt(suit.cloud)}, on-premises ${fmt(suit["on-premises"])}, edge ${fmt(suit.edge)}${tdp !== undefined ? `; board power ${si(tdp, "W")}${cap !== undefined && cap < (ctx.chip.power.tdp_w ?? Infinity) ? " (capped)" : ""}` : ""}`,
    basis: "derived",
    details,
  };
}

const fmt = (v: number | null): string => (v === null ? "unknown" : v.toFixed(2));

function limitOf(target: Target, v: number, fits: number, oneChip: number, tdp: number | undefined, rackW: number): string | null {
  if (v >= 1) return null;
  if (target === "edge") return oneChip ? `power: ${tdp} W above the ${EDGE_POWER_W} W edge budget` : "memory: the model does not fit one chip";
  if (!fits) return "memory: the model does not fit the chips given";
  return target === "on-premises" ? `power: ${CHIPS_PER_RACK} × ${tdp} W above a ${rackW / 1000} kW air-cooled rack` : null;
}
