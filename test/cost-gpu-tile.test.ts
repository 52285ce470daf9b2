/**
 * GPU tile model, hand-computed: a GEMM whose tiles exactly fill the SMs, a memory-bound GEMV with
 * known bytes, the wave-quantisation step, split-K for skinny GEMMs, implicit-GEMM convolution and
 * FlashAttention-style attention (causal halves the work; decode reads the KV cache once; GQA).
 */
import { describe, expect, it } from "vitest";
import type { Chip } from "../src/core/hardware/chip.js";
import type { CostContext } from "../src/core/cost/contract.js";
import { gpuTileModel } from "../src/core/cost/models/gpu-tile.js";
import { estimateOp } from "../src/core/cost/registry.js";
import type { AttentionOp, Conv2dOp, GemmOp } from "../src/core/workload/op.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";

const gemm = (m: number, n: number, k: number, dtype: GemmOp["dtype"] = "fp16", batch = 1): GemmOp => ({
  name: `gemm ${m}x${n}x${k}`, kind: "gemm", role: "replicated", dtype, m, n, k, batch, a_dtype: dtype, b_dtype: dtype, c_dtype: dtype, b_is_weight: true,
});

/** A 4-SM toy GPU whose every relevant parameter is pinned, so times can be computed by hand. */
function toyGpu(overrides: Record<string, unknown> = {}): Chip {
  return chipFromObject({
    id: "toy-gpu", name: "Toy GPU", vendor: "test", kind: "gpu", family: "generic",
    clock: { boost: "1 GHz" },
    compute: { units: 4, unit_name: "SM", matrix: { kind: "tensor-core", per_unit: 1, peak: { fp16: "4 TFLOPS" } }, vector: { peak: { fp32: "1 TFLOPS" } } },
    memory: { main: { type: "HBM", capacity: "16 GB", bandwidth: "1 TB/s" }, on_chip: [{ name: "L2", capacity: "8 MiB", scope: "chip" }] },
    power: { tdp: "100 W" },
    efficiency: {
      matrix_efficiency: 0.9,
      main_memory_efficiency: 0.8,
      gemm_tiles: [{ m: 128, n: 128, k: 32 }],
      min_tile_outputs_per_unit: 16384,
      max_ctas_per_unit: 1,
      tile_overhead_cycles: 1000,
      kernel_launch_overhead_s: "2 us",
      l2_bytes_per_clk: 0,
      l2_effective_fraction: 0.5,
      smem_bytes_per_unit: "96 KiB",
      pipeline_stages: 3,
      ...overrides,
    },
  });
}

const ctxOf = (chip: Chip): CostContext => ({ chip, efficiency: efficiencyFor(chip) });

