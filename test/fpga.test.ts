/**
 * The FPGA accelerator model (src/core/fpga, docs/fpga.md): Zhang FPGA'15's closed forms by hand, the
 * FPGA'15 design reproduced, resource limits as infeasible results naming the resource, invariants of the
 * search, the job's input checks, and the published points of validation/measured-fpga.json.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import {
  bufferBlocks, evaluateDesign, evaluateLayer, type FpgaDevice, type FpgaLayer, fpgaDevice, layerCycles, layerDramBytes, layerOps, searchDesigns,
} from "../src/core/fpga/index.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const catalog = nodeCatalog();
const vc707 = catalog.chip("amd-virtex7-vx485t-vc707");
const device = fpgaDevice(vc707, catalog.context(vc707).efficiency.main_memory_efficiency);

/** AlexNet (2012) conv layers per group, as Zhang FPGA'15 tabulates them. */
const ALEXNET: FpgaLayer[] = [
  { name: "conv1", M: 48, N: 3, R: 55, C: 55, K: 11, S: 4, repeats: 2 },
  { name: "conv2", M: 128, N: 48, R: 27, C: 27, K: 5, S: 1, repeats: 2 },
  { name: "conv3", M: 192, N: 256, R: 13, C: 13, K: 3, S: 1, repeats: 2 },
  { name: "conv4", M: 192, N: 192, R: 13, C: 13, K: 3, S: 1, repeats: 2 },
  { name: "conv5", M: 128, N: 192, R: 13, C: 13, K: 3, S: 1, repeats: 2 },
];

describe("one layer by hand (Zhang FPGA'15 §3-4)", () => {
  // conv5 with <Tm, Tn, Tr, Tc> = <64, 7, 13, 13>, P = 0, one group.
  const l: FpgaLayer = { name: "conv5", M: 128, N: 192, R: 13, C: 13, K: 3, S: 1, repeats: 1 };
  it("cycles = ⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉(Tr·Tc·K² + P)", () => {
    expect(layerCycles(l, 64, 7, 13, 13, 0)).toBe(2 * 28 * 1 * 1 * 13 * 13 * 9); // 85,176
    expect(layerCycles(l, 64, 7, 13, 13, 8)).toBe(2 * 28 * (1521 + 8));
    expect(layerCycles(l, 64, 7, 7, 7, 0)).toBe(2 * 28 * 2 * 2 * 49 * 9); // edge tiles padded
    expect(layerCycles(l, 64, 7, 13, 13, 0, 4)).toBe(2 * 28 * 13 * 4 * 9); // Tp = 4 pixels: ⌈13/4⌉ = 4 steps per row
  });
  it("DRAM bytes and the CTC ratio", () => {
    // B_in = 7·15·15 = 1,575; B_w = 64·7·9 = 4,032; B_out = 64·169 = 10,816 words; α_in = α_w = 2·28 = 56, α_out = 2.
    const words = 56 * (1575 + 4032) + 2 * 10816;
    expect(layerDramBytes(l, 64, 7, 13, 13, "fp32")).toBe(4 * words);
    expect(layerOps(l)).toBe(2 * 128 * 192 * 169 * 9);
    const r = evaluateLayer({ device, dtype: "fp32", tm: 64, tn: 7, tp: 1, clock_hz: 100e6, pipeline_depth: 0 }, l, 13, 13);
    expect(r.ctc_ops_per_byte).toBeCloseTo(layerOps(l) / (4 * words), 9);
    expect(r.compute_roof_ops_per_s).toBeCloseTo(layerOps(l) / (85176 / 100e6), 0);
    expect(r.attainable_ops_per_s).toBeCloseTo(Math.min(r.compute_roof_ops_per_s, r.ctc_ops_per_byte * device.dram_bytes_per_s), 0);
    expect(r.bound).toBe("compute");
  });
  it("block RAM: banks share a block only where the port is wide enough", () => {
    const bram18 = { block_bits: 18432, port_bits: 36 };
    expect(bufferBlocks(bram18, 448, 121, 32)).toBe(448); // 448 fp32 weight banks of 121 words
    expect(bufferBlocks(bram18, 448, 121, 8)).toBe(112); // four int8 weights per 36-bit word
    expect(bufferBlocks(bram18, 7, 1521, 32)).toBe(21); // 1,521-deep input banks: 3 blocks each
    expect(bufferBlocks(bram18, 1, 10, 64)).toBe(2); // a 64-bit word spans two 36-bit ports
    const uram = { block_bits: 294912, port_bits: 72 };
    expect(bufferBlocks(uram, 512, 9, 8)).toBe(57); // nine int8 weights per 72-bit word, 4,096 deep
  });
});

