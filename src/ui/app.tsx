/**
 * The workbench shell: a header with the views (keyboard-reachable links that change the URL hash),
 * the current view, and the engine status. The engine (catalog + jobs) loads once; views get it as
 * a prop and compute in the page.
 */
import { useEffect, useState } from "preact/hooks";
import { ErrorBox } from "./components/error-box.js";
import { type Engine, loadEngine } from "./engine/engine.js";
import { useRoute } from "./state/url-state.js";
import { VIEWS, viewById } from "./views/registry.js";
import { loadServerFiles, WorkspaceBar } from "./workspace/workspace-bar.js";
import { useWorkspace } from "./workspace/workspace.js";

export function App() {
  const [engine, setEngine] = useState<Engine>();
  const [failed, setFailed] = useState<unknown>();
  const route = useRoute();
  useWorkspace(); // a spec added or removed re-renders the view, whose requests may name it
  useEffect(() => {
    loadEngine()
      .then(async (e) => {
        await loadServerFiles(e);
        setEngine(e);
      })
      .catch(setFailed);
  }, []);
  const view = viewById(route.view);
  void view.component.preload(); // the view's chunk downloads while the engine loads
  useEffect(() => {
    document.title = `${view.title} · xpusim workbench`;
  }, [view]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to the view
      </a>
      <header>
        <h1>
          xpusim <span>workbench</span>
        </h1>
        <nav aria-label="views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a href={`#/${v.id}`} aria-current={v.id === view.id ? "page" : undefined} data-view={v.id}>
                  {v.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} data-view={view.id}>
        <h2>{view.title}</h2>
        <p class="blurb">{view.blurb}</p>
        {failed ? <ErrorBox error={failed} title="The engine failed to load" /> : null}
        {engine ? (
          <>
            <WorkspaceBar engine={engine} />
            <view.component key={view.id} engine={engine} />
          </>
        ) : failed ? null : (
          <p class="boot" role="status">
            Loading the engine…
          </p>
        )}
      </main>
      <footer>
        Every number is computed in this page by the xpusim engine from its sourced catalog; nothing is sent anywhere.
      </footer>
    </>
  );
}
