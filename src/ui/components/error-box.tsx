import { XpusimError } from "../../core/diagnostics/diagnostic.js";

/** An error as the CLI would print it: each diagnostic with its file, field path, expected/got and hint. */
export function ErrorBox({ error, title = "Error" }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  if (error instanceof XpusimError) {
    return (
      <div class="error" role="alert">
        <strong>{title}</strong>
        <ul>
          {error.diagnostics.map((d, i) => (
            <li key={i} data-path={d.path}>
              {d.file ? <span class="file">{d.file}: </span> : null}
              {d.path ? <code class="path">{d.path}</code> : null} {d.message}
              {d.expected ? <span class="expected"> (expected {d.expected}{d.got ? `, got ${d.got}` : ""})</span> : null}
              {d.hint ? <div class="hint">{d.hint}</div> : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <strong>{title}</strong> {error instanceof Error ? error.message : String(error)}
    </div>
  );
}
