/**
 * Hand-computed cases for both semantics, the corrected semantics' fixes and additions (batch,
 * groups, word size), and invariants over randomly drawn layers: cycles ≥ MACs/(R·C),
 * utilisations ≤ 100 %, DRAM reads ≥ the operand footprint, more bandwidth never adds stalls.
 */
import { describe, expect, it } from "vitest";
import { lowerLayers } from "../src/core/systolic/gemm-lowering.js";
import { OfmapWriteBuffer } from "../src/core/systolic/ofmap-write-buffer.js";
import { type LayerSpec, simulateSystolic, type SystolicConfig, type SystolicLayerResult } from "../src/core/systolic/index.js";
import { SMALL_OS_CONFIG } from "./helpers/systolic-config.js";

const base: SystolicConfig = SMALL_OS_CONFIG;

const gemm = (M: number, N: number, K: number): LayerSpec => ({ kind: "gemm", name: "g", M, N, K });
const run = (cfg: Partial<SystolicConfig>, layer: LayerSpec, semantics: "scalesim" | "corrected" = "scalesim"): SystolicLayerResult =>
  simulateSystolic({ ...base, ...cfg }, [layer], { semantics })[0]!;

describe("hand-computed cycle counts", () => {
  it("4×4 OS, 4×4×4 GEMM: SCALE-Sim reports 9 (issue #125); corrected 2R + C + T − 2 = 14", () => {
    const s = run({}, gemm(4, 4, 4));
    expect(s.total_cycles).toBe(9); // R + C + T − 2 = 10 rows, reported as the last index
    expect(s.mapping_efficiency_pct).toBe(100);
    expect(s.compute_util_pct).toBe(40); // T / (R + C + T − 2)
    expect(s.sram_ofmap_writes).toBe(16 + 8); // M·N + folds·(R + C): SCALE-Sim's double count
    expect(s.dram_ofmap_writes).toBe(16);
    const c = run({}, gemm(4, 4, 4), "corrected");
    expect(c.total_cycles).toBe(14);
    expect(c.sram_ofmap_writes).toBe(16);
    expect(c.compute_util_pct).toBeCloseTo((100 * 4) / 14, 12);
    expect(c.overall_util_pct).toBeCloseTo((100 * 64) / (14 * 16), 12);
  });

  it("WS folds: ceil(K/R)·ceil(N/C) folds of 2R + C + M − 2 cycles", () => {
    // K = 10 → 3 row folds, N = 6 → 2 column folds, M = 7: 6 folds × (8 + 4 + 7 − 2 = 17) = 102 rows.
    const s = run({ dataflow: "ws" }, gemm(7, 6, 10));
    expect(s.total_cycles).toBe(101);
    expect(s.sram_ifmap_reads).toBe(2 * 7 * 10); // col folds · M · K
    expect(s.sram_filter_reads).toBe(10 * 6);
    expect(s.sram_ofmap_writes).toBe(3 * 7 * 6); // partial sums written once per row fold
    // mapping efficiency: mean over folds of used PEs: (4,4,2 rows) × (4,2 cols) / 16
    expect(s.mapping_efficiency_pct).toBeCloseTo((100 * (10 / 12) * 6) / 8, 12);
    // SCALE-Sim's WS compute-util denominator is 2R + 2C + T − 3 = 20, not the fold length 17
    expect(s.compute_util_pct).toBeCloseTo((s.mapping_efficiency_pct * 7) / 20, 10);
    const c = run({ dataflow: "ws" }, gemm(7, 6, 10), "corrected");
    expect(c.total_cycles).toBe(102);
    expect(c.compute_util_pct).toBeCloseTo((s.mapping_efficiency_pct * 7) / 17, 10);
  });

  it("IS folds and SRAM counts", () => {
    const s = run({ dataflow: "is", array_rows: 4, array_cols: 8 }, gemm(20, 5, 9));
    // Sr = K = 9 → 3 row folds, Sc = M = 20 → 3 column folds, T = N = 5: 9 × (8 + 8 + 5 − 2) = 171
    expect(s.total_cycles).toBe(170);
    expect(s.sram_ifmap_reads).toBe(20 * 9);
    expect(s.sram_filter_reads).toBe(3 * 9 * 5);
    expect(s.sram_ofmap_writes).toBe(3 * 20 * 5);
  });

  it("CALC DRAM traffic when every operand fits half its SRAM: footprints, fetched before cycle 0", () => {
    const s = run({ dataflow: "ws" }, gemm(7, 6, 10));
    expect([s.dram_ifmap_reads, s.dram_filter_reads, s.dram_ofmap_writes]).toEqual([70, 60, 3 * 42]);
    // 64 KiB → sets of 655 words; 70 words = 1 set, fetched at 10 words/cycle: 66 cycles ending at −1
    expect([s.dram_ifmap_start_cycle, s.dram_ifmap_stop_cycle]).toEqual([-66, -1]);
    expect(s.avg_ifmap_dram_bw).toBe(70 / 66);
  });

  it("SCALE-Sim's im2col leaves windows past the ifmap edge unread", () => {
    // 16×16 ifmap, 3×3 filter, stride 2: E = ceil(15/2) = 8 windows reach row 16, which does not exist.
    const conv: LayerSpec = { kind: "conv", name: "c", ifmap_h: 16, ifmap_w: 16, filter_h: 3, filter_w: 3, channels: 4, num_filters: 10, stride_h: 2, stride_w: 2 };
    const s = run({ dataflow: "ws" }, conv);
    expect(s.gemm_m).toBe(64);
    expect(s.dram_ifmap_reads).toBe(16 * 16 * 4);
  });
});

