import { describe, expect, it } from "vitest";
import {
  averagePowerW,
  burstToSustained,
  checkThermalParams,
  dynamicEnergyScale,
  facilityOf,
  operatingPointUnderCap,
  type PowerProfile,
  profileEnergyJ,
  profileTimeS,
  rackPowerOf,
  steadyTjC,
  thermalPowerLimitW,
  timeToLimitS,
  tjAtC,
  voltageAt,
} from "../src/core/power/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";

/** Segments [clocked_s, memory_s, fixed_s, count, e_clocked_j, e_memory_j]. */
function profile(rows: number[][], opts: { idle_s?: number; static_w?: number; idle_w?: number } = {}): PowerProfile {
  const col = (i: number) => Float64Array.from(rows.map((r) => r[i]!));
  return { n: rows.length, clocked_s: col(0), memory_s: col(1), fixed_s: col(2), count: col(3), e_clocked_j: col(4), e_memory_j: col(5), idle_s: opts.idle_s ?? 0, static_w: opts.static_w ?? 100, idle_w: opts.idle_w ?? 100 };
}

const VF = { min_clock_fraction: 0.5, v_at_min_clock: 0.8, v_at_max_clock: 1.0 };

describe("voltage-frequency curve", () => {
  it("is linear between the DVFS floor and the boost clock, clamped outside", () => {
    expect(voltageAt(VF, 1)).toBe(1);
    expect(voltageAt(VF, 0.5)).toBe(0.8);
    expect(voltageAt(VF, 0.75)).toBeCloseTo(0.9, 12);
    expect(voltageAt(VF, 0.2)).toBe(0.8);
    expect(dynamicEnergyScale(VF, 0.75)).toBeCloseTo(0.81, 12);
  });
});

describe("DVFS under a power cap (hand-computed)", () => {
  // One compute-bound second: 500 J dynamic at the boost clock + 100 W static → 600 W.
  const compute = profile([[1, 0, 0, 1, 500, 0]]);

  it("time, energy and power at the boost clock", () => {
    expect(profileTimeS(compute, 1)).toBe(1);
    expect(profileEnergyJ(compute, VF, 1)).toBe(600);
    expect(averagePowerW(compute, VF, 1)).toBe(600);
  });

  it("a cap above demand does not bind", () => {
    const o = operatingPointUnderCap(compute, VF, 700);
    expect(o).toMatchObject({ clock_ratio: 1, duty: 1, binds: false, power_w: 600 });
  });

  it("a 400 W cap: 500·r·V(r)² + 100 = 400 with V = 0.6 + 0.4 r, so r ≈ 0.7444 and throughput ∝ r", () => {
    const o = operatingPointUnderCap(compute, VF, 400);
    const r = o.clock_ratio;
    expect((0.6 + 0.4 * r) ** 2 * r).toBeCloseTo(0.6, 9);
    expect(r).toBeGreaterThan(0.744);
    expect(r).toBeLessThan(0.745);
    expect(o.time_s).toBeCloseTo(1 / r, 9);
    expect(o.power_w).toBeLessThanOrEqual(400);
    expect(o.power_w).toBeCloseTo(400, 6);
  });

  it("memory-bound work keeps its time: 0.2 s math under 1 s of HBM traffic, 300 J clocked + 100 J memory", () => {
    const mem = profile([[0.2, 1, 0, 1, 300, 100]]);
    expect(averagePowerW(mem, VF, 1)).toBe(500);
    // 300·V² + 100 + 100 = 400 → V² = 2/3 → r = (0.8165 − 0.6)/0.4 = 0.541; 0.2/0.541 < 1 s.
    const o = operatingPointUnderCap(mem, VF, 400);
    expect(voltageAt(VF, o.clock_ratio) ** 2).toBeCloseTo(2 / 3, 9);
    expect(o.time_s).toBe(1);
  });

  it("below the DVFS floor the chip duty-cycles: d = (cap − idle) / (P(r_min) − idle)", () => {
    // At r = 0.5: T = 2 s, E = 500·0.64 + 100·2 = 520 J → 260 W; cap 180 W → d = 80/160 = 0.5.
    const o = operatingPointUnderCap(compute, VF, 180);
    expect(averagePowerW(compute, VF, 0.5)).toBeCloseTo(260, 9);
    expect(o.clock_ratio).toBe(0.5);
    expect(o.duty).toBeCloseTo(0.5, 12);
    expect(o.time_s).toBeCloseTo(4, 12);
  });
});

