/**
 * Enforced layering: reads the import graph of src/ (import and export … from, `import type`, and
 * `import("…")` type references, via the TypeScript scanner) and fails on any import that goes
 * against the layering table. The table is kept here (MAY_IMPORT) and must match the "may import"
 * column of ARCHITECTURE.md's folder table, so the documented rule and the enforced one cannot drift.
 *
 * A folder may import the folders it lists and, transitively, whatever those may import, except the
 * folders in EXACT (src/cli), which may import exactly the folders they list: the CLI reaches the
 * engine only through the application layer. In the table, "core" means every folder of src/core.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

/** Direct allowances, bottom to top; the closure is computed below. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  "core/units": [],
  "core/diagnostics": [],
  "core/spec": ["units", "diagnostics"],
  "core/hardware": ["spec"],
  "core/workload": ["spec"],
  "core/network": ["hardware", "workload"],
  "core/cost": ["network"],
  "core/systolic": ["hardware"],
  "core/npu": ["hardware", "systolic"],
  "core/parallel": ["cost"],
  "core/estimate": ["parallel"],
  "core/serving": ["estimate"],
  "core/search": ["estimate", "serving"],
  "core/validate": ["estimate", "power"],
  "core/calibrate": ["validate"],
  "core/report": ["units"],
  "core/charts": ["units"],
  "core/numerics": ["units", "diagnostics"],
  "core/money": ["hardware"],
  "core/power": ["estimate"],
  "core/pipeline": ["spec"],
  "core/fpga": ["hardware"],
  "core/assess": ["search", "serving", "power", "numerics", "money"],
  "core/catalog": ["spec", "hardware", "workload", "network", "diagnostics", "units"],
  "core/app": ["core"],
  node: ["core"],
  ui: ["app", "catalog", "charts", "report", "diagnostics", "units"],
  server: ["node", "app", "diagnostics", "units"],
  cli: ["app", "report", "diagnostics", "units", "node", "server"],
};

/** Folders whose list is the whole of what they may import (no transitive closure). */
const EXACT: ReadonlySet<string> = new Set(["cli", "ui"]);

/** The layer of a file: "core/<folder>", "core" for files directly in src/core (the package barrel), "node", "cli". */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(/[\\/]/);
  if (parts[0] === "core") return parts.length > 2 ? `core/${parts[1]}` : "core";
  return parts[0]!;
}

const CORE_FOLDERS = Object.keys(MAY_IMPORT).filter((l) => l.startsWith("core/"));

/** Expands a table entry ("spec", "core", "node") to layers. */
function expand(entry: string): string[] {
  if (entry === "core") return [...CORE_FOLDERS, "core"];
  return entry === "node" || entry === "server" || entry === "cli" || entry === "ui" ? [entry] : [`core/${entry}`];
}

/** Every layer `layer` may import: its own, its entries, and (transitively) what those may import. */
function allowedFrom(layer: string): Set<string> {
  const seen = new Set<string>([layer]);
  if (EXACT.has(layer)) return new Set([layer, ...(MAY_IMPORT[layer] ?? []).flatMap(expand)]);
  const todo = [...(MAY_IMPORT[layer] ?? (layer === "core" ? ["core"] : [])).flatMap(expand)];
  while (todo.length > 0) {
    const l = todo.pop()!;
    if (seen.has(l)) continue;
    seen.add(l);
    todo.push(...(MAY_IMPORT[l] ?? []).flatMap(expand));
  }
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/**
 * Module specifiers of a file: imports, `export … from`, type-only imports and `import("…")`, from the
 * parsed syntax tree (ts.preProcessFile's token scan loses its place after a regular expression
 * literal holding a quote and silently misses every import after it).
 */
function importsOf(text: string, file = "file.ts"): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return out;
}

interface Violation {
  file: string;
  spec: string;
  rule: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const file of tsFiles(SRC)) {
    const from = layerOf(file);
    const allowed = allowedFrom(from);
    for (const spec of importsOf(readFileSync(file, "utf8"), file)) {
      if (!spec.startsWith(".")) continue;
      const to = layerOf(resolve(dirname(file), spec));
      if (!allowed.has(to)) {
        const entries = MAY_IMPORT[from] ?? [];
        out.push({ file: relative(ROOT, file), spec, rule: `${from} may import ${entries.length ? entries.join(", ") : "nothing of src/"}${entries.length && !EXACT.has(from) ? " (and below)" : EXACT.has(from) ? " only" : ""}, not ${to}` });
      }
    }
  }
  return out;
}

