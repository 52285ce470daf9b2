/**
 * The NPU model against the published reference designs of shared/research/energy-area.md §3.2 and §7.
 * Each test prints the model's figure, the published one and the ratio, and asserts a generous bound;
 * the comments say why the model differs.
 */
import { describe, expect, it } from "vitest";
import { designActionEnergies, mapLayer, problemFromConv, resolveDesign, summarizeDesign, totalsOf, type LayerMapResult, type LayerProblem } from "../src/core/npu/index.js";
import { DEFAULT_PRECISION } from "../src/core/workload/precision.js";
import { buildWorkload } from "../src/core/workload/build-workload.js";
import { loadChip } from "../src/node/chip-catalog.js";
import { loadEnergyCatalog } from "../src/node/energy-catalog.js";
import { loadModel } from "../src/node/model-catalog.js";

const cat = loadEnergyCatalog();

function convLayers(model: string, batch: number): LayerProblem[] {
  const g = buildWorkload(loadModel(model), { batch, new_tokens: 1, context_tokens: 1, phase: "forward" }, { ...DEFAULT_PRECISION });
  const out: LayerProblem[] = [];
  for (const b of g.blocks) for (const op of b.ops) if (op.kind === "conv2d") out.push({ ...problemFromConv(op), repeats: problemFromConv(op).repeats * b.repeat });
  return out;
}

const chipOnly = (rs: LayerMapResult[]): number => {
  const t = totalsOf(rs, 1);
  return (t.energy_pj - (t.energy_by_component_pj.dram ?? 0)) / t.macs;
};
const report = (what: string, model: number, published: number): number => {
  const ratio = model / published;
  console.log(`${what}: model ${model.toPrecision(4)}, published ${published.toPrecision(4)}, ratio ${ratio.toFixed(2)}`);
  return ratio;
};

describe("Eyeriss-like design (65 nm, 168 PEs)", () => {
  const d = resolveDesign(loadChip("examples/eyeriss-like.yaml"));
  const e = designActionEnergies(cat, d);
  it("Timeloop eyeriss_like reference layer (energy-area.md §3.2)", () => {
    // C=3, M=32, R=S=3, P=Q=112, stride 2, pad 1: 10,838,016 MACs; Timeloop: 5.47 pJ/MAC, MAC 0.208, DRAM 3.38 pJ/MAC.
    const p: LayerProblem = { name: "timeloop-ref", dims: { N: 1, M: 32, C: 3, P: 112, Q: 112, R: 3, S: 3 }, stride_h: 2, stride_w: 2, repeats: 1 };
    const r = mapLayer(d, e, p, { seed: 1, maxEvals: 3000 });
    expect(r.feasible).toBe(true);
    expect(r.macs).toBe(10_838_016);
    // Timeloop's figure is the per-action (dynamic) energy: compare without the clock network and leakage.
    const c = r.energy_by_component_pj!;
    const dynamic = (r.energy_pj! - c.static! - c.clock!) / r.macs;
    const total = report("Timeloop eyeriss_like pJ/MAC (dynamic, no clock/leakage)", dynamic, 5.46965);
    const mac = report("  MAC pJ", c.mac! / r.macs, 0.20769);
    const dram = report("  DRAM pJ/MAC", c.dram! / r.macs, 3.38086);
    console.log(`  clock ${(c.clock! / r.macs).toFixed(3)} pJ/MAC, leakage ${(c.static! / r.macs).toFixed(4)} pJ/MAC (not in Timeloop's figure)`);
    // Leakage per cycle from the Accelergy ERT itself: the static table's 65 nm density × area is the same order.
    expect(c.static! / r.macs).toBeLessThan(0.2);
    expect(mac).toBeGreaterThan(1.2);
    expect(mac).toBeLessThan(2.5);
    // DRAM: the design's DDR3 (20.3 pJ/bit) against Timeloop's LPDDR4 (8 pJ/bit) is 2.5× per bit; the mapping
    // search and compulsory traffic (weights once, inputs once, outputs once) bring the rest.
    expect(dram).toBeGreaterThan(0.3);
    expect(dram).toBeLessThan(5);
    expect(total).toBeGreaterThan(0.3);
    expect(total).toBeLessThan(4);
  });
  it("AlexNet CONV layers, batch 4: chip-only pJ/MAC (JSSC 2017: 278 mW at 35 fps ≈ 11.9 pJ/MAC)", () => {
    const rs = convLayers("alexnet", 4).map((p) => mapLayer(d, e, p, { seed: 1, maxEvals: 2000 }));
    expect(rs.every((r) => r.feasible)).toBe(true);
    const ratio = report("Eyeriss AlexNet conv chip-only pJ/MAC", chipOnly(rs), 11.9);
    const t = totalsOf(rs, 1);
    const per = (k: string): number => (t.energy_by_component_pj[k] ?? 0) / t.macs;
    console.log(`  clock ${per("clock").toFixed(2)}, leakage ${per("static").toFixed(3)}, MAC ${per("mac").toFixed(3)} pJ/MAC; utilization ${(t.macs / (t.latency_s * d.clock_hz * 168)).toFixed(3)} (published 0.69)`);
    // With the un-gated clock network (98,112 flop bits × the 65 nm register access energy each cycle, ratio 1.0,
    // range 0.3–2, catalog/energy/static-power.yaml) the model reaches ~10 pJ/MAC: the clock is ~9.4 of it, more
    // than its share on silicon, so the per-action tables still miss control, the codec and the 16-bit datapath.
    // Clock ratio 0.3–2 spans ratios ~0.3–1.6. Leakage is negligible at 65 nm LP (Accelergy ERT).
    expect(per("static")).toBeLessThan(0.2);
    expect(per("clock")).toBeGreaterThan(1);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(3);
  });
  it("area: 168 PEs + 108 KiB at 65 nm vs the 16 mm² die", () => {
    const s = summarizeDesign(cat, d);
    const ratio = report("Eyeriss area mm²", s.area.total_mm2, 16);
    // The small-SRAM density (LLMCompass array efficiency 0.076 at 4 KiB, applied to the 27 GLB banks and the
    // per-PE weight spads) is pessimistic: the model is ~2.6× the die, which also has I/O pads and the codec.
    // Within 0.3–5×.
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(5);
  });
});

