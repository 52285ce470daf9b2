/**
 * From a diagnostic's field path to the line of the YAML text that holds that field, so an error can
 * be shown next to the line the user typed. Paths are the engine's dotted form with list indices in
 * brackets ("memory.on_chip[0].capacity"). A path that does not exist in the document (a required
 * field left out) maps to the deepest part of it that does; an unknown field, reported on its parent
 * with `unknown field "x"`, maps to the key itself.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseYamlWithLines(text: string): ParsedYaml {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
}

/** "memory.on_chip[0].capacity" → ["memory", "on_chip", 0, "capacity"]. */
export function splitPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The path a diagnostic points at, with an unknown field's own name appended. */
export function diagnosticPath(path: string, message: string): string {
  const unknown = /unknown field "([^"]+)"/.exec(message);
  return unknown ? [path, unknown[1]].filter(Boolean).join(".") : path;
}

interface Located {
  node: Node | null;
  keyOffset?: number;
}

function step(node: Node | null, part: string | number): Located | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
    if (!pair) return undefined;
    const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    return { node: (pair.value as Node | null) ?? null, ...(keyOffset !== undefined ? { keyOffset } : {}) };
  }
  if (isSeq(node) && typeof part === "number") {
    const item = node.items[part] as Node | undefined;
    return item ? { node: item, ...(item.range ? { keyOffset: item.range[0] } : {}) } : undefined;
  }
  return undefined;
}

/** The 1-based line of the field at `path` (or of its deepest existing ancestor); undefined for the document itself. */
export function lineOfPath(parsed: ParsedYaml, path: string): number | undefined {
  let node = parsed.doc.contents as Node | null;
  let offset: number | undefined;
  for (const part of splitPath(path)) {
    const next = step(node, part);
    if (!next) break;
    node = next.node;
    offset = next.keyOffset ?? node?.range?.[0] ?? offset;
  }
  return offset === undefined ? undefined : parsed.lines.linePos(offset).line;
}
