import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { dieCost, diesPerWafer, dieYield, YIELD_MODELS } from "../src/core/money/index.js";
import { loadMoneyCatalog } from "../src/node/money-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { JOBS } from "../src/core/app/registry.js";

const money = loadMoneyCatalog();

describe("dies per wafer (standard formula with the edge-loss term)", () => {
  it("matches hand-computed values on a 300 mm wafer", () => {
    // π·150²/814 − π·300/√1628 = 86.83 − 23.36 = 63.48 → 63 (the research note's H100-class example)
    expect(diesPerWafer(814)).toBe(63);
    // π·150²/100 − π·300/√200 = 706.86 − 66.64 = 640.2 → 640
    expect(diesPerWafer(100)).toBe(640);
    // 3 mm edge exclusion: d = 294 mm → π·147²/100 − π·294/√200 = 678.87 − 65.31 = 613.6 → 613
    expect(diesPerWafer(100, 300, 3)).toBe(613);
  });

  it("never grows with die area or edge exclusion", () => {
    let prev = Infinity;
    for (let a = 10; a <= 900; a += 7) {
      const n = diesPerWafer(a);
      expect(n).toBeLessThanOrEqual(prev);
      expect(diesPerWafer(a, 300, 5)).toBeLessThanOrEqual(n);
      prev = n;
    }
  });

  it("rejects a zero area and an edge exclusion that leaves no wafer", () => {
    expect(() => diesPerWafer(0)).toThrow(XpusimError);
    expect(() => diesPerWafer(100, 300, 150)).toThrow(/edge exclusion/);
  });
});

describe("yield models", () => {
  it("match hand-computed values for an 814 mm² die (research note table)", () => {
    // A·D0 = 8.14 cm² × 0.1 = 0.814
    expect(dieYield("poisson", 814, 0.1)).toBeCloseTo(Math.exp(-0.814), 12);
    expect(dieYield("poisson", 814, 0.1)).toBeCloseTo(0.4431, 4);
    expect(dieYield("murphy", 814, 0.1)).toBeCloseTo(0.4681, 4);
    expect(dieYield("negative-binomial", 814, 0.1, 3)).toBeCloseTo(0.4867, 4);
    expect(dieYield("negative-binomial", 814, 0.2, 3)).toBeCloseTo(0.2724, 4);
    expect(dieYield("murphy", 814, 0.2)).toBeCloseTo(0.2437, 4);
  });

  it("a higher defect density never raises yield; zero defects yield 1", () => {
    for (const m of YIELD_MODELS) {
      expect(dieYield(m, 500, 0)).toBe(1);
      for (let a = 20; a <= 860; a += 40) {
        let prev = 1;
        for (let d = 0; d <= 1; d += 0.02) {
          const y = dieYield(m, a, d, 2);
          expect(y, `${m} ${a} mm² D0 ${d}`).toBeLessThanOrEqual(prev + 1e-15);
          expect(y).toBeGreaterThan(0);
          prev = y;
        }
      }
    }
  });

  it("negative binomial tends to Poisson as α grows, and clustering (small α) raises yield", () => {
    expect(dieYield("negative-binomial", 600, 0.1, 1e7)).toBeCloseTo(dieYield("poisson", 600, 0.1), 6);
    expect(dieYield("negative-binomial", 600, 0.1, 0.5)).toBeGreaterThan(dieYield("negative-binomial", 600, 0.1, 3));
  });
});

