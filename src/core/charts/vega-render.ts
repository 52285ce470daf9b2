/**
 * Renders a Vega-Lite spec to a self-contained SVG string without a DOM: vega-lite compiles the spec
 * to Vega, and a headless Vega View (`renderer: "none"`) serialises its scenegraph (`view.toSVG()`),
 * so no canvas and no browser are needed. vega and vega-lite are loaded on the first chart only
 * (dynamic import), so nothing that does not draw pays for them (~0.3 s to load in Node).
 *
 * The types below are the narrow slice of vega's API used here: vega's own typings name DOM types
 * (HTMLElement, CanvasRenderingContext2D) that the browser-safe core does not have (lib ES2022).
 */
import { CHART_CONFIG } from "./palette.js";

interface VegaView {
  toSVG(scale?: number): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: unknown, config?: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: "none" }) => VegaView;
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

/** A Vega-Lite specification as plain JSON (data inline). */
export type VegaLiteSpec = Record<string, unknown>;

let modules: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

function loadVega(): Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]).then(([v, vl]) => ({
    vega: v as unknown as VegaModule,
    vegaLite: ((vl as { compile?: unknown }).compile ? vl : (vl as unknown as { default: unknown }).default) as VegaLiteModule,
  }));
  return modules;
}

/** The SVG of a Vega-Lite spec (the shared chart config applied). Same spec → identical bytes. */
export async function renderVegaLite(spec: VegaLiteSpec): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile({ config: CHART_CONFIG, background: "white", ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return tidySvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Drops the xlink namespace vega declares but never uses (charts carry no links), and renumbers
 * vega's clip-path ids (a counter global to the vega module) in order of appearance, so a chart's
 * bytes do not depend on how many charts were drawn before it.
 */
function tidySvg(svg: string): string {
  const out = svg.includes("xlink:") ? svg : svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "");
  const ids = new Map<string, string>();
  for (const m of out.matchAll(/id="(clip\d+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `clip${ids.size + 1}`);
  return ids.size === 0 ? out : out.replace(/(id="|url\(#)(clip\d+)/g, (all, pre: string, id: string) => (ids.has(id) ? `${pre}${ids.get(id)}` : all));
}
