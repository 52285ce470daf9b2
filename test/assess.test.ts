/**
 * The assessment (issue #9): factor keys per mode, ranks with ties and nulls, the bandwidth case,
 * weights and the closed-form flip point (checked by recomputing), the job's refusals of bad input,
 * a chip that cannot run the workload, and the CLI's JSON shape and exit codes.
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import { rankValues } from "../src/core/assess/rank.js";
import { normalise, weightedRanking } from "../src/core/assess/weights.js";
import type { FactorKey } from "../src/core/assess/factor.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const catalog = nodeCatalog();
const TRAINING_KEYS = ["compute", "memory", "data_transfer", "power", "thermal", "precision", "flexibility", "scalability", "cost"];
const INFERENCE_KEYS = ["latency", "throughput", "power", "cost", "flexibility", "security", "deployment"];
/** An H100 with twice its HBM bandwidth (6.7 TB/s), everything else the catalog's. */
const H100_2X_BW = { id: "h100-2x-bandwidth", extends: "nvidia-h100-sxm", name: "H100, 2x bandwidth", memory: { main: { type: "HBM3", capacity: "80 GB", bandwidth: "6.7 TB/s" } } };

function codeOf(f: () => unknown): { code: string; path: string; hint?: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof XpusimError) return { code: e.diagnostics[0]!.code, path: e.diagnostics[0]!.path, ...(e.diagnostics[0]!.hint ? { hint: e.diagnostics[0]!.hint } : {}) };
    throw e;
  }
  throw new Error("expected an XpusimError");
}

describe("ranks", () => {
  it("are 1..n, ties share a rank (competition ranking), nulls are unranked", () => {
    expect(rankValues([3, 1, 3, null, 2], "higher")).toEqual([1, 4, 1, null, 3]);
    expect(rankValues([3, 1, 3, null, 2], "lower")).toEqual([3, 1, 3, null, 2]);
    expect(rankValues([null, null], "higher")).toEqual([null, null]);
  });
});

describe("inference assessment", () => {
  const r = JOBS.assess.run({ chips: ["nvidia-h100-sxm", H100_2X_BW, "hailo-8"], model: "llama-3-8b", mode: "inference", batch: 1, input_tokens: 128, output_tokens: 256 }, catalog);

  it("has exactly the issue's inference factor keys, in order, for every chip", () => {
    expect(r.factor_keys).toEqual(INFERENCE_KEYS);
    for (const c of r.chips) expect(Object.keys(c.factors)).toEqual(INFERENCE_KEYS);
  });

  it("ranks the chip with twice the bandwidth first on memory-bound decode throughput, at close to twice the tokens/s", () => {
    const [h100, fast] = r.chips;
    expect(fast!.factors.throughput!.rank).toBe(1);
    expect(h100!.factors.throughput!.rank).toBe(2);
    expect(h100!.factors.throughput!.limited_by).toMatch(/memory bandwidth/);
    const ratio = fast!.factors.throughput!.value! / h100!.factors.throughput!.value!;
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThanOrEqual(2);
    expect(fast!.factors.latency!.value!).toBeLessThan(h100!.factors.latency!.value!);
  });

  it("gives a chip the model does not fit a normal result with the reason: latency and throughput null and unranked, never 0", () => {
    const hailo = r.chips[2]!;
    expect(hailo.infeasible_reason).toMatch(/does not fit/);
    for (const k of ["latency", "throughput"] as const) {
      expect(hailo.factors[k]!.value).toBeNull();
      expect(hailo.factors[k]!.rank).toBeNull();
      expect(hailo.factors[k]!.missing?.length).toBeGreaterThan(0);
    }
    expect(r.ranking!.unscored.map((u) => u.chip)).toEqual(["hailo-8"]);
    expect(hailo.score).toBeNull();
  });

  it("leaves a factor with no data null and unranked (never 0), and out of every chip's score", () => {
    // No public source gives the Gaudi 3's device security features; the H100's are sourced.
    const two = JOBS.assess.run({ chips: ["nvidia-h100-sxm", "intel-gaudi3"], model: "llama-3-8b", mode: "inference", batch: 1, input_tokens: 128, output_tokens: 16 }, catalog);
    const [h100, gaudi3] = two.chips;
    expect(gaudi3!.factors.security!.value).toBeNull();
    expect(gaudi3!.factors.security!.rank).toBeNull();
    expect(gaudi3!.factors.security!.missing!.length).toBeGreaterThan(0);
    expect(h100!.factors.security!.value).toBeGreaterThan(0);
    expect(h100!.factors.security!.rank).toBe(1);
    expect(two.ranking!.excluded.map((e) => e.factor)).toContain("security");
    expect(two.ranking!.used).not.toContain("security");
  });

  it("ranks the 2x-bandwidth chip first overall (it wins or ties every known factor)", () => {
    expect(r.ranking!.top).toBe("h100-2x-bandwidth");
    expect(r.chips[1]!.overall_rank).toBe(1);
  });
});

