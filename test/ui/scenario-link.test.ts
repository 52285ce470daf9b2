/**
 * A scenario file in the workspace opens the view that answers its kind with the inputs it states:
 * the view's request built from the link equals what the scenario runs (same job, same numbers).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { JOBS, parseScenario, runScenario } from "../../src/core/app/index.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { compareRequest, opRequest } from "../../src/ui/views/compare/compare-requests.js";
import { COMPARE_DEFAULTS } from "../../src/ui/views/compare/compare-state.js";
import { searchRequestOf, TRAINING_VIEW_DEFAULTS } from "../../src/ui/views/training/training-request.js";
import { scenarioLink } from "../../src/ui/workspace/scenario-link.js";

const example = (name: string) => parseYaml(readFileSync(join(import.meta.dirname, "..", "..", "examples", name), "utf8")) as Record<string, unknown>;
const stateOf = <T extends Record<string, string>>(link: string, defaults: T): T => {
  const params = new URLSearchParams(link.slice(link.indexOf("?") + 1));
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, params.get(k) ?? v])) as T;
};
const catalog = nodeCatalog();

describe("scenario files open their view", () => {
  it("kind: inference → Compare with its chip, model, batch and lengths; the same estimate", () => {
    const link = scenarioLink(example("llama-inference.yaml"))!;
    expect(link).toBe("#/compare?model=llama-3.1-8b&chips=nvidia-h100-sxm&batch=16&input=1024&output=256&count=1");
    const row = JOBS.compare.run(compareRequest(stateOf(link, COMPARE_DEFAULTS)), catalog).rows[0]!;
    const scenario = runScenario(parseScenario(example("llama-inference.yaml")), catalog) as unknown as { output_tokens_per_s: number; ttft_s: number };
    expect(row.ok && row.inference?.output_tokens_per_s).toBeCloseTo(scenario.output_tokens_per_s, 6);
    expect(row.ok && row.inference?.ttft_s).toBeCloseTo(scenario.ttft_s, 9);
  });

  it("kind: training → the training planner with its chip, count, model, batch, sequence, precision and system", () => {
    const link = scenarioLink(example("gpt3-training.yaml"))!;
    expect(link).toBe("#/training?model=gpt3-175b&chip=nvidia-a100-sxm-80gb&chips=64&batch=64&seq=2048&dtype=fp16&system=dgx-a100");
    const request = searchRequestOf(stateOf(link, TRAINING_VIEW_DEFAULTS));
    expect(request).toMatchObject({ chip: "nvidia-a100-sxm-80gb", model: "gpt3-175b", chips: 64, global_batch: 64 });
  });

  it("kind: op (a GEMM) → Compare's GEMM mode, priced as the scenario prices it", () => {
    const link = scenarioLink(example("gemm-h100.yaml"))!;
    expect(link).toBe("#/compare?source=op&chips=nvidia-h100-sxm&m=8192&n=8192&k=8192&dtype=bf16");
    const viewed = JOBS.op.run(opRequest(stateOf(link, COMPARE_DEFAULTS)), catalog);
    const rows = Array.isArray(viewed) ? viewed : [viewed];
    const scenario = runScenario(parseScenario(example("gemm-h100.yaml")), catalog) as unknown as { latency_s: number };
    expect(rows[0]!.latency_s).toBeGreaterThan(0);
    expect(rows[0]!.latency_s).toBeCloseTo(scenario.latency_s, 12);
  });

  it("kind: serving → the serving planner with its chip, model, rate, mean lengths and SLO", () => {
    const link = scenarioLink(example("llama-serving.yaml"))!;
    const params = new URLSearchParams(link.slice(link.indexOf("?") + 1));
    expect(link.startsWith("#/serving?")).toBe(true);
    const doc = example("llama-serving.yaml") as { hardware: { chip: string }; workload: { model: string }; serving: { rate_per_s: number; slo: { ttft_s: number; tpot_s: number } } };
    expect(params.get("chips")).toBe(doc.hardware.chip);
    expect(params.get("model")).toBe(doc.workload.model);
    expect(params.get("rate")).toBe(`${doc.serving.rate_per_s}/s`);
    expect(params.get("input")).toBe("1024");
    expect(params.get("output")).toBe("128-384");
    expect(params.get("slo")).toBe(`ttft=${doc.serving.slo.ttft_s * 1000}ms,tpot=${doc.serving.slo.tpot_s * 1000}ms`);
  });

  it("gives no link for a chip or model named by file path or inline (a URL carries ids only)", () => {
    expect(scenarioLink({ kind: "inference", hardware: { chip: "my-npu.yaml" }, workload: { model: "llama-3.1-8b" } })).toBeUndefined();
    expect(scenarioLink({ kind: "inference", hardware: { chip: "nvidia-h100-sxm" }, workload: { model: { extends: "llama-3.1-8b" } } })).toBeUndefined();
  });
});
