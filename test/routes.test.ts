import { describe, expect, it } from "vitest";
import { routesJob } from "../src/core/app/jobs/routes-job.js";
import { breakEvens, devicesFor, lifetimeEnergyUsd, marketWindowFactor, priceRoute } from "../src/core/app/routes/route-economics.js";
import type { RouteResult } from "../src/core/app/routes/route-types.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

/** `xpusim routes` (issue #12): hand-computed economics, the three routes on ResNet-50, bad input. */
const catalog = nodeCatalog();
const money = catalog.money();

function route(kind: RouteResult["route"], over: Partial<RouteResult>): RouteResult {
  return {
    route: kind, device: kind, device_name: kind, available: true, throughput_items_per_s: 100, latency_s: 0.01, power_w: 100, unit_cost_usd: 1000, unit_cost_basis: "", nre_usd: 0, nre_basis: "",
    variable_usd_per_system: null, usd_per_system_at_volume: null, time_to_market_months: 0, market_window_factor: 1, flexibility: { reprogrammed_by: "software", runs: "", unsupported_ops: [] }, notes: [], ...over,
  };
}

describe("route economics (Smith §1.4: fixed + variable × units)", () => {
  it("devices = ⌈required / per device⌉; energy = devices × W × PUE × hours × years × $/kWh", () => {
    expect(devicesFor(250, 100)).toBe(3);
    expect(devicesFor(200, 100)).toBe(2);
    const o = money.ownership;
    expect(lifetimeEnergyUsd(2, 100, o)).toBeCloseTo((2 * 100 * o.pue.value * o.hours_per_year.value * o.amortisation_years.value * o.usd_per_kwh.value) / 1000, 9);
  });

  it("the guide's example: FPGA NRE $50 K at $100 vs ASIC $5 M at $10 breaks even at 55,000 units", () => {
    const zeroEnergy = { ...money, ownership: { ...money.ownership, usd_per_kwh: { ...money.ownership.usd_per_kwh, value: 0 } } };
    const fpga = priceRoute(route("fpga", { unit_cost_usd: 100, nre_usd: 50_000 }), 100, 1000, zeroEnergy);
    const asic = priceRoute(route("asic", { unit_cost_usd: 10, nre_usd: 5_000_000 }), 100, 1000, zeroEnergy);
    expect(fpga.usd_per_system_at_volume).toBeCloseTo(100 + 50, 9);
    const [be] = breakEvens([fpga, asic]);
    expect(be!.volume).toBeCloseTo(55_000, 6);
    expect(be!.meaning).toContain("asic");
  });

  it("a route with higher NRE and no lower unit cost never breaks even; a missing price is said, not zero", () => {
    const a = priceRoute(route("gpu", { unit_cost_usd: 100, nre_usd: 0 }), 100, 10, money);
    const b = priceRoute(route("asic", { unit_cost_usd: 200, nre_usd: 1e6 }), 100, 10, money);
    expect(breakEvens([a, b])[0]!.volume).toBeNull();
    const c = priceRoute(route("fpga", { unit_cost_usd: null }), 100, 10, money);
    expect(c.usd_per_system_at_volume).toBeNull();
    expect(breakEvens([a, c])[0]!.meaning).toContain("not computable");
  });

  it("market window: 18 months later at 38 %/year needs 1.62× the performance per dollar", () => {
    expect(marketWindowFactor(18, 0, 0.38)).toBeCloseTo(1.38 ** 1.5, 12);
    expect(marketWindowFactor(0, 0, 0.38)).toBe(1);
  });
});

describe("routes on ResNet-50", () => {
  const r = routesJob.run({ model: "resnet-50", batch: 8, volume: 100_000 }, catalog);
  const by = (k: string) => r.routes.find((x) => x.route === k)!;

  it("the GPU route is the inference estimator's int8 throughput on the L4; the ASIC's die cost comes from its mapped area", () => {
    expect(by("gpu").device).toBe("nvidia-l4");
    expect(by("gpu").throughput_items_per_s).toBeGreaterThan(0);
    expect(r.required_items_per_s).toBe(by("gpu").throughput_items_per_s);
    const asic = by("asic");
    expect(asic.silicon!.area_mm2).toBeGreaterThan(10);
    expect(asic.unit_cost_usd).toBeGreaterThan(0);
    expect(asic.nre_usd).toBeGreaterThan(1e6);
    expect(asic.time_to_market_months).toBe(money.silicon.months_to_first_silicon.value);
  });

  it("the FPGA route is the FPGA model's best design on the U250; without a card price its cost is 'not published', never 0", () => {
    const f = by("fpga");
    expect(f.available).toBe(true);
    expect(f.design).toMatchObject({ dtype: "int8" });
    expect(f.throughput_items_per_s).toBeGreaterThan(0);
    expect(f.unit_cost_usd).toBeNull();
    expect(f.unit_cost_basis).toContain("not published");
    expect(f.usd_per_system_at_volume).toBeNull();
    const priced = routesJob.run({ model: "resnet-50", batch: 8, volume: 100_000, fpga_price_usd: 8000 }, catalog).routes.find((x) => x.route === "fpga")!;
    expect(priced.variable_usd_per_system!).toBeGreaterThanOrEqual(priced.devices_per_system! * 8000);
  });

  it("a device without the data a route needs cannot run it, with the reason", () => {
    const noSection = routesJob.run({ model: "resnet-50", batch: 8, fpga: "intel-agilex7" }, catalog).routes.find((x) => x.route === "fpga")!;
    expect(noSection.available).toBe(false);
    expect(noSection.reason).toContain("no fpga: resource section");
  });

  it("invariants: every available route has power > 0, items/J = throughput / power, utilisation of devices ≥ required", () => {
    for (const x of r.routes.filter((y) => y.available)) {
      expect(x.power_w!).toBeGreaterThan(0);
      expect(x.items_per_j!).toBeCloseTo(x.throughput_items_per_s! / x.power_w!, 9);
      expect(x.devices_per_system! * x.throughput_items_per_s!).toBeGreaterThanOrEqual(r.required_items_per_s * (1 - 1e-9));
    }
  });

  it("more volume never raises the ASIC's cost per system (its NRE is spread wider)", () => {
    const small = routesJob.run({ model: "resnet-50", batch: 8, volume: 1000 }, catalog).routes.find((x) => x.route === "asic")!;
    expect(by("asic").usd_per_system_at_volume!).toBeLessThan(small.usd_per_system_at_volume!);
  });

  it("the CLI prints every route and the break-even lines; --json is the job's result", async () => {
    const text = await runCli("routes", "--workload", "resnet-50", "--batch", "8", "--volume", "100000");
    expect(text.code).toBe(0);
    for (const k of ["gpu", "fpga", "asic"]) expect(text.out).toMatch(new RegExp(`^${k} `, "m"));
    expect(text.out).toContain("break-even gpu vs asic");
    const json = JSON.parse((await runCli("routes", "--workload", "resnet-50", "--batch", "8", "--volume", "100000", "--json")).out) as { routes: unknown[] };
    expect(json.routes).toHaveLength(3);
    expect((await runCli("routes", "--workload", "resnet-50", "--dtype", "int3")).code).toBe(2);
  });
});
