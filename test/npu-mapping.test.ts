import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import {
  checkMapping, computeAccessCounts, designActionEnergies, mapLayer, mappingFromObject, parseLayerSpec, replayMapping, resolveDesign, searchMapping,
  type LayerProblem, type Mapping,
} from "../src/core/npu/index.js";
import { ones } from "../src/core/npu/mapping.js";
import { chipFromObject, loadChip } from "../src/node/chip-catalog.js";
import { loadEnergyCatalog } from "../src/node/energy-catalog.js";

const cat = loadEnergyCatalog();

/** A 2×2 weight-stationary array with one 1 KiB buffer; no per-PE levels. */
function tinyChip(glb = "1 KiB") {
  return chipFromObject({
    id: "tiny", name: "tiny", vendor: "test", kind: "npu", family: "generic-systolic",
    process: { node: "45 nm" }, clock: { boost: "1 GHz" },
    compute: { units: 1, matrix: { kind: "systolic", count: 1, shape: { rows: 2, cols: 2 }, macs_per_cycle: { int8: 4 } } },
    memory: { main: { type: "LPDDR4", capacity: "1 GiB", bandwidth: "16 GB/s" } },
    design: { dataflow: "ws", dtype: "int8", buffers: [{ name: "glb", capacity: glb }] },
  });
}
const tinyLayer: LayerProblem = { name: "t", dims: { N: 1, M: 2, C: 2, P: 4, Q: 1, R: 1, S: 1 }, stride_h: 1, stride_w: 1, repeats: 1 };

function tinyMapping(glb: Partial<Record<"M" | "C" | "P", number>>, order: Mapping["temporal"][number]["order"], rows: number, cols: number): Mapping {
  return {
    temporal: [
      { factors: ones(), order: ["N", "M", "C", "P", "Q", "R", "S"] },
      { factors: { ...ones(), ...glb }, order },
    ],
    spatial: { rows: { ...ones(), C: rows }, cols: { ...ones(), M: cols }, arrays: ones() },
  };
}

