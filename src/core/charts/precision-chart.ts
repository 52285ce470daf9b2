import { OKABE_ITO } from "./palette.js";
import { renderVegaLite } from "./vega-render.js";

/**
 * Numeric error against speed-up per format: each format a labelled point (error on a log axis),
 * one panel per chip when the points name several (shared axes). A format the chip does not run
 * natively has no speed-up (`speedup: null`): it is not placed on the axis (no fake speed-up) but
 * listed under its panel's title. Formats at the same speed-up with errors within 30 % share one label.
 */
export interface PrecisionPoint {
  format: string;
  /** Speed-up over the reference format on the chip (× ; 1 = same speed); null: the chip does not run the format natively. */
  speedup: number | null;
  /** Relative error vs fp64 (RMS relative, or max relative: say which in `error_label`). */
  error: number;
  /** The chip the speed-up is for (several chips: one panel each). */
  chip?: string;
}

export interface PrecisionChartInput {
  title: string;
  /** A line under the title (the GEMM, the sample, the accumulation). */
  detail?: string;
  points: readonly PrecisionPoint[];
  /** Axis title of the error ("relative RMS error vs fp64"). */
  error_label?: string;
  /** What the speed-up is against ("speed-up vs the chip's bf16 rate (×)"). */
  speedup_label?: string;
}

type Placed = PrecisionPoint & { speedup: number };

/** One label per cluster of points at the same speed-up whose errors lie within 30 % of each other. */
function labels(points: readonly Placed[]): Array<{ speedup: number; error: number; label: string }> {
  const out: Array<{ speedup: number; error: number; label: string }> = [];
  const sorted = [...points].sort((a, b) => a.speedup - b.speedup || b.error - a.error);
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.speedup - p.speedup) <= 1e-9 * p.speedup && last.error / p.error < 1.3) last.label += `, ${p.format}`;
    else out.push({ speedup: p.speedup, error: p.error, label: p.format });
  }
  return out;
}

export async function precisionChart(input: PrecisionChartInput): Promise<string> {
  const placed = input.points.filter((p): p is Placed => p.error > 0 && p.speedup !== null && p.speedup > 0);
  const chips = [...new Set(input.points.map((p) => p.chip))];
  const x = { field: "speedup", type: "quantitative", title: input.speedup_label ?? "speed-up on the chip (×)", scale: { zero: false, padding: 40 } };
  const y = { field: "error", type: "quantitative", title: input.error_label ?? "relative error vs fp64", scale: { type: "log" }, axis: { format: ".0e" } };
  const panel = (chip: string | undefined, i: number) => {
    const mine = placed.filter((p) => p.chip === chip);
    const off = input.points.filter((p) => p.chip === chip && p.speedup === null).map((p) => p.format);
    const offText = off.length ? `not native (no speed-up, not plotted): ${off.join(", ")}` : "";
    const heading = chips.length > 1 ? `${chip ?? ""}${off.length ? ` · ${offText}` : ""}` : offText;
    return {
      ...(heading ? { title: { text: heading, fontSize: 12, fontWeight: "normal" } } : {}),
      width: 440,
      height: chips.length > 1 ? 180 : 260,
      layer: [
        { data: { values: mine }, mark: { type: "point", filled: true, size: 70, color: OKABE_ITO[i % OKABE_ITO.length] }, encoding: { x, y } },
        { data: { values: labels(mine) }, mark: { type: "text", align: "left", dx: 7, dy: -5, fontSize: 11 }, encoding: { x, y, text: { field: "label" } } },
      ],
    };
  };
  return renderVegaLite({
    title: input.detail ? { text: input.title, subtitle: input.detail } : input.title,
    vconcat: chips.map(panel),
    resolve: { scale: { x: "shared", y: "shared" } },
  });
}
