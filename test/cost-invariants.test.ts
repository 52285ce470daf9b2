/**
 * Invariants of every cost model over seeded random shapes on several chip kinds: utilisation in
 * [0, 1], time never below the roofline floor, energy in [0, TDP × time], more bandwidth never
 * slower, more compute units (same per-unit rate) never slower, larger K never faster.
 */
import { describe, expect, it } from "vitest";
import type { CostContext, OpCost } from "../src/core/cost/contract.js";
import { rooflineModel } from "../src/core/cost/models/roofline.js";
import { estimateOp } from "../src/core/cost/registry.js";
import type { Chip } from "../src/core/hardware/chip.js";
import type { DType } from "../src/core/units/dtype.js";
import type { Op } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";

/** mulberry32: small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHIPS = ["nvidia-a100-sxm-80gb", "nvidia-h100-sxm", "nvidia-t4", "amd-mi300x", "google-tpu-v4", "intel-gaudi2", "huawei-ascend-910", "intel-xeon-8490h", "amd-alveo-u280", "tesla-dojo-d1"];

function dtypeFor(chip: Chip): DType {
  for (const d of ["bf16", "fp16", "int8", "fp32"] as DType[]) if (chip.matrix.peak_flops_per_s[d] !== undefined) return d;
  return "fp32";
}

function randomOp(r: () => number, d: DType, i: number): Op {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const logUniform = (lo: number, hi: number) => Math.max(1, Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo)))));
  const kind = pick(["gemm", "gemm", "gemm", "conv2d", "attention", "softmax", "norm", "elementwise", "embedding", "pool", "dwconv"] as const);
  const name = `op${i}`;
  switch (kind) {
    case "gemm": {
      const m = logUniform(1, 16384);
      return { name, kind: "gemm", role: "replicated", dtype: d, m, n: logUniform(16, 16384), k: logUniform(16, 16384), batch: pick([1, 1, 1, 8, 64]), a_dtype: d, b_dtype: d, c_dtype: d, b_is_weight: r() < 0.7 };
    }
    case "conv2d": {
      const h = pick([7, 14, 28, 56, 112, 224]);
      const k = pick([1, 3, 3, 5, 7]);
      return { name, kind: "conv2d", role: "replicated", dtype: d, n: pick([1, 8, 64, 256]), h, w: h, c_in: pick([3, 32, 64, 256, 512]), c_out: pick([32, 64, 256, 512]), kh: k, kw: k, stride: pick([1, 1, 2]), padding: Math.floor(k / 2), groups: 1, act_dtype: d, weight_dtype: d };
    }
    case "dwconv": {
      const c = pick([32, 96, 384]);
      return { name, kind: "conv2d", role: "replicated", dtype: d, n: pick([1, 32]), h: 56, w: 56, c_in: c, c_out: c, kh: 3, kw: 3, stride: 1, padding: 1, groups: c, act_dtype: d, weight_dtype: d };
    }
    case "attention": {
      const kvHeads = pick([1, 8, 32]);
      const seqKv = logUniform(16, 32768);
      const seqQ = r() < 0.4 ? 1 : Math.min(seqKv, logUniform(16, 8192));
      return { name, kind: "attention", role: "attention_core", dtype: d, batch: pick([1, 4, 32]), heads: 32, kv_heads: kvHeads, head_dim_qk: pick([64, 128]), head_dim_v: 128, seq_q: seqQ, seq_kv: seqKv, causal: r() < 0.7, fused: r() < 0.8, act_dtype: d, kv_dtype: d, ...(r() < 0.2 ? { window: 4096 } : {}) };
    }
    case "softmax":
      return { name, kind: "softmax", role: "pointwise", dtype: d, rows: logUniform(1, 1e6), cols: logUniform(16, 65536), act_dtype: d };
    case "norm":
      return { name, kind: "norm", role: "norm", norm: pick(["layernorm", "rmsnorm"] as const), dtype: d, rows: logUniform(1, 65536), cols: logUniform(64, 16384), act_dtype: d, params: 4096 };
    case "elementwise":
      return { name, kind: "elementwise", role: "pointwise", fn: "silu", dtype: d, elements: logUniform(1, 1e9), inputs: pick([1, 2]), flops_per_element: pick([1, 4, 8]), act_dtype: d };
    case "embedding":
      return { name, kind: "embedding", role: "embedding", dtype: d, tokens: logUniform(1, 65536), vocab: 128256, dim: pick([768, 4096, 8192]), weight_dtype: d, act_dtype: d, params: 0 };
    case "pool":
      return { name, kind: "pool", role: "replicated", pool: pick(["max", "avg", "global_avg"] as const), dtype: d, n: pick([1, 64]), h: 56, w: 56, c: 256, kh: 3, kw: 3, stride: 2, padding: 1, act_dtype: d };
  }
}

/** Same chip with more main-memory bandwidth. */
function withBandwidth(chip: Chip, factor: number): Chip {
  return { ...chip, memory: { ...chip.memory, main: { ...chip.memory.main, bandwidth_bytes_per_s: chip.memory.main.bandwidth_bytes_per_s! * factor } } };
}