describe("DVFS properties on random profiles", () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const randomProfile = () =>
    profile(Array.from({ length: 1 + Math.floor(rand() * 20) }, () => [rand() * 1e-3, rand() * 1e-3, rand() * 1e-5, 1 + Math.floor(rand() * 80), rand() * 0.5, rand() * 0.3]), { idle_s: rand() * 0.01, static_w: 50 + rand() * 150, idle_w: 40 + rand() * 60 });

  it("power rises with the clock; a lower cap never speeds anything up; energy ≥ 0; clock within [floor, boost]", () => {
    for (let trial = 0; trial < 40; trial++) {
      const p = randomProfile();
      let prevP = -Infinity;
      for (let r = 0.5; r <= 1.0001; r += 0.05) {
        const pw = averagePowerW(p, VF, r);
        expect(pw).toBeGreaterThanOrEqual(prevP - 1e-9);
        prevP = pw;
        expect(profileEnergyJ(p, VF, r)).toBeGreaterThanOrEqual(0);
      }
      const top = averagePowerW(p, VF, 1);
      let prevTime = 0;
      for (let f = 1.2; f > 0.05; f -= 0.1) {
        const cap = p.idle_w + (top - p.idle_w) * f;
        if (cap <= p.idle_w) continue;
        const o = operatingPointUnderCap(p, VF, cap);
        expect(o.time_s).toBeGreaterThanOrEqual(prevTime * (1 - 1e-9));
        expect(o.clock_ratio).toBeLessThanOrEqual(1);
        expect(o.clock_ratio).toBeGreaterThanOrEqual(VF.min_clock_fraction);
        expect(o.power_w).toBeLessThanOrEqual(Math.max(cap, 0) * (1 + 1e-9));
        prevTime = o.time_s;
      }
    }
  });
});

describe("lumped RC thermal model (hand-computed)", () => {
  const th = { resistance_c_per_w: 0.1, time_constant_s: 10, ambient_c: 30, tj_max_c: 80 };

  it("steady Tj = Ta + P·R; the cooler holds (Tj_max − Ta)/R at the limit", () => {
    expect(steadyTjC(600, th)).toBeCloseTo(90, 12);
    expect(thermalPowerLimitW(th)).toBeCloseTo(500, 12);
  });

  it("Tj(t) = Ta + P·R·(1 − e^(−t/τ)) from a cold start; t* = τ·ln(P·R / (P·R − (Tj_max − Ta)))", () => {
    expect(tjAtC(10, 600, th, 30)).toBeCloseTo(90 - 60 * Math.exp(-1), 12);
    expect(timeToLimitS(600, th, 30)).toBeCloseTo(10 * Math.log(6), 12);
    expect(tjAtC(10 * Math.log(6), 600, th, 30)).toBeCloseTo(80, 9);
    expect(timeToLimitS(400, th, 30)).toBe(Infinity);
  });

  it("the timeline holds the burst until the limit, then the sustained state at Tj_max", () => {
    const tl = burstToSustained({ power_w: 600, clock_ratio: 1, throughput_ratio: 1 }, { power_w: 500, clock_ratio: 0.8, throughput_ratio: 0.82 }, th, 10 * Math.log(6), 60, 2e9, 7);
    expect(tl[0]).toMatchObject({ t_s: 0, tj_c: 30, power_w: 600, clock_hz: 2e9 });
    const at = tl.find((p) => Math.abs(p.t_s - 10 * Math.log(6)) < 1e-9)!;
    expect(at.tj_c).toBeCloseTo(80, 9);
    expect(tl[tl.length - 1]).toMatchObject({ t_s: 60, tj_c: 80, power_w: 500, clock_ratio: 0.8, throughput_ratio: 0.82 });
    expect(tl.every((p) => p.tj_c <= 80 + 1e-9)).toBe(true);
  });

  it("rejects a non-positive resistance and an ambient at or above the limit, naming the field", () => {
    const f = { resistance: "--thermal-resistance", time_constant: "--time-constant", ambient: "--ambient", tj_max: "--tj-max" };
    const err = (t: typeof th) => {
      try {
        checkThermalParams(t, f);
      } catch (e) {
        return e as XpusimError;
      }
      return undefined;
    };
    expect(err({ ...th, resistance_c_per_w: -0.1 })?.diagnostics[0]).toMatchObject({ code: "E_RANGE", path: "--thermal-resistance", got: "-0.1" });
    expect(err({ ...th, resistance_c_per_w: 0 })?.diagnostics[0]?.path).toBe("--thermal-resistance");
    expect(err({ ...th, ambient_c: 80 })?.diagnostics[0]).toMatchObject({ path: "--ambient", got: "80 °C" });
    expect(err(th)).toBeUndefined();
  });
});

describe("facility and rack", () => {
  it("kWh = J × PUE / 3.6e6; cost and CO2 per kWh", () => {
    const f = facilityOf(3.6e6, { pue: 1.5, usd_per_kwh: 0.1, grid_kg_co2_per_kwh: 0.4 });
    expect(f.facility_energy_kwh).toBeCloseTo(1.5, 12);
    expect(f.cost_usd).toBeCloseTo(0.15, 12);
    expect(f.co2_kg).toBeCloseTo(0.6, 12);
  });

  it("DGX H100 rack: 4 × (10.2 kW − 8 × 700 W + 8 × P_chip)", () => {
    const r = rackPowerOf({ nodes_per_rack: 4, chips_per_node: 8, node_max_power_w: 10200, rack_other_w: 0, chip_tdp_w: 700 }, 500);
    expect(r.rack_power_kw).toBeCloseTo((4 * (10200 - 5600 + 4000)) / 1000, 12);
    expect(r.rack_max_power_kw).toBeCloseTo(40.8, 12);
    expect(r.chips_per_rack).toBe(32);
  });
});
