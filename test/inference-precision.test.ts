import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { weightDequantWork } from "../src/core/cost/models/dequant.js";
import { estimateOp } from "../src/core/cost/registry.js";
import { estimateInference, type InferenceRequest } from "../src/core/estimate/estimate-inference.js";
import { resolveExecutionPrecision } from "../src/core/estimate/execution-precision.js";
import { expectedTokensPerStep } from "../src/core/estimate/speculative-decoding.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import type { GemmOp } from "../src/core/workload/op.js";
import { parsePrecision } from "../src/core/workload/precision.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";
import { contextFor } from "../src/node/resolvers.js";
import { runCli } from "./helpers/run-cli.js";

const a100 = loadChip("nvidia-a100-sxm-80gb");
const h100 = loadChip("nvidia-h100-sxm");
const llama8b = loadModel("llama-3.1-8b");
const gpt2 = loadModel("gpt2-124m");

const req = (precision: string, extra: Partial<InferenceRequest> = {}): InferenceRequest => ({
  model: llama8b,
  precision: parsePrecision(precision),
  batch: 1,
  input_tokens: 2048,
  output_tokens: 256,
  chips: 1,
  tp: 1,
  pp: 1,
  fit_search: false,
  ...extra,
});

describe("weight-only quantisation", () => {
  const ctx = contextFor(a100);
  const bf16 = estimateInference(req("bf16"), ctx);
  const w4 = estimateInference(req("w4a16"), ctx);

  it("streams a quarter of the bf16 weight bytes and decodes faster at batch 1", () => {
    expect(w4.memory_breakdown_bytes.weights / bf16.memory_breakdown_bytes.weights).toBeCloseTo(0.25, 6);
    // Decode at batch 1 is weight streaming: much faster, but not 4× (KV reads, launches, tile floor).
    expect(bf16.tpot_s / w4.tpot_s).toBeGreaterThan(1.5);
    expect(bf16.tpot_s / w4.tpot_s).toBeLessThan(4);
  });

  it("adds dequantisation to compute-bound prefill instead of speeding it up", () => {
    expect(w4.phases.prefill.bound).toBe("compute");
    expect(w4.ttft_s).toBeGreaterThan(bf16.ttft_s);
    const f = w4.precision.dequant_time_fraction!;
    expect(f.prefill).toBeGreaterThan(0.005);
    expect(f.prefill).toBeLessThan(0.15);
    // Memory-bound decode hides most of it.
    expect(f.decode!).toBeLessThan(f.prefill + 0.02);
    expect(bf16.precision.dequant_time_fraction).toBeUndefined();
  });

  it("counts dequantisation ops per weight element per row block (hand-computed)", () => {
    const eff = ctx.efficiency;
    const op: GemmOp = { name: "w", kind: "gemm", dtype: "bf16", m: 512, n: 4096, k: 4096, batch: 1, a_dtype: "bf16", b_dtype: "int4", c_dtype: "bf16", b_is_weight: true } as GemmOp;
    const dq = weightDequantWork(op, ctx, 128)!;
    expect(dq.uses).toBe(4);
    expect(dq.ops).toBe(4096 * 4096 * 4 * eff.dequant_ops_per_element.int4!);
    const rate = a100.vector.peak_flops_per_s.fp32! * eff.vector_efficiency;
    expect(dq.time_s).toBeCloseTo(dq.ops / rate, 12);
    expect(weightDequantWork({ ...op, b_dtype: "bf16" }, ctx, 128)).toBeUndefined();
    expect(weightDequantWork({ ...op, b_is_weight: false }, ctx, 128)).toBeUndefined();
  });

  it("an int4 KV cache is half an int8 one", () => {
    const k8 = estimateInference(req("compute=bf16,weights=bf16,kv_cache=int8"), ctx);
    const k4 = estimateInference(req("compute=bf16,weights=bf16,kv_cache=int4"), ctx);
    expect(k4.memory_breakdown_bytes.kv_cache / k8.memory_breakdown_bytes.kv_cache).toBeCloseTo(0.5, 9);
    expect(k8.memory_breakdown_bytes.kv_cache).toBeGreaterThan(0);
  });
});

