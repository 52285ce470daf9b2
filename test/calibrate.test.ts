import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { OpEstimate } from "../src/core/app/jobs/op-job.js";
import { JOBS } from "../src/core/app/registry.js";
import { withCalibration } from "../src/core/app/calibrated-catalog.js";
import { calibrate, overlayYaml, parseCalibrationOverlay, resolversWithValues } from "../src/core/calibrate/index.js";
import { categoryNoise } from "../src/core/calibrate/category-check.js";
import { candidateParams } from "../src/core/calibrate/parameters.js";
import { fitLinearRobust } from "../src/core/calibrate/robust-fit.js";
import type { MeasuredPoint } from "../src/core/validate/measured-point.js";
import { validatePoint } from "../src/core/validate/run-validation.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { diagnosticsOf } from "./helpers/diagnostics.js";
import { runCli } from "./helpers/run-cli.js";
import { MEASURED_PUBLIC_JSON } from "./helpers/validation-fixtures.js";

const FAMILIES_DIR = join(import.meta.dirname, "..", "catalog", "families");
const familiesHash = () => {
  const h = createHash("sha256");
  for (const f of readdirSync(FAMILIES_DIR).sort()) h.update(f).update(readFileSync(join(FAMILIES_DIR, f)));
  return h.digest("hex");
};

describe("robust bounded fit (linear model)", () => {
  const opts = { lower: [-5], upper: [5], priorWeight: 0.01, lossScale: 0.05 };
  it("recovers the solution of an exact linear model (tiny prior)", () => {
    // r_i = a_i + J_i u with a = -J·2: the exact solution is u = 2.
    const J = [[1], [0.5], [2], [1.5]];
    const u = fitLinearRobust({ a: J.map((row) => -2 * row[0]!), J }, [0], opts);
    expect(u[0]).toBeCloseTo(2, 2);
  });
  it("clips at the bounds and lets the prior pull toward 0", () => {
    const J = [[1]];
    expect(fitLinearRobust({ a: [-2], J }, [0], { ...opts, upper: [1] })[0]).toBe(1);
    // One residual of 0.02 (inside Huber's quadratic zone) against a prior of τ = 0.1: u = 0.02 / (1 + 0.01) exactly.
    expect(fitLinearRobust({ a: [-0.02], J }, [0], { ...opts, priorWeight: 0.1 })[0]).toBeCloseTo(0.02 / 1.01, 6);
  });
  it("an outlier moves a Huber fit far less than least squares", () => {
    const J = [[1], [1], [1], [1], [1]];
    const a = [-0.1, -0.1, -0.1, -0.1, -3]; // four agree on u = 0.1, one is an outlier at 3
    const robust = fitLinearRobust({ a, J }, [0], opts)[0]!;
    const leastSquares = fitLinearRobust({ a, J }, [0], { ...opts, lossScale: 100 })[0]!;
    expect(leastSquares).toBeCloseTo(0.68, 2);
    expect(Math.abs(robust - 0.1)).toBeLessThan(0.05);
  });
  it("category noise: the standard error of the median from the MAD, floored at 1%", () => {
    expect(categoryNoise([0.1, 0.1, 0.1])).toBe(0.01);
    // MAD of [-0.1, 0, 0.1, 0.2] around median 0.05 = 0.1; 1.253 × 1.4826 × 0.1 / √4.
    expect(categoryNoise([-0.1, 0, 0.1, 0.2])).toBeCloseTo((1.253 * 1.4826 * 0.1) / 2, 9);
  });
});

describe("fittable parameters and their bounds", () => {
  const catalog = nodeCatalog();
  const eff = catalog.efficiency!(catalog.chip("nvidia-h100-sxm"));
  it("takes the family file's range where it states one", () => {
    const p = candidateParams("nvidia-hopper", eff).find((x) => x.key === "matrix_efficiency")!;
    expect(p).toMatchObject({ id: "nvidia-hopper:matrix_efficiency", catalog: 0.8, bounds: [0.75, 0.86], bound_source: "range" });
    expect(p.prior_scale).toBeCloseTo(0.055, 12);
    // Per-dtype entries are parameters of their own, bounded by the table's range.
    expect(candidateParams("nvidia-hopper", eff).find((x) => x.key === "matrix_efficiency_by_dtype.fp8")).toMatchObject({ catalog: 0.7, bounds: [0.6, 0.9] });
  });
  it("falls back to physical bounds without a range, and says so", () => {
    const bare = { ...eff, provenance: {} as typeof eff.provenance };
    const byKey = new Map(candidateParams("nvidia-hopper", bare).map((x) => [x.key, x]));
    expect(byKey.get("matrix_efficiency")).toMatchObject({ bounds: [0.01, 1], bound_source: "physical" });
    expect(byKey.get("matrix_efficiency")!.prior_scale).toBeCloseTo(0.08, 12); // 10% of the value
    expect(byKey.get("tail_wave_balance")!.bounds).toEqual([0, 1]);
    const launch = byKey.get("kernel_launch_overhead_s")!;
    expect(launch.bounds[0]).toBe(0);
    expect(launch.bounds[1]).toBeCloseTo(3 * launch.catalog, 15);
    expect(byKey.has("gemm_tiles")).toBe(false);
  });
});