describe("die cost", () => {
  it("reproduces the research note's worked example: 814 mm² at 5 nm (USD 16,988 wafer), NB α = 3", () => {
    const at = (d0: number) => dieCost(money, { area_mm2: 814, node: "5nm", defect_density_per_cm2: d0 });
    expect(at(0.05).good_dies_per_wafer).toBeCloseTo(43.0, 1);
    expect(at(0.05).usd_per_good_die).toBeCloseTo(395, 0);
    expect(at(0.1).usd_per_good_die).toBeCloseTo(554, 0);
    expect(at(0.2).usd_per_good_die).toBeCloseTo(990, 0);
    // 100 mm² edge NPU at D0 = 0.1: 640 dies, Y = 0.91 → USD 16 (7 nm) / 29 (5 nm)
    expect(dieCost(money, { area_mm2: 100, node: "7nm", defect_density_per_cm2: 0.1 }).usd_per_good_die).toBeCloseTo(16.1, 1);
    expect(dieCost(money, { area_mm2: 100, node: "n5", defect_density_per_cm2: 0.1 }).usd_per_good_die).toBeCloseTo(29.3, 1);
  });

  it("an H100-class packaged unit lands near the published manufacturing-cost estimates", () => {
    // logic die + 80 GB HBM + CoWoS-S + test; Raymond James ≈ USD 3,320, another estimate ≈ 3,000 (routes-cost-security.md §2.6)
    const r = dieCost(money, { area_mm2: 814, node: "tsmc 4n", defect_density_per_cm2: 0.05, hbm_gb: 80, package: "cowos-s" });
    expect(r.usd_per_packaged_unit!).toBeGreaterThan(2500);
    expect(r.usd_per_packaged_unit!).toBeLessThan(4000);
    expect(r.usd_per_packaged_unit).toBeCloseTo(r.usd_per_good_die! + 80 * 15 + 750 + 760, 6);
  });

  it("spreads NRE over the volume: more units never raise the cost per unit", () => {
    let prev = Infinity;
    for (const volume of [1e3, 1e4, 1e5, 1e6, 1e7]) {
      const r = dieCost(money, { area_mm2: 300, node: "7nm", volume });
      expect(r.nre_usd).toBe(298e6 + 12.5e6);
      expect(r.nre_usd_per_unit).toBeCloseTo(r.nre_usd! / volume, 9);
      expect(r.usd_per_unit_at_volume!).toBeLessThan(prev);
      prev = r.usd_per_unit_at_volume!;
    }
  });

  it("a node without a design cost makes NRE null with what is missing, unless NRE is given", () => {
    const r = dieCost(money, { area_mm2: 50, node: "65nm", volume: 1000 });
    expect(r.nre_usd).toBeNull();
    expect(r.usd_per_unit_at_volume).toBeNull();
    expect(r.missing.join()).toMatch(/NRE for 65nm/);
    expect(dieCost(money, { area_mm2: 50, node: "65nm", volume: 1000, nre_usd: 2e6 }).nre_usd_per_unit).toBe(2000);
  });

  it("the range spans the node's wafer-price and defect-density ranges", () => {
    const r = dieCost(money, { area_mm2: 600, node: "5nm" });
    expect(r.usd_per_good_die_range![0]).toBeLessThanOrEqual(r.usd_per_good_die!);
    expect(r.usd_per_good_die_range![1]).toBeGreaterThanOrEqual(r.usd_per_good_die!);
  });

  it("bad input is a clear error", () => {
    expect(() => dieCost(money, { area_mm2: 100, node: "6nmx" })).toThrow(/unknown process node "6nmx"[\s\S]*did you mean/);
    expect(() => dieCost(money, { area_mm2: 100, node: "7nm", package: "glass" })).toThrow(/cowos-s/);
    expect(() => dieCost(money, { area_mm2: 100, node: "7nm", defect_density_per_cm2: -1 })).toThrow(/defect density/);
    expect(() => dieCost(money, { area_mm2: -5, node: "7nm" })).toThrow(/die area/);
  });

  it("the cost-die job answers through the Catalog (catalog/money reaches the browser-safe engine)", () => {
    const r = JOBS["cost-die"].run({ area_mm2: 814, node: "5nm", defect_density_per_cm2: 0.05 }, nodeCatalog());
    expect(r.kind).toBe("cost-die");
    expect(r.usd_per_good_die).toBeCloseTo(395, 0);
    expect(r.nodes).toContain("3nm");
  });
});
