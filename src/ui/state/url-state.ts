/**
 * The page's state lives in the URL hash (`#/<view>?key=value&…`), so every view is shareable and
 * survives a reload, and hash routing works on any static host (no server-side fallback needed).
 * Only values that differ from a view's defaults are written; history is replaced, not pushed, on
 * every input change (Back leaves the view rather than undoing each keystroke).
 */
import { useCallback, useEffect, useState } from "preact/hooks";

export type ViewState = Record<string, string>;

export interface Route {
  view: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const q = text.indexOf("?");
  const view = decodeURIComponent(q < 0 ? text : text.slice(0, q));
  return { view, params: new URLSearchParams(q < 0 ? "" : text.slice(q + 1)) };
}

export function formatHash(view: string, params: URLSearchParams): string {
  const query = params.toString();
  return `#/${encodeURIComponent(view)}${query ? `?${query}` : ""}`;
}

/** The current route, updated on hashchange (links, Back/Forward, a pasted URL). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => {
      const next = parseHash(location.hash);
      lastQuery.set(next.view, new URLSearchParams(next.params));
      setRoute(next);
    };
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

/** Keys every view's URL carries (the workspace's specs), kept when moving between views. */
const SHARED_KEYS = ["u"];

/** Each view's last query, so that leaving a view and coming back through the menu restores its inputs. */
const lastQuery = new Map<string, URLSearchParams>();

function replaceHash(view: string, params: URLSearchParams): void {
  lastQuery.set(view, new URLSearchParams(params));
  history.replaceState(history.state, "", formatHash(view, params));
}

/** The menu's link to a view: its last inputs in this page, and the shared keys of the current URL. */
export function hrefFor(view: string): string {
  const params = new URLSearchParams(lastQuery.get(view));
  const current = parseHash(location.hash).params;
  for (const key of SHARED_KEYS) {
    const v = current.get(key);
    if (v === null) params.delete(key);
    else params.set(key, v);
  }
  return formatHash(view, params);
}

/** Replaces one key's value in the current URL (absent = removed), keeping the rest. */
export function writeParam(key: string, value: string | undefined): void {
  const { view, params } = parseHash(location.hash);
  if (value === undefined) params.delete(key);
  else params.set(key, value);
  replaceHash(view, params);
}

/**
 * A view's inputs, read from and written to the URL. Unknown keys in the URL are kept (other
 * components' state); values equal to the defaults are dropped from the URL.
 */
export function useViewState<T extends ViewState>(view: string, defaults: T): [T, (patch: Partial<T>) => void] {
  const read = (): T => {
    const { params } = parseHash(location.hash);
    const out = { ...defaults };
    for (const key of Object.keys(defaults)) {
      const v = params.get(key);
      if (v !== null) (out as ViewState)[key] = v;
    }
    return out;
  };
  const [state, setState] = useState<T>(read);
  useEffect(() => {
    const on = () => {
      if (parseHash(location.hash).view === view) setState(read());
    };
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, [view]);
  const update = useCallback(
    (patch: Partial<T>) => {
      setState((prev) => {
        const next = { ...prev, ...patch };
        const { params } = parseHash(location.hash);
        for (const [k, v] of Object.entries(next)) {
          if (v === defaults[k] || v === undefined) params.delete(k);
          else params.set(k, v as string);
        }
        replaceHash(view, params);
        return next;
      });
    },
    [view],
  );
  return [state, update];
}
