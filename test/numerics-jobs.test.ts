/** The precision jobs through the application layer: layer shapes from model specs, speed-up rules, bad requests. */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { layerGemms } from "../src/core/app/jobs/precision-model-job.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const cat = nodeCatalog();
const shapes = (id: string, tokens = 8) => layerGemms(cat.model(id), tokens, []).map((g) => [g.name, g.m, g.n, g.k]);

describe("precision-model layer shapes from the spec", () => {
  it("DeepSeek-V3 (MLA, MoE): fused q/kv down-projection 1536 + 512 + 64 on 7168; o from 128 heads × 128; one expert of 2048", () => {
    expect(shapes("deepseek-v3")).toEqual([
      ["qkv", 8, 1536 + 512 + 64, 7168],
      ["attn_out", 8, 7168, 128 * 128],
      ["ffn_up", 8, 2 * 2048, 7168],
      ["ffn_down", 8, 7168, 2048],
    ]);
  });
  it("ViT-B/16 (MHA, GELU FFN): 3·768 QKV, 3072 FFN not gated", () => {
    expect(shapes("vit-b-16")).toEqual([
      ["qkv", 8, 3 * 768, 768],
      ["attn_out", 8, 768, 768],
      ["ffn_up", 8, 3072, 768],
      ["ffn_down", 8, 768, 3072],
    ]);
  });
});

describe("precision-gemm speed-up rules", () => {
  it("without a chip: errors only, every speed field null", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["bf16", "int8"], m: 16, n: 16, k: 64 }, cat);
    expect(r.chip).toBeNull();
    for (const row of r.rows) expect(row).toMatchObject({ native: null, latency_s: null, speedup_x: null });
    expect(r.rows[1]!.chip_dtype).toBe("int8");
  });
  it("fp32 on an H100 runs on the vector units: slower than bf16, and says why", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["fp32"], m: 1024, n: 1024, k: 1024, chip: "nvidia-h100-sxm" }, cat);
    const row = r.rows[0]!;
    expect(row.native).toBe(true);
    expect(row.speedup_x!).toBeLessThan(1);
    expect(row.peak_speedup_x!).toBeCloseTo(67 / 989.4, 3);
    expect(row.note).toContain("vector units");
  });
  it("fp6 never gets a speed-up, even on a chip that has fp8 and fp4", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["mxfp6-e2m3", "fp6-e3m2"], m: 256, n: 256, k: 256, chip: "nvidia-b200-hgx" }, cat);
    for (const row of r.rows) expect(row).toMatchObject({ chip_dtype: null, native: false, speedup_x: null });
  });
  it("a chip with no bf16/fp16 matrix rate has no baseline and says so", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["int8"], m: 64, n: 64, k: 64, chip: "google-coral-edge-tpu" }, cat);
    expect(r.baseline_dtype).toBeNull();
    expect(r.rows[0]!.speedup_x).toBeNull();
    expect(r.notes.join(" ")).toContain("no bf16 or fp16 matrix rate");
  });
  it("large GEMMs are emulated on a sample with all of K", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["bf16"], m: 8192, n: 8192, k: 8192 }, cat);
    expect(r.emulated.k).toBe(8192);
    expect(r.emulated.m * r.emulated.n * r.emulated.k).toBeLessThanOrEqual(2 ** 23);
    expect(r.notes[0]).toContain("sample");
  });
  it("budget_macs sizes the sample (all of K kept): 2^20 at K = 4096 is a 16×16 output", () => {
    const r = JOBS["precision-gemm"].run({ formats: ["bf16"], m: 512, n: 28672, k: 4096, budget_macs: 2 ** 20 }, cat);
    expect(r.emulated).toEqual({ m: 16, n: 16, k: 4096 });
  });
});

describe("bad requests", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof XpusimError ? e.diagnostics[0]!.code + " " + e.diagnostics[0]!.path : String(e);
    }
    return "no error";
  };
  it("are XpusimErrors naming the field", () => {
    expect(code(() => JOBS["precision-cast"].run({ format: "bf16", values: [] }, cat))).toBe("E_SCHEMA values");
    expect(code(() => JOBS["precision-cast"].run({ format: "bf16", values: [1], rounding: "up" as never }, cat))).toBe("E_SCHEMA rounding");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["bf16", "fp9"], m: 2, n: 2, k: 2 }, cat))).toBe("E_UNKNOWN_ID formats[1]");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["bf16"], m: 0, n: 2, k: 2 }, cat))).toBe("E_RANGE m");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["bf16"], m: 2, n: 2, k: 2, budget_macs: 0 }, cat))).toBe("E_RANGE budget_macs");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["bf16"], accumulate: "fp64" as never }, cat))).toBe("E_SCHEMA accumulate");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["int4"], m: 2, n: 2, k: 2, group_size: 0 }, cat))).toBe("E_RANGE group_size");
    expect(code(() => JOBS["precision-model"].run({ model: "llama-3.1-8b", tokens: -1 }, cat))).toBe("E_RANGE tokens");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["int8"], m: 2, n: 2, k: 2, int_granularity: "per-row" as never }, cat))).toBe("E_SCHEMA int_granularity");
    expect(code(() => JOBS["precision-gemm"].run({ formats: ["int8"], m: 2, n: 2, k: 2, data: "uniform" as never }, cat))).toBe("E_SCHEMA data");
  });
});