/** The "may import" column of ARCHITECTURE.md's folder table, for the src/ folders. */
function documentedTable(): Record<string, string[]> {
  const doc = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");
  const rows: Record<string, string[]> = {};
  for (const m of doc.matchAll(/^\|\s*`src\/([a-z/]+)`\s*\|[^|]*\|\s*([^|]*?)\s*\|\s*$/gm)) {
    const cell = m[2]!.trim();
    rows[m[1]!] = cell === "—" || cell === "-" || cell === "" ? [] : cell.split(/\s*,\s*/);
  }
  return rows;
}

describe("layering of src/", () => {
  it("reads every kind of import, type-only ones included", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b/b.js";',
      'export { c } from "./c.js";',
      'export type { D } from "./d.js";',
      'import {\n  e,\n  type F,\n} from "./e.js";',
      'type G = import("./g.js").G;',
      'const h = "import x from \'./not-an-import.js\'";',
      // A regular expression holding a quote: a token scan loses its place here.
      'const csv = (s: string) => (/[",\\n]/.test(s) ? `"${s}"` : s);',
      'export { i } from "./i.js";',
      'const j = await import("./j.js");',
    ].join("\n");
    expect(importsOf(text)).toEqual(["./a.js", "../b/b.js", "./c.js", "./d.js", "./e.js", "./g.js", "./i.js", "./j.js"]);
  });

  it("computes the allowed set transitively, and keeps report and the beside-cost folders apart", () => {
    expect(allowedFrom("core/estimate").has("core/units")).toBe(true);
    expect(allowedFrom("core/spec").has("core/hardware")).toBe(false);
    expect(allowedFrom("core/parallel").has("core/estimate")).toBe(false);
    expect(allowedFrom("core/serving").has("core/search")).toBe(false);
    expect(allowedFrom("core/validate").has("core/serving")).toBe(false);
    expect(allowedFrom("core/npu").has("core/workload")).toBe(false);
    expect(allowedFrom("core/cost").has("core/systolic")).toBe(false);
    expect([...allowedFrom("core/report")].sort()).toEqual(["core/report", "core/units"]);
    expect(allowedFrom("core/app").has("core/search")).toBe(true);
    expect(allowedFrom("core/app").has("node")).toBe(false);
    expect(allowedFrom("node").has("cli")).toBe(false);
    // The CLI: the application layer, report, diagnostics, units, src/node and src/server (for `ui`), and nothing else of the engine.
    expect([...allowedFrom("cli")].sort()).toEqual(["cli", "core/app", "core/diagnostics", "core/report", "core/units", "node", "server"]);
    expect(allowedFrom("server").has("cli")).toBe(false);
    expect(allowedFrom("node").has("server")).toBe(false);
    expect(allowedFrom("cli").has("core/estimate")).toBe(false);
    expect(allowedFrom("cli").has("core")).toBe(false);
  });

  it("has no import against the table (each printed as file → import (rule))", () => {
    const found = violations();
    const lines = found.map((v) => `${v.file} → ${v.spec} (${v.rule})`);
    if (lines.length > 0) console.error(`layering violations (${lines.length}):\n${lines.join("\n")}`);
    expect(lines).toEqual([]);
  });

  it("matches the 'may import' column of ARCHITECTURE.md", () => {
    const documented = documentedTable();
    expect(Object.keys(documented).sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    for (const [layer, entries] of Object.entries(MAY_IMPORT)) expect(documented[layer], layer).toEqual([...entries]);
  });

  it("knows every folder of src/ and src/core", () => {
    const folders = [
      ...readdirSync(SRC).filter((f) => f !== "core" && statSync(join(SRC, f)).isDirectory()),
      ...readdirSync(join(SRC, "core"))
        .filter((f) => statSync(join(SRC, "core", f)).isDirectory())
        .map((f) => `core/${f}`),
    ];
    for (const f of folders) expect(MAY_IMPORT, `src/${f} is missing from the layering table`).toHaveProperty([f]);
  });
});
