/**
 * Colours and the shared chart look. The Okabe–Ito palette (Okabe & Ito, "Color Universal Design",
 * 2008; recommended by Wong, Nature Methods 8:441, 2011) stays distinguishable under the common
 * colour-vision deficiencies; black is left out (it is the text colour).
 */
export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999"] as const;

/** A colour per bound, the same in every chart. */
export const BOUND_COLOURS: Readonly<Record<string, string>> = {
  compute: "#0072B2",
  memory: "#E69F00",
  communication: "#009E73",
  overhead: "#CC79A7",
  latency: "#D55E00",
};

/** Fonts are generic families only: the SVG must not fetch anything. */
export const CHART_FONT = "Helvetica, Arial, sans-serif";

/** Vega-Lite config shared by every chart. */
export const CHART_CONFIG = {
  font: CHART_FONT,
  range: { category: [...OKABE_ITO] },
  title: { fontSize: 14, anchor: "start" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e5e5e5" },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "right" },
  view: { stroke: "#cccccc" },
} as const;

/** Vega-Lite colour scale mapping the given categories onto their colours (palette order otherwise). */
export function colourScale(categories: readonly string[], fixed: Readonly<Record<string, string>> = {}): { domain: string[]; range: string[] } {
  let next = 0;
  const free = OKABE_ITO.filter((c) => !Object.values(fixed).includes(c));
  return { domain: [...categories], range: categories.map((c) => fixed[c] ?? free[next++ % free.length]!) };
}