describe("corrected semantics: additions", () => {
  const conv = (extra: Partial<Extract<LayerSpec, { kind: "conv" }>> = {}): LayerSpec => ({
    kind: "conv",
    name: "c",
    ifmap_h: 12,
    ifmap_w: 12,
    filter_h: 3,
    filter_w: 3,
    channels: 8,
    num_filters: 16,
    stride_h: 1,
    stride_w: 1,
    ...extra,
  });

  it("batch stacks images along M (SCALE-Sim is fixed at 1)", () => {
    const one = run({ dataflow: "ws" }, conv(), "corrected");
    const four = run({ dataflow: "ws" }, conv({ batch: 4 }), "corrected");
    expect(four.gemm_m).toBe(4 * one.gemm_m);
    expect(four.macs).toBe(4 * one.macs);
    expect(four.dram_ifmap_reads).toBe(4 * one.dram_ifmap_reads);
    expect(four.dram_filter_reads).toBe(one.dram_filter_reads); // weights fetched once
    expect(run({ dataflow: "ws" }, conv({ batch: 4 }), "scalesim").gemm_m).toBe(one.gemm_m);
    const viaOption = simulateSystolic({ ...base, dataflow: "ws" }, [conv()], { semantics: "corrected", batch: 4 })[0]!;
    expect(viaOption.gemm_m).toBe(four.gemm_m);
  });

  it("depthwise (DP in the name) is one layer of C one-channel groups; SCALE-Sim gives every channel all N filters", () => {
    const dw = conv({ name: "Conv_DP", num_filters: 8 });
    const compat = simulateSystolic({ ...base, dataflow: "ws" }, [dw], { semantics: "scalesim" });
    expect(compat.map((r) => r.layer_name)).toEqual(Array.from({ length: 8 }, (_, c) => `Conv_DPChannel_${c}`));
    expect(compat.reduce((s, r) => s + r.macs, 0)).toBe(100 * 9 * 8 * 8); // N·C too many filters
    const [c] = simulateSystolic({ ...base, dataflow: "ws" }, [dw], { semantics: "corrected" });
    expect(c!.macs).toBe(100 * 9 * 8); // E_h·E_w · Fh·Fw · C · (N/C)
    expect(c!.gemm_k).toBe(9);
    expect(c!.gemm_n).toBe(1);
    const g = lowerLayers([dw], "corrected")[0]!;
    expect(g.repeats).toBe(8);
    expect(c!.total_cycles).toBe(8 * 3 * (2 * 4 + 4 + 100 - 2)); // 8 groups × ceil(9/4) row folds × fold length
  });

  it("groups column: K and N divide by the groups", () => {
    const [c] = simulateSystolic({ ...base, dataflow: "os" }, [conv({ groups: 2 })], { semantics: "corrected" });
    expect([c!.gemm_k, c!.gemm_n, c!.macs]).toEqual([36, 8, 2 * 100 * 36 * 8]);
  });

  it("word size: an SRAM of KB·1024/word_size words", () => {
    const layer = gemm(30, 32, 50);
    const cfg = { dataflow: "ws" as const, ifmap_sram_kb: 4, filter_sram_kb: 4, ofmap_sram_kb: 4 };
    const w1 = run(cfg, layer, "corrected");
    const w4 = run({ ...cfg, word_size_bytes: 4 }, layer, "corrected");
    // 4,096 one-byte words: the 1,500-word ifmap stays within the 2,000-word reuse window, so it is
    // read once; 1,024 four-byte words: a 500-word window, so each of the 8 column folds re-reads it.
    expect(w1.dram_ifmap_reads).toBe(1500);
    expect(w4.dram_ifmap_reads).toBe(8 * 1500);
    expect(w4.total_cycles).toBe(w1.total_cycles); // CALC mode: memory never changes cycles
    expect(run({ ...cfg, word_size_bytes: 4 }, layer, "scalesim")).toEqual(run(cfg, layer, "scalesim"));
  });

  it("OFMAP DRAM writes count only real words (SCALE-Sim counts padded drain lines as full)", () => {
    const alex: LayerSpec = { kind: "conv", name: "Conv1", ifmap_h: 224, ifmap_w: 224, filter_h: 11, filter_w: 11, channels: 3, num_filters: 96, stride_h: 4, stride_w: 4 };
    const cfg = { array_rows: 32, array_cols: 32, dataflow: "ws" as const };
    expect(run(cfg, alex, "scalesim").dram_ofmap_writes).toBe(3_484_831);
    expect(run(cfg, alex, "corrected").dram_ofmap_writes).toBe(3_484_800);
  });
});

