import { describe, expect, it } from "vitest";
import { kvCapacity } from "../src/core/serving/kv-capacity.js";
import { resolveServingConfig, servingPreset } from "../src/core/serving/serving-config.js";
import { DEFAULT_PRECISION, parsePrecision } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

/** Engine presets (sources in serving-config.ts) and KV capacity the way the engines size it. */
const h100 = loadChip("nvidia-h100-sxm");

describe("engine presets", () => {
  it("vLLM: 8192 tokens / 1024 seqs on ≥ 70 GiB GPUs other than A100, else 2048 / 256; block 16, 0.9 of total memory, chunked, on-demand KV", () => {
    const v = servingPreset("vllm", h100);
    expect(v).toMatchObject({ max_num_batched_tokens: 8192, max_num_seqs: 1024, block_size: 16, gpu_memory_utilization: 0.9, memory_fraction_of: "total", chunked_prefill: true, kv_admission: "on-demand", scheduling_policy: "fcfs" });
    expect(servingPreset("vllm", loadChip("nvidia-a100-sxm-80gb"))).toMatchObject({ max_num_batched_tokens: 2048, max_num_seqs: 256 });
    expect(servingPreset("vllm", loadChip("nvidia-l4"))).toMatchObject({ max_num_batched_tokens: 2048, max_num_seqs: 256 });
    expect(servingPreset("vllm", loadChip("amd-mi300x"))).toMatchObject({ max_num_batched_tokens: 8192, max_num_seqs: 1024 });
  });

  it("TensorRT-LLM: max_num_tokens 8192, max_batch_size 2048, 32 tokens per block, 0.9 of free memory, no chunking, GUARANTEED_NO_EVICT", () => {
    expect(servingPreset("tensorrt-llm", h100)).toMatchObject({ max_num_batched_tokens: 8192, max_num_seqs: 2048, block_size: 32, gpu_memory_utilization: 0.9, memory_fraction_of: "free", chunked_prefill: false, kv_admission: "reserve-full" });
  });

  it("overrides apply on top of the preset; bad fields are errors with paths", () => {
    const c = resolveServingConfig({ engine: "tensorrt-llm", chunked_prefill: true, max_num_seqs: 64 }, h100);
    expect(c).toMatchObject({ engine: "tensorrt-llm", chunked_prefill: true, max_num_seqs: 64, block_size: 32 });
    expect(resolveServingConfig(undefined, h100).engine).toBe("vllm");
    expect(() => resolveServingConfig({ engine: "vllm", block_sise: 8 } as never, h100)).toThrow(/unknown field "block_sise"/);
    expect(() => resolveServingConfig({ gpu_memory_utilization: 1.5 }, h100)).toThrow(/gpu_memory_utilization/);
    expect(() => resolveServingConfig({ engine: "trtllm" }, h100)).toThrow(/unknown engine preset "trtllm"/);
    expect(() => resolveServingConfig({ engine: "custom", block_size: 16 }, h100)).toThrow(/max_num_batched_tokens/);
  });
});

describe("KV capacity (Llama 3.1 8B, bf16, H100 80 GB)", () => {
  const model = loadModel("llama-3.1-8b");
  const ctx = contextFor(h100);
  const weights = 8_030_261_248 * 2;
  // Largest working set of the 8192-token profile pass: the SwiGLU multiply, 2 inputs + 1 output of 8192 × 14336 bf16.
  const activations = 3 * 8192 * 14336 * 2;
  const runtime = 0.8e9; // nvidia family runtime_overhead_bytes
  const perToken = 2 * 32 * 8 * 128 * 2; // 2 (K,V) × layers × kv heads × head dim × bytes = 128 KiB

  it("vLLM: 80 GB × 0.9 − weights − activations − runtime, in 16-token blocks", () => {
    const k = kvCapacity(model, ctx, DEFAULT_PRECISION, servingPreset("vllm", h100));
    expect(k.weights_bytes).toBe(weights);
    expect(k.activation_peak_bytes).toBe(activations);
    expect(k.runtime_overhead_bytes).toBe(runtime);
    expect(k.kv_bytes_per_token).toBe(perToken);
    expect(k.kv_cache_bytes).toBeCloseTo(80e9 * 0.9 - weights - activations - runtime, 0);
    expect(k.num_blocks).toBe(Math.floor((80e9 * 0.9 - weights - activations - runtime) / (16 * perToken)));
    expect(k.num_blocks).toBe(25956);
    expect(k.token_capacity).toBe(25956 * 16);
  });

  it("TensorRT-LLM: 0.9 × (80 GB − weights − activations − runtime), in 32-token blocks; logits of 2048 rows dominate activations", () => {
    const k = kvCapacity(model, ctx, DEFAULT_PRECISION, servingPreset("tensorrt-llm", h100));
    const logits = 2048 * 128256 * 4;
    expect(k.activation_peak_bytes).toBe(logits);
    expect(k.num_blocks).toBe(Math.floor((0.9 * (80e9 - weights - logits - runtime)) / (32 * perToken)));
  });

  it("an fp8 KV cache holds twice the tokens per byte", () => {
    const cfg = servingPreset("vllm", h100);
    const bf16 = kvCapacity(model, ctx, DEFAULT_PRECISION, cfg);
    const fp8kv = kvCapacity(model, ctx, parsePrecision("compute=bf16,kv=fp8"), cfg);
    expect(fp8kv.kv_bytes_per_token).toBe(perToken / 2);
    expect(fp8kv.num_blocks).toBe(Math.floor(bf16.kv_cache_bytes / (16 * perToken / 2)));
  });
});
