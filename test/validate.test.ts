import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { median, quantile, runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { expectWithinBaseline } from "./helpers/accuracy-guard.js";
import { MEASURED_PUBLIC_JSON } from "./helpers/validation-fixtures.js";
import { JOBS } from "../src/core/app/registry.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { runCli } from "./helpers/run-cli.js";

/** Three points copied from ../shared/validation/measured-public.json (LLMCompass Fig. 5a; NVIDIA DLE). */
const POINTS = [
  { id: "gemm-a100-8192", category: "gemm", hardware: "NVIDIA A100 80GB", chip_count: 1, model: "GEMM", config: { M: 8192, N: 8192, K: 8192, dtype: "fp16" }, metric: "latency", value: 3.9614, unit: "ms" },
  { id: "gemm-a100-64", category: "gemm", hardware: "NVIDIA A100 80GB", chip_count: 1, model: "GEMM", config: { M: 64, N: 12288, K: 12288, dtype: "fp16" }, metric: "latency", value: 0.19, unit: "ms" },
  { id: "rn50-t4", category: "cnn_inference", hardware: "NVIDIA T4", chip_count: 1, model: "ResNet-50 v1.5", config: { dtype: "AMP (fp16)", batch: 256, image: 224, framework: "PyTorch 21.03" }, metric: "throughput", value: 1198, unit: "img/s" },
  { id: "odd-chip", category: "gemm", hardware: "Imaginary XPU 9000", chip_count: 1, model: "GEMM", config: { M: 1, N: 1, K: 1 }, metric: "latency", value: 1, unit: "ms" },
  { id: "odd-unit", category: "gemm", hardware: "NVIDIA A100 80GB", chip_count: 1, model: "GEMM", config: { M: 1, N: 1, K: 1 }, metric: "latency", value: 1, unit: "fortnights" },
];

describe("validation harness", () => {
  const summary = runValidation(parseWith(measuredFileSchema, POINTS), validationResolvers());
  const byId = Object.fromEntries(summary.results.map((r) => [r.id, r]));

  it("predicts GEMM and CNN points with a signed error", () => {
    for (const id of ["gemm-a100-8192", "gemm-a100-64", "rn50-t4"]) {
      const r = byId[id]!;
      expect(r.status).toBe("ok");
      expect(r.error).toBeCloseTo((r.predicted! - r.measured) / r.measured, 12);
      // Guard against regressions, not a fit: physical models should land within 40 % of these.
      expect(Math.abs(r.error!)).toBeLessThan(0.4);
    }
    expect(byId["gemm-a100-8192"]!.chip).toBe("nvidia-a100-sxm-80gb");
  });

  it("lists what it cannot predict with the reason instead of skipping it", () => {
    expect(byId["odd-chip"]).toMatchObject({ status: "unsupported" });
    expect(byId["odd-chip"]!.reason).toMatch(/matches no catalog chip/);
    expect(byId["odd-unit"]!.reason).toMatch(/unit "fortnights"/);
    expect(summary.overall.points).toBe(5);
    expect(summary.overall.predicted).toBe(3);
  });

  it("computes medians per category and overall", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const gemm = summary.by_category.find((c) => c.category === "gemm")!;
    const errs = ["gemm-a100-8192", "gemm-a100-64"].map((id) => Math.abs(byId[id]!.error!));
    expect(gemm.median_abs_error).toBeCloseTo((errs[0]! + errs[1]!) / 2, 12);
  });

  it("gives the 90th percentile of |error| per category and overall (linear between ranks)", () => {
    // Ten values 1..10: rank h = 9 × 0.9 = 8.1 → 9 + 0.1 × (10 − 9) = 9.1; the median is its q = 0.5.
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(quantile(xs, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantile(xs, 0.5)).toBe(median(xs));
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.9)).toBeUndefined();
    const gemm = summary.by_category.find((c) => c.category === "gemm")!;
    const [a, b] = ["gemm-a100-8192", "gemm-a100-64"].map((id) => Math.abs(byId[id]!.error!)).sort((x, y) => x - y) as [number, number];
    // Two points: rank 0.9 lies 90 % of the way from the smaller to the larger.
    expect(gemm.p90_abs_error).toBeCloseTo(a + 0.9 * (b - a), 12);
    expect(gemm.max_abs_error).toBe(b);
    const all = summary.results.filter((r) => r.status === "ok").map((r) => Math.abs(r.error!));
    expect(summary.overall.p90_abs_error).toBeCloseTo(quantile(all, 0.9)!, 12);
    expect(summary.overall.max_abs_error).toBe(Math.max(...all));
  });

  // The committed copy of ../shared/validation/measured-public.json (test/fixtures/validation), so the guard runs in CI.
  const shared = MEASURED_PUBLIC_JSON;
  it("reads measured-public.json as it is and accounts for every point", () => {
    const pts = parseWith(measuredFileSchema, JSON.parse(readFileSync(shared, "utf8")));
    const s = runValidation(pts, validationResolvers());
    expect(s.results).toHaveLength(pts.length);
    for (const r of s.results) {
      if (r.status !== "ok") expect(r.reason, r.id).toBeTruthy();
    }
    // Medians of 2026-12-07, rounded up to 0.1 %; each may rise at most 2 points.
    expectWithinBaseline(
      s,
      {
        gemm: { predicted: 5, median: 0.057 },
        collective: { predicted: 2, median: 0.062 },
        transformer_layer: { predicted: 2, median: 0.092 },
        llm_training: { predicted: 12, median: 0.104 },
        memory: { predicted: 2, median: 0 },
        llm_inference: { predicted: 10, median: 0.098 },
        cnn_training: { predicted: 4, median: 0.048 },
        cnn_inference: { predicted: 3, median: 0.136 },
      },
      { predicted: 40, median: 0.082 },
    );
  });
});