describe("execution precision fallback", () => {
  it("runs fp8 on A100 in fp16 with fp8 storage and says what it costs", () => {
    const e = resolveExecutionPrecision(a100, parsePrecision("fp8"));
    expect(e.fallback).toEqual({ requested: "fp8", executed: "fp16" });
    expect(e.precision).toEqual({ compute: "fp16", weights: "fp8", activations: "fp16", kv_cache: "fp8" });
    const r = estimateInference(req("fp8"), contextFor(a100));
    expect(r.precision.fallback).toBe(true);
    expect(r.memory_breakdown_bytes.weights).toBeCloseTo(llamaParams() * 1, -6);
    const w = r.warnings[0]!;
    expect(w).toMatch(/^nvidia-a100-sxm-80gb has no fp8 matrix engine: math runs in fp16 with fp8 weights dequantised on the fly \(\+\d+\.\d% time\)$/);
    const pctInWarning = Number(/\+(\d+\.\d)%/.exec(w)![1]);
    expect(pctInWarning).toBeGreaterThan(0);
    expect(pctInWarning).toBeLessThan(10);
  });

  it("int4 math on H100 runs in int8; a native dtype is left alone", () => {
    expect(resolveExecutionPrecision(h100, parsePrecision("int4")).precision.compute).toBe("int8");
    // W4A16 requested as compute int4 with bf16 activations: the math runs in bf16.
    expect(resolveExecutionPrecision(h100, { compute: "int4", weights: "int4", activations: "bf16", kv_cache: "bf16" }).precision.compute).toBe("bf16");
    const same = resolveExecutionPrecision(h100, parsePrecision("fp8"));
    expect(same.fallback).toBeUndefined();
  });

  it("keeps the registry's hard error for an explicit single op", () => {
    const op: GemmOp = { name: "g", kind: "gemm", dtype: "fp8", m: 64, n: 64, k: 64, batch: 1, a_dtype: "fp8", b_dtype: "fp8", c_dtype: "fp8", b_is_weight: false } as GemmOp;
    expect(() => estimateOp(op, a100, contextFor(a100).efficiency)).toThrow(XpusimError);
  });
});

function llamaParams(): number {
  // llama-3.1-8b: 8.03e9 parameters (models.md); fp8 = 1 byte each.
  return 8.03e9;
}

describe("speculative decoding", () => {
  const ctx = contextFor(h100);
  const plain = estimateInference(req("bf16"), ctx);

  it("expected tokens per step follow Leviathan et al. 2023", () => {
    expect(expectedTokensPerStep(0.8, 4)).toBeCloseTo((1 - 0.8 ** 5) / 0.2, 12);
    expect(expectedTokensPerStep(0.8, 4)).toBeCloseTo(3.3616, 12);
    expect(expectedTokensPerStep(0, 4)).toBe(1);
    expect(expectedTokensPerStep(1, 4)).toBe(5);
  });

  it("α = 0 gains nothing and pays the draft", () => {
    const r = estimateInference(req("bf16", { speculative: { draft: gpt2, draft_tokens: 4, acceptance_rate: 0 } }), ctx);
    const s = r.speculative!;
    expect(s.expected_tokens_per_step).toBe(1);
    expect(r.tpot_s).toBeCloseTo(4 * s.draft_step_s + s.verify_step_s, 12);
    expect(r.tpot_s).toBeGreaterThan(plain.tpot_s);
    expect(s.plain_tpot_s).toBeCloseTo(plain.tpot_s, 12);
    expect(r.memory_breakdown_bytes.draft_model).toBeGreaterThan(124e6 * 2 * 0.9);
    expect(r.ttft_s).toBeGreaterThan(plain.ttft_s);
  });

  it("α = 1 without a draft: (k + 1)× fewer target passes, TPOT = verify / (k + 1)", () => {
    const r = estimateInference(req("bf16", { speculative: { draft_tokens: 4, acceptance_rate: 1 } }), ctx);
    const s = r.speculative!;
    expect(s.target_passes).toBe(Math.ceil(255 / 5));
    expect(s.draft_step_s).toBe(0);
    expect(r.tpot_s).toBeCloseTo(s.verify_step_s / 5, 12);
    // Verifying 5 tokens costs about one decode step at batch 1 (weight streaming), so ≈ 5× faster.
    expect(s.speedup).toBeGreaterThan(4);
    expect(s.speedup).toBeLessThanOrEqual(5);
    expect(r.ttft_s).toBeCloseTo(plain.ttft_s, 12);
  });

  it("rejects an acceptance rate outside [0, 1]", () => {
    expect(() => estimateInference(req("bf16", { speculative: { draft_tokens: 4, acceptance_rate: 1.5 } }), ctx)).toThrow(/acceptance_rate/);
  });
});

