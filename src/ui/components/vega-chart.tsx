/**
 * A chart drawn live from a Vega-Lite spec (the spec builders of core/charts, so the page, the CLI
 * and the report draw the same chart): SVG renderer, hover tooltips (vega's default handler puts the
 * datum in the element's title), and SVG export of the exact bytes `renderVegaLite` gives the CLI.
 * vega and vega-lite load on the first chart, not with the page.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { CHART_CONFIG } from "../../core/charts/palette.js";
import type { VegaLiteSpec } from "../../core/charts/vega-render.js";

interface LiveView {
  runAsync(): Promise<unknown>;
  finalize(): void;
  toSVG(): Promise<string>;
}

let vegaModules: Promise<{ vega: typeof import("vega"); vegaLite: typeof import("vega-lite") }> | undefined;
const loadVega = () => (vegaModules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => ({ vega, vegaLite })));

/** Renders `spec` into `el`; resolves with the view (finalize it when done). */
export async function renderInto(el: HTMLElement, spec: VegaLiteSpec): Promise<LiveView> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile({ config: CHART_CONFIG, background: "white", ...spec } as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "svg", container: el, hover: true }) as unknown as LiveView;
  await view.runAsync();
  return view;
}

export function VegaChart({ spec, label, testId }: { spec: VegaLiteSpec | undefined; label: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    if (!spec || !box.current) return;
    let view: LiveView | undefined;
    let stale = false;
    renderInto(box.current, spec)
      .then((v) => {
        if (stale) v.finalize();
        else {
          view = v;
          box.current?.setAttribute("data-rendered", "true");
        }
      })
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
      box.current?.removeAttribute("data-rendered");
      view?.finalize();
    };
  }, [spec]);
  if (failed) return <p class="error">chart failed: {failed}</p>;
  return <div class="chart" ref={box} role="img" aria-label={label} data-testid={testId} />;
}