/** Same chip with `factor` × compute units (and engines), each as fast as before. */
function withUnits(chip: Chip, factor: number): Chip {
  const scale = (t: Partial<Record<DType, number>>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v! * factor])) as Partial<Record<DType, number>>;
  return {
    ...chip,
    compute_units: chip.compute_units * factor,
    matrix: { ...chip.matrix, peak_flops_per_s: scale(chip.matrix.peak_flops_per_s), ...(chip.matrix.count ? { count: chip.matrix.count * factor } : {}) },
    vector: { peak_flops_per_s: scale(chip.vector.peak_flops_per_s) },
  };
}

const REL = 1 + 1e-9;
const K_TIE = 1.005;

describe("cost-model invariants (seeded random shapes)", () => {
  for (const id of CHIPS) {
    it(`holds on ${id}`, () => {
      const chip = loadChip(id);
      const eff = efficiencyFor(chip);
      const d = dtypeFor(chip);
      const r = rng(0xc0ffee ^ id.length * 7919);
      const ctx: CostContext = { chip, efficiency: eff };
      const faster = withBandwidth(chip, 2);
      const bigger = withUnits(chip, 2);
      let checked = 0;
      for (let i = 0; i < 150; i++) {
        const op = randomOp(r, d, i);
        let c: OpCost;
        try {
          c = estimateOp(op, chip, eff).cost;
        } catch (e) {
          // Only legitimate refusals (dtype/engine) are allowed, and they must be XpusimErrors.
          expect((e as Error).name, `${id} ${JSON.stringify(op)}`).toBe("XpusimError");
          continue;
        }
        const where = `${id} ${c.model} ${JSON.stringify(op)}`;
        expect(Number.isFinite(c.time_s) && c.time_s > 0, where).toBe(true);
        expect(c.utilization, where).toBeGreaterThanOrEqual(0);
        expect(c.utilization, where).toBeLessThanOrEqual(1 + 1e-9);
        const floor = rooflineModel.estimate(op, ctx).time_s;
        expect(c.time_s * REL, `${where} vs roofline ${floor}`).toBeGreaterThanOrEqual(floor);
        if (chip.power.tdp_w !== undefined) {
          expect(c.energy_j, where).toBeGreaterThanOrEqual(0);
          expect(c.energy_j!, where).toBeLessThanOrEqual(chip.power.tdp_w * c.time_s * REL);
        }
        const cFast = estimateOp(op, faster, eff, { model: c.model }).cost;
        expect(cFast.time_s, `${where}: 2× bandwidth`).toBeLessThanOrEqual(c.time_s * REL);
        const cBig = estimateOp(op, bigger, eff, { model: c.model }).cost;
        expect(cBig.time_s, `${where}: 2× units`).toBeLessThanOrEqual(c.time_s * REL);
        if (op.kind === "gemm") {
          // A GEMM that leaves most SMs idle can split a longer K over more of them in the same time;
          // the output bytes then stream with more bytes in flight, which may shave < 0.5 % off a
          // tie. Anything beyond that is a real violation.
          const longer = estimateOp({ ...op, k: op.k * 2 }, chip, eff).cost;
          expect(longer.time_s * K_TIE, `${where}: 2× K`).toBeGreaterThanOrEqual(c.time_s);
          const plusOne = estimateOp({ ...op, k: op.k + 1 }, chip, eff).cost;
          expect(plusOne.time_s * REL, `${where}: K + 1`).toBeGreaterThanOrEqual(c.time_s);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    });
  }
});
