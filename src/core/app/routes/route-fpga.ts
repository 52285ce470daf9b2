import type { RoutesCostTable } from "../../spec/money-spec.js";
import type { Catalog } from "../catalog.js";
import { fpgaJob } from "../jobs/fpga-job.js";
import type { RoutesRequest } from "../jobs/routes-job.js";
import { definedFields } from "../defined-fields.js";
import { boughtDeviceRoute } from "./bought-device-route.js";
import type { RouteResult } from "./route-types.js";

/**
 * The FPGA route: the best loop-tiled design the FPGA model finds for the model's conv and FC layers
 * on the catalog FPGA (`xpusim fpga`, docs/fpga.md), at the route's dtype; its power is the design's
 * static + DSP-dynamic estimate. The card price is the chip's catalog price or `fpga_price_usd`.
 */
export function fpgaRoute(req: RoutesRequest, t: RoutesCostTable, batch: number, catalog: Catalog): RouteResult {
  const ref = req.fpga ?? t.default_fpga;
  const chip = catalog.chip(ref);
  const base = boughtDeviceRoute({ route: "fpga", chip, ...definedFields({ price_usd: req.fpga_price_usd, nre_usd: req.fpga_nre_usd }), nre_default: t.fpga_design_nre_usd, nre_key: "fpga_design_nre_usd", months_to_market: t.fpga_months_to_market });
  if (!chip.fpga) return { ...base, reason: `${chip.id} has no fpga: resource section (DSPs, block RAM, LUTs), so no design can be placed on it` };
  const r = fpgaJob.run({ chip: ref, model: req.model, dtype: req.dtype ?? "int8", batch }, catalog);
  const d = r.design;
  const notes = [`FPGA model: ${r.scope.split(":")[0]}`, ...r.notes];
  if (!r.feasible || !d) return { ...base, reason: r.shortfall ? `no design fits: ${r.shortfall.resource} needs ${r.shortfall.needed}, has ${r.shortfall.available}` : "no feasible design", notes };
  const design = { tm: d.tm, tn: d.tn, tp: d.tp, dtype: d.dtype, clock_hz: d.clock_hz, dsp_efficiency: d.totals.dsp_efficiency, resources: d.resources };
  return {
    ...base,
    available: true,
    throughput_items_per_s: d.totals.throughput_per_s,
    latency_s: d.totals.latency_s,
    power_w: d.power.total_w,
    items_per_j: d.totals.throughput_per_s / d.power.total_w,
    design,
    notes: [...notes, `design ⟨Tm ${d.tm}, Tn ${d.tn}${d.tp > 1 ? `, Tp ${d.tp}` : ""}⟩ ${d.dtype} at ${(d.clock_hz / 1e6).toFixed(0)} MHz, DSP efficiency ${(d.totals.dsp_efficiency * 100).toFixed(0)} %`],
  };
}