describe("access counts (hand-computed)", () => {
  const d = resolveDesign(tinyChip());
  it("weights stationary in the array, P streamed from the buffer", () => {
    const m = tinyMapping({ P: 4 }, ["N", "M", "C", "P", "Q", "R", "S"], 2, 2);
    expect(checkMapping(d, tinyLayer, m)).toEqual([]);
    const c = computeAccessCounts(d, tinyLayer, m);
    expect(c.macs).toBe(16);
    // DRAM: each weight (4) and input (8) read once; 8 outputs written once, never read back.
    expect(c.levels[0]!.reads).toEqual({ weights: 4, inputs: 8, outputs: 0 });
    expect(c.levels[0]!.writes).toEqual({ weights: 0, inputs: 0, outputs: 8 });
    // Buffer: filled once with W and I; W read once into the array (stationary over P), I read 2 per step × 4 steps;
    // outputs: 8 updates from the array (C reduced across the rows), 8 drained to DRAM.
    expect(c.levels[1]!.reads).toEqual({ weights: 4, inputs: 8, outputs: 8 });
    expect(c.levels[1]!.writes).toEqual({ weights: 4, inputs: 8, outputs: 8 });
    // Systolic hops: 4 weights to 4 PEs, 2 inputs × 2 columns × 4 steps, 4 PEs × 4 steps partial sums.
    expect(c.noc_words).toBe(4 + 16 + 16);
    expect(c.temporal_cycles).toBe(4);
    expect(c.fill_drain_cycles).toBe(2); // one fold, rows + cols − 2
  });
  it("a temporal reduction loop outside P reads partial sums back", () => {
    const m = tinyMapping({ C: 2, P: 4 }, ["C", "P", "N", "M", "Q", "R", "S"], 1, 2);
    expect(checkMapping(d, tinyLayer, m)).toEqual([]);
    const c = computeAccessCounts(d, tinyLayer, m);
    // Outputs: refetch = P·C = 8 passes × 2 columns = 16 updates; 16 − 8 first writes = 8 read-backs, + 8 drains.
    expect(c.levels[1]!.writes.outputs).toBe(16);
    expect(c.levels[1]!.reads.outputs).toBe(8 + 8);
    // Weights: stationary over the inner P loop, refetched per C step: 2 (M) × 2 (C) = 4.
    expect(c.levels[1]!.reads.weights).toBe(4);
    expect(c.temporal_cycles).toBe(8);
  });
  it("energy is non-negative and equals the sum of its parts", () => {
    const e = designActionEnergies(cat, d);
    const m = tinyMapping({ P: 4 }, ["N", "M", "C", "P", "Q", "R", "S"], 2, 2);
    const r = replayMapping(d, e, tinyLayer, m);
    expect(r.feasible).toBe(true);
    const parts = Object.values(r.energy_by_component_pj!);
    expect(parts.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(r.energy_pj!, 6);
    // MAC energy at 45 nm int8: 0.30 pJ × 16 MACs.
    expect(r.energy_by_component_pj!.mac).toBeCloseTo(4.8, 9);
  });
});

describe("mapper", () => {
  const d = resolveDesign(loadChip("examples/npu-128x128.yaml"));
  const e = designActionEnergies(cat, d);
  const layers = ["conv:h=56,w=56,c=64,m=64,r=3,s=3,pad=1", "conv:h=224,w=224,c=3,m=64,r=7,s=7,stride=2,pad=3", "gemm:m=128,n=1000,k=2048"].map(parseLayerSpec);
  it("never returns an invalid mapping; same seed, same result", () => {
    for (const p of layers)
      for (const seed of [1, 7]) {
        const r = searchMapping(d, p, e, { seed, maxEvals: 400 });
        expect(r.feasible).toBe(true);
        expect(checkMapping(d, p, r.best!.mapping)).toEqual([]);
        const again = searchMapping(d, p, e, { seed, maxEvals: 400 });
        expect(again.best!.mapping).toEqual(r.best!.mapping);
        expect(again.best!.evaluation.energy_pj).toBe(r.best!.evaluation.energy_pj);
      }
  });
  it("replaying a searched mapping reproduces its numbers exactly", () => {
    const p = layers[0]!;
    const r = mapLayer(d, e, p, { seed: 3, maxEvals: 300 });
    const m = mappingFromObject(d, JSON.parse(JSON.stringify(r.mapping)));
    const again = replayMapping(d, e, p, m);
    expect(again.energy_pj).toBe(r.energy_pj);
    expect(again.cycles).toBe(r.cycles);
    expect(again.energy_by_level_pj).toEqual(r.energy_by_level_pj);
  });
  it("stops when asked", () => {
    let n = 0;
    const r = searchMapping(d, layers[0]!, e, { maxEvals: 10_000, shouldStop: () => ++n > 25 });
    expect(r.stopped).toBe("cancelled");
    expect(r.evaluations).toBe(25);
  });
  it("objectives trade energy against latency", () => {
    const p = layers[0]!;
    const en = mapLayer(d, e, p, { seed: 1, maxEvals: 1500, objective: "energy" });
    const lat = mapLayer(d, e, p, { seed: 1, maxEvals: 1500, objective: "latency" });
    expect(en.energy_pj!).toBeLessThanOrEqual(lat.energy_pj!);
    expect(lat.cycles!).toBeLessThanOrEqual(en.cycles!);
  });
});

describe("bad input and infeasible designs", () => {
  it("SRAM too small for a single tile is an infeasible result with the reason", () => {
    const d = resolveDesign(tinyChip("1 B"));
    const e = designActionEnergies(cat, d);
    const r = mapLayer(d, e, tinyLayer, { maxEvals: 50 });
    expect(r.feasible).toBe(false);
    expect(r.reasons.join(" ")).toMatch(/level "glb": 1 B usable cannot hold one element/);
    expect(r.evaluations).toBe(0);
  });
  it("a replayed mapping that does not fit says why", () => {
    const d = resolveDesign(tinyChip("16 B"));
    const e = designActionEnergies(cat, d);
    const m = tinyMapping({ P: 4 }, ["N", "M", "C", "P", "Q", "R", "S"], 2, 2);
    const r = replayMapping(d, e, tinyLayer, m);
    expect(r.feasible).toBe(false);
    expect(r.reasons[0]).toMatch(/level "glb": tiles need 44 B/); // W 4 B + I 8 B + O 8 × 4 B
    const bad = replayMapping(d, e, tinyLayer, tinyMapping({ P: 2 }, ["N", "M", "C", "P", "Q", "R", "S"], 4, 2));
    expect(bad.reasons.join("\n")).toMatch(/dim C: factors multiply to 4, the layer has 2/);
    expect(bad.reasons.join("\n")).toMatch(/spatial rows: 4 used, the design has 2/);
  });
  it("malformed layers, mappings and designs raise XpusimError", () => {
    expect(() => parseLayerSpec("conv:h=0,c=3,m=4,r=3")).toThrow(XpusimError);
    expect(() => parseLayerSpec("lstm:h=3")).toThrow(XpusimError);
    expect(() => parseLayerSpec("conv:h=2,c=3,m=4,r=5")).toThrow(/larger than the padded input/);
    const d = resolveDesign(tinyChip());
    expect(() => mappingFromObject(d, { levels: { sram: {} } })).toThrow(/unknown level "sram"/);
    expect(() => mappingFromObject(d, { levels: { glb: { factors: { P: -1 } } } })).toThrow(/positive integer/);
    expect(() =>
      resolveDesign(chipFromObject({
        id: "x", name: "x", vendor: "t", kind: "npu", family: "generic-systolic", clock: { boost: "1 GHz" },
        compute: { units: 1, matrix: { kind: "systolic", shape: { rows: 2, cols: 2 } } },
        memory: { main: { type: "DDR4", capacity: "1 GiB", bandwidth: "1 GB/s" } },
        design: { buffers: [{ name: "pe_reg", capacity: "4 B", scope: "pe" }, { name: "glb", capacity: "1 KiB" }] },
      })),
    ).toThrow(/process node[\s\S]*listed inside a per-PE level/);
  });
});
