import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { architectureDiagram, breakdownChart, costChart, factorChart, powerThermalChart, precisionChart, rooflineChart, rooflinePoints, scalingChart } from "../src/core/charts/index.js";
import { xmlError } from "./helpers/xml-check.js";
import { FIXTURE_CPU, FIXTURE_GPU, FIXTURE_NPU, reportFixture } from "./helpers/report-fixture.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

/** Items of a vega mark type in an SVG (vega labels each item with aria-roledescription). */
const items = (svg: string, role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;

/** Self-contained: no URL but the SVG namespace, no external image, font or stylesheet. */
function expectSelfContained(svg: string): void {
  expect(svg.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, "")).not.toMatch(/https?:\/\//);
  expect(svg).not.toMatch(/<image|@import|@font-face|<script/);
}

const charts = reportFixture().charts;

describe("charts render self-contained, well-formed SVG with the expected marks", () => {
  it("roofline: one point per op with FLOPs, bytes and time, one roof label per distinct peak", async () => {
    const input = { ...charts.rooflines![0]!, ops: [...charts.rooflines![0]!.ops, { name: "empty", flops: 0, bytes: 10, time_s: 1e-6, bound: "memory" }] };
    const svg = await rooflineChart(input);
    expect(xmlError(svg)).toBeUndefined();
    expectSelfContained(svg);
    expect(rooflinePoints(input)).toHaveLength(4);
    expect(items(svg, "point")).toBe(4);
    // Hand-computed: qkv at 6e11 FLOP / 1.2e9 B = 500 FLOP/B, 6e11 / 2e-3 s = 3e14 FLOP/s.
    expect(rooflinePoints(input)[0]).toMatchObject({ intensity_flop_per_byte: 500, achieved_flops_per_s: 3e14 });
    expect(items(svg, "line mark")).toBe(3);
    for (const label of ["bf16 400 TFLOP/s", "fp8 800 TFLOP/s", "fp32 25 TFLOP/s", "arithmetic intensity (FLOP/byte)"]) expect(svg).toContain(label);
  });

  it("roofline: dtypes with the same peak share one roof", async () => {
    const svg = await rooflineChart({ chip: "x", peaks_flops_per_s: { bf16: 1e15, fp16: 1e15, fp8: 2e15 }, memory_bandwidth_bytes_per_s: 3e12, ops: [] });
    expect(items(svg, "line mark")).toBe(2);
    expect(svg).toContain("bf16/fp16 1 PFLOP/s");
  });

  it("factor comparison: one rect and one value per chip × factor, unknown shown as such", async () => {
    const a = reportFixture().assessment;
    const cells = a.chips.flatMap((c) => a.factor_keys.map((f) => ({ chip: c.chip, factor: f, value: c.factors[f]!.value, unit: c.factors[f]!.unit, rank: c.factors[f]!.rank })));
    const svg = await factorChart({ title: "factors", chips: a.chips.map((c) => c.chip), factors: a.factor_keys, cells });
    expect(xmlError(svg)).toBeUndefined();
    expect(items(svg, "rect mark")).toBe(2 * 3);
    expect(items(svg, "text mark")).toBe(2 * 3);
    expect(svg).toContain("820 tokens/s");
    expect(svg).toContain(">unknown<");
  });

  it("breakdown, cost, timeline, precision and scaling charts carry their marks and unit titles", async () => {
    const cases: Array<[string, Promise<string>, string, number, string[]]> = [
      ["time", breakdownChart(charts.time_breakdown!), "bar", 4, ["time (ms)"]],
      ["cost", costChart(charts.cost!), "bar", 3, ["USD per million tokens"]],
      ["timeline", powerThermalChart(charts.power_timelines![0]!), "line mark", 3, ["power (W)", "temperature (°C)", "time (s)", "clock (GHz)"]],
      // 7 points, 2 not native: 5 plotted; fp8 and mxfp8 at the same speed-up share a label; one panel per chip.
      ["precision", precisionChart(charts.precision!), "point", 5, ["mxfp8-e4m3, fp8-e4m3", "speed-up on the chip (×)", "relative error vs fp64", "fixture-gpu · not native (no speed-up, not plotted): fp4-e2m1", "fixture-npu · not native (no speed-up, not plotted): fp8-e4m3"]],
      ["scaling", scalingChart(charts.scaling!), "point", 3, ["chips (log₂ scale)", "scaling efficiency (%)"]],
    ];
    for (const [name, pending, role, count, texts] of cases) {
      const svg = await pending;
      expect(xmlError(svg), name).toBeUndefined();
      expectSelfContained(svg);
      expect(items(svg, role), name).toBe(count);
      for (const t of texts) expect(svg, name).toContain(t);
    }
  });

  it("is deterministic: the same input gives the same bytes, whatever was drawn before", async () => {
    const first = await rooflineChart(charts.rooflines![0]!);
    await scalingChart(charts.scaling!);
    await factorChart({ title: "t", chips: ["a"], factors: ["f"], cells: [{ chip: "a", factor: "f", value: 1, unit: "u", rank: 1 }] });
    expect(await rooflineChart(charts.rooflines![0]!)).toBe(first);
    expect(architectureDiagram(FIXTURE_GPU)).toBe(architectureDiagram({ ...FIXTURE_GPU }));
  });
});

describe("architecture diagram", () => {
  const count = (svg: string, cls: string) => svg.split(`class="${cls}"`).length - 1;

  it("draws each family's unit blocks: tensor cores in SMs, a PE grid per MXU, AMX tiles in cores", () => {
    const gpu = architectureDiagram(FIXTURE_GPU);
    const npu = architectureDiagram(FIXTURE_NPU);
    const cpu = architectureDiagram(FIXTURE_CPU);
    for (const svg of [gpu, npu, cpu]) {
      expect(xmlError(svg)).toBeUndefined();
      expectSelfContained(svg);
    }
    // 16 SMs × 64/16 = 4 tensor cores; 2 cores × 4/2 = 2 MXUs; 8 cores × 1 AMX.
    expect([count(gpu, "unit"), count(gpu, "matrix matrix-tensor-core"), count(gpu, "vector")]).toEqual([16, 64, 16]);
    expect([count(npu, "unit"), count(npu, "matrix matrix-systolic"), count(npu, "vector")]).toEqual([2, 4, 0]);
    expect([count(cpu, "unit"), count(cpu, "matrix matrix-amx"), count(cpu, "vector")]).toEqual([8, 8, 8]);
    expect(new Set([gpu, npu, cpu]).size).toBe(3);
  });

  it("draws engines shared by the units beside them (fewer engines than units), and says when it draws fewer than there are", () => {
    const gaudi = architectureDiagram({ ...FIXTURE_NPU, compute_units: 24, unit_name: "TPC", matrix: { ...FIXTURE_NPU.matrix, name: "MME", count: 2 }, vector: { peak_flops_per_s: { bf16: 1e13 } } });
    expect([count(gaudi, "unit"), count(gaudi, "matrix matrix-systolic"), count(gaudi, "vector")]).toEqual([24, 2, 24]);
    expect(gaudi).toContain("2 × MME 128×128 shared by 24 TPCs (vector)");
    const eight = architectureDiagram({ ...FIXTURE_GPU, matrix: { ...FIXTURE_GPU.matrix, count: 128 } });
    expect(count(eight, "matrix matrix-tensor-core")).toBe(16 * 4);
    expect(eight).toContain("16 SMs · each: 8 × tensor core (4 drawn) + vector");
  });

  it("labels memory levels with capacities and links with bandwidths", () => {
    const gpu = architectureDiagram(FIXTURE_GPU);
    for (const t of ["L1: 256 kB per SM", "L2: 40.0 MB", "HBM3: 80.0 GB · 2 TB/s", "scale-up: NVLink: 300 GB/s per direction, 12 links", "host: PCIe 5 x16: 64 GB/s per direction"]) expect(gpu).toContain(t);
    expect(architectureDiagram(FIXTURE_CPU)).toContain("host: PCIe 5: bandwidth not given");
  });

  it("draws catalog chips of every kind, a wafer-scale chip capped at 144 drawn units", () => {
    const catalog = nodeCatalog();
    const wafer = architectureDiagram(catalog.chip("cerebras-wse3"));
    expect(count(wafer, "unit")).toBe(144);
    expect(wafer).toContain("900,000 AI cores (144 drawn)");
    expect(wafer).toContain('class="die wafer"');
    for (const id of catalog.chipIds()) expect(xmlError(architectureDiagram(catalog.chip(id))), id).toBeUndefined();
  });
});

describe("charts in a browser", () => {
  it("bundle for the browser (vega's browser build) and draw in a context with browser globals only", async () => {
    const out = await build({ entryPoints: ["src/core/charts/index.ts"], bundle: true, platform: "browser", format: "iife", globalName: "charts", write: false, logLevel: "silent" });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:/);
    // What every browser has (vega-lite clones specs with structuredClone); no process, require or fs.
    const sandbox: Record<string, unknown> = { structuredClone, setTimeout, clearTimeout, queueMicrotask, input: charts.rooflines![0]!, result: undefined };
    runInNewContext(`${code}\nresult = Promise.all([charts.rooflineChart(input), charts.architectureDiagram({ ...${JSON.stringify(FIXTURE_NPU)} })]);`, sandbox);
    const [roofline, diagram] = await (sandbox.result as Promise<[string, string]>);
    expect(items(roofline, "point")).toBe(4);
    expect(xmlError(roofline)).toBeUndefined();
    expect(diagram).toBe(architectureDiagram(FIXTURE_NPU));
    expect(typeof (sandbox as { process?: unknown }).process).toBe("undefined");
  }, 60_000);
});
