/** The precision factor: peak speed-up of the narrowest usable format over the chip's 16-bit rate, with its emulated GEMM error. */
import { describe, expect, it } from "vitest";
import type { AssessMode } from "../src/core/assess/factor.js";
import { precisionFactor } from "../src/core/assess/factors/precision.js";
import { standardGemmError } from "../src/core/numerics/index.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const cat = nodeCatalog();
const model = cat.model("llama-3.1-8b");
function factor(chipId: string, mode: AssessMode) {
  const chip = cat.chip(chipId);
  return precisionFactor({ mode, chip, cost: cat.context(chip), chips: 1, model, precision: DEFAULT_PRECISION, conditions: {} });
}
const ratio = (chipId: string, a: string, b: string) => {
  const p = cat.chip(chipId).matrix.peak_flops_per_s as Record<string, number>;
  return p[a]! / p[b]!;
};

describe("precision factor", () => {
  it("H100 training: fp8 (E4M3) with bf16 master weights, 2× the bf16 peak", () => {
    const f = factor("nvidia-h100-sxm", "training");
    expect(f.value).toBeCloseTo(ratio("nvidia-h100-sxm", "fp8", "bf16"), 12);
    expect(f.value).toBeCloseTo(2, 2);
    expect(f).toMatchObject({ unit: "x vs bf16", better: "higher", basis: "derived" });
    expect(f.details).toMatchObject({ format: "fp8-e4m3", chip_dtype: "fp8", baseline_dtype: "bf16" });
    expect(f.limited_by).toContain("master weights");
    expect(f.details!.native_formats).toContain("fp8-e4m3");
    expect(f.details!.native_formats).not.toContain("fp4");
    const snr = f.details!.snr_db as number;
    expect(snr).toBe(standardGemmError("fp8-e4m3").errors.snr_db);
    expect(snr).toBeGreaterThan(24);
    expect(snr).toBeLessThan(f.details!.baseline_snr_db as number);
  });

  it("H100 inference stops at fp8: no fp4/int4 on its matrix engine", () => {
    const f = factor("nvidia-h100-sxm", "inference");
    expect(f.value).toBeCloseTo(2, 2);
    expect(f.limited_by).toBe("no fp4/int4 on the matrix engine");
  });

  it("B200 inference runs fp4 at 4× its bf16 peak, at an error cost the details show (MXFP4 and NVFP4)", () => {
    const f = factor("nvidia-b200-hgx", "inference");
    expect(f.value).toBe(ratio("nvidia-b200-hgx", "fp4", "bf16"));
    expect(f.value).toBe(4);
    expect(f.limited_by).toBeNull();
    expect(f.details).toMatchObject({ format: "mxfp4", chip_dtype: "fp4" });
    expect(f.details!.snr_db as number).toBeLessThan(20);
    expect(f.details!.nvfp4_snr_db as number).toBeGreaterThan(f.details!.snr_db as number);
    // Training on the same chip keeps fp8.
    expect(factor("nvidia-b200-hgx", "training").value).toBe(2);
  });

  it("A100 training has no fp8: bf16, 1×, limited by the missing fp8", () => {
    const f = factor("nvidia-a100-sxm-80gb", "training");
    expect(f.value).toBe(1);
    expect(f.details!.format).toBe("bf16");
    expect(f.limited_by).toBe("no fp8 on the matrix engine");
  });

  it("a chip without a bf16 or fp16 matrix peak is unknown with what is missing, never zero", () => {
    const f = factor("google-coral-edge-tpu", "inference");
    expect(f.value).toBeNull();
    expect(f.missing).toEqual(["matrix.peak_flops_per_s.bf16", "matrix.peak_flops_per_s.fp16"]);
    expect(f.note).toContain("no bf16 or fp16 matrix peak");
  });

  it("inference never reports less than training on the same chip", () => {
    for (const id of cat.chipIds()) {
      const t = factor(id, "training");
      const i = factor(id, "inference");
      if (t.value !== null && i.value !== null) expect(i.value).toBeGreaterThanOrEqual(t.value);
      expect(t.value === null).toBe(i.value === null);
    }
  });
});