describe("weights and flips", () => {
  // Two chips: A cheap and slow, B fast and dear. Values per factor [throughput (higher), cost (lower)].
  const base = { chips: ["A", "B"], factors: ["throughput", "cost"] as FactorKey[], values: [[100, 1], [200, 4]], better: ["higher", "lower"] as const };

  it("normalises to the best chip, direction-aware", () => {
    expect(normalise([100, 200], "higher")).toEqual([0.5, 1]);
    expect(normalise([1, 4], "lower")).toEqual([1, 0.25]);
    expect(normalise([0.01, 0.02], "lower", "fraction").map((x) => +x.toFixed(6))).toEqual([1, +(0.98 / 0.99).toFixed(6)]);
  });

  it("weights that favour cost pick the cheaper chip; favouring throughput picks the faster", () => {
    expect(weightedRanking({ ...base, weights: { cost: 3 } }).top).toBe("A");
    expect(weightedRanking({ ...base, weights: { throughput: 3 } }).top).toBe("B");
  });

  it("reports the weight where the scores cross (closed form), and recomputing just past it flips the top", () => {
    // S_A − S_B ∝ w_t (0.5 − 1) + w_c (1 − 0.25): equal at w_c = 0.5·w_t / 0.75 = 2/3 with w_t = 1.
    const r = weightedRanking({ ...base, weights: { cost: 0.5 } });
    expect(r.top).toBe("B");
    const flip = r.flips.find((f) => f.factor === "cost")!.increase!;
    expect(flip.new_top).toBe("A");
    expect(flip.at_weight).toBeCloseTo(2 / 3, 12);
    expect(flip.multiplier).toBeCloseTo(4 / 3, 12);
    expect(weightedRanking({ ...base, weights: { cost: flip.at_weight * 1.001 } }).top).toBe("A");
    expect(weightedRanking({ ...base, weights: { cost: flip.at_weight * 0.999 } }).top).toBe("B");
    // Lowering throughput's weight flips it too, at w_t = 0.75·0.5 / 0.5 = 0.75.
    const down = r.flips.find((f) => f.factor === "throughput")!.decrease!;
    expect(down.at_weight).toBeCloseTo(0.75, 12);
    expect(down.new_top).toBe("A");
  });

  it("a flip reported by a real assessment holds when the job is rerun with that weight", () => {
    // Training trades compute (H200 fastest) against memory headroom (MI300X's 192 GB).
    const req = { chips: ["nvidia-h100-sxm", "nvidia-h200-sxm", "amd-mi300x"], model: "llama-3-8b", mode: "training", count: 8, scale_counts: [8] } as const;
    const r = JOBS.assess.run(req, catalog);
    const flips = r.ranking!.flips.flatMap((f) => [f.increase, f.decrease].filter((x) => x !== null).map((x) => ({ factor: f.factor, ...x! })));
    expect(flips.length).toBeGreaterThan(0);
    for (const f of flips) {
      const past = JOBS.assess.run({ ...req, weights: { [f.factor]: f.at_weight * 1.01 + 1e-9 } }, catalog);
      const before = JOBS.assess.run({ ...req, weights: { [f.factor]: f.at_weight * 0.99 } }, catalog);
      expect([past.ranking!.top, before.ranking!.top]).toContain(f.new_top);
      expect(past.ranking!.top).not.toBe(before.ranking!.top);
    }
  });
});

