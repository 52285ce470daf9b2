import type { MoneyCatalog, OwnershipCostTable } from "../../spec/money-spec.js";
import type { BreakEven, RouteKind, RouteResult } from "./route-types.js";

/**
 * The money side of a route comparison (Smith, "Application-Specific Integrated Circuits", §1.4: total
 * cost = fixed + variable × units). Per system that delivers the required throughput:
 *   devices = ⌈required / one device's throughput⌉
 *   variable = devices × unit cost + devices × power × PUE × hours/year × years × USD/kWh
 *   at volume V: variable + NRE / V
 * Break-even volume of routes a, b: V* = (NRE_a − NRE_b) / (variable_b − variable_a) when positive.
 * Market window: a route that arrives Δt months after the earliest must give (1 + g)^(Δt/12) more
 * performance per dollar to break even (g: the price-performance growth of the competing products).
 */
export function devicesFor(required: number, perDevice: number): number {
  return perDevice > 0 ? Math.ceil(required / perDevice - 1e-9) : Number.POSITIVE_INFINITY;
}

export function lifetimeEnergyUsd(devices: number, powerW: number, own: OwnershipCostTable): number {
  const kwh = (devices * powerW * own.pue.value * own.hours_per_year.value * own.amortisation_years.value) / 1000;
  return kwh * own.usd_per_kwh.value;
}

export function marketWindowFactor(months: number, earliest: number, growthPerYear: number): number {
  return (1 + growthPerYear) ** (Math.max(0, months - earliest) / 12);
}

/** Fills devices, energy, variable and at-volume costs of an available route. */
export function priceRoute(r: RouteResult, required: number, volume: number, money: MoneyCatalog): RouteResult {
  if (!r.available || r.throughput_items_per_s === undefined || r.power_w === undefined) return r;
  const devices = devicesFor(required, r.throughput_items_per_s);
  const energy = lifetimeEnergyUsd(devices, r.power_w, money.ownership);
  const variable = r.unit_cost_usd === null ? null : devices * r.unit_cost_usd + energy;
  return { ...r, devices_per_system: devices, energy_usd_per_system: energy, variable_usd_per_system: variable, usd_per_system_at_volume: variable === null ? null : variable + r.nre_usd / volume };
}

export function breakEvens(routes: readonly RouteResult[]): BreakEven[] {
  const out: BreakEven[] = [];
  for (let i = 0; i < routes.length; i++) {
    for (let j = i + 1; j < routes.length; j++) out.push(breakEven(routes[i]!, routes[j]!));
  }
  return out;
}

function breakEven(a: RouteResult, b: RouteResult): BreakEven {
  const va = a.variable_usd_per_system;
  const vb = b.variable_usd_per_system;
  if (va === null || vb === null) return { a: a.route, b: b.route, volume: null, meaning: `not computable: ${va === null ? a.route : b.route} has no unit cost or cannot run the workload` };
  const dNre = a.nre_usd - b.nre_usd;
  const dVar = vb - va;
  const [hi, lo] = a.nre_usd >= b.nre_usd ? [a.route, b.route] : [b.route, a.route];
  if (dNre === 0) return { a: a.route, b: b.route, volume: null, meaning: `equal NRE: ${va <= vb ? a.route : b.route} is cheaper at every volume` };
  const v = dNre / dVar;
  if (!(v > 0) || !Number.isFinite(v)) return { a: a.route, b: b.route, volume: null, meaning: `${lo} is cheaper at every volume (${hi} costs more up front and no less per system)` };
  return { a: a.route, b: b.route, volume: v, meaning: `${hi} (higher NRE, cheaper per system) is cheaper above ${Math.ceil(v).toLocaleString("en-US")} systems` };
}

export function cheapest(routes: readonly RouteResult[]): RouteKind | undefined {
  const priced = routes.filter((r) => r.usd_per_system_at_volume !== null);
  return priced.length ? priced.reduce((a, b) => (b.usd_per_system_at_volume! < a.usd_per_system_at_volume! ? b : a)).route : undefined;
}
