/**
 * The decode-attention kernel of an engine (cost/contract.ts DecodeAttentionKernel). "per_head": the
 * masked multi-head attention kernel of FasterTransformer and TensorRT-LLM before XQA — one block per
 * (sequence, query head), fp32 dot products on the CUDA cores, each query head of a GQA group reading
 * the group's K/V through L2. "packed" (default): the group's query heads as tensor-core rows.
 * Issue #11: TensorRT-LLM 0.5 70B (GQA 8) TP4 decode at long context was predicted 70 % too fast.
 */
import { describe, expect, it } from "vitest";
import { estimateOp } from "../src/core/cost/registry.js";
import { decodeAttentionOf } from "../src/core/validate/point-config.js";
import type { AttentionOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { contextFor } from "../src/node/resolvers.js";

const ctx = contextFor(loadChip("nvidia-h100-sxm"));
/** One decode step of a Llama-2-70B layer on one of 4 TP ranks: 16 query heads, 2 KV heads, fp8 KV. */
const attn = (batch: number, seqKv: number, kvHeads = 2, heads = 16): AttentionOp => ({
  name: "attn", kind: "attention", role: "attention_core", dtype: "bf16", batch, heads, kv_heads: kvHeads, head_dim_qk: 128, head_dim_v: 128,
  seq_q: 1, seq_kv: seqKv, causal: true, fused: true, act_dtype: "bf16", kv_dtype: "fp8",
});
const cost = (op: AttentionOp, k?: "packed" | "per_head") => estimateOp(op, ctx.chip, ctx.efficiency, k ? { decode_attention: k } : {}).cost;

describe("decode attention: per-head CUDA-core kernel vs GQA-packed tensor-core kernel", () => {
  it("the same main-memory bytes (K/V once); L2 carries the K/V once per query head of the group", () => {
    const op = attn(64, 3072);
    const packed = cost(op, "packed");
    const perHead = cost(op, "per_head");
    expect(perHead.bytes).toBe(packed.bytes);
    const kv = 64 * 3072 * 2 * 2 * 128; // batch × keys × kv_heads × (K, V) × head_dim × 1 B (fp8)
    expect(packed.bytes).toBeGreaterThanOrEqual(kv);
    // L2: K/V once per query head of the group of 8 (Q and O are a few hundred KB beside 100 MB of K/V).
    const kvPlusQo = packed.bytes_by_level.L2!;
    expect(perHead.bytes_by_level.L2! / kvPlusQo).toBeGreaterThan(7.8);
    expect(perHead.bytes_by_level.L2! / kvPlusQo).toBeLessThanOrEqual(8);
    expect(perHead.engine).toBe("vector");
    expect(packed.engine).toBe("matrix");
    expect((perHead.notes ?? []).join(" ")).toMatch(/masked multi-head/);
  });

  it("GQA group of 8 at long context: the per-head kernel is slower (group × L2 traffic, CUDA-core math)", () => {
    const op = attn(64, 3072);
    const packed = cost(op, "packed").time_s;
    const perHead = cost(op, "per_head").time_s;
    expect(perHead).toBeGreaterThan(1.5 * packed);
    // Its math: 2 × (qk + v dims) × keys per (sequence, head) on the fp32 vector units — a floor.
    const flops = 64 * 16 * 3072 * 2 * 256;
    expect(perHead).toBeGreaterThan(flops / ctx.chip.vector.peak_flops_per_s.fp32!);
  });

  it("default is packed; per_head only changes single-token decode (prefill is untouched)", () => {
    const op = attn(64, 3072);
    expect(cost(op).time_s).toBe(cost(op, "packed").time_s);
    const prefill = { ...attn(1, 2048), seq_q: 2048 };
    expect(cost(prefill, "per_head").time_s).toBe(cost(prefill, "packed").time_s);
  });

  it("MHA (no group to pack) at batch 1: both kernels stream the same K/V and land within 25 %", () => {
    const op = attn(1, 1024, 40, 40);
    const a = cost(op, "packed").time_s;
    const b = cost(op, "per_head").time_s;
    expect(Math.abs(b - a) / a).toBeLessThan(0.25);
  });

  it("validate reads the engine: FasterTransformer and TensorRT-LLM before 0.8 run per_head", () => {
    expect(decodeAttentionOf({ engine: "FasterTransformer" })).toBe("per_head");
    expect(decodeAttentionOf({ engine: "TensorRT-LLM 0.5 (static batching, gptSessionBenchmark)" })).toBe("per_head");
    expect(decodeAttentionOf({ engine: "TensorRT-LLM 0.6.1 (gptSessionBenchmark)" })).toBe("per_head");
    expect(decodeAttentionOf({ engine: "TensorRT-LLM 0.9" })).toBe("packed");
    expect(decodeAttentionOf({ engine: "TensorRT-LLM 1.0 (PyTorch backend)" })).toBe("packed");
    expect(decodeAttentionOf({ engine: "vLLM 0.6" })).toBe("packed");
    expect(decodeAttentionOf({})).toBe("packed");
  });
});
