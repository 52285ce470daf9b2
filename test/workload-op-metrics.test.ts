import { describe, expect, it } from "vitest";
import type { AttentionOp, Conv2dOp, EmbeddingOp, GemmOp, NormOp, PoolOp } from "../src/core/workload/op.js";
import { attendedPairs, convOutputSize, keysTouched, opFlops, opMacs, opMinBytes, opParams, opWeightBytes } from "../src/core/workload/op-metrics.js";
import { DEFAULT_PRECISION, formatPrecision, parsePrecision } from "../src/core/workload/precision.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";

/** Hand-computed per-op counts (every number below is worked out in the comment next to it). */

const gemm = (o: Partial<GemmOp> = {}): GemmOp => ({
  name: "g", kind: "gemm", role: "replicated", dtype: "bf16", m: 4, n: 8, k: 16, batch: 1, a_dtype: "bf16", b_dtype: "bf16", c_dtype: "bf16", b_is_weight: true, ...o,
});

describe("gemm", () => {
  it("counts MACs, FLOPs with bias, parameters and compulsory bytes", () => {
    const g = gemm({ bias: true });
    expect(opMacs(g)).toBe(512); // 4·8·16
    expect(opFlops(g)).toBe(1056); // 2·512 + 4·8 bias adds
    expect(opParams(g)).toBe(136); // 16·8 + 8
    expect(opMinBytes(g)).toBe(464); // A 4·16·2 = 128, W (128+8)·2 = 272, C 4·8·2 = 64
  });

  it("reads int4 weights at half a byte per parameter", () => {
    const g = gemm({ bias: true, b_dtype: "int4" });
    expect(opWeightBytes(g)).toBe(68); // 136 · 0.5
    expect(opMinBytes(g)).toBe(128 + 68 + 64);
  });

  it("MoE experts: each batch entry has its own weights", () => {
    const g = gemm({ batch: 8, m: 2 });
    expect(opParams(g)).toBe(8 * 16 * 8);
    expect(opMacs(g)).toBe(8 * 2 * 8 * 16);
  });

  it("a tied LM head reads its table but does not count it again", () => {
    const g = gemm({ weight_shared_with: "embed.tokens" });
    expect(opParams(g)).toBe(0);
    expect(opWeightBytes(g)).toBe(16 * 8 * 2);
  });

  it("an activation × activation product has no parameters", () => {
    const g = gemm({ b_is_weight: false });
    expect(opParams(g)).toBe(0);
    expect(opMinBytes(g)).toBe(128 + 256 + 64);
  });
});

describe("conv2d", () => {
  const conv: Conv2dOp = {
    name: "c", kind: "conv2d", role: "replicated", dtype: "bf16", n: 1, h: 8, w: 8, c_in: 4, c_out: 8, kh: 3, kw: 3, stride: 1, padding: 1, groups: 1,
    bias: true, act_dtype: "bf16", weight_dtype: "bf16",
  };
  it("same-padded 3×3", () => {
    expect(convOutputSize(8, 3, 1, 1)).toBe(8);
    expect(opMacs(conv)).toBe(18432); // 8·8 outputs · 8 channels · 4·9
    expect(opFlops(conv)).toBe(2 * 18432 + 8 * 8 * 8);
    expect(opParams(conv)).toBe(296); // 8·4·9 + 8
    expect(opMinBytes(conv)).toBe(8 * 8 * 4 * 2 + 296 * 2 + 8 * 8 * 8 * 2);
  });
  it("depthwise stride 2", () => {
    const dw = { ...conv, c_in: 8, groups: 8, stride: 2, bias: false };
    expect(convOutputSize(8, 3, 2, 1)).toBe(4);
    expect(opMacs(dw)).toBe(1152); // 4·4 · 8 · 1·9
    expect(opParams(dw)).toBe(72);
  });
});

