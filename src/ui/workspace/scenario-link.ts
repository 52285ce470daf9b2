/**
 * A scenario file (the contract of docs/scenario.md) opened in the view that answers its kind, with
 * the inputs it states: `kind: inference` → Compare (its chip, model, batch, lengths, tensor-parallel
 * degree), `kind: training` → the training planner (chip, count, model, global batch, sequence,
 * precision, system), `kind: serving` → the serving planner (chip, model, rate, mean lengths, SLO,
 * precision), `kind: op` with a GEMM → Compare's GEMM mode. Only ids travel in a URL: a
 * scenario naming its chip or model inline or by file path gives no link (upload the spec instead).
 */
import { formatHash } from "../state/url-state.js";

type Doc = Record<string, unknown>;

const idOf = (v: unknown): string | undefined => (typeof v === "string" && !/[/\\]|\.(ya?ml|json)$/i.test(v) ? v : undefined);
const obj = (v: unknown): Doc => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Doc) : {});
const text = (v: unknown): string | undefined => (typeof v === "number" || typeof v === "string" ? String(v) : undefined);

function params(entries: Record<string, string | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) p.set(k, v);
  return p;
}

function inferenceLink(doc: Doc, chip: string, model: string): string {
  const inf = obj(doc.inference);
  const tp = text(obj(doc.parallelism).tp) ?? text(obj(doc.hardware).count);
  return formatHash("compare", params({ model, chips: chip, batch: text(inf.batch), input: text(inf.input_tokens), output: text(inf.output_tokens), count: tp }));
}

function trainingLink(doc: Doc, chip: string, model: string): string {
  const t = obj(doc.training);
  const hw = obj(doc.hardware);
  return formatHash("training", params({ model, chip, chips: text(hw.count), batch: text(t.global_batch), seq: text(t.seq_len), dtype: text(obj(doc.precision).compute), system: idOf(hw.system) }));
}

function gemmLink(doc: Doc, chip: string): string | undefined {
  const op = obj(obj(doc.workload).op);
  if (op.type !== "gemm") return undefined;
  return formatHash("compare", params({ source: "op", chips: chip, m: text(op.m), n: text(op.n), k: text(op.k), batch: text(op.batch), dtype: text(op.dtype) ?? text(obj(doc.precision).compute) }));
}

/** A token count as the serving view takes it: the number, or a distribution's mean (or min-max range when uniform). */
function lengthText(v: unknown): string | undefined {
  if (typeof v === "number") return String(v);
  const d = obj(v);
  if (d.dist === "uniform" && typeof d.min === "number" && typeof d.max === "number") return `${d.min}-${d.max}`;
  return text(d.mean);
}

function sloText(slo: Doc): string | undefined {
  const parts = [slo.ttft_s !== undefined ? `ttft=${Number(slo.ttft_s) * 1000}ms` : undefined, slo.tpot_s !== undefined ? `tpot=${Number(slo.tpot_s) * 1000}ms` : undefined].filter(Boolean);
  return parts.length ? parts.join(",") : undefined;
}

function servingLink(doc: Doc, chip: string, model: string): string {
  const sv = obj(doc.serving);
  const rate = typeof sv.rate_per_s === "number" ? `${sv.rate_per_s}/s` : undefined;
  return formatHash("serving", params({ model, chips: chip, rate, input: lengthText(sv.input_tokens), output: lengthText(sv.output_tokens), slo: sloText(obj(sv.slo)), precisions: text(obj(doc.precision).compute) }));
}

/** The URL hash of the view that answers this scenario, or undefined when none can carry it. */
export function scenarioLink(doc: Doc): string | undefined {
  const chip = idOf(obj(doc.hardware).chip);
  if (chip === undefined) return undefined;
  if (doc.kind === "op") return gemmLink(doc, chip);
  const model = idOf(obj(doc.workload).model);
  if (model === undefined) return undefined;
  if (doc.kind === "inference") return inferenceLink(doc, chip, model);
  if (doc.kind === "training") return trainingLink(doc, chip, model);
  if (doc.kind === "serving") return servingLink(doc, chip, model);
  return undefined;
}