describe("gpu-tile GEMM", () => {
  it("prices a GEMM whose 4 tiles exactly fill 4 SMs (one wave) by hand", () => {
    const chip = toyGpu();
    const c = gpuTileModel.estimate(gemm(256, 256, 1024), ctxOf(chip));
    // Per SM: 4 TFLOPS / 4 SMs × 0.9 = 0.9 TFLOP/s. One 128×128×1024 tile = 2·128·128·1024 = 33,554,432 FLOP.
    const compute = 33_554_432 / 0.9e12;
    // A and B (512 KiB each) fit in half the 8 MiB L2: read once; C = 128 KiB. Bandwidth 1 TB/s × 0.8.
    const bytes = 2 * 256 * 1024 * 2 + 256 * 256 * 2;
    expect(c.bytes).toBe(bytes);
    expect(c.compute_time_s).toBeCloseTo(compute, 12);
    expect(c.memory_time_s).toBeCloseTo(bytes / 0.8e12, 12);
    // Overheads: 1 wave × 1000 cycles at 1 GHz + 2 µs launch.
    expect(c.overhead_time_s).toBeCloseTo(1e-6 + 2e-6, 12);
    expect(c.time_s).toBeCloseTo(compute + 3e-6, 12);
    expect(c.bound).toBe("compute");
    expect(c.notes?.join(" ")).toMatch(/tile 128x128x32, 1 wave of 4 SMs × 1 CTA, 100% wave efficiency/);
    expect(c.utilization).toBeCloseTo((2 * 256 * 256 * 1024) / c.time_s / 4e12, 12);
  });

  it("shows the wave-quantisation step: a fifth tile on 4 SMs costs a second wave", () => {
    const chip = toyGpu();
    const four = gpuTileModel.estimate(gemm(512, 128, 4096), ctxOf(chip)); // 4 tiles
    const five = gpuTileModel.estimate(gemm(640, 128, 4096), ctxOf(chip)); // 5 tiles → 2 waves
    expect(five.compute_time_s / four.compute_time_s).toBeCloseTo(2, 6);
    expect(five.notes?.join(" ")).toMatch(/2 waves of 4 SMs × 1 CTA, 63% wave efficiency/);
  });

  it("shows the step on an A100 when output tiles cross a multiple of 108 SMs", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const ctx = ctxOf(chip);
    // N = 128·108 = 13824 with M = 256: 2 × 108 tiles of 128×128 (or 108 of 256×128) fill the SMs exactly;
    // M = 256 + 128 adds a third row of tiles and costs a whole extra wave for only 50% more work.
    const full = gpuTileModel.estimate(gemm(256, 13824, 8192), ctx);
    const over = gpuTileModel.estimate(gemm(384, 13824, 8192), ctx);
    const work = 384 / 256;
    expect(over.compute_time_s / full.compute_time_s).toBeGreaterThan(work * 1.2);
  });

  it("prices a memory-bound GEMV by its weight bytes at the GEMV kernel's bandwidth", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const eff = efficiencyFor(chip);
    const c = gpuTileModel.estimate(gemm(1, 8192, 8192), { chip, efficiency: eff });
    const weights = 8192 * 8192 * 2;
    expect(c.bound).toBe("memory");
    // The GEMV kernel reads the weights, the activation vector and writes the output once each.
    expect(c.bytes).toBe(weights + 2 * 8192 * 2);
    const bw = 2039e9 * eff.gemv_bandwidth_efficiency;
    expect(c.memory_time_s).toBeCloseTo(c.bytes / bw, 12);
    expect(c.time_s).toBeCloseTo(c.bytes / bw + eff.kernel_launch_overhead_s + eff.main_memory_latency_s, 12);
  });

  it("splits K when there are too few output tiles for the SMs", () => {
    const chip = toyGpu({ split_k_max: 8 });
    const c = gpuTileModel.estimate(gemm(128, 128, 65536), ctxOf(chip)); // 1 output tile, 4 SMs
    expect(c.notes?.join(" ")).toMatch(/split-K 4/);
    const unsplit = gpuTileModel.estimate(gemm(128, 128, 65536), ctxOf(toyGpu({ split_k_max: 1 })));
    expect(c.time_s).toBeLessThan(unsplit.time_s / 2);
  });

  it("runs fp32 without TF32 on the vector units and refuses nothing it can run", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const r = estimateOp(gemm(4096, 4096, 4096, "fp32"), chip, efficiencyFor(chip));
    expect(r.model).toBe("gpu-tile");
    expect(r.cost.engine).toBe("vector");
    expect(r.cost.peak_flops_per_s).toBeCloseTo(19.5e12, 0);
  });
});

