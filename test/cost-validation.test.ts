/**
 * Validation of the GEMM cost model against public measurements (shared/validation/measured-public.json,
 * the five `gemm` points: LLMCompass real-hardware baselines, cuBLAS on A100 80GB and rocBLAS on
 * MI210, fp16). The points are copied here so CI without ../shared still runs; when the shared file
 * is present they are checked against it. Bounds are deliberately generous (each within 35%, median
 * within 15%): this guards regressions, it is not a fit. Nothing in catalog/families was tuned to
 * these five points (see the families' sources: MAMF tables, vendor docs).
 * Also prints ResNet-50 convolution shapes on V100 as a sanity check (no measurement per layer).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateOp } from "../src/core/cost/registry.js";
import type { Conv2dOp, GemmOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";
import { MEASURED_PUBLIC_JSON } from "./helpers/validation-fixtures.js";

// The committed copy of ../shared/validation/measured-public.json (test/fixtures/validation).
const MEASURED_JSON = MEASURED_PUBLIC_JSON;

const POINTS = [
  { id: "gemm-a100-fp16-8192x12288x12288", chip: "nvidia-a100-sxm-80gb", M: 8192, N: 12288, K: 12288, ms: 8.6216 },
  { id: "gemm-a100-fp16-64x12288x12288", chip: "nvidia-a100-sxm-80gb", M: 64, N: 12288, K: 12288, ms: 0.19 },
  { id: "gemm-a100-fp16-8192x8192x8192", chip: "nvidia-a100-sxm-80gb", M: 8192, N: 8192, K: 8192, ms: 3.9614 },
  { id: "gemm-a100-fp16-8192x1024x1024", chip: "nvidia-a100-sxm-80gb", M: 8192, N: 1024, K: 1024, ms: 0.0927 },
  { id: "gemm-mi210-fp16-8192x12288x12288", chip: "amd-mi210", M: 8192, N: 12288, K: 12288, ms: 20.7849 },
];

const gemm = (M: number, N: number, K: number): GemmOp => ({
  name: `${M}x${N}x${K}`, kind: "gemm", role: "replicated", dtype: "fp16", m: M, n: N, k: K, batch: 1, a_dtype: "fp16", b_dtype: "fp16", c_dtype: "fp16", b_is_weight: false,
});

describe("GEMM validation against public measurements", () => {
  it("copies the shared measurements faithfully", () => {
    const all = JSON.parse(readFileSync(MEASURED_JSON, "utf8")) as Array<{ id: string; category: string; value: number; unit: string; config: Record<string, number> }>;
    const gemms = all.filter((p) => p.category === "gemm");
    expect(gemms.map((p) => p.id).sort()).toEqual(POINTS.map((p) => p.id).sort());
    for (const p of POINTS) {
      const s = gemms.find((g) => g.id === p.id)!;
      expect(s.unit).toBe("ms");
      expect(s.value).toBe(p.ms);
      expect([s.config.M, s.config.N, s.config.K]).toEqual([p.M, p.N, p.K]);
    }
  });

  it("predicts each point within 35% and the median within 15%", () => {
    const errors: number[] = [];
    const rows: string[] = [];
    for (const p of POINTS) {
      const chip = loadChip(p.chip);
      const r = estimateOp(gemm(p.M, p.N, p.K), chip, efficiencyFor(chip));
      const predictedMs = r.cost.time_s * 1e3;
      const err = predictedMs / p.ms - 1;
      errors.push(Math.abs(err));
      rows.push(`${p.id.padEnd(34)} measured ${p.ms.toFixed(4).padStart(8)} ms  predicted ${predictedMs.toFixed(4).padStart(8)} ms  ${(err * 100).toFixed(1).padStart(6)}%  ${r.cost.bound}  ${r.cost.notes?.join("; ")}`);
      expect(Math.abs(err), p.id).toBeLessThan(0.35);
    }
    const sorted = [...errors].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`${rows.join("\n")}\nmedian |error| ${(median * 100).toFixed(1)}%`);
    expect(median).toBeLessThan(0.15);
  });

  it("gives ResNet-50 convolutions on V100 fp16 (batch 256) a sane share of peak", () => {
    const chip = loadChip("nvidia-v100-sxm2");
    const eff = efficiencyFor(chip);
    const conv = (name: string, h: number, cin: number, cout: number, k: number, stride: number): Conv2dOp => ({
      name, kind: "conv2d", role: "replicated", dtype: "fp16", n: 256, h, w: h, c_in: cin, c_out: cout, kh: k, kw: k, stride, padding: Math.floor(k / 2), groups: 1, act_dtype: "fp16", weight_dtype: "fp16",
    });
    const shapes = [
      conv("conv1 7x7/2 224x224x3→64", 224, 3, 64, 7, 2),
      conv("res2 1x1 56x56x64→64", 56, 64, 64, 1, 1),
      conv("res2 3x3 56x56x64→64", 56, 64, 64, 3, 1),
      conv("res2 1x1 56x56x64→256", 56, 64, 256, 1, 1),
      conv("res3 3x3 28x28x128→128", 28, 128, 128, 3, 1),
      conv("res4 3x3 14x14x256→256", 14, 256, 256, 3, 1),
      conv("res5 3x3 7x7x512→512", 7, 512, 512, 3, 1),
    ];
    const lines: string[] = [];
    for (const op of shapes) {
      const c = estimateOp(op, chip, eff).cost;
      lines.push(`${op.name.padEnd(26)} ${(c.time_s * 1e6).toFixed(0).padStart(6)} µs  ${(c.achieved_flops_per_s / 1e12).toFixed(1).padStart(5)} TFLOP/s  ${(c.utilization * 100).toFixed(0).padStart(3)}%  ${c.bound}`);
      expect(c.utilization).toBeGreaterThan(0.1);
      expect(c.utilization).toBeLessThan(0.9);
      // 1×1 convolutions with 64 input channels have ~32 FLOP/B: memory-bound on V100 (ridge ~140 FLOP/B).
      if (op.kh === 1 && op.c_in === 64) expect(c.bound).toBe("memory");
    }
    console.log(lines.join("\n"));
  });
});
