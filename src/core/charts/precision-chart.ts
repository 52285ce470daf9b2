import { renderVegaLite } from "./vega-render.js";

/** Numeric error against speed-up per format: each format a labelled point (error on a log axis). */
export interface PrecisionPoint {
  format: string;
  /** Speed-up over the reference format on the chip (× ; 1 = same speed). */
  speedup: number;
  /** Relative error vs fp64 (RMS relative, or max relative: say which in `error_label`). */
  error: number;
}

export interface PrecisionChartInput {
  title: string;
  points: readonly PrecisionPoint[];
  /** Axis title of the error ("relative RMS error vs fp64"). */
  error_label?: string;
}

export async function precisionChart(input: PrecisionChartInput): Promise<string> {
  const values = input.points.filter((p) => p.error > 0 && p.speedup > 0);
  const x = { field: "speedup", type: "quantitative", title: "speed-up on the chip (×)", scale: { zero: false, padding: 40 } };
  const y = { field: "error", type: "quantitative", title: input.error_label ?? "relative error vs fp64", scale: { type: "log" }, axis: { format: ".0e" } };
  return renderVegaLite({
    title: input.title,
    width: 440,
    height: 280,
    data: { values },
    encoding: { x, y },
    layer: [
      { mark: { type: "point", filled: true, size: 70, color: "#0072B2" } },
      { mark: { type: "text", align: "left", dx: 7, dy: -5, fontSize: 11 }, encoding: { text: { field: "format" } } },
    ],
  });
}
