/**
 * Category `serving` of the validation harness: a measured serving benchmark becomes a `kind: serving`
 * scenario and runs through the same contract as `xpusim estimate` (the validation job injects the
 * serving predictor; core/validate does not depend on core/serving). validation/measured-serving.json
 * holds TensorRT-LLM 1.0's max-throughput table (docs/validate.md, validation/README.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { parseScenario, runScenario } from "../src/core/app/run-scenario.js";
import { servingScenarioOf } from "../src/core/validate/validate-serving.js";
import { parseWith } from "../src/core/spec/validate.js";
import { measuredFileSchema } from "../src/core/validate/measured-point.js";
import { runValidation } from "../src/core/validate/run-validation.js";
import { validationResolvers } from "../src/node/validation-resolvers.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { expectWithinBaseline } from "./helpers/accuracy-guard.js";

const catalog = nodeCatalog();

const POINT = {
  id: "serve-8b-h100-offline",
  category: "serving",
  hardware: "NVIDIA H100 SXM 80GB",
  chip_count: 1,
  model: "Llama 3.1 8B",
  config: { tp: 1, input_len: 1000, output_len: 1000, requests: 300, arrival: "offline", dtype: "FP8", engine: "TensorRT-LLM 1.0" },
  metric: "output_throughput",
  value: 15220,
  unit: "tokens/s",
};

describe("serving points through the kind: serving scenario", () => {
  const summary = JOBS.validation.run({ measured: [POINT, { ...POINT, id: "per-gpu", metric: "Per GPU Output Throughput", unit: "tokens/s/GPU" }, { ...POINT, id: "ttft", metric: "TTFT", unit: "ms", value: 50 }] }, catalog);
  const [thr, perGpu, ttft] = summary.results;

  it("predicts what `xpusim estimate` gives for the same scenario", () => {
    expect(thr!.status).toBe("ok");
    const scenario = servingScenarioOf({ p: parseWith(measuredFileSchema, [POINT])[0]!, cfg: POINT.config, chip: catalog.chip("nvidia-h100-sxm"), r: validationResolvers(), assumptions: [] } as never);
    expect(typeof scenario).toBe("object");
    const direct = runScenario(parseScenario(scenario), catalog);
    expect(direct.kind).toBe("serving");
    expect(thr!.predicted).toBeCloseTo((direct as { output_tokens_per_s: number }).output_tokens_per_s, 6);
    expect(scenario).toMatchObject({ kind: "serving", software: { engine: "tensorrt-llm" }, serving: { arrival: "offline", requests: 300, input_tokens: 1000, output_tokens: 1000 }, precision: { weights: "fp8", kv_cache: "fp8" } });
    expect(thr!.error).toBeCloseTo((thr!.predicted! - 15220) / 15220, 12);
  });

  it("per-GPU throughput is the group's ÷ chips; TTFT is the run's mean", () => {
    expect(perGpu!.status).toBe("ok");
    expect(perGpu!.predicted).toBeCloseTo(thr!.predicted!, 6); // one chip
    expect(ttft!.status).toBe("ok");
    expect(ttft!.predicted).toBeGreaterThan(0);
  });

  it("is listed with the reason where no serving predictor is injected (the bare harness)", () => {
    const s = runValidation(parseWith(measuredFileSchema, [POINT]), validationResolvers());
    expect(s.results[0]).toMatchObject({ status: "unsupported", category: "serving" });
    expect(s.results[0]!.reason).toMatch(/no serving simulator/);
  });

  it("names the missing field of an incomplete point", () => {
    const { requests: _r, ...noRequests } = POINT.config;
    const s = JOBS.validation.run({ measured: [{ ...POINT, config: noRequests }] }, catalog);
    expect(s.results[0]!.reason).toMatch(/config\.requests/);
  });
});

describe("validation/measured-serving.json (TensorRT-LLM 1.0 max-throughput table)", () => {
  const file = join(import.meta.dirname, "..", "validation", "measured-serving.json");
  const measured = JSON.parse(readFileSync(file, "utf8"));
  const summary = JOBS.validation.run({ measured, file }, catalog);

  it("predicts every point through the serving scenario, within the guard", () => {
    expect(summary.results).toHaveLength(measured.length);
    for (const r of summary.results) {
      expect(r.status, `${r.id}: ${r.reason}`).toBe("ok");
      expect(Number.isFinite(r.error)).toBe(true);
      // Physical models, not a fit: no point off by more than 40 %.
      expect(Math.abs(r.error!), r.id).toBeLessThan(0.4);
    }
    // Median of 2026-12-08, rounded up to 0.1 %.
    expectWithinBaseline(summary, { serving: { predicted: 30, median: 0.136 } }, { predicted: 30, median: 0.136 });
  }, 120_000);
});
