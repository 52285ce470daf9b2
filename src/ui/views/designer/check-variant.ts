/**
 * Checks the designer's YAML text: YAML syntax first (each error with its line), then the engine's
 * own validation of the chip (`catalog.chip({ id, ...doc })`, the same the CLI runs), each
 * diagnostic placed on the line of its field.
 */
import type { Catalog, Chip } from "../../../core/app/index.js";
import { XpusimError } from "../../../core/diagnostics/diagnostic.js";
import { diagnosticPath, lineOfPath, type ParsedYaml, parseYamlWithLines } from "./yaml-lines.js";

export interface LineDiagnostic {
  /** 1-based line in the editor; undefined when the error is about the whole document. */
  line?: number;
  /** Dotted field path ("" for syntax errors and whole-document errors). */
  path: string;
  message: string;
  hint?: string;
  kind: "syntax" | "spec";
}

export interface VariantCheck {
  chip?: Chip;
  /** The parsed document (a mapping), when the YAML is well formed. */
  doc?: Record<string, unknown>;
  diagnostics: LineDiagnostic[];
}

function syntaxErrors(parsed: ParsedYaml): LineDiagnostic[] {
  return parsed.doc.errors.map((e) => ({ kind: "syntax", path: "", message: e.message.split("\n")[0]!, line: parsed.lines.linePos(e.pos[0]).line }));
}

export function checkVariant(catalog: Catalog, id: string, text: string): VariantCheck {
  const parsed = parseYamlWithLines(text);
  if (parsed.doc.errors.length > 0) return { diagnostics: syntaxErrors(parsed) };
  const value = parsed.doc.toJS() as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { diagnostics: [{ kind: "syntax", path: "", line: 1, message: "expected a mapping (key: value) at the top level, e.g. `extends: nvidia-h100-sxm`" }] };
  }
  const doc = value as Record<string, unknown>;
  try {
    return { doc, chip: catalog.chip({ ...doc, id }), diagnostics: [] };
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    const diagnostics = e.diagnostics
      .filter((d) => d.severity === "error")
      .map((d): LineDiagnostic => {
        const path = diagnosticPath(d.path, d.message);
        const line = lineOfPath(parsed, path);
        return { kind: "spec", path, message: d.message, ...(d.hint ? { hint: d.hint } : {}), ...(line !== undefined ? { line } : {}) };
      });
    return { doc, diagnostics };
  }
}