describe("training assessment", () => {
  const r = JOBS.assess.run({ chips: ["nvidia-h100-sxm", "amd-mi300x"], model: "llama-3-8b", mode: "training", count: 8, scale_counts: [1, 8, 64] }, catalog);

  it("has exactly the issue's training factor keys", () => {
    expect(r.factor_keys).toEqual(TRAINING_KEYS);
    for (const c of r.chips) expect(Object.keys(c.factors)).toEqual(TRAINING_KEYS);
  });

  it("computes compute (MFU ≤ 1), memory headroom, data transfer share and scalability from the estimate", () => {
    for (const c of r.chips) {
      const mfu = c.factors.compute!.details!.mfu as number;
      expect(mfu).toBeGreaterThan(0);
      expect(mfu).toBeLessThanOrEqual(1);
      const peak = c.factors.compute!.details!.peak_flops_per_s as number;
      expect(c.factors.compute!.value!).toBeCloseTo(mfu * peak, -6);
      expect(c.factors.memory!.value!).toBeGreaterThan(0);
      expect(c.factors.memory!.value!).toBeLessThan(1);
      expect(c.factors.data_transfer!.value!).toBeGreaterThanOrEqual(0);
      expect(c.factors.data_transfer!.value!).toBeLessThan(1);
      expect([1, 8, 64]).toContain(c.factors.scalability!.value);
      expect(c.factors.scalability!.details!.max_scale_up_domain).toBe(8);
    }
    // 192 GB vs 80 GB with the same model state: the MI300X keeps more headroom.
    expect(r.chips[1]!.factors.memory!.rank).toBe(1);
  });

  it("gives 'memory' a value when the model does not fit (negative headroom = the shortfall), other factors null with why", () => {
    const t = JOBS.assess.run({ chips: ["nvidia-l4"], model: "llama-3-8b", mode: "training", count: 1, scale_counts: [1] }, catalog);
    const l4 = t.chips[0]!;
    expect(l4.infeasible_reason).toMatch(/no layout fits/);
    expect(l4.factors.memory!.value!).toBeLessThan(0);
    expect(l4.factors.compute!.value).toBeNull();
    expect(l4.factors.compute!.note).toMatch(/short by|no layout fits/);
  });
});

describe("scalability", () => {
  it("bends past one TPU v5p pod (8,960 chips; 16,384 span two pods over the data-centre network) and scores the last count before it", () => {
    const r = JOBS.assess.run({ chips: ["google-tpu-v5p"], model: "llama-3-8b", mode: "training", count: 8, scale_counts: [8, 1024, 16384] }, catalog);
    const s = r.chips[0]!.factors.scalability!;
    expect(s.value).toBe(1024);
    expect(s.details!.max_scale_up_domain).toBe(8960);
    expect(s.details!.bend_at_chips).toBe(16384);
    expect(s.details!.efficiency_at_8).toBe(1);
    expect(s.limited_by).toMatch(/16384 chips: pipeline bubble grew/);
  });
});

describe("flexibility", () => {
  it("sends the ops of a dtype the chip lacks to the host and prices them (transfer + host roofline)", () => {
    const r = JOBS.assess.run({ chips: ["hailo-8", "nvidia-h100-sxm"], model: "mobilenet-v2", mode: "inference", precision: { compute: "bf16" } }, catalog);
    const [hailo, h100] = r.chips;
    const f = hailo!.factors.flexibility!;
    expect(f.value!).toBeGreaterThan(0);
    expect(f.value!).toBeLessThan(0.5);
    expect(f.details!.host_fallback_ops).toMatch(/conv2d ×\d+/);
    const native = f.details!.native_time_s as number;
    const host = f.details!.host_fallback_time_s as number;
    expect(host).toBeGreaterThan(0);
    expect(f.value!).toBeCloseTo(native / (native + host), 12);
    // The ops that fall back are the bf16 convolutions: most FLOPs go to the host.
    expect(f.details!.flops_share_host as number).toBeGreaterThan(0.5);
    expect(h100!.factors.flexibility!.value).toBe(1);
    expect(h100!.factors.flexibility!.rank).toBe(1);
    expect(f.rank).toBe(2);
  });
});

