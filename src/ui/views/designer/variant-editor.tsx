/**
 * The variant editor: a plain <textarea> (no editor library: nothing to load, works offline) with a
 * line-number gutter and, beside each line, the errors found on it (YAML syntax or the engine's
 * validation, placed by field path); the full list follows below. The textarea grows with its text,
 * so gutter, text and notes stay aligned without scroll syncing.
 */
import type { LineDiagnostic } from "./check-variant.js";

function lineNotes(diagnostics: readonly LineDiagnostic[], line: number) {
  return diagnostics.filter((d) => d.line === line);
}

function InlineNote({ d }: { d: LineDiagnostic }) {
  return (
    <span class="inline-error" data-testid="inline-error" data-line={d.line} data-path={d.path} title={d.hint ?? d.message}>
      {d.path ? <code>{d.path}</code> : "YAML"}: {d.message}
    </span>
  );
}

export function DiagnosticList({ diagnostics, title }: { diagnostics: readonly LineDiagnostic[]; title: string }) {
  if (diagnostics.length === 0) return null;
  return (
    <div class="error" role="alert">
      <strong>{diagnostics[0]!.kind === "syntax" ? "YAML syntax error" : title}</strong>
      <ul data-testid="editor-errors">
        {diagnostics.map((d, i) => (
          <li key={i} data-path={d.path} data-line={d.line}>
            {d.line !== undefined ? `line ${d.line}: ` : ""}
            {d.path ? <code class="path">{d.path}</code> : null} {d.message}
            {d.hint ? <div class="hint">{d.hint}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface YamlEditorProps {
  text: string;
  onInput: (t: string) => void;
  diagnostics: readonly LineDiagnostic[];
  label?: string;
  /** The textarea's id and test id. */
  id?: string;
  /** Title of the error list. */
  invalidTitle?: string;
}

export function VariantEditor({ text, onInput, diagnostics, label = "Variant (YAML)", id = "variant-yaml", invalidTitle = "The variant is not a valid chip" }: YamlEditorProps) {
  const lines = text.split("\n");
  return (
    <div class="designer-editor">
      <label for={id}>{label}</label>
      <div class="editor-grid">
        <ol class="gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <li key={i} class={lineNotes(diagnostics, i + 1).length ? "bad" : ""}>{i + 1}</li>
          ))}
        </ol>
        <textarea id={id} data-testid={id} spellcheck={false} wrap="off" rows={Math.max(lines.length, 8)} value={text} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
        <ol class="notes" aria-label="errors by line">
          {lines.map((_, i) => (
            <li key={i}>{lineNotes(diagnostics, i + 1).map((d, j) => <InlineNote key={j} d={d} />)}</li>
          ))}
        </ol>
      </div>
      <DiagnosticList diagnostics={diagnostics} title={invalidTitle} />
    </div>
  );
}
