/**
 * Flexibility (issue #9): what a chip cannot run, where it goes and what it costs. Hand-checked
 * host-link transfers on the Coral Edge TPU (single cut) and on a GPU with one op kind sent to the
 * host (per-op), fp64 on a TPU, a GPU running everything natively, an impossible op, the ranking of a
 * GPU above an edge NPU for an LLM, and the schema's refusal of a bad selector.
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { chipFromObject } from "../src/node/chip-catalog.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { selectorMatches } from "../src/core/assess/op-support.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import { resolvePrecision } from "../src/core/workload/precision.js";
import type { Op } from "../src/core/workload/op.js";

const catalog = nodeCatalog();
const W8A8 = { compute: "int8", weights: "int8", activations: "int8", kv_cache: "int8" };

function flex(chips: unknown[], model: string, extra: Record<string, unknown> = {}) {
  const r = JOBS.assess.run({ chips, model, mode: "inference", ...extra } as never, catalog);
  return r.chips.map((c) => c.factors.flexibility!);
}

describe("flexibility: ops the chip cannot run", () => {
  it("Coral Edge TPU, BERT-base int8: embeddings are host pre-processing, the single cut is at the first attention, transfers = bytes / 500 MB/s", () => {
    const [f] = flex(["google-coral-edge-tpu"], "bert-base", { precision: W8A8 });
    const d = f!.details!;
    expect(d.single_cut_at).toBe('attention "attn.core"');
    expect(d.partition).toBe("single-cut");
    // Two crossings of the PCIe Gen2 x1 link (500 MB/s per direction), 512 tokens, d = 768, int8:
    //   host → chip: the three embedding outputs into embed.add: 512 × 768 × 3 B = 1,179,648 B
    //   chip → host: Q, K, V of the first attention: 512 × (12 × 64 + 12 × (64 + 64)) B = 1,179,648 B
    const transfer = (2 * 1_179_648) / 500e6;
    expect(d.host_transfer_time_s).toBeCloseTo(transfer, 12);
    expect(transfer).toBeCloseTo(4.718592e-3, 12);
    expect(d.host_fallback_ops).toMatch(/attention ×1: .* \(transfer 0\.00236 s\)/);
    expect(d.host_fallback_ops).toMatch(/embedding ×3: .* \(transfer 0\.00236 s\)/);
    // value = native time / (native + host), and the host holds almost all the FLOPs (every layer after the cut).
    const native = d.native_time_s as number;
    const host = d.host_fallback_time_s as number;
    expect(f!.value!).toBeCloseTo(native / (native + host), 12);
    expect(f!.value!).toBeLessThan(0.2);
    expect(d.flops_share_host as number).toBeGreaterThan(0.9);
    expect((d.time_share_matrix as number) + (d.time_share_vector as number) + (d.time_share_host as number)).toBeCloseTo(1, 12);
    expect(f!.limited_by).toMatch(/^single cut at attention "attn.core": the rest of the graph runs on the host \(\d\d\.\d % of the time\)/);
    expect(d.matrix_dtypes).toBe("int8");
    expect(d.shapes).toBe("static");
  });

  it("a per-op fallback on a GPU pays its input over the host link and the next op's input back, once per layer", () => {
    const gpu = { id: "h100-no-gelu", extends: "nvidia-h100-sxm", name: "H100 without a GELU kernel", support: { unsupported: [{ ops: ["elementwise:gelu"], fallback: "host", reason: "test: no GELU kernel" }], partition: "per-op" } };
    const [f] = flex([gpu], "bert-base");
    const d = f!.details!;
    // 12 layers × (GELU input 512 × 3072 bf16 to the host + down_proj input 512 × 3072 bf16 back) / 64 GB/s (PCIe Gen5 x16).
    expect(d.host_transfer_time_s).toBeCloseTo((12 * 2 * 512 * 3072 * 2) / 64e9, 12);
    expect(d.host_fallback_ops).toMatch(/^elementwise ×1: /);
    expect(d.single_cut_at).toBeNull();
    expect(f!.value!).toBeGreaterThan(0);
    expect(f!.value!).toBeLessThan(1);
  });

  it("fp64 GEMMs on a TPU have no engine and no wider format: they run on the host", () => {
    const [f] = flex(["google-tpu-v5e"], "gpt2-124m", { precision: { compute: "fp64" } });
    const d = f!.details!;
    expect(d.dtype_fallback).toBeNull();
    expect(d.matrix_dtypes).not.toMatch(/fp64/);
    expect(d.host_fallback_ops).toMatch(/gemm ×\d+/);
    expect(d.host_fallback_reasons).toMatch(/no fp64 matrix engine/);
    expect(d.time_share_matrix).toBe(0);
    expect(f!.value!).toBeLessThan(0.05);
  });

  it("a GPU runs every op of an LLM natively: 100 %, nothing on the host, several frameworks", () => {
    const [f] = flex(["nvidia-h100-sxm"], "gpt2-124m");
    expect(f!.value).toBe(1);
    expect(f!.details!.time_share_host).toBe(0);
    expect(f!.details!.host_fallback_ops).toBe("none");
    expect(f!.limited_by).toBeNull();
    expect(f!.details!.frameworks_count as number).toBeGreaterThanOrEqual(3);
  });

  it("a dtype the chip lacks runs in a wider one it has, and the factor says so (bf16 on a V100: fp16 tensor cores)", () => {
    const [f] = flex(["nvidia-v100-sxm2"], "gpt2-124m", { precision: { compute: "bf16" } });
    expect(f!.details!.dtype_fallback).toBe("bf16 → fp16");
    expect(f!.details!.matrix_dtypes).not.toMatch(/bf16/);
    expect(f!.value).toBe(1);
    expect(f!.limited_by).toBe("no bf16 engine: runs fp16");
    expect(f!.note).toMatch(/no bf16 engine: runs fp16/);
  });

  it("ranks a GPU above an edge NPU for an LLM", () => {
    const [h100, coral] = flex(["nvidia-h100-sxm", "google-coral-edge-tpu"], "gpt2-124m");
    expect(h100!.rank).toBe(1);
    expect(coral!.rank).toBe(2);
    expect(coral!.value!).toBeLessThan(h100!.value!);
    expect(coral!.details!.single_cut_at).toMatch(/^attention/);
  });

  it("an op with no host path makes the workload impossible: value 0 with the reason, not an error", () => {
    const chip = { id: "h100-no-attention", extends: "nvidia-h100-sxm", name: "H100 without attention", support: { unsupported: [{ ops: ["attention"], fallback: "impossible", reason: "test: no attention kernel" }] } };
    const [f] = flex([chip], "gpt2-124m");
    expect(f!.value).toBe(0);
    expect(f!.details!.runs).toBe(false);
    expect(f!.details!.impossible_ops).toMatch(/attention/);
    expect(f!.limited_by).toMatch(/^cannot run: attention/);
    expect(f!.note).toMatch(/test: no attention kernel/);
  });

  it("a chip with no host link and a host fallback is unknown (null with what is missing), never 0", () => {
    // The catalog's TPU v5p has no host-link figure: its fp64 GEMMs go to the host, at a cost nobody can say.
    const [f] = flex(["google-tpu-v5p"], "gpt2-124m", { precision: { compute: "fp64" } });
    expect(f!.value).toBeNull();
    expect(f!.missing!.join(" ")).toMatch(/interconnect\.host/);
  });
});

describe("support: schema", () => {
  function diagnosticOf(support: unknown) {
    try {
      chipFromObject({ id: "bad", extends: "nvidia-h100-sxm", support }, "bad.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      return (e as XpusimError).diagnostics[0]!;
    }
    throw new Error("expected the spec to be rejected");
  }
  it("refuses an unknown op kind, an unknown variant and an unknown fallback, naming the field", () => {
    const kind = diagnosticOf({ unsupported: [{ ops: ["attnetion"], fallback: "host", reason: "x" }] });
    expect(kind.path).toMatch(/^support\.unsupported\[0\]\.ops\[0\]/);
    expect(kind.message).toMatch(/op kind/);
    expect(diagnosticOf({ unsupported: [{ ops: ["norm:batchnrm"], fallback: "host", reason: "x" }] }).message).toMatch(/layernorm/);
    expect(diagnosticOf({ unsupported: [{ ops: ["norm"], fallback: "cpu", reason: "x" }] }).path).toMatch(/^support\.unsupported\[0\]\.fallback/);
  });
});

describe("flexibility: a Vitis AI DPU (Alveo U280)", () => {
  it("sends a transformer's attention, norms, GELU and gathers to the CPU op by op, keeps its weight GEMMs; runs a CNN natively", () => {
    const [bert] = flex(["amd-alveo-u280"], "bert-base");
    const d = bert!.details!;
    expect(d.single_cut_at).toBeNull();
    expect(d.partition).toBe("per-op");
    for (const kind of ["attention", "norm", "elementwise", "embedding"]) expect(d.host_fallback_ops).toMatch(new RegExp(`${kind} ×\\d+`));
    expect(d.host_fallback_ops).not.toMatch(/gemm ×/);
    expect(bert!.limited_by).toMatch(/^host fallback: (attention|norm|elementwise|embedding) ×\d+ \(/);
    expect(d.host_transfer_time_s as number).toBeGreaterThan(0);
    expect(bert!.value!).toBeGreaterThan(0);
    expect(bert!.value!).toBeLessThan(1);
    const [resnet] = flex(["amd-alveo-u280"], "resnet-50");
    expect(resnet!.value).toBe(1);
    expect(resnet!.details!.host_fallback_ops).toBe("none");
  });
});

describe("support: selectors", () => {
  const opsOf = (model: string, shape: Record<string, unknown>): Op[] =>
    buildWorkload(catalog.model(model), { batch: 1, phase: "prefill", ...shape } as never, resolvePrecision({ compute: "bf16" })).blocks.flatMap((b) => b.ops);
  it("match a kind, and a variant only on ops that have it (GQA, depthwise, weight vs activation GEMMs, the activation fn)", () => {
    const llama = opsOf("llama-3-8b", { new_tokens: 16, context_tokens: 16 });
    const bert = opsOf("bert-base", { new_tokens: 16, context_tokens: 16 });
    const mobilenet = opsOf("mobilenet-v2", {});
    const attn = (ops: Op[]) => ops.find((o) => o.kind === "attention")!;
    expect(selectorMatches("attention", attn(bert))).toBe(true);
    expect(selectorMatches("attention:gqa", attn(llama))).toBe(true); // 8 KV heads for 32 heads
    expect(selectorMatches("attention:gqa", attn(bert))).toBe(false);
    expect(mobilenet.some((o) => selectorMatches("conv2d:depthwise", o))).toBe(true);
    expect(mobilenet.filter((o) => o.kind === "conv2d").every((o) => selectorMatches("conv2d:depthwise", o))).toBe(false);
    expect(llama.filter((o) => o.kind === "gemm").every((o) => selectorMatches("gemm:weights", o))).toBe(true);
    expect(llama.some((o) => selectorMatches("elementwise:silu", o))).toBe(true);
    expect(llama.some((o) => selectorMatches("elementwise:gelu", o))).toBe(false);
    expect(selectorMatches("norm", attn(bert))).toBe(false);
  });
});
