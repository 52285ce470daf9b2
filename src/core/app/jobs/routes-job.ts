import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import { dieCost } from "../../money/die-cost.js";
import type { MoneyCatalog, RoutesCostTable } from "../../spec/money-spec.js";
import type { DType } from "../../units/dtype.js";
import type { Catalog, SpecRef } from "../catalog.js";
import { defineJob } from "../job.js";
import { asicPerformance, type DevicePerformance, flexibilityOf, gpuPerformance } from "../routes/route-devices.js";
import { breakEvens, cheapest, marketWindowFactor, priceRoute } from "../routes/route-economics.js";
import { boughtDeviceRoute } from "../routes/bought-device-route.js";
import { definedFields } from "../defined-fields.js";
import { fpgaRoute } from "../routes/route-fpga.js";
import type { RouteResult, RoutesResult } from "../routes/route-types.js";

export type { RouteResult, RoutesResult, BreakEven, RouteKind } from "../routes/route-types.js";

/**
 * The same workload by three technology routes, side by side (issue #12): a catalog GPU, the best
 * FPGA design on a catalog FPGA (`xpusim fpga`), and a custom ASIC/NPU design (the NPU mapper for
 * performance and area, `cost die` for the die cost and NRE). Every assumption is an input with a
 * sourced default in catalog/money/routes.yaml.
 */
export interface RoutesRequest {
  model: SpecRef;
  /** Items per device call (default 1). */
  batch?: number;
  /** Math dtype of the GPU and FPGA routes (default int8, as the ASIC's array; a chip without it runs its native dtype). */
  dtype?: DType;
  /** Systems to build (default 10 000). */
  volume?: number;
  /** Items per second one system must deliver (default: one GPU's throughput). */
  required_items_per_s?: number;
  gpu?: SpecRef;
  fpga?: SpecRef;
  /** A chip spec with a `design:` block (default: routes.yaml's NPU). */
  asic?: SpecRef;
  gpu_price_usd?: number;
  fpga_price_usd?: number;
  gpu_nre_usd?: number;
  fpga_nre_usd?: number;
  asic_nre_usd?: number;
  asic_design_complexity?: number;
}

function routesTable(money: MoneyCatalog): RoutesCostTable {
  if (!money.routes) throw new XpusimError(error("E_IO", "", "the money catalog has no routes table (catalog/money/routes.yaml)", { hint: "rebuild with `npm run build`" }));
  return money.routes;
}

function unavailable(r: RouteResult, perf: DevicePerformance): RouteResult {
  return { ...r, available: false, ...(perf.reason ? { reason: perf.reason } : {}) };
}

function gpuRoute(req: RoutesRequest, t: RoutesCostTable, batch: number, catalog: Catalog): RouteResult {
  const ref = req.gpu ?? t.default_gpu;
  const { chip, perf } = gpuPerformance(ref, req.model, batch, req.dtype ?? "int8", catalog);
  const base: RouteResult = {
    ...boughtDeviceRoute({ route: "gpu", chip, ...definedFields({ price_usd: req.gpu_price_usd, nre_usd: req.gpu_nre_usd }), nre_default: t.gpu_port_nre_usd, nre_key: "gpu_port_nre_usd", months_to_market: t.gpu_months_to_market }),
    available: perf.available,
    notes: perf.notes,
  };
  if (!perf.available) return unavailable(base, perf);
  return { ...base, throughput_items_per_s: perf.throughput_items_per_s, latency_s: perf.latency_s, power_w: perf.power_w, items_per_j: perf.throughput_items_per_s / perf.power_w };
}

