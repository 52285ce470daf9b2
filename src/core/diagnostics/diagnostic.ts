/**
 * Expected failures are values: a diagnostic has a stable code, the file and field path it is
 * about, what was expected, what was found, and a hint. Throw XpusimError only at API boundaries
 * where a caller asked for one thing and it cannot be produced; infeasible configurations are
 * results, not errors.
 */
export type DiagnosticCode =
  | "E_PARSE" // malformed YAML/JSON/CSV
  | "E_SCHEMA" // a field has the wrong type or is missing
  | "E_UNIT" // a quantity with a wrong or missing unit
  | "E_RANGE" // a number out of its allowed range (zero, negative)
  | "E_UNKNOWN_ID" // a catalog id that does not exist
  | "E_UNSUPPORTED" // a combination the engine cannot model (e.g. dtype the chip lacks)
  | "E_IO" // a file that cannot be read or written
  | "E_INFEASIBLE" // a configuration that cannot run (used in results, not thrown)
  | "W_UNKNOWN_FIELD" // a field the importer does not understand (warning)
  | "W_ESTIMATED"; // a value derived or estimated rather than read from a source (warning)

export interface Diagnostic {
  code: DiagnosticCode;
  severity: "error" | "warning";
  /** Field path inside the document, dotted ("memory.off_chip.bandwidth"). */
  path: string;
  message: string;
  expected?: string;
  got?: string;
  hint?: string;
  file?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.path].filter(Boolean).join(": ");
  const lines = [`${d.severity} ${d.code}${where ? ` at ${where}` : ""}: ${d.message}`];
  if (d.expected) lines.push(`  expected: ${d.expected}`);
  if (d.got) lines.push(`  got: ${d.got}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join("\n");
}

/** The one error type the library throws for bad input; carries structured diagnostics. */
export class XpusimError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join("\n"));
    this.name = "XpusimError";
    this.diagnostics = list;
  }
  withFile(file: string): XpusimError {
    return new XpusimError(this.diagnostics.map((d) => ({ ...d, file: d.file ?? file })));
  }
}

export function error(code: DiagnosticCode, path: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: "error", path, message, ...extra };
}

/** Levenshtein distance, for "did you mean" hints on unknown ids. */
function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Up to `n` closest candidates to `name` (substring matches first, then edit distance). */
export function closest(name: string, candidates: readonly string[], n = 3): string[] {
  const q = name.toLowerCase();
  return [...candidates]
    .map((c) => {
      const lc = c.toLowerCase();
      // Edit distance, less half the shared prefix: ids are read left to right ("nvidia-h1000" is a
      // mistyped "nvidia-h100-sxm" more than an "nvidia-a10").
      const score = lc.includes(q) || q.includes(lc) ? -1000 + Math.abs(lc.length - q.length) : editDistance(q, lc) - sharedPrefix(q, lc) / 2;
      return { c, score };
    })
    .sort((x, y) => x.score - y.score)
    .slice(0, n)
    .map((x) => x.c);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Where each kind of catalog id is listed, for "did you mean" hints. */
const LISTINGS: Record<string, string> = {
  chip: "`xpusim chips` lists them all",
  model: "`xpusim models` lists them all",
  system: "`xpusim collective --list` lists the systems",
};

export function unknownId(kind: string, id: string, known: readonly string[], path = ""): Diagnostic {
  const near = closest(id, known);
  return error("E_UNKNOWN_ID", path, `unknown ${kind} "${id}"`, {
    got: id,
    hint: near.length ? `did you mean ${near.map((x) => `"${x}"`).join(", ")}? (${LISTINGS[kind] ?? `known: ${known.slice(0, 20).join(", ")}`})` : undefined,
  });
}
