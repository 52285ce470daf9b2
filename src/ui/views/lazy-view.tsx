/**
 * A view loaded on first use: each view is its own chunk, so the first page load evaluates only the
 * engine, the shell and the view it opens. Shows a status line while the chunk loads.
 */
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Engine } from "../engine/engine.js";

type ViewComponent = FunctionComponent<{ engine: Engine }>;

/** A view component that can start loading its chunk ahead of being shown. */
export type LazyViewComponent = ViewComponent & { preload(): Promise<unknown> };

export function lazyView<M>(load: () => Promise<M>, name: keyof M & string): LazyViewComponent {
  let loaded: ViewComponent | undefined;
  let pending: Promise<ViewComponent> | undefined;
  const get = () => (pending ??= load().then((m) => (loaded = m[name] as unknown as ViewComponent)));
  const LazyView = function LazyView(props: { engine: Engine }) {
    const [component, setComponent] = useState<ViewComponent | undefined>(() => loaded);
    const [failed, setFailed] = useState<string>();
    useEffect(() => {
      if (!component) get().then((c) => setComponent(() => c), (e: unknown) => setFailed(String(e)));
    }, []);
    if (failed) return <p class="error">This view failed to load: {failed}</p>;
    if (!component) return <p class="boot" role="status">Loading the view…</p>;
    const View = component;
    return <View {...props} />;
  };
  return Object.assign(LazyView, { preload: get });
}