function asicRoute(req: RoutesRequest, t: RoutesCostTable, batch: number, volume: number, catalog: Catalog): RouteResult {
  const design = req.asic ?? t.default_asic;
  const a = asicPerformance(design, req.model, batch, catalog);
  const complexity = req.asic_design_complexity ?? t.asic_design_complexity.value;
  const die = dieCost(catalog.money(), { area_mm2: a.area_mm2, node: `${a.process_nm}nm`, volume, design_complexity: complexity, ...(req.asic_nre_usd !== undefined ? { nre_usd: req.asic_nre_usd } : {}) });
  const base: RouteResult = {
    route: "asic",
    device: a.chip,
    device_name: a.name,
    available: a.perf.available,
    unit_cost_usd: die.usd_per_good_die,
    unit_cost_basis: `good die at ${die.node} (${a.area_mm2.toFixed(1)} mm², yield ${(die.die_yield * 100).toFixed(1)} %); package, test and memory chips not included`,
    nre_usd: die.nre_usd ?? 0,
    nre_basis: req.asic_nre_usd !== undefined ? "given" : `${die.nre_basis}; design cost × complexity ${complexity} (routes.yaml)`,
    variable_usd_per_system: null,
    usd_per_system_at_volume: null,
    time_to_market_months: die.months_to_first_silicon,
    market_window_factor: 1,
    flexibility: flexibilityOf("asic", undefined),
    silicon: { area_mm2: a.area_mm2, node: die.node, die_yield: die.die_yield, usd_per_good_die: die.usd_per_good_die, months_to_first_silicon: die.months_to_first_silicon },
    notes: a.perf.notes,
  };
  if (!a.perf.available) return unavailable(base, a.perf);
  const p = a.perf;
  return { ...base, throughput_items_per_s: p.throughput_items_per_s, latency_s: p.latency_s, power_w: p.power_w, items_per_j: p.throughput_items_per_s / p.power_w };
}

export const routesJob = defineJob<RoutesRequest, RoutesResult>({
  id: "routes",
  summary: "one workload by three technology routes (GPU, FPGA design, custom ASIC/NPU): throughput, latency, perf/W, flexibility, NRE, unit cost at a volume, break-even volumes, time to market",
  supports: "CNN workloads on every route (the FPGA and NPU models map convolutions and matrix products); other models on the GPU route only",
  run(req, catalog) {
    const money = catalog.money();
    const t = routesTable(money);
    const batch = req.batch ?? 1;
    const volume = req.volume ?? 10_000;
    if (!(Number.isInteger(volume) && volume > 0)) throw new XpusimError(error("E_RANGE", "volume", "volume is a positive whole number of systems", { got: String(volume) }));
    const raw = [gpuRoute(req, t, batch, catalog), fpgaRoute(req, t, batch, catalog), asicRoute(req, t, batch, volume, catalog)];
    const gpuRate = raw[0]!.throughput_items_per_s;
    const required = req.required_items_per_s ?? gpuRate ?? Math.max(...raw.map((r) => r.throughput_items_per_s ?? 0));
    const earliest = Math.min(...raw.map((r) => r.time_to_market_months));
    const g = t.price_performance_growth_per_year.value;
    const routes = raw.map((r) => priceRoute({ ...r, market_window_factor: marketWindowFactor(r.time_to_market_months, earliest, g) }, required, volume, money));
    const cheap = cheapest(routes);
    return {
      kind: "routes",
      model: catalog.model(req.model).name,
      batch,
      volume,
      required_items_per_s: required,
      routes,
      break_even: breakEvens(routes),
      ...(cheap ? { cheapest_at_volume: cheap } : {}),
      assumptions: assumptionsOf(t, money, req),
    };
  },
});

function assumptionsOf(t: RoutesCostTable, money: MoneyCatalog, req: RoutesRequest): RoutesResult["assumptions"] {
  const v = (name: string, value: number | string, basis: string) => ({ name, value, basis });
  const o = money.ownership;
  return [
    v("required_items_per_s", req.required_items_per_s ?? "one GPU's throughput", req.required_items_per_s !== undefined ? "given" : "default"),
    v("usd_per_kwh", o.usd_per_kwh.value, "ownership.yaml"),
    v("pue", o.pue.value, "ownership.yaml"),
    v("amortisation_years", o.amortisation_years.value, "ownership.yaml (energy counted over it)"),
    v("price_performance_growth_per_year", t.price_performance_growth_per_year.value, "routes.yaml (market-window factor)"),
    v("asic_design_complexity", req.asic_design_complexity ?? t.asic_design_complexity.value, req.asic_design_complexity !== undefined ? "given" : "routes.yaml"),
  ];
}
