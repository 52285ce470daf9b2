/**
 * The pure request builders of the Compare and Roofline views: view state (URL strings) → the job
 * requests, equal to what the CLI builds for the same flags, and the runs they give.
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../../src/core/app/index.js";
import { nodeCatalog } from "../../src/node/node-catalog.js";
import { assessRequest, compareRequest, opRequest, weightsOf } from "../../src/ui/views/compare/compare-requests.js";
import { numberOf } from "../../src/ui/views/shared/typed-number.js";
import { COMPARE_DEFAULTS } from "../../src/ui/views/compare/compare-state.js";
import { breakdownRequest, gemmRequest } from "../../src/ui/views/roofline/roofline-requests.js";
import { ROOFLINE_DEFAULTS } from "../../src/ui/views/roofline/roofline-state.js";

const chips = ["nvidia-h100-sxm", "nvidia-a100-sxm-80gb", "amd-mi300x"];

describe("compare view requests", () => {
  it("reads numbers: blank = the job's default (undefined), anything else as typed", () => {
    expect(numberOf("")).toBeUndefined();
    expect(numberOf("  ")).toBeUndefined();
    expect(numberOf("8")).toBe(8);
    expect(numberOf("0")).toBe(0);
  });

  it("builds the inference comparison `xpusim compare --model llama-3.1-70b --chips … --batch 1 --input 2048 --output 256 --tp 2` builds", () => {
    expect(compareRequest(COMPARE_DEFAULTS)).toEqual({ model: "llama-3.1-70b", chips, batch: 1, input_tokens: 2048, output_tokens: 256, tp: 2 });
    expect(assessRequest(COMPARE_DEFAULTS)).toEqual({ chips, model: "llama-3.1-70b", mode: "inference", count: 2, batch: 1, input_tokens: 2048, output_tokens: 256 });
  });

  it("builds a training comparison with one global batch for both jobs (8 per chip when blank)", () => {
    const s = { ...COMPARE_DEFAULTS, mode: "training", count: "4", seq: "1024" };
    expect(compareRequest(s)).toEqual({ model: "llama-3.1-70b", chips, training: true, global_batch: 32, seq_len: 1024 });
    expect(assessRequest(s)).toEqual({ chips, model: "llama-3.1-70b", mode: "training", count: 4, batch: 32, seq_len: 1024 });
    expect(compareRequest({ ...s, gbatch: "12" })).toMatchObject({ global_batch: 12 });
  });

  it("passes workspace specs through `ref` (inline objects for user specs)", () => {
    const inline = { id: "mine", extends: "nvidia-h100-sxm" };
    const ref = (id: string) => (id === "mine" ? inline : id);
    expect(compareRequest({ ...COMPARE_DEFAULTS, chips: "mine,amd-mi300x" }, ref).chips).toEqual([inline, "amd-mi300x"]);
  });

  it("builds the GEMM `xpusim op gemm --m 4096 --n 4096 --k 4096 --dtype bf16` prices, on every chip", () => {
    const req = opRequest(COMPARE_DEFAULTS);
    expect(req).toEqual({ op: { type: "gemm", m: 4096, n: 4096, k: 4096, batch: 1, dtype: "bf16" }, chip: chips });
    const out = JOBS.op.run(req, nodeCatalog());
    expect(Array.isArray(out) && out.map((e) => e.chip)).toEqual(chips);
    expect(Array.isArray(out) && out[0]!.flops).toBe(2 * 4096 ** 3);
  });

  it("weights: only the mode's factors, blank = 1", () => {
    expect(weightsOf({ ...COMPARE_DEFAULTS, w_latency: "3", w_cost: "" })).toEqual({ latency: 3, throughput: 1, power: 1, cost: 1, flexibility: 1, security: 1, deployment: 1 });
    expect(Object.keys(weightsOf({ ...COMPARE_DEFAULTS, mode: "training" }))).toEqual(["compute", "memory", "data_transfer", "power", "thermal", "precision", "flexibility", "scalability", "cost"]);
  });
});

describe("roofline view requests", () => {
  it("a prefill prices `tokens` new tokens; a decode step one token with `tokens` of context", () => {
    expect(breakdownRequest(ROOFLINE_DEFAULTS)).toEqual({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", phase: "prefill", batch: 1, seq: 2048, precision: { compute: "bf16" } });
    const decode = breakdownRequest({ ...ROOFLINE_DEFAULTS, phase: "decode", tokens: "4096", batch: "8" });
    expect(decode).toEqual({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", phase: "decode", batch: 8, context: 4096, precision: { compute: "bf16" } });
    const pass = JOBS.breakdown.run(decode, nodeCatalog());
    expect([pass.new_tokens, pass.context_tokens, pass.batch]).toEqual([1, 4096, 8]);
  });

  it("one GEMM on the chip", () => {
    expect(gemmRequest({ ...ROOFLINE_DEFAULTS, m: "128", dtype: "fp8" })).toEqual({ op: { type: "gemm", m: 128, n: 4096, k: 4096, batch: 1, dtype: "fp8" }, chip: "nvidia-h100-sxm" });
  });
});