describe("NVDLA-like design (2048 int8 MACs, 512 KiB CBUF, 16 nm, 1 GHz)", () => {
  const d = resolveDesign(loadChip("examples/nvdla-like.yaml"));
  const e = designActionEnergies(cat, d);
  const layers = convLayers("resnet-50", 1);
  it("area vs the primer's 3.3 mm² at 16 nm", () => {
    const ratio = report("NVDLA area mm²", summarizeDesign(cat, d).area.total_mm2, 3.3);
    // MACs from the 45/7 nm tables interpolated to 16 nm, CBUF at the 512 KiB macro density, 30 % overhead (an
    // estimate, not fitted). The primer counts the whole core (CDMA, SDP, PDP, CDP), the model does not.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
  it("ResNet-50 latency (objective latency) vs 269 fps", () => {
    const rs = layers.map((p) => mapLayer(d, e, p, { seed: 1, maxEvals: 1500, objective: "latency" }));
    expect(rs.every((r) => r.feasible)).toBe(true);
    const t = totalsOf(rs, 1);
    const ratio = report("NVDLA ResNet-50 s/image (conv layers)", t.latency_s, 1 / 269);
    // The model has no pipeline bubbles, layer switch or SDP/PDP time and maps each layer independently with
    // exact factors; the primer's figure is a perf-spreadsheet estimate. Expect 0.4–2×.
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2);
  });
  it("ResNet-50 chip energy per MAC vs 291 mW average at 269 fps", () => {
    const rs = layers.map((p) => mapLayer(d, e, p, { seed: 1, maxEvals: 1500, objective: "energy" }));
    const t = totalsOf(rs, 1);
    const published = 0.291 / 269 / (t.macs * 1e-12); // pJ/MAC over the same MAC count
    const ratio = report("NVDLA ResNet-50 chip-only pJ/MAC", chipOnly(rs), published);
    const per = (k: string): number => (t.energy_by_component_pj[k] ?? 0) / t.macs;
    console.log(`  clock ${per("clock").toFixed(3)}, leakage ${per("static").toFixed(4)}, cbuf ${per("cbuf").toFixed(3)}, acc ${per("acc").toFixed(3)} pJ/MAC`);
    // The model spends ~0.3 pJ/MAC on CBUF reads, ~0.27 on accumulator registers and ~0.38 on an un-gated clock:
    // NVDLA reuses each CBUF read across an atomic operation, accumulates in wide CACC SRAM and gates its
    // clocks, none of which the flat tables know; the leakage (16 nm, interpolated) is ~1 %. Expect 0.5–6×.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(6);
  });
});