describe("attention", () => {
  it("attended pairs: causal triangle, sliding window, decode, chunked prefill, bidirectional", () => {
    expect(attendedPairs(4, 4, true)).toBe(10); // 1+2+3+4
    expect(attendedPairs(4, 4, true, 2)).toBe(7); // 1+2+2+2
    expect(attendedPairs(1, 10, true)).toBe(10);
    expect(attendedPairs(1, 10, true, 4)).toBe(4);
    expect(attendedPairs(2, 5, true)).toBe(9); // 4+5
    expect(attendedPairs(3, 5, false)).toBe(15);
    expect(keysTouched(1, 10, true, 4)).toBe(4);
    expect(keysTouched(4, 100, true, 8)).toBe(11); // window + queries − 1
  });

  it("closed form equals the row-by-row sum", () => {
    for (const [q, kv, w] of [[7, 7, undefined], [5, 37, 9], [64, 64, 16], [1, 3, 8], [33, 100, 50], [100, 100, 1]] as const) {
      let sum = 0;
      for (let i = 0; i < q; i++) {
        const pos = kv - q + i + 1;
        sum += Math.min(pos, w ?? pos);
      }
      expect(attendedPairs(q, kv, true, w)).toBe(sum);
    }
  });

  const att: AttentionOp = {
    name: "a", kind: "attention", role: "attention_core", dtype: "bf16", batch: 2, heads: 4, kv_heads: 2, head_dim_qk: 8, head_dim_v: 8,
    seq_q: 4, seq_kv: 4, causal: true, fused: true, act_dtype: "bf16", kv_dtype: "bf16",
  };

  it("GQA prefill: FLOPs over the causal triangle; fused vs unfused bytes", () => {
    expect(opMacs(att)).toBe(1280); // 2·4 heads · 10 pairs · (8+8)
    expect(opFlops(att)).toBe(2560);
    // Q 2·4·4·8·2 = 512; K,V 2 seqs · 4 keys · 2 kv heads · 16 · 2 B = 512; O 512
    expect(opMinBytes(att)).toBe(1536);
    // + scores written and read back: 2 · 2·4·4·4 · 2 B = 512
    expect(opMinBytes({ ...att, fused: false })).toBe(2048);
  });

  it("decode reads the whole FP8 cache, or only the window", () => {
    const d = { ...att, seq_q: 1, seq_kv: 100, kv_dtype: "fp8" as const };
    // Q 2·4·8·2 = 128; K,V 2·100·(2·16·1 B) = 6400; O 128
    expect(opMinBytes(d)).toBe(6656);
    expect(opMinBytes({ ...d, window: 32 })).toBe(128 + 2 * 32 * 32 + 128);
    expect(opFlops({ ...d, window: 32 })).toBe(2 * 2 * 4 * 32 * 16);
  });

  it("MLA latent cache: bytes per token given explicitly", () => {
    const mla: AttentionOp = { ...att, batch: 1, heads: 128, kv_heads: 1, head_dim_qk: 576, head_dim_v: 512, seq_q: 1, seq_kv: 1000, kv_bytes_per_token: 1152 };
    expect(opFlops(mla)).toBe(2 * 128 * 1000 * 1088);
    expect(opMinBytes(mla)).toBe(128 * 576 * 2 + 1000 * 1152 + 128 * 512 * 2);
  });
});

describe("vector ops", () => {
  it("norm, embedding gather, pooling", () => {
    const ln: NormOp = { name: "n", kind: "norm", role: "norm", dtype: "fp32", norm: "layernorm", rows: 4, cols: 8, act_dtype: "bf16", params: 16 };
    expect(opFlops(ln)).toBe(7 * 32);
    expect(opMinBytes(ln)).toBe(2 * 32 * 2 + 16 * 2);
    expect(opFlops({ ...ln, norm: "rmsnorm", params: 8 })).toBe(4 * 32);

    const emb: EmbeddingOp = { name: "e", kind: "embedding", role: "embedding", dtype: "bf16", tokens: 3, vocab: 10, dim: 4, weight_dtype: "bf16", act_dtype: "bf16", params: 40 };
    expect(opParams(emb)).toBe(40);
    expect(opMinBytes(emb)).toBe(3 * 4 + 3 * 4 * 2 + 3 * 4 * 2); // ids, gathered rows, output
    expect(opWeightBytes({ ...emb, tokens: 20 })).toBe(10 * 4 * 2); // never more than the table

    const mp: PoolOp = { name: "p", kind: "pool", role: "replicated", dtype: "fp32", pool: "max", n: 1, h: 4, w: 4, c: 2, kh: 2, kw: 2, stride: 2, padding: 0, act_dtype: "bf16" };
    expect(opFlops(mp)).toBe(32); // 2·2 outputs · 2 channels · 4 compares
    expect(opMinBytes(mp)).toBe((32 + 8) * 2);
  });
});

describe("precision", () => {
  it("parses single dtypes, wXaY names and key=value lists", () => {
    expect(parsePrecision(undefined)).toEqual(DEFAULT_PRECISION);
    expect(parsePrecision("fp8")).toEqual({ compute: "fp8", weights: "fp8", activations: "fp8", kv_cache: "fp8" });
    expect(parsePrecision("w4a16")).toEqual({ compute: "bf16", weights: "int4", activations: "bf16", kv_cache: "bf16" });
    expect(parsePrecision("w8a8")).toEqual({ compute: "int8", weights: "int8", activations: "int8", kv_cache: "int8" });
    expect(parsePrecision("compute=fp8,kv=bf16")).toEqual({ compute: "fp8", weights: "fp8", activations: "fp8", kv_cache: "bf16" });
    expect(parsePrecision({ weights: "int4" })).toEqual({ compute: "bf16", weights: "int4", activations: "bf16", kv_cache: "bf16" });
    expect(parsePrecision("float16").compute).toBe("fp16");
    expect(formatPrecision(parsePrecision("bf16"))).toBe("bf16");
    expect(formatPrecision(parsePrecision("w4a16"))).toBe("compute=bf16,weights=int4,activations=bf16,kv_cache=bf16");
  });

  it("rejects unknown dtypes and keys with the field path", () => {
    expect(() => parsePrecision("fp7")).toThrow(XpusimError);
    try {
      parsePrecision("compute=fp8,wieghts=int4");
      expect.unreachable();
    } catch (e) {
      expect((e as XpusimError).diagnostics[0]!.path).toBe("precision.wieghts");
    }
  });
});
