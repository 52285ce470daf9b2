/** Leakage and clock-network energy of NPU designs (src/core/npu/static-energy.ts): hand-computed cases. */
import { describe, expect, it } from "vitest";
import { clockedBits, designActionEnergies, parseLayerSpec, mapLayer, resolveDesign } from "../src/core/npu/index.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadEnergyCatalog } from "../src/node/energy-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const cat = loadEnergyCatalog();

describe("static and clock energy", () => {
  it("counts clocked flop bits: per-PE registers plus the MAC's latches for tensors no register level holds", () => {
    // 128×128: w_reg 8 b (weights) + input latch 8 b + 32-bit accumulator = 48 b per PE.
    expect(clockedBits(resolveDesign(loadChip("examples/npu-128x128.yaml")))).toBe(48 * 16384);
    // Eyeriss-like (int16): psum_spad 48 B and ifmap_spad 24 B are registers (≤ 1 KiB per PE), weights_spad is SRAM → a 16-bit weight latch.
    expect(clockedBits(resolveDesign(loadChip("examples/eyeriss-like.yaml")))).toBe((48 * 8 + 24 * 8 + 16) * 168);
  });

  it("prices clock per cycle and leakage per second of the layer's latency", () => {
    const d = resolveDesign(loadChip("examples/npu-128x128.yaml"));
    const e = designActionEnergies(cat, d);
    // 7 nm: register 0.0027 pJ/bit × ratio 1.0; leakage 10 mW/mm² (the 7 nm point).
    expect(e.static_power.clock_pj_per_cycle).toBeCloseTo(48 * 16384 * 0.0027, 6);
    expect(e.static_power.leakage_mw_per_mm2).toBeCloseTo(10, 9);
    const r = mapLayer(d, e, parseLayerSpec("gemm:m=512,n=512,k=512"), { seed: 1, maxEvals: 300 });
    const c = r.energy_by_component_pj!;
    expect(c.clock).toBeCloseTo(e.static_power.clock_pj_per_cycle * r.cycles!, 3);
    expect(c.static).toBeCloseTo(e.static_power.leakage_w * r.latency_s! * 1e12, 3);
    const sum = Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(r.energy_pj!, 3);
  });

  it("interpolates leakage log-log in node between 65 and 7 nm and holds it flat outside", () => {
    const d16 = resolveDesign(loadChip("examples/nvdla-like.yaml"));
    const expected = 0.044 * Math.pow(16 / 65, Math.log(10 / 0.044) / Math.log(7 / 65));
    expect(designActionEnergies(cat, d16).static_power.leakage_mw_per_mm2).toBeCloseTo(expected, 9);
    const d5 = { ...d16, process_nm: 5 };
    expect(designActionEnergies(cat, d5).static_power.leakage_mw_per_mm2).toBeCloseTo(10, 9);
  });

  it("xpusim map prints a table with the simulator column and puts cycles_systolic_sim in the JSON", async () => {
    const t = await runCli("map", "--chip", "examples/npu-128x128.yaml", "--layer", "gemm:m=512,n=512,k=512", "--max-evals", "100");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/layer\s+x\s+pJ\/MAC\s+energy µJ\s+cycles\s+sim cycles/);
    expect(t.out).toMatch(/\s14304\s/);
    const j = JSON.parse((await runCli("map", "--chip", "examples/npu-128x128.yaml", "--layer", "gemm:m=512,n=512,k=512", "--max-evals", "100", "--json")).out);
    expect(j.layers[0].cycles_systolic_sim).toBe(14304);
    expect(j.layers[0].energy_by_component_pj.clock).toBeGreaterThan(0);
    const csv = await runCli("map", "--chip", "examples/npu-128x128.yaml", "--layer", "gemm:m=512,n=512,k=512", "--max-evals", "100", "--csv");
    expect(csv.out.split("\n")[0]).toContain("cycles_systolic_sim");
  });
});
