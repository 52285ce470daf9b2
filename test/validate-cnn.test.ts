/**
 * Runs validation/measured-cnn.json (ResNet-50 v1.5 inference measured by NVIDIA: PyTorch 21.03 eager
 * on V100 and T4 at batch 1 to 256, FP32 and AMP; Paddle-TRT on A100; sources in each point and in
 * validation/README.md). None of these points calibrated a constant (the V100 FP32 batch-1 row that
 * sets eager_dispatch_overhead_s is left out). Asserts every point predicted and the category median
 * within the issue's 10 % bar, and prints the table.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";

const FILE = join(import.meta.dirname, "..", "validation", "measured-cnn.json");

describe("validation/measured-cnn.json", () => {
  const points = parseWith(measuredFileSchema, JSON.parse(readFileSync(FILE, "utf8")) as unknown, FILE);
  const summary = runValidation(points, validationResolvers());

  it("predicts every point, with the cnn_inference median |error| at most 10 %", () => {
    const rows = summary.results.map((r) => `${r.id.padEnd(40)} ${String(r.measured).padStart(9)} ${(r.predicted ?? NaN).toPrecision(4).padStart(9)} ${r.error === undefined ? r.reason : `${(r.error * 100).toFixed(1)} %`}`);
    console.log(`measured-cnn.json\n${rows.join("\n")}`);
    expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
    for (const r of summary.results) expect(r.status, `${r.id}: ${r.reason ?? ""}`).toBe("ok");
    const cat = summary.by_category.find((c) => c.category === "cnn_inference");
    expect(cat?.predicted).toBe(points.length);
    expect(cat!.median_abs_error!).toBeLessThanOrEqual(0.1);
  });

  it("prices AMP batch 1 as host-bound with one more dispatch per conv/fc than FP32 (autocast's weight casts)", () => {
    const byId = new Map(summary.results.map((r) => [r.id, r]));
    const amp = byId.get("cnn-rn50-infer-t4-amp-bs1")!;
    const fp32 = byId.get("cnn-rn50-infer-t4-fp32-bs1")!;
    // Measured: 12.96 ms vs 10.7 ms; 54 extra dispatches (53 conv + fc) of ~60 µs each = +3.2 ms.
    expect(amp.predicted! - fp32.predicted!).toBeGreaterThan(2.5);
    expect(amp.predicted! - fp32.predicted!).toBeLessThan(3.5);
  });
});
