/**
 * Execution "stream" (cost/contract.ts): a native runtime (TensorRT-LLM's C++ runtime without CUDA
 * graphs, FasterTransformer) launches kernel after kernel on a stream. Each kernel pays the uncaptured
 * launch gap stream_launch_overhead_s instead of the captured kernel_launch_overhead_s; nothing else
 * changes. Issue #11: per-layer launch overheads of decode (TP and TP1) on TensorRT-LLM 0.5/0.6 and
 * FasterTransformer.
 */
import { describe, expect, it } from "vitest";
import { estimateOp } from "../src/core/cost/registry.js";
import { evaluateGraph } from "../src/core/estimate/evaluate-graph.js";
import { executionOf } from "../src/core/validate/point-config.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import type { GemmOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

const ctx = contextFor(loadChip("nvidia-a100-sxm-80gb"));
const gemv: GemmOp = { name: "gemv", kind: "gemm", role: "replicated", dtype: "fp16", m: 1, n: 5120, k: 5120, batch: 1, a_dtype: "fp16", b_dtype: "fp16", c_dtype: "fp16", b_is_weight: true };

describe("execution stream: the uncaptured launch gap per kernel", () => {
  it("the family data: 4 µs on NVIDIA (3-5 µs), above the 2 µs captured gap", () => {
    expect(ctx.efficiency.stream_launch_overhead_s).toBeCloseTo(4e-6, 12);
    expect(ctx.efficiency.kernel_launch_overhead_s).toBeCloseTo(2e-6, 12);
  });

  it("one GEMV kernel: stream − graph = stream_launch_overhead_s − kernel_launch_overhead_s exactly", () => {
    const graph = estimateOp(gemv, ctx.chip, ctx.efficiency, { execution: "graph" }).cost.time_s;
    const stream = estimateOp(gemv, ctx.chip, ctx.efficiency, { execution: "stream" }).cost.time_s;
    expect(stream - graph).toBeCloseTo(2e-6, 12);
  });

  it("a batch-1 decode step of a 13B GPT on A100: stream adds a few µs per kernel, far less than eager's host dispatch", () => {
    const p = { compute: "fp16", weights: "fp16", activations: "fp16", kv_cache: "fp16" } as const;
    const g = buildWorkload(loadModel("llama-2-13b"), { batch: 1, new_tokens: 1, context_tokens: 512, phase: "decode" }, p);
    const graph = evaluateGraph(g, ctx, { execution: "graph" }).time_s;
    const stream = evaluateGraph(g, ctx, { execution: "stream" }).time_s;
    const eager = evaluateGraph(g, ctx, { execution: "eager" }).time_s;
    const extra = stream - graph;
    // 40 layers × 5-9 launched kernels × 2 µs: 0.4-0.72 ms on a ~22 ms step.
    expect(extra).toBeGreaterThan(40 * 5 * 2e-6 * 0.99);
    expect(extra).toBeLessThan(40 * 9 * 2e-6 * 1.01 + 1e-5);
    expect(eager).toBeGreaterThan(stream);
  });

  it("validate reads it from the measured stack", () => {
    expect(executionOf({ engine: "FasterTransformer" })).toBe("stream");
    expect(executionOf({ engine: "TensorRT-LLM 0.5 (static batching, gptSessionBenchmark)" })).toBe("stream");
    expect(executionOf({ mode: "static batching, gptSessionBenchmark" })).toBe("stream");
    expect(executionOf({ engine: "TensorRT-LLM with CUDA graphs" })).toBe("graph");
    expect(executionOf({ framework: "PyTorch 2.1" })).toBe("eager");
    expect(executionOf({ framework: "JAX" })).toBe("graph");
    expect(executionOf({})).toBe("graph");
  });
});
