/**
 * The training and serving planners' request building (view state → job requests, as the CLI
 * builds them), the scaling curve run in parts (as the worker runs it, for progress) against the
 * whole job, and the serving simulation of a planned deployment against the plan's own numbers.
 */
import { describe, expect, it } from "vitest";
import { deploymentServingRequest, JOBS, jobParts, type ScalingRequest, type ScalingResult } from "../../src/core/app/index.js";
import { XpusimError } from "../../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { planRequestOf, SERVING_VIEW_DEFAULTS, simulationRequestOf } from "../../src/ui/views/serving/serving-request.js";
import { scalingCounts, scalingRequestOf, searchRequestOf, TRAINING_VIEW_DEFAULTS } from "../../src/ui/views/training/training-request.js";

const pathOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof XpusimError) return e.diagnostics[0]?.path;
    throw e;
  }
  return undefined;
};

describe("training planner requests", () => {
  it("builds the layout search as `xpusim train --search` does", () => {
    expect(searchRequestOf(TRAINING_VIEW_DEFAULTS)).toEqual({
      chip: "nvidia-h100-sxm",
      model: "llama-3.1-8b",
      chips: 8,
      global_batch: 128,
      seq_len: 2048,
      precision: { compute: "bf16" },
      rank_by: "time",
    });
  });

  it("leaves an empty field to the job's default, names the field of a bad one", () => {
    const s = { ...TRAINING_VIEW_DEFAULTS, chips: "", batch: " ", system: "dgx-h100", rank: "cost", dtype: "fp8" };
    const r = searchRequestOf(s, (id) => `ref:${id}`);
    expect(r).toMatchObject({ chips: 1, global_batch: 1024, system: "ref:dgx-h100", model: "ref:llama-3.1-8b", rank_by: "cost", precision: { compute: "fp8" } });
    expect(pathOf(() => searchRequestOf({ ...TRAINING_VIEW_DEFAULTS, chips: "0" }))).toBe("chips");
    expect(pathOf(() => searchRequestOf({ ...TRAINING_VIEW_DEFAULTS, seq: "2.5" }))).toBe("seq_len");
  });

  it("scales over half to four times the chip count unless counts are given", () => {
    expect(scalingCounts(8, "")).toEqual([4, 8, 16, 32]);
    expect(scalingCounts(1, "")).toEqual([1, 2, 4]);
    expect(scalingCounts(8, "64, 16,16")).toEqual([16, 64]);
    expect(pathOf(() => scalingCounts(8, "8,x"))).toBe("counts[1]");
    expect(scalingRequestOf(TRAINING_VIEW_DEFAULTS)).toMatchObject({ chip_counts: [4, 8, 16, 32], mode: "strong", global_batch: 128, seq_len: 2048, rank_by: "time" });
  });

  it("runs the scaling curve count by count to the same result as the whole job", () => {
    const catalog = nodeCatalog();
    const req: ScalingRequest = { chip: "nvidia-h100-sxm", model: "gpt2-124m", chip_counts: [1, 2, 4], global_batch: 16, seq_len: 1024, precision: { compute: "bf16" } };
    const parts = jobParts("scaling")!;
    const split = parts.split(req) as ScalingRequest[];
    expect(split.map((r) => r.chip_counts)).toEqual([[1], [2], [4]]);
    const merged = parts.merge(req, split.map((r) => JOBS.scaling.run(r, catalog))) as ScalingResult;
    const whole = JOBS.scaling.run(req, catalog);
    expect(merged).toEqual(whole);
    expect(merged.points[0]!.scaling_efficiency).toBe(1);
    expect(merged.points[2]!.scaling_efficiency).toBeCloseTo(whole.points[2]!.tokens_per_s! / 4 / whole.points[0]!.tokens_per_s!, 12);
    expect(jobParts("training-search")).toBeUndefined();
  }, 120_000);
});

describe("serving planner requests", () => {
  it("parses the inputs as `xpusim plan serve` parses its flags", () => {
    expect(planRequestOf(SERVING_VIEW_DEFAULTS)).toEqual({
      model: "llama-3.1-8b",
      slo: { ttft_s: 0.5, tpot_s: 0.05 },
      rate_per_s: 5,
      chips: ["nvidia-h100-sxm", "amd-mi300x"],
      precisions: ["bf16", "fp8"],
      input_tokens: 1024,
      output_tokens: 256,
    });
    expect(planRequestOf({ ...SERVING_VIEW_DEFAULTS, rate: "600/min", input: "512-2048", max_chips: "4" })).toMatchObject({ rate_per_s: 10, input_tokens: 1280, max_chips: 4 });
  });

  it("names the field of a bad input", () => {
    expect(pathOf(() => planRequestOf({ ...SERVING_VIEW_DEFAULTS, chips: " , " }))).toBe("chips");
    expect(pathOf(() => planRequestOf({ ...SERVING_VIEW_DEFAULTS, rate: "inf" }))).toBe("rate");
    expect(pathOf(() => planRequestOf({ ...SERVING_VIEW_DEFAULTS, input: "lots" }))).toBe("input");
    expect(pathOf(() => planRequestOf({ ...SERVING_VIEW_DEFAULTS, max_chips: "-1" }))).toBe("max_chips");
  });

  it("simulates a planned deployment as the plan did: the same p90 TTFT and TPOT", () => {
    const catalog = nodeCatalog();
    const plan = planRequestOf({ ...SERVING_VIEW_DEFAULTS, chips: "nvidia-h100-sxm", precisions: "fp8" });
    const result = JOBS["serving-plan"].run(plan, catalog);
    const d = result.deployments[0]!;
    const sim = JOBS.serving.run(simulationRequestOf(SERVING_VIEW_DEFAULTS, plan, d), catalog);
    expect(sim.metrics!.ttft_s.p90).toBe(d.ttft_p90_s);
    expect(sim.metrics!.tpot_s.p90).toBe(d.tpot_p90_s);
    // 30 s of arrivals at 5/s, within 100–300 (the plan's simulation length)
    expect(sim.requests.total).toBe(150);
    expect(deploymentServingRequest(plan, { ...d, replicas: 2, tp: 2 })).toMatchObject({ tp: 2, ep: 1, workload: { rate_per_s: 2.5 }, config: { max_num_seqs: d.max_num_seqs } });
  }, 120_000);

  it("keeps a plan's inline chip spec inline in the simulation request", () => {
    const inline = { id: "my-chip", extends: "nvidia-h100-sxm" };
    const plan = { ...planRequestOf(SERVING_VIEW_DEFAULTS), chips: [inline] };
    const d = { chip: "my-chip", precision: "fp8", tp: 1, ep: 1, replicas: 1, max_num_seqs: 64 } as Parameters<typeof deploymentServingRequest>[1];
    expect(deploymentServingRequest(plan, d).chip).toBe(inline);
  });
});
