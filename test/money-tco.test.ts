import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { ownershipCost, usdPerMillionTokens } from "../src/core/money/index.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";
import { loadMoneyCatalog } from "../src/node/money-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const table = loadMoneyCatalog().ownership;
const h100 = loadChip("nvidia-h100-sxm");

describe("total cost of ownership", () => {
  it("adds up by hand: 8 × H100 over 4 years at 60 %", () => {
    const r = ownershipCost(h100, table, { count: 8, years: 4, utilisation: 0.6, usd_per_kwh: 0.0826, pue: 1.25 });
    // capex = 27,500 × 8 × 1.64 (server share)
    expect(r.capex_usd).toBeCloseTo(27500 * 8 * 1.64, 6);
    // busy power = 700 W × 0.75; idle 121.7 W (power.idle) the other 40 % of the time:
    // energy/yr = (525 × 0.6 + 121.7 × 0.4) W × 1.8 × 1.25 × 8766 h × 8 = 57,384.34 kWh
    expect(r.busy_power_w_per_chip).toBe(525);
    expect(r.energy_kwh_per_year).toBeCloseTo(57384.34, 1);
    expect(r.opex_usd_per_year).toBeCloseTo(57384.34 * 0.0826, 1);
    expect(r.tco_usd).toBeCloseTo(360800 + 4 * 57384.34 * 0.0826, 0);
    expect(r.cloud_usd_over_period).toBeCloseTo(2.5 * 8 * 4 * 8766, 6);
    expect(r.co2_kg_per_year).toBeCloseTo(57384.34 * 0.436, 0);
  });

  it("reproduces the research note's worked example: a DGX H100 GPU at USD 46,875, 5 years, 19 % network → ≈ USD 1.42/h", () => {
    const dgxGpu = chipFromObject({ id: "h100-in-dgx", extends: "nvidia-h100-sxm", cost: { price: "46875 USD" } });
    // energy = 0.7 kW × 1.82 × 0.75 × 1.25 = 1.195 kW at 0.0826 → 0.099/h (power passed per chip, server included)
    const r = ownershipCost(dgxGpu, table, { count: 8, years: 5, utilisation: 1, usd_per_kwh: 0.0826, pue: 1.25, include_system: false, include_network: true, busy_power_w: 700 * 1.82 * 0.75 });
    expect(r.capex_usd! / 8 / (5 * 8766)).toBeCloseTo(1.32, 2);
    expect(r.owned_usd_per_busy_chip_hour).toBeCloseTo(1.42, 2);
  });

  it("more utilisation never raises the cost per busy hour (owned or cloud), so never the cost per token", () => {
    let prevOwned = Infinity;
    let prevCloud = Infinity;
    for (let u = 0.05; u <= 1.0001; u += 0.05) {
      const r = ownershipCost(h100, table, { count: 1, utilisation: Math.min(u, 1) });
      expect(r.owned_usd_per_busy_chip_hour!).toBeLessThanOrEqual(prevOwned);
      expect(r.cloud_usd_per_busy_chip_hour!).toBeLessThanOrEqual(prevCloud);
      prevOwned = r.owned_usd_per_busy_chip_hour!;
      prevCloud = r.cloud_usd_per_busy_chip_hour!;
    }
    expect(usdPerMillionTokens(2, 8, 1000)).toBeCloseTo((2 * 8 * 1e6) / 1000 / 3600, 12);
  });

  it("a missing price is null with what is missing, never zero", () => {
    const dojo = loadChip("tesla-dojo-d1");
    const r = ownershipCost(dojo, table, { count: 4 });
    expect(r.price_usd).toBeNull();
    expect(r.capex_usd).toBeNull();
    expect(r.tco_usd).toBeNull();
    expect(r.owned_usd_per_busy_chip_hour).toBeNull();
    expect(r.missing).toEqual(expect.arrayContaining(["cost.price", "cost.cloud_per_hour"]));
    expect(r.opex_usd_per_year).toBeGreaterThan(0); // its TDP is known
  });

  it("a whole-system price (cost.price_scope: system) gets no server share; a module's does", () => {
    const cs3 = loadChip("cerebras-wse3");
    expect(cs3.cost.price_scope).toBe("system");
    const r = ownershipCost(cs3, table, { count: 2 });
    expect(r.capex_usd).toBe(2 * 2_500_000);
    expect(r.notes.join()).toMatch(/whole-system price/);
    const l4 = loadChip("nvidia-l4");
    expect(l4.cost.price_scope).toBe("module");
    expect(ownershipCost(l4, table, { count: 1 }).capex_usd).toBeCloseTo(2500 * 1.64, 6);
    expect(h100.cost.price_scope).toBe("chip");
  });

  it("impossible conditions are clear errors", () => {
    expect(() => ownershipCost(h100, table, { count: 1, pue: 0.9 })).toThrow(/PUE ≥ 1/);
    expect(() => ownershipCost(h100, table, { count: 1, utilisation: 0 })).toThrow(/utilisation/);
    expect(() => ownershipCost(h100, table, { count: 0 })).toThrow(/positive integer/);
  });

  it("the cost-tco job prices several chips through the Catalog", () => {
    const r = JOBS["cost-tco"].run({ chips: ["nvidia-h100-sxm", "amd-mi300x"], count: 8, years: 4 }, nodeCatalog());
    expect(r.results.map((x) => x.chip)).toEqual(["nvidia-h100-sxm", "amd-mi300x"]);
    expect(r.results[0]!.conditions.defaults).toContain("pue");
    expect(r.sources.length).toBeGreaterThan(0);
  });
});
