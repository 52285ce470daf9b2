/**
 * The serving planner's charts (core/charts): latency quantiles with the SLO, and a serving run over
 * time, drawn from a real simulation to SVG.
 */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/index.js";
import { latencyChart, latencySpec, servingTimelineChart, servingTimelineSpec } from "../src/core/charts/index.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

describe("serving charts", () => {
  const r = JOBS.serving.run({ model: "llama-3.1-8b", chip: "nvidia-h100-sxm", precision: "fp8", workload: { kind: "synthetic", requests: 60, rate_per_s: 4, seed: 1 } }, nodeCatalog());
  const m = r.metrics!;

  it("marks p50, p90 and p99 on the latency curve, and the SLO", async () => {
    const input = { title: "TTFT", metric: "TTFT", slo_s: 0.5, quantiles: [
      { label: "p50", q: 0.5, value_s: m.ttft_s.p50 },
      { label: "p90", q: 0.9, value_s: m.ttft_s.p90 },
      { label: "p99", q: 0.99, value_s: m.ttft_s.p99 },
      { label: "max", q: 1, value_s: m.ttft_s.max },
    ] };
    const spec = latencySpec(input) as { layer: Array<{ data: { values: Array<{ ms: number; q?: number; text?: string }> } }> };
    // the curve starts at 0 and passes through every quantile; the SLO rule sits at 500 ms
    expect(spec.layer[0]!.data.values.map((v) => v.q)).toEqual([0, 0.5, 0.9, 0.99, 1]);
    expect(spec.layer[1]!.data.values[1]!.ms).toBeCloseTo(m.ttft_s.p90 * 1e3, 9);
    expect(spec.layer[3]!.data.values[0]!.ms).toBe(500);
    const svg = await latencyChart(input);
    expect(svg).toMatch(/^<svg/);
    for (const label of ["p50", "p90", "p99", "SLO 500 ms"]) expect(svg).toContain(label);
  });

  it("draws requests running and waiting, and the KV use, on one time axis", async () => {
    const s = m.kv.series;
    const input = { title: "run", time_s: s.time_s, running: s.running, waiting: s.waiting, kv_utilization: s.utilization, kv_peak_utilization: s.peak_utilization };
    const spec = servingTimelineSpec(input) as { vconcat: Array<{ data: { values: unknown[] } }> };
    expect(spec.vconcat[0]!.data.values).toHaveLength(2 * s.time_s.length);
    expect(spec.vconcat[1]!.data.values[1]).toEqual({ t: s.time_s[0], series: "peak", use: s.peak_utilization[0] });
    const svg = await servingTimelineChart(input);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("KV cache in use");
  });
});
