/**
 * Measured power and energy (validation/measured-power.json, categories `power` and `energy`) predicted
 * through the power model, with an accuracy guard per category (median |error| + 2 points,
 * test/helpers/accuracy-guard.ts); the harness's range error; phase power by hand; and the physics
 * the calibration changed (docs/power.md, "Calibration against measured power"): a GEMM's energy
 * charges its useful FLOPs, not tile padding; Hopper's static power is 0.20 of TDP.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateOpSpec } from "../src/core/estimate/estimate-op.js";
import { phaseEnergyJ, phasePowerW, phaseTimeS } from "../src/core/power/dvfs.js";
import type { PowerProfile } from "../src/core/power/power-profile.js";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { errorToRange, runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { expectWithinBaseline } from "./helpers/accuracy-guard.js";

const FILE = join(import.meta.dirname, "..", "validation", "measured-power.json");

describe("validation/measured-power.json", () => {
  const points = parseWith(measuredFileSchema, JSON.parse(readFileSync(FILE, "utf8")) as unknown, FILE);
  const summary = runValidation(points, validationResolvers());
  const byId = Object.fromEntries(summary.results.map((r) => [r.id, r]));

  it("is sourced, says what each measurement includes, and predicts every point", () => {
    expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
    for (const p of points) {
      expect(p.source, p.id).toMatch(/\S{10,}/);
      expect(p.notes, p.id).toMatch(/board|GPU energy|NVML/);
      expect(["high", "medium", "low"], p.id).toContain(p.confidence);
    }
    const rows = summary.results.map((r) => `${r.id.padEnd(60)} ${String(r.measured_range?.join("-") ?? r.measured).padStart(9)} ${(r.predicted ?? NaN).toPrecision(4).padStart(9)} ${((r.error ?? NaN) * 100).toFixed(1)} % ${r.assumptions.join("; ")}`);
    console.log(`measured-power.json\n${rows.join("\n")}`);
    for (const r of summary.results) expect(r.status, `${r.id}: ${r.reason ?? ""}`).toBe("ok");
  });

  it("stays within the accuracy guard set on 2026-12-08 (power 0.0 %, energy 48.4 % over 4 points: the time model's, see docs/power.md)", () => {
    expectWithinBaseline(summary, { power: { predicted: 3, median: 0.0 }, energy: { predicted: 4, median: 0.484 } }, { predicted: 7, median: 0.368 });
  });

  it("applies vLLM 0.5's measured host share to the point that ran it, and says when a version has none", () => {
    const v2 = byId["power-mlenergy-v2-h100-llama31-8b-bf16-bs64-energy-per-token"]!;
    expect(v2.assumptions.join(" ")).toMatch(/vllm-0\.5 .*38 % of each engine iteration/);
    const v3 = byId["power-mlenergy-h100-llama31-8b-bf16-bs64-energy-per-token"]!;
    expect(v3.assumptions.join(" ")).toMatch(/no host-gap measurement for "vLLM 0\.11\.1"/);
    // Same model, chip and lengths: the 0.5.4 run is predicted to use more energy per token (measured 0.20 vs 0.12 J).
    expect(v2.predicted!).toBeGreaterThan(1.4 * v3.predicted!);
  });

  it("puts batch-1 H200 decode inside the 137-300 W Ma et al. measured (485 W before the calibration)", () => {
    const r = byId["power-ma26-h200-llama31-8b-bf16-bs1-decode"]!;
    expect(r.predicted!).toBeGreaterThanOrEqual(137);
    expect(r.predicted!).toBeLessThanOrEqual(300);
    expect(r.error).toBe(0);
  });

  it("leaves memory-bound decode at full speed under a 350 W cap, as Splitwise measured on H100", () => {
    expect(byId["power-splitwise-h100-llama2-70b-decode-cap-350w"]!.predicted!).toBeGreaterThanOrEqual(0.95);
  });

  it("says, for each energy point, the power and the token rate the model gives (energy = power × time)", () => {
    for (const r of summary.results.filter((x) => x.category === "energy")) expect(r.assumptions.join(" "), r.id).toMatch(/modelled \d+ W at \d+ output tokens\/s per chip/);
  });
});

describe("the error against a measured range", () => {
  it("is 0 inside, and relative to the nearer bound outside", () => {
    expect(errorToRange(200, [137, 300])).toBe(0);
    expect(errorToRange(137, [137, 300])).toBe(0);
    expect(errorToRange(330, [137, 300])).toBeCloseTo(0.1, 12);
    expect(errorToRange(68.5, [137, 300])).toBeCloseTo(-0.5, 12);
    expect(errorToRange(330, [300, 137])).toBeCloseTo(0.1, 12);
  });
});

describe("phase power (what a meter reads over one phase)", () => {
  // Two phases: "a" one segment of 2 × (clocked 1 s, memory 3 s, fixed 1 s) with 10 J clocked + 20 J memory
  // per execution, and 2 s of waiting; "b" one segment of (clocked 4 s, memory 1 s). Static 100 W, idle 50 W.
  const p: PowerProfile = {
    n: 2,
    clocked_s: Float64Array.from([1, 4]),
    memory_s: Float64Array.from([3, 1]),
    fixed_s: Float64Array.from([1, 0]),
    count: Float64Array.from([2, 1]),
    e_clocked_j: Float64Array.from([10, 40]),
    e_memory_j: Float64Array.from([20, 5]),
    idle_s: 2,
    static_w: 100,
    idle_w: 50,
    phases: [
      { name: "a", first: 0, end: 1, idle_s: 2 },
      { name: "b", first: 1, end: 2, idle_s: 0 },
    ],
  };
  const vf = { min_clock_fraction: 0.2, v_at_min_clock: 0.725, v_at_max_clock: 1.0 };

  it("at the boost clock: a = (2·(10 + 20 + 100·4) + 50·2) J over 2·4 + 2 s = 96 W; b = (40 + 5 + 100·4) J / 4 s", () => {
    const [a, b] = p.phases!;
    expect(phaseTimeS(p, a!, 1)).toBe(10);
    expect(phaseEnergyJ(p, vf, a!, 1)).toBeCloseTo(960, 9);
    expect(phasePowerW(p, vf, a!, 1)).toBeCloseTo(96, 9);
    expect(phasePowerW(p, vf, b!, 1)).toBeCloseTo(445 / 4, 9);
  });

  it("at half clock: b's clocked part doubles (8 s) and its clocked energy scales with (V/V1)²", () => {
    const b = p.phases![1]!;
    // V(0.5) = 0.725 + 0.275·(0.5 − 0.2)/0.8 = 0.828125
    const v = 0.725 + (0.275 * 0.3) / 0.8;
    expect(phasePowerW(p, vf, b, 0.5)).toBeCloseTo((40 * v * v + 5 + 100 * 8) / 8, 9);
  });
});

describe("the physics the calibration changed", () => {
  it("a batch-1 GEMV's energy charges its 2·M·N·K useful FLOPs, not its tile's padded rows", () => {
    const r = validationResolvers();
    const ctx = r.context(r.chipByName("NVIDIA H100 SXM")!);
    const e = estimateOpSpec({ type: "gemm", m: 1, n: 14336, k: 4096, batch: 1, dtype: "bf16" }, ctx);
    const eff = ctx.efficiency;
    const onchip = Object.entries(e.bytes_by_level).reduce((s, [k, v]) => s + (k === "main" ? 0 : v), 0);
    // A batch-1 GEMV runs the GEMV kernel (models/gemv.ts) on the CUDA cores: 67 TFLOPS fp32 × vector_efficiency
    // beats 989 × 0.8 / 16 for one real row in a 16-row MMA. Hand: static 0.20 × 700 W × t + main bytes × 36 pJ/B
    // + on-chip bytes × pJ/B + 2·1·14336·4096 useful FLOPs × the vector pJ/FLOP.
    expect(67e12 * eff.vector_efficiency).toBeGreaterThan((989e12 * eff.matrix_efficiency) / 16);
    const expected = 140 * e.latency_s + (e.bytes * 36 + onchip * eff.energy_pj_per_byte_onchip + 2 * 14336 * 4096 * eff.energy_pj_per_vector_flop) * 1e-12;
    expect(eff.static_power_fraction).toBe(0.2);
    expect(e.energy_j!).toBeCloseTo(expected, 12);
  });

  it("a large bf16 GEMM still demands at least the H100's and H200's 700 W (the anchor of energy_pj_per_flop)", () => {
    const points = [
      { id: "h100", category: "power", hardware: "NVIDIA H100 SXM", chip_count: 1, model: "GEMM", config: { workload: "gemm", M: 8192, N: 8192, K: 8192, dtype: "bf16" }, metric: "power_w", value: 700, unit: "W" },
      { id: "h200", category: "power", hardware: "NVIDIA H200 SXM", chip_count: 1, model: "GEMM", config: { workload: "gemm", M: 8192, N: 8192, K: 8192, dtype: "bf16" }, metric: "power_w", value: 700, unit: "W" },
    ];
    const s = runValidation(parseWith(measuredFileSchema, points, "inline"), validationResolvers());
    // At the TDP the stock point binds: the average power is the limit itself (to bisection precision).
    for (const r of s.results) expect(r.predicted!, r.id).toBeGreaterThan(699);
  });
});