describe("gpu-tile convolution and attention", () => {
  it("maps a 3x3 convolution to an implicit GEMM (M = N·Ho·Wo, N = C_out, K = C_in·9)", () => {
    const chip = loadChip("nvidia-v100-sxm2");
    const conv: Conv2dOp = {
      name: "res2.conv2", kind: "conv2d", role: "replicated", dtype: "fp16", n: 256, h: 56, w: 56, c_in: 64, c_out: 64, kh: 3, kw: 3,
      stride: 1, padding: 1, groups: 1, act_dtype: "fp16", weight_dtype: "fp16",
    };
    const c = gpuTileModel.estimate(conv, ctxOf(chip));
    expect(c.notes?.[0]).toBe("implicit GEMM M=802816 N=64 K=576");
    expect(c.flops).toBe(2 * 802816 * 64 * 576);
    // Compulsory traffic: input + output activations + weights (the im2col expansion stays on chip).
    expect(c.bytes).toBeGreaterThanOrEqual(2 * 256 * 56 * 56 * 64 * 2 + 64 * 64 * 9 * 2);
    // Sanity band for cuDNN-class kernels on V100 fp16 (125 TFLOPS): 40-90% of peak.
    expect(c.utilization).toBeGreaterThan(0.4);
    expect(c.utilization).toBeLessThan(0.9);
  });

  const attn = (over: Partial<AttentionOp>): AttentionOp => ({
    name: "attn", kind: "attention", role: "attention_core", dtype: "bf16", batch: 4, heads: 32, kv_heads: 32, head_dim_qk: 128, head_dim_v: 128,
    seq_q: 4096, seq_kv: 4096, causal: false, fused: true, act_dtype: "bf16", kv_dtype: "bf16", ...over,
  });

  it("halves fused attention work with a causal mask", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const ctx = ctxOf(chip);
    const full = gpuTileModel.estimate(attn({}), ctx);
    const causal = gpuTileModel.estimate(attn({ causal: true }), ctx);
    expect(causal.flops / full.flops).toBeCloseTo((4096 * 4097) / 2 / (4096 * 4096), 6);
    const ratio = causal.compute_time_s / full.compute_time_s;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.6); // diagonal blocks are computed whole
  });

  it("reads the KV cache once in decode, shared by the heads of a GQA group", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const ctx = ctxOf(chip);
    const gqa = gpuTileModel.estimate(attn({ batch: 64, heads: 64, kv_heads: 8, seq_q: 1, seq_kv: 8192, causal: true }), ctx);
    const kv = 64 * 8192 * 8 * 256 * 2;
    expect(gqa.bound).toBe("memory");
    expect(gqa.bytes).toBeGreaterThanOrEqual(kv);
    expect(gqa.bytes).toBeLessThan(kv * 1.05);
    const mha = gpuTileModel.estimate(attn({ batch: 64, heads: 64, kv_heads: 64, seq_q: 1, seq_kv: 8192, causal: true }), ctx);
    expect(mha.time_s / gqa.time_s).toBeGreaterThan(6);
  });

  it("unfused attention moves the score matrix through memory and is slower than fused", () => {
    const chip = loadChip("nvidia-a100-sxm-80gb");
    const ctx = ctxOf(chip);
    const fused = gpuTileModel.estimate(attn({ seq_q: 2048, seq_kv: 2048 }), ctx);
    const unfused = gpuTileModel.estimate(attn({ seq_q: 2048, seq_kv: 2048, fused: false }), ctx);
    expect(unfused.bytes - fused.bytes).toBeGreaterThanOrEqual(4 * 4 * 32 * 2048 * 2048 * 2 * 0.99);
    expect(unfused.time_s).toBeGreaterThan(fused.time_s);
  });
});

describe("wide operands on the matrix engine (tf32, fp64)", () => {
  // Large square GEMMs of a slower or wider dtype: the engine needs fewer outputs in flight (Little's
  // law on its lower rate) and a k-tile holds the same bytes as the family's 16-bit tile, so cuBLAS-like
  // kernels stay near peak (H100 DGEMM ~50–60 of 67 TFLOPS; the fp64 HPL run draws ~700 W).
  const cases = [
    { chip: "nvidia-h100-sxm", dtype: "fp64", size: 16384, k: 16 },
    { chip: "nvidia-a100-sxm-80gb", dtype: "fp64", size: 16384, k: 8 },
    { chip: "nvidia-h100-sxm", dtype: "tf32", size: 8192, k: 32 },
  ] as const;
  for (const c of cases) {
    it(`${c.chip} ${c.dtype} ${c.size}³ reaches 70–95 % of its ${c.dtype} peak with a k-tile of ${c.k}`, () => {
      const chip = loadChip(c.chip);
      const op = gemm(c.size, c.size, c.size, c.dtype);
      const cost = gpuTileModel.estimate(op, ctxOf(chip));
      const achieved = (2 * c.size ** 3) / cost.time_s / chip.matrix.peak_flops_per_s[c.dtype]!;
      expect(achieved).toBeGreaterThan(0.7);
      expect(achieved).toBeLessThan(0.95);
      expect(cost.notes?.join(" ")).toMatch(new RegExp(`tile \\d+x\\d+x${c.k}\\b`));
    });
  }
});