describe("Zhang FPGA'15 on the VC707 reproduced", () => {
  const r = evaluateDesign(device, ALEXNET, { tm: 64, tn: 7, dtype: "fp32", clock_hz: 100e6 }, { pipeline_depth: 0 });
  it("<64, 7> is 448 fp32 MACs on 2,240 DSP48E1 (80 %), a 89.6 GFLOPS roof", () => {
    expect(r.feasible).toBe(true);
    expect(r.macs_per_cycle).toBe(448);
    expect(r.resources.dsp).toBe(2240);
    expect(r.resources.utilisation.dsp).toBeCloseTo(0.8, 9);
    expect(r.totals.peak_ops_per_s).toBeCloseTo(89.6e9, 0);
  });
  it("2,005,892 cycles for 1.33 GFLOP: 66.4 GFLOPS, within 8 % of the measured 61.62", () => {
    expect(r.layers.reduce((s, l) => s + l.compute_cycles, 0)).toBe(2 * (366025 + 255150 + 168831 + 127764 + 85176));
    expect(r.totals.ops).toBe(1331569728);
    expect(r.totals.ops_per_s / 1e9).toBeCloseTo(66.38, 1);
    expect(Math.abs(r.totals.ops_per_s / 61.62e9 - 1)).toBeLessThan(0.08);
    expect(r.layers.every((l) => l.bound === "compute")).toBe(true);
  });
  it("an explicit ⟨Tr, Tc⟩ is used for every layer, capped at its R and C", () => {
    const t = evaluateDesign(device, ALEXNET, { tm: 64, tn: 7, tr: 13, tc: 13, dtype: "fp32", clock_hz: 100e6 }, { pipeline_depth: 0 });
    expect(t.layers.map((l) => `${l.tr}x${l.tc}`)).toEqual(["13x13", "13x13", "13x13", "13x13", "13x13"]);
    // conv1: ⌈55/13⌉² = 25 tiles of 13·13·121 cycles (edge tiles padded) per group.
    expect(t.layers[0]!.compute_cycles).toBe(2 * 25 * 169 * 121);
    expect(t.totals.latency_s).toBeGreaterThan(r.totals.latency_s);
    const big = evaluateDesign({ ...device, bram_blocks: 1100 }, ALEXNET, { tm: 64, tn: 7, tr: 55, tc: 55, dtype: "fp32", clock_hz: 100e6 });
    expect(big.shortfall?.resource).toBe("BRAM");
  });
  it("power ≈ the 18.61 W it is calibrated on; LUTs ≈ the 186,251 reported", () => {
    expect(r.power.total_w).toBeGreaterThan(17);
    expect(r.power.total_w).toBeLessThan(19);
    expect(Math.abs(r.resources.luts / 186251 - 1)).toBeLessThan(0.05);
  });
});

describe("resource limits are infeasible results naming the resource", () => {
  it("DSP: <64, 9> needs 2,880 of 2,800 DSP48E1", () => {
    const r = evaluateDesign(device, ALEXNET, { tm: 64, tn: 9, dtype: "fp32", clock_hz: 100e6 });
    expect(r.feasible).toBe(false);
    expect(r.shortfall).toEqual({ resource: "DSP", needed: 2880, available: 2800, over_by: 80 });
  });
  it("BRAM: a device with 200 blocks cannot hold <64, 7>'s 448 fp32 weight banks", () => {
    const small: FpgaDevice = { ...device, bram_blocks: 200 };
    const r = evaluateDesign(small, ALEXNET, { tm: 64, tn: 7, dtype: "fp32", clock_hz: 100e6 });
    expect(r.feasible).toBe(false);
    expect(r.shortfall?.resource).toBe("BRAM");
    expect(r.shortfall?.needed).toBeGreaterThanOrEqual(2 * 448);
    expect(r.shortfall?.available).toBe(200);
  });
  it("LUT: 448 fp32 MACs do not fit 100,000 LUTs", () => {
    const r = evaluateDesign({ ...device, luts: 100_000 }, ALEXNET, { tm: 64, tn: 7, dtype: "fp32", clock_hz: 100e6 });
    expect(r.shortfall?.resource).toBe("LUT");
    expect(r.shortfall!.over_by).toBe(r.shortfall!.needed - 100_000);
  });
  it("the search on a device too small for one MAC names the DSP", () => {
    const s = searchDesigns({ ...device, dsp_count: 4 }, ALEXNET, { dtype: "fp32" });
    expect(s.best).toBeUndefined();
    expect(s.shortfall?.resource).toBe("DSP");
  });
  it("the job reports an infeasible explicit design with its shortfall", () => {
    const r = JOBS.fpga.run({ chip: "amd-virtex7-vx485t-vc707", layers: ALEXNET, dtype: "fp32", tm: 64, tn: 9 }, catalog);
    expect(r.feasible).toBe(false);
    expect(r.shortfall?.resource).toBe("DSP");
  });
});

