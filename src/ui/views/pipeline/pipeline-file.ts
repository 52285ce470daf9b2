/**
 * A `kind: pipeline` scenario as issue #12 defines it, read for drawing: the ordered `stages` (each a
 * fixed rate, a chip with its workload, or a catalog fixed-function unit; optional `count`) and the
 * optional `link` between consecutive stages. Only the file's shape is checked here (every error with
 * its field path and line); rates, utilisation and the bottleneck are the engine's to compute.
 * A stage's `link` is the link from that stage to the next one.
 */
import type { LineDiagnostic } from "../designer/check-variant.js";
import { lineOfPath, parseYamlWithLines } from "../designer/yaml-lines.js";

export interface PipelineLinkSpec {
  bandwidth_bytes_per_s?: number | string;
  id?: string;
  bytes_per_item?: number | string;
}

export interface PipelineStageSpec {
  name: string;
  rate_per_s?: number;
  latency_s?: number;
  power_w?: number;
  cost_per_hour?: number;
  chip?: string | Record<string, unknown>;
  workload?: Record<string, unknown>;
  precision?: unknown;
  batch?: number;
  unit?: string;
  count?: number;
  link?: PipelineLinkSpec;
}

export interface PipelineFile {
  kind: "pipeline";
  name?: string;
  stages: PipelineStageSpec[];
  items?: number;
  arrival_rate_per_s?: number;
}

type Problem = { path: string; message: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const positive = (v: unknown) => typeof v === "number" && v > 0;

function stageProblems(s: unknown, i: number, seen: Set<string>): Problem[] {
  const at = `stages[${i}]`;
  if (!isObject(s)) return [{ path: at, message: "a stage must be a mapping with a name and a rate_per_s, chip or unit" }];
  const out: Problem[] = [];
  if (typeof s.name !== "string" || s.name === "") out.push({ path: `${at}.name`, message: "every stage needs a name" });
  else if (seen.has(s.name)) out.push({ path: `${at}.name`, message: `stage name "${s.name}" is used twice` });
  else seen.add(s.name);
  const ways = ["rate_per_s", "chip", "unit"].filter((k) => s[k] !== undefined);
  if (ways.length !== 1) out.push({ path: at, message: `a stage has exactly one of rate_per_s, chip (with workload) or unit; got ${ways.length ? ways.join(" and ") : "none"}` });
  if (s.rate_per_s !== undefined && !positive(s.rate_per_s)) out.push({ path: `${at}.rate_per_s`, message: "rate_per_s must be a number of items per second greater than zero" });
  if (s.chip !== undefined && !isObject(s.workload)) out.push({ path: `${at}.workload`, message: "a chip stage needs its workload (e.g. { model: resnet-50 })" });
  if (s.count !== undefined && !(Number.isInteger(s.count) && (s.count as number) >= 1)) out.push({ path: `${at}.count`, message: "count must be a whole number of units, at least 1" });
  if (s.link !== undefined && !isObject(s.link)) out.push({ path: `${at}.link`, message: "link must be a mapping { bandwidth_bytes_per_s | id, bytes_per_item }" });
  return out;
}

function fileProblems(doc: unknown): Problem[] {
  if (!isObject(doc)) return [{ path: "", message: "a pipeline scenario must be a mapping with kind: pipeline and stages" }];
  const out: Problem[] = [];
  if (doc.kind !== "pipeline") out.push({ path: "kind", message: `expected kind: pipeline, got ${doc.kind === undefined ? "none" : JSON.stringify(doc.kind)}` });
  if (!Array.isArray(doc.stages) || doc.stages.length === 0) return [...out, { path: "stages", message: "stages must be a non-empty list" }];
  const seen = new Set<string>();
  doc.stages.forEach((s, i) => out.push(...stageProblems(s, i, seen)));
  return out;
}

/** Reads and checks a pipeline file's text; the file when well formed, else its problems by line. */
export function readPipelineFile(text: string): { file?: PipelineFile; diagnostics: LineDiagnostic[] } {
  const parsed = parseYamlWithLines(text);
  if (parsed.doc.errors.length > 0) {
    return { diagnostics: parsed.doc.errors.map((e) => ({ kind: "syntax", path: "", message: e.message.split("\n")[0]!, line: parsed.lines.linePos(e.pos[0]).line })) };
  }
  const doc = parsed.doc.toJS() as unknown;
  const problems = fileProblems(doc);
  if (problems.length === 0) return { file: doc as PipelineFile, diagnostics: [] };
  return { diagnostics: problems.map((p) => ({ kind: "spec", path: p.path, message: p.message, ...(lineOfPath(parsed, p.path) !== undefined ? { line: lineOfPath(parsed, p.path)! } : {}) })) };
}
