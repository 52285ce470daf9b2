import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { median, runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";

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

  const shared = join(import.meta.dirname, "..", "..", "shared", "validation", "measured-public.json");
  it.skipIf(!existsSync(shared))("reads ../shared/validation/measured-public.json as it is and accounts for every point", () => {
    const pts = parseWith(measuredFileSchema, JSON.parse(readFileSync(shared, "utf8")));
    const s = runValidation(pts, validationResolvers());
    expect(s.results).toHaveLength(pts.length);
    for (const r of s.results) {
      if (r.status !== "ok") expect(r.reason, r.id).toBeTruthy();
    }
    const gemm = s.by_category.find((c) => c.category === "gemm")!;
    expect(gemm.predicted).toBe(5);
    expect(gemm.median_abs_error!).toBeLessThan(0.2);
    expect(s.by_category.find((c) => c.category === "cnn_inference")!.predicted).toBe(3);
  });
});