describe("the validation job (xpusim validate)", () => {
  const catalog = nodeCatalog();

  it("gives the harness's summary for points given as data", () => {
    const direct = runValidation(parseWith(measuredFileSchema, POINTS), validationResolvers());
    expect(JOBS.validation.run({ measured: POINTS }, catalog)).toEqual(direct);
  });

  it("keeps only the points of a category, and names the categories present when none match", () => {
    const gemm = JOBS.validation.run({ measured: POINTS, category: "gemm" }, catalog);
    expect(gemm.results.map((r) => r.id)).toEqual(["gemm-a100-8192", "gemm-a100-64", "odd-chip", "odd-unit"]);
    expect(() => JOBS.validation.run({ measured: POINTS, category: "nope", file: "m.json" }, catalog)).toThrow(/no point of m\.json has category "nope"/);
  });

  it("is what `xpusim validate --json` prints", async () => {
    const file = join(import.meta.dirname, "..", "validation", "measured-extra.json");
    const r = await runCli("validate", file, "--category", "gemm", "--json");
    expect(r.code).toBe(0);
    const direct = JOBS.validation.run({ measured: JSON.parse(readFileSync(file, "utf8")), file, category: "gemm" }, catalog);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(direct.results).toHaveLength(12);
    const gemm = direct.by_category.find((c) => c.category === "gemm")!;
    expect(gemm.p90_abs_error).toBeGreaterThanOrEqual(gemm.median_abs_error!);
    expect(gemm.p90_abs_error).toBeLessThanOrEqual(gemm.max_abs_error!);
    const text = await runCli("validate", file, "--category", "gemm");
    expect(text.out).toMatch(/median \|err\|\s+p90 \|err\|\s+max \|err\|/);
    expect(text.out).toMatch(/median \|error\| [\d.]+%, p90 [\d.]+%/);
  });

  it("reads nccl-tests entries and refuses a catalog without validation resolvers", () => {
    const entry = { hardware: "DGX A100", nodes: 1, gpus_per_node: 8, collective: "all_reduce", message_bytes: 1 << 30, time_us: 8203.9, kind: "measured" };
    const s = JOBS.validation.run({ measured: [entry] }, catalog);
    expect(s.results[0]).toMatchObject({ category: "collective", status: "ok", chip: "nvidia-a100-sxm-80gb" });
    const { validationResolvers: _omit, ...bare } = catalog;
    expect(() => JOBS.validation.run({ measured: POINTS }, bare)).toThrow(/no validation resolvers/);
  });
});
