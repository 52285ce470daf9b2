/**
 * The spec builders the web workbench draws live: the SVG functions are exactly their spec rendered
 * (same bytes), the roofline's live tooltips carry each op's numbers, and the metric bars draw only
 * the values given.
 */
import { describe, expect, it } from "vitest";
import { factorChart, factorSpec, metricBarSpec, renderVegaLite, rooflineChart, rooflineSpec, type RooflineInput } from "../src/core/charts/index.js";

const roofline: RooflineInput = {
  chip: "test-chip",
  peaks_flops_per_s: { bf16: 1e15, fp8: 2e15 },
  memory_bandwidth_bytes_per_s: 2e12,
  ops: [
    { name: "gemm", flops: 2e12, bytes: 1e9, time_s: 2.5e-3, bound: "compute" },
    { name: "norm", flops: 1e6, bytes: 1e6, time_s: 1e-6, bound: "memory" },
    { name: "lookup", flops: 0, bytes: 1e6, time_s: 1e-6, bound: "memory" },
  ],
};

type Layer = { data: { values: Array<Record<string, unknown>> }; encoding: Record<string, unknown> };

describe("chart spec builders", () => {
  it("the SVG functions draw their spec (same bytes)", async () => {
    expect(await rooflineChart(roofline)).toBe(await renderVegaLite(rooflineSpec(roofline)));
    const factors = { title: "F", chips: ["a", "b"], factors: ["cost"], cells: [{ chip: "a", factor: "cost", value: 1, unit: "USD", rank: 1 }, { chip: "b", factor: "cost", value: null, unit: "USD", rank: null }] };
    expect(await factorChart(factors)).toBe(await renderVegaLite(factorSpec(factors)));
  }, 30_000);

  it("roofline tooltips: each placed op with its FLOPs, bytes and time; ops with no FLOPs left off", () => {
    const points = (rooflineSpec(roofline, { tooltips: true }).layer as Layer[])[2]!;
    expect(points.data.values).toEqual([
      { op: "gemm", x: 2000, y: 8e14, bound: "compute", flops: 2e12, bytes: 1e9, time_s: 2.5e-3 },
      { op: "norm", x: 1, y: 1e12, bound: "memory", flops: 1e6, bytes: 1e6, time_s: 1e-6 },
    ]);
    expect((points.encoding.tooltip as Array<{ field: string }>).map((t) => t.field)).toEqual(["op", "flops", "bytes", "time_s", "x", "y", "bound"]);
    expect((rooflineSpec(roofline).layer as Layer[])[2]!.encoding.tooltip).toBeUndefined();
  });

  it("metric bars: one bar per row given, in order, and an optional reference rule", () => {
    const spec = metricBarSpec({ title: "T", axis_title: "tokens/s", rows: [{ label: "b", value: 2 }, { label: "a", value: 1 }], rule: { value: 1.5, label: "target" } });
    const [bars, rule] = spec.layer as Layer[];
    expect(bars!.data.values).toEqual([{ label: "b", value: 2 }, { label: "a", value: 1 }]);
    expect((bars!.encoding.y as { sort: string[] }).sort).toEqual(["b", "a"]);
    expect(rule!.data.values).toEqual([{ value: 1.5, label: "target" }]);
  });
});
