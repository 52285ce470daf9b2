import { describe, expect, it } from "vitest";
import { estimateOp } from "../src/core/cost/registry.js";
import type { GemmOp } from "../src/core/workload/op.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { efficiencyFor } from "../src/node/family-catalog.js";

const gemm = (m: number, n: number, k: number): GemmOp => ({ name: "g", kind: "gemm", role: "replicated", dtype: "bf16", m, n, k, batch: 1, a_dtype: "bf16", b_dtype: "bf16", c_dtype: "bf16", b_is_weight: false });

/**
 * Stream-K / persistent scheduling (family `tail_wave_balance`): a partial last wave costs its share
 * of a wave on Hopper (0.9 balance) but a whole wave on Ampere (0: classic grids, as the A100
 * measurements show).
 */
describe("tail-wave balance", () => {
  const time = (chipId: string, op: GemmOp) => {
    const chip = loadChip(chipId);
    return estimateOp(op, chip, efficiencyFor(chip)).cost.time_s;
  };

  it("on H100 a grid of 1.2 waves costs well under two full waves", () => {
    // 128×256 tiles: 132 SMs × 1 CTA; 11 × 12 = 132 tiles is one wave; 12 × 13 = 156 tiles is 1.18 waves.
    const one = time("nvidia-h100-sxm", gemm(11 * 128, 12 * 256, 8192));
    const more = time("nvidia-h100-sxm", gemm(12 * 128, 13 * 256, 8192));
    expect(more / one).toBeGreaterThan(1.1);
    expect(more / one).toBeLessThan(1.6);
  });

  it("on A100 the same step costs a whole extra wave (wave quantisation)", () => {
    const one = time("nvidia-a100-sxm-80gb", gemm(9 * 128, 12 * 256, 8192)); // 108 tiles on 108 SMs
    const more = time("nvidia-a100-sxm-80gb", gemm(10 * 128, 12 * 256, 8192)); // 120 tiles: 2 waves
    expect(more / one).toBeGreaterThan(1.6);
  });
});
