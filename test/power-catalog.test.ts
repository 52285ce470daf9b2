import { describe, expect, it } from "vitest";
import { resolveThermal, steadyTjC } from "../src/core/power/index.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const catalog = nodeCatalog();
const energy = catalog.energy();

describe("power and thermal catalog data", () => {
  it("every chip's family gives energy constants and a voltage-frequency curve", () => {
    for (const id of catalog.chipIds()) {
      const p = catalog.context(catalog.chip(id)).efficiency;
      expect(p.energy_pj_per_byte_main, id).toBeGreaterThan(0);
      expect(p.energy_pj_per_vector_flop, id).toBeGreaterThan(0);
      expect(Object.keys(p.energy_pj_per_flop).length, id).toBeGreaterThan(0);
      const vf = p.voltage_frequency;
      expect(vf.min_clock_fraction, id).toBeGreaterThan(0);
      expect(vf.min_clock_fraction, id).toBeLessThan(1);
      expect(vf.v_at_max_clock, id).toBeGreaterThanOrEqual(vf.v_at_min_clock);
    }
  });

  it("the Hopper curve is the H800 measurement: 725 mV at 345 of 1980 MHz", () => {
    const vf = catalog.context(catalog.chip("nvidia-h100-sxm")).efficiency.voltage_frequency;
    expect(vf.v_at_min_clock).toBe(0.725);
    expect(vf.min_clock_fraction * 1980).toBeCloseTo(345, 0);
  });

  it("at stock conditions (default cooling and inlet) no catalog chip's junction passes its limit at TDP; a hotter inlet makes a 900 W chip pass it", () => {
    let checked = 0;
    for (const id of catalog.chipIds()) {
      const chip = catalog.chip(id);
      const r = resolveThermal(chip, energy.thermal, {});
      if (!r.thermal || chip.power.tdp_w === undefined) continue;
      checked++;
      expect(steadyTjC(chip.power.tdp_w, r.thermal.params), id).toBeLessThanOrEqual(r.thermal.params.tj_max_c + 1e-9);
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    const gaudi3 = catalog.chip("intel-gaudi3");
    const stock = resolveThermal(gaudi3, energy.thermal, {}).thermal!;
    expect(stock.origin.resistance).toMatch(/cooler sized for the TDP/);
    // (87 − 35) / 900 W = 0.0578 °C/W: at 45 °C the same cooler lets the junction reach 97 °C at TDP.
    expect(stock.params.resistance_c_per_w).toBeCloseTo(52 / 900, 9);
    const hot = resolveThermal(gaudi3, energy.thermal, { ambient_c: 45 }).thermal!;
    expect(steadyTjC(900, hot.params)).toBeCloseTo(97, 6);
  });

  it("cooling and facility tables load from the catalog, each default inside its range", () => {
    const t = energy.thermal!;
    const f = energy.facility!;
    const inRange = (v: { value: number; range?: [number, number] | undefined }) => v.range === undefined || (v.value >= v.range[0] && v.value <= v.range[1]);
    for (const c of [t.cooling.air, t.cooling.liquid]) for (const v of [c.resistance_c_per_w, c.time_constant_s, c.ambient_c]) expect(inRange(v)).toBe(true);
    expect(t.cooling.liquid.resistance_c_per_w.value).toBeLessThan(t.cooling.air.resistance_c_per_w.value);
    expect(inRange(t.default_tj_max_c)).toBe(true);
    for (const v of [f.pue.air, f.pue.liquid, f.usd_per_kwh, f.grid_kg_co2_per_kwh]) expect(inRange(v)).toBe(true);
    expect(f.pue.liquid.value).toBeLessThan(f.pue.air.value);
  });

  it("every chip either resolves its thermal model or says what is missing", () => {
    let resolved = 0;
    for (const id of catalog.chipIds()) {
      const chip = catalog.chip(id);
      const r = resolveThermal(chip, energy.thermal, {});
      if (r.thermal) {
        resolved++;
        expect(r.thermal.params.resistance_c_per_w, id).toBeGreaterThan(0);
        expect(r.thermal.origin.tj_max, id).toEqual(chip.thermal.tj_max_c !== undefined ? "chip" : expect.stringMatching(/^catalog default/));
      } else expect(r.missing.length, id).toBeGreaterThan(0);
    }
    expect(resolved).toBeGreaterThanOrEqual(20);
  });

  it("Hopper chips carry their measured junction limits; chips without one do not invent it", () => {
    for (const id of ["nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200-sxm"]) expect(catalog.chip(id).thermal).toMatchObject({ tj_max_c: 87, tj_slowdown_c: 89 });
    expect(catalog.chip("amd-mi300x").thermal.tj_max_c).toBeUndefined();
    expect(catalog.chip("nvidia-gb200-gpu").thermal.cooling).toBe("liquid");
  });
});
