/** GEMM emulation: fp32 ≈ exact, coarser formats err more on the same seeded data, accumulation width matters. */
import { describe, expect, it } from "vitest";
import { emulateGemm, gemmErrors, llmActivations, normalMatrix, SeededRng, type FormatId } from "../src/core/numerics/index.js";

function operands(seed: number, m = 32, n = 32, k = 512, outliers = false) {
  const rng = new SeededRng(seed);
  const a = outliers ? llmActivations(m, k, rng).data : normalMatrix(m, k, rng);
  const b = normalMatrix(k, n, rng, 1 / Math.sqrt(k));
  return { m, n, k, a, b };
}

const snr = (fmt: FormatId, seed = 1, outliers = false) => emulateGemm(operands(seed, 32, 32, 512, outliers), [fmt])[0]!.errors;

describe("GEMM error vs fp64", () => {
  it("fp32 on fp32-exact inputs is within fp32 accumulation error (relative < 1e-6)", () => {
    const g = operands(5);
    const a = g.a.map(Math.fround);
    const b = g.b.map(Math.fround);
    const e = emulateGemm({ ...g, a, b }, ["fp32"])[0]!.errors;
    expect(e.relative_error!).toBeLessThan(1e-6);
    expect(e.relative_error!).toBeGreaterThan(0);
  });

  it("errors grow monotonically with coarser formats on the same seeded data", () => {
    for (const outliers of [false, true]) {
      const chain: FormatId[] = ["fp32", "fp16", "bf16", "fp8-e4m3", "fp8-e5m2", "fp4-e2m1"];
      const rel = emulateGemm(operands(2, 32, 32, 512, outliers), chain).map((r) => r.errors.relative_error!);
      for (let i = 1; i < rel.length; i++) expect(rel[i]!).toBeGreaterThan(rel[i - 1]!);
      // MX: fewer mantissa bits → more error (E4M3 and E2M3 both keep 3 bits and land close together:
      // E4M3's floor-rule scale clamps more of the block maximum, so their order is not fixed).
      const mx = emulateGemm(operands(2, 32, 32, 512, outliers), ["mxfp8-e4m3", "mxfp8-e5m2", "mxfp6-e2m3", "mxfp6-e3m2", "mxfp4"]).map((r) => r.errors.relative_error!);
      expect(mx[0]!).toBeLessThan(mx[1]!);
      expect(mx[2]!).toBeLessThan(mx[3]!);
      expect(Math.max(mx[0]!, mx[1]!, mx[2]!, mx[3]!)).toBeLessThan(mx[4]!);
      const ints = emulateGemm(operands(2, 32, 32, 512, outliers), ["int8", "int4"]).map((r) => r.errors.relative_error!);
      expect(ints[0]!).toBeLessThan(ints[1]!);
    }
  });

  it("SNR near the first-order expectation 6.02·(m+1) + 4.8 dB less ~3 dB for two quantised operands", () => {
    // bf16 ≈ 53 dB, E4M3 ≈ 29 dB, E5M2 ≈ 23 dB per operand (research note §1.6); output ≈ 3 dB lower.
    expect(snr("bf16").snr_db!).toBeGreaterThan(47);
    expect(snr("bf16").snr_db!).toBeLessThan(55);
    expect(snr("fp8-e4m3").snr_db!).toBeGreaterThan(23);
    expect(snr("fp8-e4m3").snr_db!).toBeLessThan(31);
    expect(snr("fp8-e5m2").snr_db!).toBeGreaterThan(17);
    expect(snr("fp8-e5m2").snr_db!).toBeLessThan(25);
  });

  it("per-group scales beat one per-tensor scale on activations with outlier channels (int4)", () => {
    const g = operands(3, 32, 32, 512, true);
    const [tensor] = emulateGemm(g, ["int4"], { int_granularity: "per-tensor" });
    const [group] = emulateGemm(g, ["int4"], { int_granularity: "per-group", group_size: 32 });
    expect(group!.errors.relative_error!).toBeLessThan(tensor!.errors.relative_error! / 2);
  });

  it("fp16 accumulation errs more than fp32 accumulation for the same fp16 inputs", () => {
    const g = operands(4, 16, 16, 2048);
    const [f32] = emulateGemm(g, ["fp16"], { accumulate: "fp32" });
    const [f16] = emulateGemm(g, ["fp16"], { accumulate: "fp16" });
    expect(f16!.errors.relative_error!).toBeGreaterThan(3 * f32!.errors.relative_error!);
  });

  it("is deterministic per seed, including stochastic rounding", () => {
    const run = (seed: number) => emulateGemm(operands(6), ["fp8-e4m3"], { rounding: "stochastic", seed })[0]!.errors.relative_error;
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });

  it("metrics are hand-checkable: C = [1, 2], R = [1, 1] → max 1, rms √0.5, relative 1/√2, SNR 3.01 dB", () => {
    const e = gemmErrors([1, 2], [1, 1]);
    expect(e.max_abs_error).toBe(1);
    expect(e.rms_error).toBeCloseTo(Math.SQRT1_2, 12);
    expect(e.relative_error).toBeCloseTo(Math.SQRT1_2, 12);
    expect(e.snr_db).toBeCloseTo(3.0103, 3);
    expect(gemmErrors([1, 1], [1, 1])).toMatchObject({ exact: true, snr_db: null, relative_error: 0 });
    expect(gemmErrors([Infinity, 1], [1, 1])).toMatchObject({ nonfinite_outputs: 1, snr_db: null });
  });

  it("rejects operands of the wrong size", () => {
    expect(() => emulateGemm({ m: 2, n: 2, k: 2, a: [1, 2, 3], b: [1, 2, 3, 4] }, ["bf16"])).toThrow(/M×K = 2×2/);
  });
});

describe("Hopper FP8 accumulation model (DeepSeek-V3 §3.5.2: 14-bit aligned products per 32)", () => {
  it("hand case: next to a product of 1, products of 2^-15 fall below the 13 fraction bits and vanish", async () => {
    const { accumulateGemm } = await import("../src/core/numerics/index.js");
    const k = 32;
    const a = new Float64Array(k).fill(2 ** -15);
    a[0] = 1;
    const b = new Float64Array(k).fill(1);
    expect(accumulateGemm(a, b, 1, 1, k, "fp8-hopper")[0]).toBe(1);
    expect(accumulateGemm(a, b, 1, 1, k, "fp32")[0]).toBe(1 + 31 * 2 ** -15);
    // 2^-13 is the last bit kept: those survive.
    a.fill(2 ** -13, 1);
    expect(accumulateGemm(a, b, 1, 1, k, "fp8-hopper")[0]).toBe(1 + 31 * 2 ** -13);
  });

  it("its own error (vs fp32 accumulation of the same fp8 operands) is far above fp32's and grows with K", async () => {
    const { accumulateGemm, quantizeRows, transpose } = await import("../src/core/numerics/index.js");
    const own = (k: number) => {
      const g = operands(8, 16, 16, k);
      const qa = quantizeRows(g.a, 16, k, "fp8-e4m3", { tensor_scale: true });
      const qbt = quantizeRows(transpose(g.b, k, 16), 16, k, "fp8-e4m3", { tensor_scale: true });
      return gemmErrors(accumulateGemm(qa, qbt, 16, 16, k, "fp8-hopper"), accumulateGemm(qa, qbt, 16, 16, k, "fp32")).relative_error!;
    };
    const small = own(256);
    const large = own(8192);
    expect(small).toBeGreaterThan(1e-5);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeLessThan(0.05);
  });
});
