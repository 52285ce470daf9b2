import { renderVegaLite } from "./vega-render.js";

/**
 * Power and temperature over time: two series against seconds, each on its own y axis (W left,
 * °C right), with optional horizontal limits (power cap, Tj limit) drawn dashed; when the points
 * carry the clock, a strip below shows it (GHz) on the same time axis.
 */
export interface TimelineInput {
  title: string;
  /** The chip it is for (the report's power model fills it). */
  chip?: string;
  /** Samples; `clock_hz` (the clock at that time; null or absent when unpublished) is drawn in a strip below. */
  points: ReadonlyArray<{ t_s: number; power_w: number; temperature_c: number; clock_hz?: number | null }>;
  power_limit_w?: number;
  temperature_limit_c?: number;
  /** A line under the title (clocks, cooling). */
  detail?: string;
}

const POWER = "#0072B2";
const TEMP = "#D55E00";
const CLOCK = "#009E73";
const LEGEND = "power: blue, left · temperature: vermillion, right · dashed: limits";

export async function powerThermalChart(input: TimelineInput): Promise<string> {
  const x = { field: "t_s", type: "quantitative", title: "time (s)" };
  const series = (field: string, title: string, colour: string, limit: number | undefined, orient: "left" | "right") => ({
    layer: [
      { mark: { type: "line", color: colour, strokeWidth: 2 }, encoding: { x, y: { field, type: "quantitative", title, axis: { orient, titleColor: colour } } } },
      ...(limit !== undefined
        ? [{ data: { values: [{ limit }] }, mark: { type: "rule", color: colour, strokeDash: [5, 4] }, encoding: { y: { field: "limit", type: "quantitative" } } }]
        : []),
    ],
  });
  const main = {
    width: 520,
    height: 260,
    data: { values: input.points.map(({ t_s, power_w, temperature_c }) => ({ t_s, power_w, temperature_c })) },
    layer: [series("power_w", "power (W)", POWER, input.power_limit_w, "left"), series("temperature_c", "temperature (°C)", TEMP, input.temperature_limit_c, "right")],
    resolve: { scale: { y: "independent" } },
  };
  const title = { text: input.title, subtitle: input.detail ? [input.detail, LEGEND] : LEGEND };
  const clocks = input.points.flatMap((p) => (typeof p.clock_hz === "number" ? [{ t_s: p.t_s, clock_ghz: p.clock_hz / 1e9 }] : []));
  if (clocks.length !== input.points.length || clocks.length === 0) return renderVegaLite({ title, ...main });
  const clock = {
    width: 520,
    height: 80,
    data: { values: clocks },
    mark: { type: "line", color: CLOCK, strokeWidth: 2 },
    encoding: { x, y: { field: "clock_ghz", type: "quantitative", title: "clock (GHz)", scale: { zero: false }, axis: { titleColor: CLOCK, tickCount: 3 } } },
  };
  return renderVegaLite({ title, vconcat: [main, clock], spacing: 12 });
}
