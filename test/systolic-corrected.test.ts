/**
 * Corrected-semantics extensions of the systolic simulator (issue 5): zero padding, several arrays
 * sharing the DRAM port, and a vector unit for non-GEMM layers. Hand-computed cases and invariants;
 * the SCALE-Sim compatible mode must ignore all three.
 */
import { describe, expect, it } from "vitest";
import { arrayJobs, lowerLayers, parseScaleSimConfig, parseTopologyCsv, simulateSystolic, type LayerSpec, type SystolicConfig, type SystolicLayerResult } from "../src/core/systolic/index.js";
import { SMALL_OS_CONFIG } from "./helpers/systolic-config.js";

const base: SystolicConfig = SMALL_OS_CONFIG;

const conv = (o: Partial<Extract<LayerSpec, { kind: "conv" }>> = {}): LayerSpec => ({
  kind: "conv",
  name: "c",
  ifmap_h: 5,
  ifmap_w: 5,
  filter_h: 3,
  filter_w: 3,
  channels: 1,
  num_filters: 1,
  stride_h: 1,
  stride_w: 1,
  ...o,
});
const gemm = (M: number, N: number, K: number, o: Partial<Extract<LayerSpec, { kind: "gemm" }>> = {}): LayerSpec => ({ kind: "gemm", name: "g", M, N, K, ...o });
const run = (cfg: Partial<SystolicConfig>, layer: LayerSpec, opts: { semantics?: "scalesim" | "corrected"; arrays?: number; padding?: number } = {}): SystolicLayerResult =>
  simulateSystolic({ ...base, ...cfg }, [layer], { semantics: opts.semantics ?? "corrected", ...(opts.arrays ? { arrays: opts.arrays } : {}), ...(opts.padding !== undefined ? { padding: opts.padding } : {}) })[0]!;

describe("padding", () => {
  it("5×5 ifmap, 3×3 filter, pad 1, stride 1: E = 5, only real taps are read", () => {
    const r = run({}, conv({ pad_h: 1, pad_w: 1 }));
    expect(r.gemm_m).toBe(25); // E = floor((5 + 2 − 3)/1) + 1 = 5
    expect(r.gemm_k).toBe(9);
    // Real taps per axis: windows at −1..3 cover 2, 3, 3, 3, 2 real rows → 13; 13 × 13 = 169 of 225 entries.
    expect(r.sram_ifmap_reads).toBe(169); // one column fold (N = 1)
    expect(r.dram_ifmap_reads).toBe(25); // every real pixel once, no padding words
    expect(r.macs).toBe(25 * 9);
    // Same lowering through the default --padding option.
    expect(run({}, conv(), { padding: 1 }).sram_ifmap_reads).toBe(169);
  });

  it("stride 2, pad 1: E = 3, 7 × 7 real taps; OS reads them once per column fold", () => {
    const r = run({}, conv({ stride_h: 2, stride_w: 2, pad_h: 1, pad_w: 1, num_filters: 6 }));
    expect(r.gemm_m).toBe(9); // floor((5 + 2 − 3)/2) + 1 = 3
    // windows start at −1, 1, 3: 2 + 3 + 2 real rows = 7 per axis; N = 6 → 2 column folds of 4
    expect(r.sram_ifmap_reads).toBe(2 * 49);
    expect(r.dram_ifmap_reads).toBe(25);
  });

  it("ResNet-50 conv1 (224², 7×7, stride 2, pad 3) gives 112 × 112 outputs; pad 0 gives the valid convolution", () => {
    const r = lowerLayers([conv({ ifmap_h: 224, ifmap_w: 224, filter_h: 7, filter_w: 7, channels: 3, num_filters: 64, stride_h: 2, stride_w: 2, pad_h: 3, pad_w: 3 })], "corrected")[0]!;
    expect(r.gemm.M).toBe(112 * 112);
    expect(r.gemm.ifmapFootprint).toBe(224 * 224 * 3);
    const v = lowerLayers([conv({ ifmap_h: 224, ifmap_w: 224, filter_h: 7, filter_w: 7, channels: 3, stride_h: 2, stride_w: 2, pad_h: 0, pad_w: 0 })], "corrected")[0]!;
    expect(v.gemm.M).toBe(109 * 109); // floor(217/2) + 1
  });

  it("a padded layer's replayed DRAM reads (small SRAM) never count padding", () => {
    // 1 KiB buffers: the 30×30×8 ifmap (7200 words) does not fit half the SRAM, so reads are replayed.
    for (const dataflow of ["os", "ws", "is"] as const) {
      const r = run({ dataflow, ifmap_sram_kb: 1, filter_sram_kb: 1, ofmap_sram_kb: 1 }, conv({ ifmap_h: 30, ifmap_w: 30, channels: 8, num_filters: 8, pad_h: 1, pad_w: 1 }));
      expect(r.gemm_m).toBe(900);
      expect(r.dram_ifmap_reads).toBeGreaterThanOrEqual(30 * 30 * 8);
      expect(r.sram_ifmap_reads).toBeLessThan(r.gemm_m * r.gemm_k * (dataflow === "is" ? 1 : 2));
    }
  });

  it("the topology's Padding / Pad h / Pad w columns parse, and a filter may exceed the unpadded ifmap", () => {
    const t = parseTopologyCsv("Layer, H, W, Fh, Fw, C, N, Sh, Sw, Padding,\nA, 2, 2, 3, 3, 1, 1, 1, 1, 1,\n", "conv");
    expect(t.layers[0]).toMatchObject({ pad_h: 1, pad_w: 1 });
    expect(simulateSystolic(base, t.layers, { semantics: "corrected" })[0]!.gemm_m).toBe(4);
    const hw = parseTopologyCsv("Layer, H, W, Fh, Fw, C, N, Sh, Sw, Pad h, Pad w,\nA, 8, 8, 3, 3, 1, 1, 1, 1, 0, 2,\n", "conv");
    expect(hw.layers[0]).toMatchObject({ pad_h: 0, pad_w: 2 });
    expect(() => parseTopologyCsv("Layer, H, W, Fh, Fw, C, N, Sh, Sw, Padding,\nA, 8, 8, 3, 3, 1, 1, 1, 1, -1,\n", "conv")).toThrow(/Padding/);
  });
});

