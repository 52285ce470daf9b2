import type { RoutesCostTable } from "../../spec/money-spec.js";
import type { Catalog } from "../catalog.js";
import type { RoutesRequest } from "../jobs/routes-job.js";
import { flexibilityOf } from "./route-devices.js";
import type { RouteResult } from "./route-types.js";

/** PLACEHOLDER until the FPGA design job lands. */
export function fpgaRoute(req: RoutesRequest, t: RoutesCostTable, _batch: number, catalog: Catalog): RouteResult {
  const chip = catalog.chip(req.fpga ?? t.default_fpga);
  return { route: "fpga", device: chip.id, device_name: chip.name, available: false, reason: "pending", unit_cost_usd: null, unit_cost_basis: "", nre_usd: t.fpga_design_nre_usd.value, nre_basis: "", variable_usd_per_system: null, usd_per_system_at_volume: null, time_to_market_months: t.fpga_months_to_market.value, market_window_factor: 1, flexibility: flexibilityOf("fpga", chip), notes: [] };
}
