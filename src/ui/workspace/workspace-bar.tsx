/**
 * Above every view: the user's own specs (chip and model files, HF config.json), an upload button,
 * and the files named on `xpusim ui`'s command line (read through its small JSON API when the page
 * is served by it; a static host has no API and shows none). An uploaded spec is validated by the
 * engine before it joins the workspace; a bad one shows each error with its field path.
 */
import { useState } from "preact/hooks";
import { parseAnyScenario } from "../../core/app/index.js";
import { XpusimError, error as diagnostic } from "../../core/diagnostics/diagnostic.js";
import { ErrorBox } from "../components/error-box.js";
import type { Engine } from "../engine/engine.js";
import { scenarioLink } from "./scenario-link.js";
import { guessKind, parseSpecText, putSpec, removeSpec, type SpecKind, type UserSpec, useWorkspace } from "./workspace.js";

/** Checks a spec with the engine (the same validation the CLI runs); throws XpusimError with paths. */
export function checkSpec(engine: Engine, spec: UserSpec): void {
  const doc = parseSpecText(spec.text);
  if (spec.kind === "chip") engine.catalog.chip({ id: spec.id, ...doc });
  else if (spec.kind === "model") engine.catalog.model({ id: spec.id, ...doc });
  else if (spec.kind === "scenario") parseAnyScenario(doc, spec.id);
}

/** Reads a file's text into a workspace spec: kind from its shape, id from its `id` or file name. */
export function specFromText(name: string, text: string, origin: string): UserSpec {
  let doc: Record<string, unknown>;
  try {
    doc = parseSpecText(text);
  } catch (e) {
    throw new XpusimError(diagnostic("E_PARSE", "", e instanceof Error ? e.message : String(e), { file: name, hint: "a chip or model spec (YAML/JSON) or a Hugging Face config.json" }));
  }
  const kind: SpecKind = guessKind(doc);
  const stem = name.replace(/\.(ya?ml|json)$/i, "").replace(/^config$/, "hf-model");
  const id = typeof doc.id === "string" ? doc.id : stem;
  return { id, kind, text, origin };
}

export function addSpec(engine: Engine, spec: UserSpec): void {
  try {
    checkSpec(engine, spec);
  } catch (e) {
    throw e instanceof XpusimError ? e.withFile(spec.origin.replace(/^[^:]*: /, "")) : e;
  }
  putSpec(spec);
}

/** Whether the page was served by `xpusim ui` (which marks index.html) and so has its file API. */
const hasFileApi = (): boolean => document.querySelector('meta[name="xpusim-api"]') !== null;

/** Adds the files named on `xpusim ui`'s command line to the workspace (before the first view computes). */
export async function loadServerFiles(engine: Engine): Promise<void> {
  if (!hasFileApi()) return;
  const r = await fetch("api/files").catch(() => undefined);
  if (!r?.ok || !(r.headers.get("content-type") ?? "").includes("json")) return;
  const list = (await r.json()) as Array<{ index: number; name: string }>;
  for (const f of list) {
    const doc = (await (await fetch(`api/files/${f.index}`)).json()) as { name: string; text: string };
    try {
      addSpec(engine, specFromText(doc.name, doc.text, `xpusim ui: ${doc.name}`));
    } catch {
      // shown by the upload path when the user opens it; a bad file on the command line is reported by the CLI
    }
  }
}

/** A scenario's link to the view that answers it (or why there is none). */
function ScenarioOpen({ spec }: { spec: UserSpec }) {
  const link = scenarioLink(parseSpecText(spec.text));
  return link ? (
    <a href={link} class="open-scenario">
      open
    </a>
  ) : (
    <small> (no view carries it: it names a chip or model by file or inline — upload that file — or is an op other than a GEMM)</small>
  );
}

export function WorkspaceBar({ engine }: { engine: Engine }) {
  const specs = useWorkspace();
  const [uploadError, setUploadError] = useState<unknown>();
  const onFiles = async (files: FileList | null) => {
    setUploadError(undefined);
    for (const file of Array.from(files ?? [])) {
      try {
        addSpec(engine, specFromText(file.name, await file.text(), `upload: ${file.name}`));
      } catch (e) {
        setUploadError(e);
      }
    }
  };
  return (
    <section class="workspace" aria-label="your specs">
      <label class="upload">
        Upload a chip/model spec or config.json
        <input type="file" accept=".yaml,.yml,.json" multiple data-testid="upload" onChange={(e) => void onFiles((e.target as HTMLInputElement).files)} />
      </label>
      {specs.length > 0 ? (
        <ul class="specs">
          {specs.map((s) => (
            <li key={s.id}>
              <span class={`kind ${s.kind}`}>{s.kind}</span> {s.id} <small>({s.origin})</small>
              {s.kind === "scenario" ? <ScenarioOpen spec={s} /> : null}
              <button type="button" aria-label={`remove ${s.id}`} onClick={() => removeSpec(s.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorBox error={uploadError} title="That file is not a valid spec" />
    </section>
  );
}