/**
 * A synthetic chip (an A100 with its own id and a slower memory) whose true family parameters are
 * known: measurements are the engine's own predictions under the true values with ±1% noise; the
 * calibration starts from the catalog values and must find the true ones.
 */
describe("calibrate on a synthetic chip with known parameters", () => {
  const catalog = nodeCatalog();
  const chip = catalog.chip({ id: "synthetic-xpu", extends: "nvidia-a100-sxm-80gb", name: "Synthetic XPU" });
  const base = catalog.validationResolvers!();
  const resolvers = { ...base, chipByName: (t: string) => (t === "Synthetic XPU" ? chip : base.chipByName(t)) };
  const TRUTH = { matrix_efficiency: 0.86, main_memory_efficiency: 0.84, gemv_bandwidth_efficiency: 0.7 };
  const truth = resolversWithValues(resolvers, new Map([["nvidia-ampere", TRUTH]]));
  const gpt13b = "13B GPT (h=5120,L=40,heads=40,ffn=20480)";
  const templates: Omit<MeasuredPoint, "value">[] = [
    ...[[8192, 8192, 8192], [4096, 4096, 4096], [8192, 12288, 12288], [2048, 8192, 8192], [16384, 2048, 4096], [6144, 6144, 3072], [64, 8192, 8192], [128, 16384, 4096], [32, 12288, 12288]].map(([M, N, K]) => ({
      id: `gemm-${M}x${N}x${K}`, category: "gemm", hardware: "Synthetic XPU", chip_count: 1, model: "GEMM", config: { M, N, K, dtype: "fp16" }, metric: "latency", unit: "ms",
    })),
    ...[1, 2, 4, 8, 32, 64].map((batch) => ({
      id: `decode-b${batch}`, category: "llm_inference", hardware: "Synthetic XPU", chip_count: 1, model: gpt13b, config: { batch, context_len: 512, tokens_generated: 10, tp: 1, dtype: "fp16" }, metric: "time_per_output_token", unit: "ms",
    })),
    ...[512, 1536].map((context_len) => ({
      id: `prefill-${context_len}`, category: "llm_inference", hardware: "Synthetic XPU", chip_count: 1, model: gpt13b, config: { batch: 1, context_len, tp: 1, dtype: "fp16" }, metric: "prefill_latency", unit: "ms",
    })),
  ];
  const points: MeasuredPoint[] = templates.map((t, i) => {
    const r = validatePoint({ ...t, value: 1 } as MeasuredPoint, truth);
    expect(r.status, `${t.id}: ${r.reason}`).toBe("ok");
    return { ...t, value: r.predicted! * (1 + 0.01 * Math.sin(2.3 * i)) } as MeasuredPoint;
  });

  it("recovers the true parameters within tolerance and the held-out error drops", () => {
    const report = calibrate({ points, resolvers, efficiencyOf: (c) => catalog.efficiency!(c) });
    const fitted = (key: string) => report.parameters.find((p) => p.id === `nvidia-ampere:${key}`)?.calibrated;
    // Catalog (start) 0.89 / 0.88 / 0.80; the prior toward it and ±1% noise leave a small bias.
    expect(Math.abs(fitted("matrix_efficiency")! - TRUTH.matrix_efficiency)).toBeLessThan(0.01);
    expect(Math.abs(fitted("main_memory_efficiency")! - TRUTH.main_memory_efficiency)).toBeLessThan(0.02);
    expect(Math.abs(fitted("gemv_bandwidth_efficiency")! - TRUTH.gemv_bandwidth_efficiency)).toBeLessThan(0.015);
    for (const [key, truthValue] of Object.entries(TRUTH)) {
      const start = report.parameters.find((p) => p.id === `nvidia-ampere:${key}`)!.catalog;
      expect(Math.abs(fitted(key)! - truthValue), key).toBeLessThan(0.4 * Math.abs(start - truthValue));
    }
    const cv = report.cross_validation;
    expect(cv.method).toBe("leave-one-out");
    expect(cv.overall.after!.median_abs_error).toBeLessThan(0.5 * cv.overall.before!.median_abs_error);
    expect(cv.overall.after!.median_abs_error).toBeLessThan(0.02);
    expect(report.dropped).toEqual([]);
  });

  it("k-fold cross-validation when asked", () => {
    const report = calibrate({ points, resolvers, efficiencyOf: (c) => catalog.efficiency!(c), options: { folds: 4 } });
    expect(report.cross_validation).toMatchObject({ method: "k-fold", folds: 4 });
    expect(report.cross_validation.overall.after!.median_abs_error).toBeLessThan(report.cross_validation.overall.before!.median_abs_error);
  });

  it("drops the parameters of a category whose held-out error would grow beyond its noise, and says so", () => {
    // The GEMMs ran at matrix_efficiency 0.86; the prefills (which also exercise it) at 0.93: a fit
    // dominated by the GEMMs would make every held-out prefill worse (noise floor 1%).
    const prefillTruth = resolversWithValues(resolvers, new Map([["nvidia-ampere", { matrix_efficiency: 0.93 }]]));
    const prefills: MeasuredPoint[] = [256, 512, 1024, 1536].map((context_len) => {
      const t = { id: `prefill-fast-${context_len}`, category: "llm_inference", hardware: "Synthetic XPU", chip_count: 1, model: gpt13b, config: { batch: 1, context_len, tp: 1, dtype: "fp16" }, metric: "prefill_latency", unit: "ms" };
      return { ...t, value: validatePoint({ ...t, value: 1 } as MeasuredPoint, prefillTruth).predicted! } as MeasuredPoint;
    });
    const gemms = points.filter((p) => p.category === "gemm");
    const report = calibrate({ points: [...gemms, ...prefills], resolvers, efficiencyOf: (c) => catalog.efficiency!(c) });
    expect(report.dropped.map((d) => d.parameter)).toContain("nvidia-ampere:matrix_efficiency");
    expect(report.dropped.find((d) => d.parameter === "nvidia-ampere:matrix_efficiency")!.categories).toEqual(["llm_inference"]);
    expect(report.parameters.map((p) => p.id)).not.toContain("nvidia-ampere:matrix_efficiency");
    for (const c of report.cross_validation.by_category) expect(c.worsened, c.category).toBe(false);
  });
});

