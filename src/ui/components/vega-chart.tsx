/**
 * A chart drawn live from a Vega-Lite spec (the spec builders of core/charts, so the page, the CLI
 * and the report draw the same chart): SVG renderer, hover tooltips (vega's default handler puts the
 * datum in the chart's title attribute), keyboard-focusable, and an SVG download of the drawn chart.
 * Expressions run through vega-interpreter, not `new Function`, so the page works under a strict
 * Content-Security-Policy (no 'unsafe-eval'), as `xpusim ui` serves it. vega and vega-lite load on
 * the first chart, not with the page.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { CHART_CONFIG } from "../../core/charts/palette.js";
import type { VegaLiteSpec } from "../../core/charts/vega-render.js";
import { download } from "./export.js";

interface LiveView {
  runAsync(): Promise<unknown>;
  finalize(): void;
  toSVG(): Promise<string>;
}

type Modules = { vega: typeof import("vega"); vegaLite: typeof import("vega-lite"); interpreter: typeof import("vega-interpreter") };
let modules: Promise<Modules> | undefined;
const loadVega = () =>
  (modules ??= Promise.all([import("vega"), import("vega-lite"), import("vega-interpreter")]).then(([vega, vegaLite, interpreter]) => ({ vega, vegaLite, interpreter })));

/** Runs `f` when the browser is idle after painting (at most 500 ms later); returns a handle to cancel. */
function afterPaint(f: () => void): number {
  return typeof requestIdleCallback === "function" ? requestIdleCallback(f, { timeout: 500 }) : (setTimeout(f, 50) as unknown as number);
}

function cancelAfterPaint(handle: number): void {
  if (typeof cancelIdleCallback === "function") cancelIdleCallback(handle);
  else clearTimeout(handle);
}

/** Renders `spec` into `el` (SVG); resolves with the view (finalize it when done). */
export async function renderInto(el: HTMLElement, spec: VegaLiteSpec): Promise<LiveView> {
  const { vega, vegaLite, interpreter } = await loadVega();
  const compiled = vegaLite.compile({ config: CHART_CONFIG, background: "white", ...spec } as never).spec;
  const runtime = vega.parse(compiled, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: "svg", container: el, hover: true, expr: interpreter.expressionInterpreter } as never) as unknown as LiveView;
  await view.runAsync();
  return view;
}

export interface VegaChartProps {
  spec: VegaLiteSpec | undefined;
  /** What the chart shows (its accessible name). */
  label: string;
  /** Download file stem; absent = no SVG button. */
  exportName?: string;
  testId?: string;
}

export function VegaChart({ spec, label, exportName, testId }: VegaChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<LiveView>(undefined);
  const [failed, setFailed] = useState<string>();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!spec || !box.current) return;
    let stale = false;
    setReady(false);
    const el = box.current;
    const draw = () =>
      renderInto(el, spec)
        .then((v) => {
          if (stale) return v.finalize();
          view.current = v;
          setReady(true);
        })
        .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    // The first chart loads vega (a large module): do it once the results are painted and input is
    // handled, not in the same task; later charts draw at once.
    const pending = modules ? (draw(), undefined) : afterPaint(draw);
    return () => {
      stale = true;
      if (pending !== undefined) cancelAfterPaint(pending);
      view.current?.finalize();
      view.current = undefined;
    };
  }, [spec]);
  if (failed) return <p class="error">chart failed: {failed}</p>;
  return (
    <figure class="chart-figure" aria-label={label}>
      {/* vega sets its own role and aria-label on the container it draws in; the figure keeps ours */}
      <div class="chart" ref={box} tabIndex={0} data-testid={testId} data-rendered={ready ? "true" : undefined} />
      {exportName ? (
        <button type="button" data-export="svg" disabled={!ready} onClick={async () => view.current && download(`${exportName}.svg`, await view.current.toSVG(), "image/svg+xml")}>
          SVG
        </button>
      ) : null}
    </figure>
  );
}