describe("bad input", () => {
  const ok = { chips: ["nvidia-h100-sxm"], model: "llama-3-8b", mode: "inference" };
  it("refuses an unknown mode, chip, factor weight, negative weight and an empty chip list, naming the field", () => {
    expect(codeOf(() => JOBS.assess.run({ ...ok, mode: "serving" }, catalog))).toMatchObject({ code: "E_SCHEMA", path: "mode" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, mode: undefined }, catalog))).toMatchObject({ code: "E_SCHEMA", path: "mode" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, chips: ["nvidia-h100-sxm", "nvidia-h1000"] }, catalog))).toMatchObject({ code: "E_UNKNOWN_ID", path: "chips[1]" });
    const w = codeOf(() => JOBS.assess.run({ ...ok, weights: { latncy: 2 } }, catalog));
    expect(w).toMatchObject({ code: "E_UNKNOWN_ID", path: "weights.latncy" });
    expect(w.hint).toMatch(/latency/);
    expect(codeOf(() => JOBS.assess.run({ ...ok, weights: { compute: 1 } }, catalog))).toMatchObject({ path: "weights.compute" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, weights: { latency: -1 } }, catalog))).toMatchObject({ code: "E_RANGE", path: "weights.latency" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, chips: [] }, catalog))).toMatchObject({ path: "chips" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, conditions: { pue: 0.5 } }, catalog))).toMatchObject({ path: "conditions.pue" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, conditions: { power_cap_w: -5 } }, catalog))).toMatchObject({ code: "E_RANGE", path: "conditions.power_cap_w" });
    expect(codeOf(() => JOBS.assess.run({ ...ok, conditions: { deployment: "moon" as "edge" } }, catalog))).toMatchObject({ path: "conditions.deployment" });
  });
});

describe("xpusim assess", () => {
  it("--json prints { mode, workload, chips: [{ chip, factors: { <key>: { value, unit, rank, limited_by, note } } }] }", async () => {
    const { code, out } = await runCli("assess", "--chips", "nvidia-h100-sxm,nvidia-h200-sxm", "--workload", "llama-3-8b", "--mode", "inference", "--batch", "4", "--weights", "latency=2,throughput=1", "--json");
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe("inference");
    expect(typeof r.workload).toBe("string");
    expect(r.chips.map((c: { chip: string }) => c.chip)).toEqual(["nvidia-h100-sxm", "nvidia-h200-sxm"]);
    for (const c of r.chips) {
      expect(Object.keys(c.factors)).toEqual(INFERENCE_KEYS);
      for (const f of Object.values(c.factors) as Record<string, unknown>[]) for (const k of ["value", "unit", "rank", "limited_by", "note"]) expect(f).toHaveProperty(k);
    }
    expect(r.ranking.weights.latency).toBe(2);
    expect(r.ranking.top).toBe("nvidia-h200-sxm");
  });

  it("prints a table of factors by chip, the weighted ranking and the flips", async () => {
    const { code, out } = await runCli("assess", "--chips", "nvidia-h100-sxm,amd-mi300x", "--workload", "llama-3-8b", "--mode", "inference");
    expect(code).toBe(0);
    expect(out).toMatch(/^factor\s+nvidia-h100-sxm\s+amd-mi300x/m);
    expect(out).toMatch(/^throughput\s+.*tokens\/s #\d/m);
    expect(out).toMatch(/weighted ranking/);
    expect(out).toMatch(/top choice/);
  });

  it("exits 1 with the field and a hint for an unknown factor in --weights, a bad mode or an unknown chip", async () => {
    const w = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "llama-3-8b", "--mode", "training", "--weights", "latency=1");
    expect(w.code).toBe(1);
    expect(w.err).toMatch(/weights\.latency/);
    expect(w.err).toMatch(/hint/);
    const m = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "llama-3-8b", "--mode", "both");
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/mode/);
    const c = await runCli("assess", "--chips", "nvidia-h1000", "--workload", "llama-3-8b", "--mode", "inference");
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/chips\[0\][\s\S]*did you mean/);
    const bad = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "llama-3-8b", "--mode", "inference", "--weights", "latency:2");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--weights/);
  });

  it("takes a scenario file as the workload (its model, shape and precision) and passes the conditions through", async () => {
    const { code, out } = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "examples/llama-inference.yaml", "--power-cap", "500", "--deployment", "edge", "--json");
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe("inference");
    expect(r.workload).toBe("llama-3.1-8b, inference, batch 16, 1024+256 tokens, 1 chip");
    expect(r.chips[0].precision).toMatch(/bf16.*requested/);
    expect(r.conditions).toEqual({ power_cap_w: 500, deployment: "edge" });
    // Edge: the 8B model fits one 80 GB H100, capped at 500 W (below its 700 W TDP), over the 75 W edge budget: 75 / 500.
    expect(r.chips[0].factors.deployment.value).toBeCloseTo(75 / 500, 12);
    const op = await runCli("assess", "--chips", "nvidia-h100-sxm", "--workload", "examples/gemm-h100.yaml");
    expect(op.code).toBe(1);
    expect(op.err).toMatch(/kind/);
  });

  it("exits 3 when no chip can run the workload, after printing the result", async () => {
    const { code, out, err } = await runCli("assess", "--chips", "hailo-8", "--workload", "llama-3-8b", "--mode", "inference", "--json");
    expect(code).toBe(3);
    expect(JSON.parse(out).chips[0].infeasible_reason).toMatch(/does not fit/);
    expect(err).toMatch(/infeasible/);
  });
});