describe("calibrate on the public measured file", () => {
  const measured = JSON.parse(readFileSync(MEASURED_PUBLIC_JSON, "utf8")) as unknown;
  const before = familiesHash();
  const t0 = performance.now();
  const result = JOBS.calibration.run({ measured, file: "measured-public.json", created: "2026-12-08T00:00:00Z" }, nodeCatalog());
  const seconds = (performance.now() - t0) / 1000;

  it("improves the leave-one-out error, and no held-out category gets worse than its noise", () => {
    const cv = result.cross_validation;
    expect(cv.method).toBe("leave-one-out");
    expect(result.points.predicted).toBe(40);
    expect(cv.overall.after!.median_abs_error).toBeLessThan(cv.overall.before!.median_abs_error);
    expect(cv.overall.after!.p90_abs_error).toBeLessThan(cv.overall.before!.p90_abs_error);
    for (const c of cv.by_category) expect(c.after.median_abs_error, c.category).toBeLessThanOrEqual(c.before.median_abs_error + c.noise);
    // Every fitted value lies within its bounds (the family file's range).
    for (const p of result.parameters) {
      expect(p.calibrated).toBeGreaterThanOrEqual(p.bounds[0] - 1e-12);
      expect(p.calibrated).toBeLessThanOrEqual(p.bounds[1] + 1e-12);
    }
    expect(seconds).toBeLessThan(60);
    console.log(`calibrate measured-public.json: ${seconds.toFixed(2)} s, ${result.fit.evaluations} point predictions; LOO median ${cv.overall.before!.median_abs_error} → ${cv.overall.after!.median_abs_error}`);
  });

  it("the overlay round-trips through YAML and --calibration changes predictions as fitted; the catalog is unchanged", () => {
    const overlay = parseCalibrationOverlay(parse(overlayYaml(result.overlay)), "cal.yaml");
    expect(overlay.measured_file).toBe("measured-public.json");
    expect(overlay.points_used).toBe(result.points.used);
    const fittedMatrix = result.parameters.find((p) => p.id === "nvidia-ampere:matrix_efficiency")!;
    expect(overlay.families["nvidia-ampere"]!.matrix_efficiency!.value).toBeCloseTo(fittedMatrix.calibrated, 5);
    expect(overlay.error_bands.map((b) => b.category)).toContain("gemm");

    const plain = nodeCatalog();
    const calibrated = withCalibration(plain, overlay, "cal.yaml");
    const op = { op: { type: "gemm", m: 8192, n: 8192, k: 8192, dtype: "fp16" }, chip: "nvidia-a100-sxm-80gb" };
    const t = (c: typeof plain) => (JOBS.op.run(op, c) as OpEstimate).latency_s;
    // A compute-bound GEMM scales with 1 / matrix_efficiency.
    expect(t(calibrated) / t(plain)).toBeCloseTo(fittedMatrix.catalog / overlay.families["nvidia-ampere"]!.matrix_efficiency!.value, 2);
    const a100 = plain.chip("nvidia-a100-sxm-80gb");
    expect(calibrated.efficiency!(a100).provenance.matrix_efficiency.from).toBe("calibration:cal.yaml");
    expect(nodeCatalog().context(a100).efficiency.matrix_efficiency).toBe(fittedMatrix.catalog);
    expect(familiesHash()).toBe(before);
  });
});