describe("CLI reporting", () => {
  it("estimate prints precision, fallback, TP communication, fit, $/Mtok, power and speculative stats", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-prec-"));
    const file = join(dir, "s.yaml");
    writeFileSync(
      file,
      [
        "kind: inference",
        "hardware: { chip: nvidia-a100-sxm-80gb, count: 2 }",
        "workload: { model: llama-3.1-8b }",
        "precision: { compute: fp8 }",
        "parallelism: { tp: 2 }",
        "inference: { batch: 1, input_tokens: 512, output_tokens: 64, speculative: { draft_model: gpt2-124m, draft_tokens: 4, acceptance_rate: 0.7 } }",
      ].join("\n"),
    );
    const { code, out } = await runCli("estimate", file);
    expect(code).toBe(0);
    expect(out).toMatch(/tp 2 · pp 1 on dgx-a100/);
    expect(out).toMatch(/precision +compute=fp16,weights=fp8.*\(requested fp8\)/);
    expect(out).toMatch(/communication \d/);
    expect(out).toMatch(/speculative decoding +k 4, α 0\.7, draft gpt2-124m: 2\.77 tokens per target pass/);
    expect(out).toMatch(/fits up to: batch \d+/);
    expect(out).toMatch(/average power \d/);
    expect(out).toMatch(/J\/token/);
    expect(out).toMatch(/note: nvidia-a100-sxm-80gb has no fp8 matrix engine/);
    const json = JSON.parse((await runCli("estimate", file, "--json")).out) as { speculative: { expected_tokens_per_step: number }; precision: { fallback: boolean } };
    expect(json.speculative.expected_tokens_per_step).toBeCloseTo((1 - 0.7 ** 5) / 0.3, 9);
    expect(json.precision.fallback).toBe(true);
  });

  it("compare takes --tp and --system and shows $/Mtok and J/token", async () => {
    const { code, out } = await runCli("compare", "--model", "llama-3.1-8b", "--chips", "nvidia-h100-sxm", "--tp", "2", "--system", "dgx-h100", "--output", "32", "--input", "256");
    expect(code).toBe(0);
    expect(out).toMatch(/tp 2 \(2 chips each, system dgx-h100\)/);
    expect(out).toMatch(/\$\/Mtok/);
    expect(out).toMatch(/J\/token/);
    const rows = JSON.parse((await runCli("compare", "--model", "llama-3.1-8b", "--chips", "nvidia-h100-sxm", "--tp", "2", "--output", "32", "--input", "256", "--json")).out) as Array<{ tp: number; usd_per_million_tokens: number; energy_per_output_token_j: number }>;
    expect(rows[0]!.tp).toBe(2);
    expect(rows[0]!.usd_per_million_tokens).toBeGreaterThan(0);
    expect(rows[0]!.energy_per_output_token_j).toBeGreaterThan(0);
  });
});