describe("pixel parallelism (DPU-style Tp)", () => {
  it("Tp pixels share the weight ports: Tp× the MACs, the same weight banks", () => {
    const d = fpgaDevice(catalog.chip("amd-zynq-zu7ev-zcu104"), 0.8);
    const one = evaluateDesign(d, ALEXNET, { tm: 32, tn: 16, dtype: "int8", clock_hz: 300e6 });
    const eight = evaluateDesign(d, ALEXNET, { tm: 32, tn: 16, tp: 8, dtype: "int8", clock_hz: 300e6, dsp_clock_ratio: 2 });
    expect(eight.macs_per_cycle).toBe(4096);
    expect(eight.resources.dsp).toBe(1024); // 4,096 × ½ ÷ 2 (PG338: 2 × 514 low-DSP B4096)
    expect(eight.totals.peak_ops_per_s).toBeCloseTo(2.4576e12, -6);
    expect(eight.totals.latency_s).toBeLessThan(one.totals.latency_s / 4);
  });
});

describe("UltraRAM holds the weights where they fit", () => {
  const zu7 = fpgaDevice(catalog.chip("amd-zynq-zu7ev-zcu104"), 0.8);
  const layers: FpgaLayer[] = [{ name: "c", M: 256, N: 256, R: 28, C: 28, K: 3, S: 1, repeats: 1 }];
  it("weights move to the pool and free block RAM; without a pool they stay in BRAM", () => {
    const design = { tm: 16, tn: 27, dtype: "int8" as const, clock_hz: 300e6 };
    const withPool = evaluateDesign(zu7, layers, design);
    const { weight_pool: _drop, ...noPoolDevice } = zu7;
    const noPool = evaluateDesign(noPoolDevice, layers, design);
    expect(withPool.resources.weight_pool_blocks).toBe(96); // 2 × ⌈432 / 9⌉ = all 96 URAM
    expect(noPool.resources.weight_pool_blocks).toBe(0);
    expect(noPool.resources.bram_blocks - withPool.resources.bram_blocks).toBe(2 * Math.ceil(432 / 4)); // the int8 weight banks
    // 64 × 32 int8 weights need 2 × 228 URAM > 96: they stay in block RAM.
    expect(evaluateDesign(zu7, layers, { ...design, tm: 64, tn: 32 }).resources.weight_pool_blocks).toBe(0);
  });
  it("more on-chip memory never makes the best design slower", () => {
    const { weight_pool: _drop, ...noPoolDevice } = zu7;
    const a = searchDesigns(noPoolDevice, layers, { dtype: "int8", clock_hz: 300e6 }).best!;
    const b = searchDesigns(zu7, layers, { dtype: "int8", clock_hz: 300e6 }).best!;
    expect(b.totals.latency_s).toBeLessThanOrEqual(a.totals.latency_s * (1 + 1e-9));
  });
});

describe("search invariants", () => {
  const run = (d: FpgaDevice) => searchDesigns(d, ALEXNET, { dtype: "fp32", clock_hz: 100e6 }).best!;
  const base = run(device);
  it("the search finds a design at least as fast as the paper's <64, 7>, within the device", () => {
    const paper = evaluateDesign(device, ALEXNET, { tm: 64, tn: 7, dtype: "fp32", clock_hz: 100e6 });
    expect(base.totals.latency_s).toBeLessThanOrEqual(paper.totals.latency_s * (1 + 1e-9));
    expect(base.resources.utilisation.dsp).toBeLessThanOrEqual(1);
    expect(base.resources.utilisation.bram).toBeLessThanOrEqual(1);
    expect(base.resources.utilisation.luts!).toBeLessThanOrEqual(1);
    expect(base.totals.dsp_efficiency).toBeLessThanOrEqual(1);
  });
  it("more DSPs never make the best design slower (derived clock included)", () => {
    let prev = Infinity;
    for (const dsp of [500, 1000, 2000, 2800, 4000]) {
      const b = searchDesigns({ ...device, dsp_count: dsp }, ALEXNET, { dtype: "fp32" }).best!;
      expect(b.totals.latency_s).toBeLessThanOrEqual(prev * (1 + 1e-9));
      prev = b.totals.latency_s;
    }
  });
  it("more DRAM bandwidth never makes it slower; a starved device turns memory-bound", () => {
    let prev = Infinity;
    for (const bw of [0.2e9, 1e9, 4e9, 12.8e9]) {
      const b = run({ ...device, dram_bytes_per_s: bw });
      expect(b.totals.latency_s).toBeLessThanOrEqual(prev * (1 + 1e-9));
      prev = b.totals.latency_s;
    }
    expect(run({ ...device, dram_bytes_per_s: 0.2e9 }).totals.memory_bound_layers).toBeGreaterThan(0);
  });
  it("int8 packing on DSP48E2 holds twice the MACs of int16", () => {
    const zu7 = catalog.chip("amd-zynq-zu7ev-zcu104");
    const d = fpgaDevice(zu7, 0.8);
    const i8 = evaluateDesign(d, ALEXNET, { tm: 64, tn: 16, dtype: "int8", clock_hz: 200e6 });
    const i16 = evaluateDesign(d, ALEXNET, { tm: 64, tn: 16, dtype: "int16", clock_hz: 200e6 });
    expect(i8.resources.dsp * 2).toBe(i16.resources.dsp);
  });
});

