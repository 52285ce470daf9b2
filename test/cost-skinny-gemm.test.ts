/**
 * Small-M (decode) GEMMs on GPUs: a batch-1 GEMV (M ≤ gemv_max_rows) runs the GEMV kernel and streams
 * its weights at gemv_bandwidth_efficiency; above it the tiled small-M path pads rows to the MMA granule
 * of 16 and splits k over the SMs. Narrower weights are faster in proportion to their bytes; time grows
 * with M within each kernel; the padded math is hand-checked.
 */
import { describe, expect, it } from "vitest";
import { bestGemmTiling, kSteps } from "../src/core/cost/models/gpu-gemm-tiling.js";
import { matrixWorkEngine } from "../src/core/cost/models/common.js";
import { estimateOp } from "../src/core/cost/registry.js";
import type { DType } from "../src/core/units/dtype.js";
import type { GemmOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";

const WIDTH: Partial<Record<DType, number>> = { bf16: 2, int8: 1, int4: 0.5 };
const gemm = (m: number, n: number, k: number, weights: DType = "bf16"): GemmOp => ({
  name: `gemm ${m}x${n}x${k} ${weights}`, kind: "gemm", role: "replicated", dtype: "bf16", m, n, k, batch: 1, a_dtype: "bf16", b_dtype: weights, c_dtype: "bf16", b_is_weight: true,
});

describe("small-M GEMM on GPUs", () => {
  for (const id of ["nvidia-a100-sxm-80gb", "nvidia-h100-sxm"]) {
    const chip = loadChip(id);
    const eff = efficiencyFor(chip);
    const run = (op: GemmOp) => estimateOp(op, chip, eff).cost;

    it(`${id}: an M=1 GEMV runs the GEMV kernel: weight bytes / (peak × gemv_bandwidth_efficiency) + launch + one latency`, () => {
      const gemvBw = chip.memory.main.bandwidth_bytes_per_s! * eff.gemv_bandwidth_efficiency;
      // Llama-3.1-8B gate_up (N 28672, K 4096) and down (N 4096, K 14336) projections.
      for (const [n, k] of [[28672, 4096], [4096, 14336]] as const) {
        for (const w of ["bf16", "int8", "int4"] as const) {
          const c = run(gemm(1, n, k, w));
          const weightS = (n * k * WIDTH[w]!) / gemvBw;
          // Activations and outputs add (4096 + 28672) × 2 B at most: < 1% of the weights.
          expect(c.memory_time_s / weightS, `${n}x${k} ${w}`).toBeGreaterThan(0.999);
          expect(c.memory_time_s / weightS, `${n}x${k} ${w}`).toBeLessThan(1.03);
          expect(c.bound, `${n}x${k} ${w}`).toBe("memory");
          const expected = weightS + eff.kernel_launch_overhead_s + eff.main_memory_latency_s;
          expect(Math.abs(c.time_s / expected - 1), `${n}x${k} ${w}`).toBeLessThan(0.03);
          expect(c.notes?.join(" ")).toContain("GEMV");
        }
      }
    });

    it(`${id}: at M=1 int4 weights are faster than int8, faster than bf16, by about their bytes`, () => {
      const t = (w: DType) => run(gemm(1, 28672, 4096, w));
      const [b, i8, i4] = [t("bf16"), t("int8"), t("int4")];
      expect(i4.time_s).toBeLessThan(i8.time_s);
      expect(i8.time_s).toBeLessThan(b.time_s);
      // Busy time (overheads aside) halves with each halving of the weight width.
      const busy = (c: typeof b) => c.time_s - c.overhead_time_s;
      expect(busy(b) / busy(i8)).toBeCloseTo(2, 1);
      expect(busy(i8) / busy(i4)).toBeGreaterThan(1.6);
      expect(busy(i8) / busy(i4)).toBeLessThan(2.05);
    });

    it(`${id}: time never falls as M grows within each kernel (GEMV for M ≤ gemv_max_rows, tiled above, to 256)`, () => {
      for (const w of ["bf16", "int4"] as const) {
        for (const [lo, hi] of [[1, eff.gemv_max_rows], [eff.gemv_max_rows + 1, 256]] as const) {
          let prev = 0;
          for (let m = lo; m <= hi; m++) {
            const c = run(gemm(m, 28672, 4096, w));
            // 0.1% slack: the tile choice ignores the dequantisation added after it (gpu-tile.ts).
            expect(c.time_s, `M=${m} ${w}`).toBeGreaterThanOrEqual(prev * (1 - 1e-3));
            prev = c.time_s;
          }
        }
        // At the dispatch boundary the tiled kernel streams at main_memory_efficiency, the GEMV at
        // gemv_bandwidth_efficiency: the step is at most their ratio (plus overheads), never a cliff.
        const [g, t] = [run(gemm(eff.gemv_max_rows, 28672, 4096, w)), run(gemm(eff.gemv_max_rows + 1, 28672, 4096, w))];
        expect(t.time_s / g.time_s, w).toBeGreaterThan(eff.gemv_bandwidth_efficiency / eff.main_memory_efficiency - 0.05);
      }
    });
  }

  it("charges an M=16 GEMM its rows at the MMA granule, not a 64/128-row CTA tile (hand-computed)", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const eff = efficiencyFor(chip);
    expect(eff.mma_row_granule).toBe(16);
    const [m, n, k] = [16, 28672, 4096];
    const p = {
      m, n, k, batch: 1, a_elem: 2, b_elem: 2, c_elem: 2,
      a_bytes: m * k * 2, b_bytes: (k * n) / 2, c_bytes: m * n * 2, acc_elem: 4,
    };
    const engine = matrixWorkEngine(chip, eff, "bf16")!;
    const t = bestGemmTiling(p, chip, eff, engine, [])!;
    expect(t.small_m).toBe(true);
    expect(t.tile.m).toBe(16);
    // Every tile does 16 × tn × (its k-slice) MACs: tiles = ceil(N / tn) × split.
    const steps = kSteps(p, t.tile.k);
    const ks = Math.ceil(steps / t.split_k) * t.tile.k;
    expect(t.tiles).toBe(Math.ceil(n / t.tile.n) * t.split_k);
    expect(t.padded_flops).toBe(t.tiles * 2 * 16 * t.tile.n * ks);
    // N and K are multiples of the tile here: the padded math is exactly the useful math.
    expect(t.padded_flops).toBe(2 * m * n * k);
    // A 128-row tile would have charged 8× that.
    expect(t.compute_s).toBeLessThan(t.memory_s);
  });

  it("gives every SM main-memory work at M=1 (k split over the chip) or streams with enough bytes in flight", () => {
    const chip = loadChip("nvidia-h100-sxm");
    const eff = efficiencyFor(chip);
    const engine = matrixWorkEngine(chip, eff, "bf16")!;
    const [n, k] = [4096, 4096];
    const p = { m: 1, n, k, batch: 1, a_elem: 2, b_elem: 2, c_elem: 2, a_bytes: k * 2, b_bytes: k * n * 2, c_bytes: n * 2, acc_elem: 4 };
    const t = bestGemmTiling(p, chip, eff, engine, [])!;
    const bw = chip.memory.main.bandwidth_bytes_per_s! * eff.main_memory_efficiency;
    expect(t.main_bandwidth_bytes_per_s).toBeCloseTo(bw, -6);
    // Little's law: the SMs busy × bytes each keeps in flight cover bandwidth × latency.
    const active = Math.min(chip.compute_units, t.tiles);
    expect(active * eff.max_bytes_in_flight_per_unit).toBeGreaterThanOrEqual(bw * eff.main_memory_latency_s);
  });
});
