import { fmtSi } from "./format.js";
import { BOUND_COLOURS, colourScale } from "./palette.js";
import { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";

/**
 * Roofline of a chip (Williams, Waterman & Patterson, "Roofline: an insightful visual performance
 * model", CACM 52(4), 2009): attainable FLOP/s = min(peak_dtype, bandwidth × arithmetic intensity),
 * one roof per dtype, on log–log axes, with a workload's ops placed at (FLOP/byte, achieved FLOP/s)
 * and coloured by what bounds each.
 */
export interface RooflineOp {
  name: string;
  flops: number;
  bytes: number;
  time_s: number;
  /** What bounds the op ("compute", "memory", "communication", "overhead"). */
  bound: string;
}

export interface RooflineInput {
  chip: string;
  /** Dense peak per dtype, FLOP/s (OP/s for integers). */
  peaks_flops_per_s: Readonly<Record<string, number | undefined>>;
  memory_bandwidth_bytes_per_s: number;
  ops: readonly RooflineOp[];
  /** What the ops are ("llama-3-8b prefill, bf16"). */
  workload?: string;
}

/** Op coordinates (ops with no FLOPs, bytes or time have no place on a roofline and are left out). */
export function rooflinePoints(input: RooflineInput): Array<{ op: string; intensity_flop_per_byte: number; achieved_flops_per_s: number; bound: string }> {
  return input.ops
    .filter((o) => o.flops > 0 && o.bytes > 0 && o.time_s > 0)
    .map((o) => ({ op: o.name, intensity_flop_per_byte: o.flops / o.bytes, achieved_flops_per_s: o.flops / o.time_s, bound: o.bound }));
}

/** The roof lines: per dtype, the slope from the lowest intensity to the ridge, then flat. */
function roofs(input: RooflineInput, xMin: number, xMax: number): Array<{ dtype: string; x: number; y: number; order: number }> {
  const bw = input.memory_bandwidth_bytes_per_s;
  const out: Array<{ dtype: string; x: number; y: number; order: number }> = [];
  const peaks = groupedPeaks(input.peaks_flops_per_s);
  const ridges = peaks.map(([, p]) => p / bw);
  const lo = Math.min(xMin, ...ridges.map((r) => r / 10));
  const hi = Math.max(xMax, ...ridges.map((r) => r * 10));
  for (const [dtype, peak] of peaks) {
    const ridge = peak / bw;
    out.push({ dtype, x: lo, y: bw * lo, order: 0 }, { dtype, x: ridge, y: peak, order: 1 }, { dtype, x: hi, y: peak, order: 2 });
  }
  return out;
}

/** Dtypes sharing a peak share a roof ("bf16/fp16"), so labels never overlap; highest roof first. */
function groupedPeaks(peaks: Readonly<Record<string, number | undefined>>): Array<[string, number]> {
  const byPeak = new Map<number, string[]>();
  for (const [dtype, peak] of Object.entries(peaks)) if (peak !== undefined && peak > 0) byPeak.set(peak, [...(byPeak.get(peak) ?? []), dtype]);
  return [...byPeak.entries()].sort((a, b) => b[0] - a[0]).map(([peak, dtypes]) => [dtypes.join("/"), peak]);
}

/** Options of the live chart: hover tooltips with each op's numbers (the SVG files have none). */
export interface RooflineSpecOptions {
  tooltips?: boolean;
}

/** The tooltip of an op point: its name, FLOPs, bytes, time, intensity, achieved FLOP/s and bound. */
const OP_TOOLTIP = [
  { field: "op", title: "op" },
  { field: "flops", title: "FLOPs", format: ".4~s" },
  { field: "bytes", title: "bytes", format: ".4~s" },
  { field: "time_s", title: "time (s)", format: ".4~e" },
  { field: "x", title: "intensity (FLOP/byte)", format: ".4~r" },
  { field: "y", title: "achieved FLOP/s", format: ".4~s" },
  { field: "bound", title: "bound" },
];

function opPoints(input: RooflineInput, tooltips: boolean): Array<Record<string, unknown>> {
  if (!tooltips) return rooflinePoints(input).map((p) => ({ op: p.op, x: p.intensity_flop_per_byte, y: p.achieved_flops_per_s, bound: p.bound }));
  return input.ops.filter((o) => o.flops > 0 && o.bytes > 0 && o.time_s > 0).map((o) => ({ op: o.name, x: o.flops / o.bytes, y: o.flops / o.time_s, bound: o.bound, flops: o.flops, bytes: o.bytes, time_s: o.time_s }));
}

/** The roofline as a Vega-Lite spec (drawn live by the web workbench, to SVG by `rooflineChart`). */
export function rooflineSpec(input: RooflineInput, options: RooflineSpecOptions = {}): VegaLiteSpec {
  const points = rooflinePoints(input);
  const xs = points.map((p) => p.intensity_flop_per_byte);
  const roofData = roofs(input, xs.length ? Math.min(...xs) / 2 : 0.1, xs.length ? Math.max(...xs) * 2 : 1e4);
  const dtypes = [...new Set(roofData.map((r) => r.dtype))];
  const bounds = [...new Set(points.map((p) => p.bound))].sort();
  const x = { field: "x", type: "quantitative", scale: { type: "log" }, title: "arithmetic intensity (FLOP/byte)" };
  const y = { field: "y", type: "quantitative", scale: { type: "log" }, title: "FLOP/s (attainable, achieved)", axis: { format: "~s" } };
  return {
    title: { text: `Roofline: ${input.chip}`, subtitle: input.workload ? `ops of ${input.workload}; roofs per dtype at ${fmtBw(input.memory_bandwidth_bytes_per_s)}` : `roofs per dtype at ${fmtBw(input.memory_bandwidth_bytes_per_s)}` },
    width: 520,
    height: 320,
    layer: [
      {
        data: { values: roofData },
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x, y, order: { field: "order" }, strokeDash: { field: "dtype", type: "nominal", title: "roof (dtype)", sort: dtypes }, color: { value: "#555555" } },
      },
      {
        data: { values: roofData.filter((r) => r.order === 2).map((r) => ({ ...r, label: `${r.dtype} ${fmtSi(r.y, "FLOP/s")}` })) },
        mark: { type: "text", align: "right", baseline: "bottom", dy: -2, fontSize: 10, color: "#333333" },
        encoding: { x, y, text: { field: "label" } },
      },
      {
        data: { values: opPoints(input, options.tooltips === true) },
        mark: { type: "point", filled: true, size: 45, opacity: 0.85 },
        encoding: { x, y, color: { field: "bound", type: "nominal", title: "op bound by", scale: colourScale(bounds, BOUND_COLOURS) }, shape: { field: "bound", type: "nominal", legend: null }, ...(options.tooltips ? { tooltip: OP_TOOLTIP } : {}) },
      },
    ],
    resolve: { scale: { color: "independent" } },
  };
}

export async function rooflineChart(input: RooflineInput): Promise<string> {
  return renderVegaLite(rooflineSpec(input));
}

function fmtBw(b: number): string {
  return `${(b / 1e12).toPrecision(3)} TB/s`;
}