describe("fpga job", () => {
  it("runs a catalog CNN's conv and FC layers, search mode", () => {
    const r = JOBS.fpga.run({ chip: "amd-zynq-zu7ev-zcu104", model: "alexnet", dtype: "int8" }, catalog);
    expect(r.mode).toBe("search");
    expect(r.feasible).toBe(true);
    expect(r.workload.layers).toBe(8); // 5 conv + 3 FC
    expect(r.design!.clock_source).toBe("derived");
    expect(r.design!.totals.memory_bound_layers).toBeGreaterThan(0); // FC layers at batch 1
  });
  it("rejects bad input with the field named", () => {
    const bad = (req: object, field: string) => {
      try {
        JOBS.fpga.run({ chip: "amd-virtex7-vx485t-vc707", model: "alexnet", ...req } as never, catalog);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(XpusimError);
        expect((e as XpusimError).diagnostics[0]!.path).toBe(field);
      }
    };
    bad({ tm: 8 }, "tn");
    bad({ tm: 8, tn: 8, tr: 4 }, "tc");
    bad({ tr: 4, tc: 4 }, "tr");
    bad({ dtype: "fp8" }, "dtype");
    bad({ tm: 0, tn: 4 }, "tm");
    bad({ chip: "nvidia-h100-sxm" }, "chip");
    bad({ model: "llama-2-7b" }, "model");
  });
});

describe("validation/measured-fpga.json", () => {
  const measured = JSON.parse(readFileSync(join(import.meta.dirname, "..", "validation", "measured-fpga.json"), "utf8")) as unknown[];
  const summary = JOBS.validation.run({ measured, file: "validation/measured-fpga.json" }, catalog);
  it("predicts every point within the model's stated accuracy", () => {
    for (const r of summary.results) if (r.status !== "ok") console.log(JSON.stringify(r));
    for (const r of summary.results) console.log(`${r.id}: measured ${r.measured} ${r.unit}, predicted ${r.predicted?.toFixed(2)}, error ${((r.error ?? NaN) * 100).toFixed(1)} %`);
    expect(summary.results.every((r) => r.status === "ok")).toBe(true);
    for (const r of summary.results) expect(Math.abs(r.error!), r.id).toBeLessThan(0.5);
    expect(summary.by_category[0]!.median_abs_error!).toBeLessThan(0.1);
  });
});

describe("xpusim fpga", () => {
  it("prints the design and its layers; --json keeps the job's result; an infeasible design exits 3 naming the resource", async () => {
    const { runCli } = await import("./helpers/run-cli.js");
    const text = await runCli("fpga", "--chip", "VC707", "--layer", "conv:M=128,N=192,R=13,C=13,K=3,S=1", "--dtype", "fp32", "--tm", "64", "--tn", "7", "--clock", "100MHz");
    expect(text.code).toBe(0);
    expect(text.out).toContain("⟨Tm, Tn⟩ = ⟨64, 7⟩: 448 MACs at 100 MHz (given)");
    expect(text.out).toMatch(/DSP 2240 \(80\.0%\)/);
    const js = await runCli("fpga", "--chip", "amd-zynq-7z045-zc706", "--model", "vgg-16", "--scope", "conv", "--dtype", "fixed16", "--json");
    expect(js.code).toBe(0);
    const r = JSON.parse(js.out);
    expect(r.kind).toBe("fpga");
    expect(r.dtype).toBe("int16");
    expect(r.design.resources.dsp).toBeLessThanOrEqual(900);
    const over = await runCli("fpga", "--chip", "VC707", "--model", "alexnet", "--dtype", "fp32", "--tm", "64", "--tn", "9");
    expect(over.code).toBe(3);
    expect(over.out).toContain("INFEASIBLE: DSP needs 2880, the device has 2800 (over by 80)");
    const usage = await runCli("fpga", "--chip", "VC707");
    expect(usage.code).toBe(2);
  });
});