/** Deterministic pseudo-random integers in [1, n]. */
function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 1 + (s % n);
  };
}

describe("invariants over random layers", () => {
  const rnd = rng(2024);
  const cases: { cfg: SystolicConfig; layer: LayerSpec }[] = [];
  for (let i = 0; i < 120; i++) {
    const layer: LayerSpec =
      i % 2 === 0
        ? gemm(rnd(70), rnd(50), rnd(70))
        : {
            kind: "conv",
            name: "c",
            ifmap_h: 6 + rnd(10),
            ifmap_w: 6 + rnd(10),
            filter_h: rnd(4),
            filter_w: rnd(4),
            channels: rnd(8),
            num_filters: rnd(20),
            stride_h: rnd(3),
            stride_w: rnd(3),
          };
    const kb = rnd(3);
    cases.push({
      layer,
      cfg: { ...base, dataflow: (["os", "ws", "is"] as const)[i % 3]!, array_rows: rnd(16), array_cols: rnd(16), ifmap_sram_kb: kb, filter_sram_kb: kb, ofmap_sram_kb: rnd(3) },
    });
  }

  it("cycles ≥ MACs/(R·C), utilisations within (0, 100] %, DRAM ≥ footprint", () => {
    for (const { cfg, layer } of cases) {
      for (const semantics of ["scalesim", "corrected"] as const) {
        const r = simulateSystolic(cfg, [layer], { semantics })[0]!;
        const pe = cfg.array_rows * cfg.array_cols;
        const where = `${semantics} ${cfg.dataflow} ${cfg.array_rows}×${cfg.array_cols} ${JSON.stringify(layer)}`;
        // SCALE-Sim's off-by-one undercuts the bound on a 1×1 OS array (fold = T cycles, minus one):
        // there it reports more than 100 % utilisation.
        const offByOneBites = semantics === "scalesim" && cfg.dataflow === "os" && pe === 1;
        if (!offByOneBites) expect(r.total_cycles, where).toBeGreaterThanOrEqual(Math.ceil(r.macs / pe));
        for (const u of offByOneBites ? [r.mapping_efficiency_pct, r.compute_util_pct] : [r.overall_util_pct, r.mapping_efficiency_pct, r.compute_util_pct]) {
          expect(u, where).toBeGreaterThan(0);
          expect(u, where).toBeLessThanOrEqual(100);
        }
        const lowered = lowerLayers([layer], semantics)[0]!.gemm;
        expect(r.dram_ifmap_reads, where).toBeGreaterThanOrEqual(lowered.ifmapFootprint);
        expect(r.dram_filter_reads, where).toBeGreaterThanOrEqual(r.gemm_k * r.gemm_n);
        expect(r.dram_ofmap_writes, where).toBeGreaterThanOrEqual(r.gemm_m * r.gemm_n);
        if (semantics === "corrected") expect(r.dram_ofmap_writes, where).toBe(r.sram_ofmap_writes); // every partial sum drained once
        expect(r.stall_cycles, where).toBe(0); // CALC reads never stall, and these OFMAP buffers keep up
        for (const [k, v] of Object.entries(r)) if (typeof v === "number" && !k.includes("start") && !k.includes("stop")) expect(v, `${where} ${k}`).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("USER mode: more DRAM bandwidth never adds stalls", () => {
    for (const { cfg, layer } of cases.slice(0, 30)) {
      let previous = Infinity;
      for (const bw of [1, 2, 4, 8, 16, 64]) {
        const r = simulateSystolic({ ...cfg, interface_bandwidth_mode: "USER", user_bandwidth_words_per_cycle: [bw] }, [layer], { semantics: "scalesim" })[0]!;
        expect(r.stall_cycles, `${cfg.dataflow} ${JSON.stringify(layer)} at ${bw} words/cycle`).toBeLessThanOrEqual(previous);
        // total = stall-free cycles + stalls, less the read stall of the very last row (SCALE-Sim
        // takes the total from the OFMAP side of that row)
        const calc = simulateSystolic(cfg, [layer], { semantics: "scalesim" })[0]!;
        expect(r.total_cycles).toBeGreaterThanOrEqual(calc.total_cycles);
        expect(r.total_cycles).toBeLessThanOrEqual(calc.total_cycles + r.stall_cycles);
        previous = r.stall_cycles;
      }
    }
  });
});

describe("OFMAP buffer: jumping over rows is exact", () => {
  it("writeRun gives the same stalls, completion cycles and DRAM traffic as row-by-row writeRow", () => {
    const rnd = rng(7);
    let stalledRuns = 0;
    for (let trial = 0; trial < 300; trial++) {
      const total = 100 + rnd(3000);
      const bw = rnd(40);
      const exact = trial % 2 === 0;
      const bulk = new OfmapWriteBuffer(total, bw, exact);
      const rows = new OfmapWriteBuffer(total, bw, exact);
      let stallBulk = 0;
      let stallRows = 0;
      let row = 0;
      let lastBulk = 0;
      let lastRows = 0;
      for (let run = 0; run < 20; run++) {
        const words = rnd(64);
        const n = rnd(200);
        for (let r = 0; r < n; r++) {
          const c = row + r + stallRows;
          lastRows = rows.writeRow(words, c);
          stallRows += lastRows - c;
        }
        let done = 0;
        while (done < n) {
          const c = row + done + stallBulk;
          const k = bulk.writeRun(words, n - done, c);
          const lastCycle = c + k - 1;
          if (bulk.lastRowOut > lastCycle) stallBulk += bulk.lastRowOut - lastCycle;
          lastBulk = bulk.lastRowOut;
          done += k;
        }
        row += n + rnd(5); // gaps of empty rows between runs
        expect(stallBulk).toBe(stallRows);
        expect(lastBulk).toBe(lastRows);
      }
      if (stallRows > 0) stalledRuns++;
      expect(bulk.finish(lastBulk)).toEqual(rows.finish(lastRows));
    }
    expect(stalledRuns).toBeGreaterThan(50); // the comparison covered stalls
  });
});