describe("deployment", () => {
  it("on premises, a 1,400 W chip on air fills a 35 kW air-cooled rack (facility data) with 32 chips at 35000 / (32 × 1400) = 0.781; liquid lifts it to 1", () => {
    const run = (cooling: "air" | "liquid") =>
      JOBS.assess.run({ chips: ["amd-mi355x"], model: "llama-3-8b", mode: "inference", batch: 1, input_tokens: 128, output_tokens: 16, conditions: { deployment: "on-premises", cooling } }, nodeCatalog()).chips[0]!.factors.deployment!;
    const air = run("air");
    expect(nodeCatalog().chip("amd-mi355x").power.tdp_w).toBe(1400);
    expect(air.value).toBeCloseTo(35000 / (32 * 1400), 12);
    expect(air.limited_by).toMatch(/35 kW air-cooled rack/);
    expect(run("liquid").value).toBe(1);
  });
});

describe("a chip too sparse to score", () => {
  it("is left out with why, instead of stripping every other chip of the factors it lacks", () => {
    const base = { chips: ["A", "B", "S"], factors: ["throughput", "cost", "security"] as FactorKey[], better: ["higher", "lower", "higher"] as const, weights: {} };
    // S knows only security (1/3 of the weight): unscored; A and B are ranked on all three factors.
    const r = weightedRanking({ ...base, values: [[100, 1, 2], [200, 4, 3], [null, null, 5]] });
    expect(r.unscored).toEqual([{ chip: "S", reason: expect.stringMatching(/throughput, cost unknown \(67 % of the weight\)/) }]);
    expect(r.used).toEqual(["throughput", "cost", "security"]);
    expect(r.excluded).toEqual([]);
    // Half the weight unknown is not "more than half": S stays, and the factor rule drops cost for everyone.
    const half = weightedRanking({ ...base, factors: ["throughput", "cost"] as FactorKey[], better: ["higher", "lower"] as const, values: [[100, 1], [200, 4], [300, null]] });
    expect(half.unscored).toEqual([]);
    expect(half.used).toEqual(["throughput"]);
  });

  it("under a power cap, a chip with no TDP is unscored and the others keep every factor", () => {
    const r = JOBS.assess.run({ chips: ["nvidia-h100-sxm", "amd-mi300x", "google-tpu-v5p"], model: "llama-3-8b", mode: "inference", batch: 1, input_tokens: 128, output_tokens: 16, conditions: { power_cap_w: 500 } }, nodeCatalog());
    expect(r.ranking!.unscored.map((u) => u.chip)).toEqual(["google-tpu-v5p"]);
    expect(r.ranking!.used).toEqual(expect.arrayContaining(["latency", "throughput", "power", "cost"]));
    expect(r.chips[2]!.score).toBeNull();
  });
});
