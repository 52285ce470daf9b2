import type { Chip } from "../../hardware/chip.js";
import type { MoneyValue } from "../../spec/money-spec.js";
import { flexibilityOf } from "./route-devices.js";
import type { RouteResult } from "./route-types.js";

/**
 * The common part of a route whose device is bought (a GPU, an FPGA card): its price (given, the
 * catalog's, or "not published" with the catalog's reason), its NRE (given or the routes table's) and
 * its time to market; performance fields are added by the caller.
 */
export interface BoughtDevice {
  route: "gpu" | "fpga";
  chip: Chip;
  price_usd?: number;
  nre_usd?: number;
  nre_default: MoneyValue;
  nre_key: string;
  months_to_market: MoneyValue;
}

export function boughtDeviceRoute(d: BoughtDevice): RouteResult {
  const { chip } = d;
  const price = d.price_usd ?? chip.cost.price_usd ?? null;
  const reason = chip.cost.unpublished?.price_usd;
  return {
    route: d.route,
    device: chip.id,
    device_name: chip.name,
    available: false,
    unit_cost_usd: price,
    unit_cost_basis: d.price_usd !== undefined ? "given" : price !== null ? `catalog price (${chip.cost.price_scope ?? "chip"})` : `not published${reason ? `: ${reason}` : ""}; give ${d.route}_price_usd`,
    nre_usd: d.nre_usd ?? d.nre_default.value,
    nre_basis: d.nre_usd !== undefined ? "given" : `routes.yaml ${d.nre_key} (${d.nre_default.note ?? ""})`,
    variable_usd_per_system: null,
    usd_per_system_at_volume: null,
    time_to_market_months: d.months_to_market.value,
    market_window_factor: 1,
    flexibility: flexibilityOf(d.route, chip),
    notes: [],
  };
}