describe("overlay YAML", () => {
  it("round-trips nested data exactly (quoted strings, flow lists, lists of mappings, empty values)", () => {
    const o = {
      xpusim_calibration: 1 as const,
      measured_file: "runs: a\nb.json",
      families: { "nvidia-ampere": { "matrix_efficiency_by_dtype.fp8": { value: 0.5, bounds: [0.1, 1] as [number, number] } } },
      error_bands: [{ category: "gemm", median_abs_error: 0.1, p90_abs_error: 0.2, points: 3 }],
      fit: { dropped: [{ parameter: "x:y", categories: ["gemm", "llm"], reason: "r" }], nested: { a: { b: [] }, e: {} }, t: 2.5e-7, n: null },
    };
    const text = overlayYaml(o);
    expect(parse(text)).toEqual(o);
    expect(text.split("\n")[1]).toBe("# runs: a b.json. Use it with any command: xpusim --calibration <this file> <command> ...");
  });
});

describe("calibration overlays: bad files", () => {
  it("names the field path of a bad value, an unknown parameter and a missing marker", () => {
    const bad = diagnosticsOf(() => parseCalibrationOverlay({ xpusim_calibration: 1, families: { "nvidia-ampere": { matrix_efficiency: { value: 1.5 }, matrix_eff: { value: 0.5 } } } }, "bad.yaml"));
    expect(bad.map((d) => d.path)).toEqual(["families.nvidia-ampere.matrix_efficiency.value", "families.nvidia-ampere.matrix_eff"]);
    expect(bad[0]!.file).toBe("bad.yaml");
    expect(bad[1]!.message).toMatch(/not a calibratable parameter/);
    const noMarker = diagnosticsOf(() => parseCalibrationOverlay({ families: {} }));
    expect(noMarker[0]!.path).toBe("xpusim_calibration");
  });
});

describe("xpusim calibrate and --calibration (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpusim-cal-"));
  const out = join(dir, "my-calibration.yaml");

  it("writes an overlay that any command applies; results carry the band, text says so", async () => {
    const r = await runCli("calibrate", MEASURED_PUBLIC_JSON, "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/held-out \|error\| \(leave-one-out\)/);
    expect(parse(readFileSync(out, "utf8")).xpusim_calibration).toBe(1);
    const gemm = ["op", "gemm", "--m", "8192", "--n", "8192", "--k", "8192", "--chip", "nvidia-a100-sxm-80gb", "--dtype", "fp16"];
    const withCal = await runCli("--calibration", out, ...gemm, "--json");
    expect(withCal.code, withCal.err).toBe(0);
    const j = JSON.parse(withCal.out) as { calibration: { file: string; error_band: { category: string; median_abs_error: number } } };
    expect(j.calibration.file).toBe(out);
    expect(j.calibration.error_band.category).toBe("gemm");
    const text = await runCli(...gemm, "--calibration", out);
    expect(text.out).toMatch(/calibration in use: .*my-calibration\.yaml.*gemm error band: median/);
    // The next command without the option runs on the built-in catalog.
    const plain = await runCli(...gemm, "--json");
    expect(JSON.parse(plain.out)).not.toHaveProperty("calibration");
  });

  it("a bad overlay is a clear error (exit 1) naming the field", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "xpusim_calibration: 1\nfamilies:\n  nvidia-ampere:\n    matrix_efficiency: { value: 1.5 }\nerror_bands: []\n");
    const r = await runCli("--calibration", bad, "chips");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/families\.nvidia-ampere\.matrix_efficiency\.value: matrix_efficiency must be a fraction in \(0, 1\], got 1\.5/);
  });
});
