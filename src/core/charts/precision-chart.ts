import { colourScale } from "./palette.js";
import { renderVegaLite } from "./vega-render.js";

/**
 * Numeric error against speed-up per format: each format a labelled point (error on a log axis),
 * coloured by chip when the points name several. A format the chip does not run natively has no
 * speed-up (`speedup: null`): it is not placed on the axis (no fake speed-up) but listed under the
 * title per chip.
 */
export interface PrecisionPoint {
  format: string;
  /** Speed-up over the reference format on the chip (× ; 1 = same speed); null: the chip does not run the format natively. */
  speedup: number | null;
  /** Relative error vs fp64 (RMS relative, or max relative: say which in `error_label`). */
  error: number;
  /** The chip the speed-up is for (several chips: one colour each). */
  chip?: string;
}

export interface PrecisionChartInput {
  title: string;
  points: readonly PrecisionPoint[];
  /** Axis title of the error ("relative RMS error vs fp64"). */
  error_label?: string;
  /** What the speed-up is against ("speed-up vs bf16 on the chip (×)"). */
  speedup_label?: string;
}

/** "not native on <chip>: a, b" lines, one per chip with formats off the axis. */
function notNativeLines(points: readonly PrecisionPoint[]): string[] {
  const byChip = new Map<string, string[]>();
  for (const p of points) if (p.speedup === null) byChip.set(p.chip ?? "the chip", [...(byChip.get(p.chip ?? "the chip") ?? []), p.format]);
  return [...byChip].map(([chip, formats]) => `not native on ${chip} (no speed-up, not plotted): ${formats.join(", ")}`);
}

export async function precisionChart(input: PrecisionChartInput): Promise<string> {
  const values = input.points.filter((p) => p.error > 0 && p.speedup !== null && p.speedup > 0);
  const chips = [...new Set(values.map((p) => p.chip).filter((c): c is string => c !== undefined))];
  const x = { field: "speedup", type: "quantitative", title: input.speedup_label ?? "speed-up on the chip (×)", scale: { zero: false, padding: 40 } };
  const y = { field: "error", type: "quantitative", title: input.error_label ?? "relative error vs fp64", scale: { type: "log" }, axis: { format: ".0e" } };
  const colour = chips.length > 1 ? { color: { field: "chip", type: "nominal", title: null, scale: colourScale(chips), sort: chips, legend: { orient: "bottom", columns: 3 } } } : {};
  const subtitle = notNativeLines(input.points);
  return renderVegaLite({
    title: subtitle.length ? { text: input.title, subtitle } : input.title,
    width: 440,
    height: 280,
    data: { values },
    encoding: { x, y },
    layer: [
      { mark: { type: "point", filled: true, size: 70, ...(chips.length > 1 ? {} : { color: "#0072B2" }) }, encoding: colour },
      { mark: { type: "text", align: "left", dx: 7, dy: -5, fontSize: 11 }, encoding: { text: { field: "format" } } },
    ],
  });
}