describe("several arrays", () => {
  const big = gemm(256, 1024, 256);
  const ws32 = { dataflow: "ws" as const, array_rows: 32, array_cols: 32, ifmap_sram_kb: 512, filter_sram_kb: 512, ofmap_sram_kb: 256 };

  it("4 arrays on a large GEMM take ≈ 1/4 of the cycles; PE utilisation is over all 4·R·C PEs", () => {
    const one = run(ws32, big);
    const four = run(ws32, big, { arrays: 4 });
    // 1 array: ceil(256/32)·ceil(1024/32) = 256 folds of 2·32 + 32 + 256 − 2 = 350 cycles; 4 arrays: 64 folds each.
    expect(one.total_cycles - one.stall_cycles).toBe(256 * 350);
    expect(four.total_cycles - four.stall_cycles).toBe(64 * 350);
    expect(four.total_cycles / one.total_cycles).toBeGreaterThan(0.24);
    expect(four.total_cycles / one.total_cycles).toBeLessThan(0.26);
    expect(four.arrays_used).toBe(4);
    expect(four.macs).toBe(one.macs);
    expect(four.overall_util_pct).toBeCloseTo((100 * 256 * 1024 * 256) / (four.total_cycles * 4 * 1024), 10);
    expect(four.mapping_efficiency_pct).toBeCloseTo(one.mapping_efficiency_pct, 10);
    // Counts add up: filters are split, every array reads the whole ifmap.
    expect(four.sram_filter_reads).toBe(one.sram_filter_reads);
    expect(four.sram_ofmap_writes).toBe(one.sram_ofmap_writes);
    expect(four.dram_filter_reads).toBe(256 * 1024);
    expect(four.dram_ifmap_reads).toBe(4 * 256 * 256);
  });

  it("the config's ArrayCount is read; --arrays overrides it; compat ignores both", () => {
    const { config } = parseScaleSimConfig(
      "[general]\nrun_name = t\n[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\nIfmapSramSzkB: 512\nFilterSramSzkB: 512\nOfmapSramSzkB: 256\nIfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\nDataflow: ws\nArrayCount: 4\nVectorLanes: 64\n[run_presets]\nInterfaceBandwidth: CALC\n",
    );
    expect(config.array_count).toBe(4);
    expect(config.vector_lanes).toBe(64);
    const viaConfig = simulateSystolic(config, [big], { semantics: "corrected" })[0]!;
    expect(viaConfig.total_cycles).toBe(run(ws32, big, { arrays: 4 }).total_cycles);
    expect(simulateSystolic(config, [big], { semantics: "corrected", arrays: 1 })[0]!.total_cycles).toBe(run(ws32, big).total_cycles);
    const compat = simulateSystolic(config, [big], { semantics: "scalesim" })[0]!;
    const compatOne = simulateSystolic({ ...config, array_count: 1 }, [big], { semantics: "scalesim" })[0]!;
    expect(compat).toEqual(compatOne);
    expect(compat.arrays_used).toBeUndefined();
  });

  it("N arrays are never slower than one (CALC and USER, every dataflow, groups and small N included)", () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % n);
    };
    for (let i = 0; i < 40; i++) {
      const dataflow = (["os", "ws", "is"] as const)[i % 3]!;
      const user = i % 2 === 1;
      const cfg: Partial<SystolicConfig> = { dataflow, array_rows: rnd(8), array_cols: rnd(8), ifmap_sram_kb: 1, filter_sram_kb: 1, ofmap_sram_kb: 1, ...(user ? { interface_bandwidth_mode: "USER" as const, user_bandwidth_words_per_cycle: [rnd(12)] } : {}) };
      const layer = i % 4 === 0 ? conv({ ifmap_h: 10, ifmap_w: 10, channels: 8, num_filters: 8, groups: 8 }) : gemm(rnd(60), rnd(60), rnd(60));
      const one = run(cfg, layer);
      for (const arrays of [2, 3, 5]) {
        const r = run(cfg, layer, { arrays });
        const where = `case ${i} arrays ${arrays}`;
        expect(r.total_cycles, where).toBeLessThanOrEqual(one.total_cycles);
        expect(r.macs, where).toBe(one.macs);
        expect(r.overall_util_pct, where).toBeLessThanOrEqual(100);
        expect(r.mapping_efficiency_pct, where).toBeLessThanOrEqual(100 + 1e-9);
        expect(r.arrays_used!, where).toBeLessThanOrEqual(arrays);
      }
    }
  });

  it("groups are dealt out to the arrays; N is split in whole column folds (OS/WS) or evenly (IS)", () => {
    const dw = lowerLayers([conv({ ifmap_h: 10, ifmap_w: 10, channels: 10, num_filters: 10, groups: 10 })], "corrected")[0]!;
    expect(arrayJobs(dw, base, 4).map((j) => [j.layer.repeats, j.count])).toEqual([
      [3, 2],
      [2, 2],
    ]);
    const g = lowerLayers([gemm(8, 18, 8)], "corrected")[0]!;
    // C = 4: ceil(18/4) = 5 column folds → 2 per array (8 filters), 3 arrays used, the last gets 2.
    expect(arrayJobs(g, base, 4).map((j) => [j.layer.gemm.N, j.count])).toEqual([
      [8, 2],
      [2, 1],
    ]);
    expect(arrayJobs(g, { ...base, dataflow: "is" }, 4).map((j) => [j.layer.gemm.N, j.count])).toEqual([
      [5, 3],
      [3, 1],
    ]);
  });
});

describe("vector unit", () => {
  const pool = conv({ name: "pool", ifmap_h: 8, ifmap_w: 8, filter_h: 2, filter_w: 2, channels: 16, num_filters: 16, stride_h: 2, stride_w: 2, op_type: "pool" });

  it("2×2/2 pooling of 8×8×16 on 16 lanes: 1024 ops / 16 lanes + 2 fill = 66 cycles", () => {
    const r = run({ vector_lanes: 16 }, pool);
    expect(r.unit).toBe("vector");
    expect(r.vector_ops).toBe(4 * 4 * 16 * 4);
    expect(r.total_cycles).toBe(1024 / 16 + 2);
    expect(r.stall_cycles).toBe(0);
    expect(r.macs).toBe(0);
    expect(r.sram_ifmap_reads).toBe(1024);
    expect(r.sram_ofmap_writes).toBe(256);
    expect(r.dram_ifmap_reads).toBe(8 * 8 * 16);
    expect(r.dram_ofmap_writes).toBe(256);
    expect(r.mapping_efficiency_pct).toBe(100);
    expect(r.compute_util_pct).toBeCloseTo((100 * 64) / 66, 12);
    // Two arrays, each with its vector unit: 32 + 2. Two ops per lane per cycle: the same.
    expect(run({ vector_lanes: 16 }, pool, { arrays: 2 }).total_cycles).toBe(34);
    expect(run({ vector_lanes: 16, vector_ops_per_lane: 2 }, pool).total_cycles).toBe(34);
    expect(run({ vector_lanes: 16, vector_pipeline_cycles: 0 }, pool).total_cycles).toBe(64);
  });

  it("a 3×3/2 pool with pad 1 (ResNet-50 max pool) counts only real taps; lanes default to the array width", () => {
    const r = run({}, conv({ name: "mp", ifmap_h: 112, ifmap_w: 112, filter_h: 3, filter_w: 3, channels: 64, num_filters: 64, stride_h: 2, stride_w: 2, pad_h: 1, pad_w: 1, op_type: "pool" }));
    // E = floor((112 + 2 − 3)/2) + 1 = 56; real taps per axis: 2 + 55·3 = 167.
    expect(r.sram_ofmap_writes).toBe(56 * 56 * 64);
    expect(r.vector_ops).toBe(167 * 167 * 64);
    expect(r.total_cycles).toBe(Math.ceil((167 * 167 * 64) / 4) + 2);
  });

  it("eltwise and act on GEMM rows (M×N elements); USER bandwidth can bound them", () => {
    const add = run({}, gemm(100, 10, 1, { op_type: "eltwise" }));
    expect(add.total_cycles).toBe(1000 / 4 + 2);
    expect([add.sram_ifmap_reads, add.sram_filter_reads, add.sram_ofmap_writes]).toEqual([1000, 1000, 1000]);
    const relu = run({ vector_lanes: 10 }, gemm(100, 10, 1, { op_type: "act" }));
    expect(relu.total_cycles).toBe(102);
    expect(relu.dram_filter_reads).toBe(0);
    const bound = run({ interface_bandwidth_mode: "USER", user_bandwidth_words_per_cycle: [2] }, gemm(100, 10, 1, { op_type: "eltwise" }));
    expect(bound.total_cycles).toBe(500 + 2); // 1000 words of each operand at 2 words/cycle
    expect(bound.stall_cycles).toBe(250);
    const sm = run({ vector_lanes: 10 }, gemm(10, 100, 1, { op_type: "softmax" }));
    expect(sm.vector_ops).toBe(3000);
    expect(sm.total_cycles).toBe(302);
  });

  it("the Type column parses; compat runs such rows on the array as SCALE-Sim would", () => {
    const text = "Layer, H, W, Fh, Fw, C, N, Sh, Sw, Type,\nPool1, 8, 8, 2, 2, 16, 16, 2, 2, pool,\n";
    const t = parseTopologyCsv(text, "conv");
    expect(t.layers[0]).toMatchObject({ op_type: "pool" });
    const compat = simulateSystolic(base, t.layers, { semantics: "scalesim" })[0]!;
    const plain = simulateSystolic(base, [{ ...t.layers[0]!, op_type: undefined } as LayerSpec], { semantics: "scalesim" })[0]!;
    expect(compat).toEqual(plain);
    expect(compat.unit).toBeUndefined();
    expect(() => parseTopologyCsv("Layer, H, W, Fh, Fw, C, N, Sh, Sw, Type,\nX, 8, 8, 2, 2, 16, 16, 2, 2, fft,\n", "conv")).toThrow(/unknown layer type/);
    expect(() => simulateSystolic(base, [gemm(4, 4, 4, { op_type: "pool" })], { semantics: "corrected" })).toThrow(/conv topology format/);
  });
});
