import { type GroupLoad, groupLoad } from "./group-load.js";
import type { StepBatch } from "./step-batch.js";
import { Axis, lerp1, lerp2, Table } from "./step-grid.js";
import type { Priced, StepTerms } from "./step-terms.js";

/** The interpolated tables of the step terms for one quantity (time or energy). */
interface TermTables {
  axis: Axis;
  vals: Float64Array;
  bodyDecode: (batch: number) => number;
  head: (rows: number) => number;
  bodyPrefill: (tokens: number) => number;
  attnDecode: (batch: number, context: number) => number;
  attnPrefill: (tokens: number, prior: number) => number;
}

function termTables(terms: StepTerms, sel: (p: Priced) => number): TermTables {
  const axis = new Axis();
  const vals = axis.values;
  const n = vals.length;
  const at = (i: number) => Math.max(1, vals[i]!);
  const bodyDecodeT = new Table(n, 1);
  const headT = new Table(n, 1);
  const bodyPrefillT = new Table(n, 1);
  const attnDecodeT = new Table(n * n, n);
  const attnPrefillT = new Table(n * n, n);
  const fBodyDecode = (i: number) => sel(terms.decodeParts(at(i)).body);
  const fHead = (i: number) => sel(terms.decodeParts(at(i)).head);
  const fBodyPrefill = (i: number) => sel(terms.prefillBody(at(i)));
  const fAttnDecode = (i: number, j: number) => sel(terms.attnDecode(at(i), at(j)));
  const fAttnPrefill = (i: number, j: number) => sel(terms.attnPrefill(at(i), vals[j]!));
  return {
    axis,
    vals,
    bodyDecode: (v) => lerp1(axis, bodyDecodeT, fBodyDecode, v),
    head: (v) => lerp1(axis, headT, fHead, v),
    bodyPrefill: (v) => lerp1(axis, bodyPrefillT, fBodyPrefill, v),
    attnDecode: (u, v) => lerp2(axis, attnDecodeT, fAttnDecode, u, v),
    attnPrefill: (u, v) => lerp2(axis, attnPrefillT, fAttnPrefill, u, v),
  };
}

/**
 * Pure-decode fast path: for a batch size B the step is linear in the mean context within one grid
 * cell of the context axis, so the line (intercept, slope) of the current cell is kept per B and
 * reused until the mean context leaves the cell.
 */
function decodeOnlyStep(tt: TermTables): (batch: number, context: number) => number {
  const DECODE_CACHE = 4096;
  const segLo = new Float64Array(DECODE_CACHE).fill(Infinity);
  const segHi = new Float64Array(DECODE_CACHE).fill(-Infinity);
  const segA = new Float64Array(DECODE_CACHE);
  const segS = new Float64Array(DECODE_CACHE);
  const { axis, vals } = tt;
  return (batch: number, c: number): number => {
    if (batch < DECODE_CACHE && c >= segLo[batch]! && c < segHi[batch]!) return segA[batch]! + segS[batch]! * c;
    const base = tt.bodyDecode(batch) + tt.head(batch);
    axis.locate(c);
    const lo = vals[axis.pa]!;
    const hi = vals[axis.pb]!;
    const a0 = tt.attnDecode(batch, lo);
    const a1 = tt.attnDecode(batch, hi);
    const slope = (a1 - a0) / (hi - lo);
    const intercept = base + a0 - slope * lo;
    if (batch < DECODE_CACHE) {
      segLo[batch] = lo;
      segHi[batch] = hi;
      segA[batch] = intercept;
      segS[batch] = slope;
    }
    return intercept + slope * c;
  };
}

/** The step formula (step-cost.ts) over grid-interpolated terms, for one quantity (`sel`: time or energy). */
export function interpolatedStepFormula(terms: StepTerms, ep: number, sel: (p: Priced) => number): (b: StepBatch) => number {
  const tt = termTables(terms, sel);
  const decodeOnly = decodeOnlyStep(tt);
  const local: GroupLoad = { tokens: 0, rows: 0, decodes: 0, largestChunk: 0 };
  return (b: StepBatch): number => {
    const rows = b.chunks + b.decodes;
    if (rows === 0) return 0;
    groupLoad(b, ep, local);
    if (b.chunks === 0) return decodeOnly(local.decodes, b.decode_context_sum / b.decodes);
    let attn = 0;
    let largest = 0;
    for (let i = 0; i < b.chunks; i++) {
      const a = tt.attnPrefill(b.chunk_tokens[i]!, b.chunk_prior[i]!);
      attn += a;
      if (a > largest) largest = a;
    }
    let t = ep === 1 ? attn : Math.max(attn / ep, largest);
    t += tt.bodyPrefill(local.tokens);
    t += tt.head(local.rows);
    if (b.decodes > 0) t += tt.attnDecode(local.decodes, b.decode_context_sum / b.decodes);
    return t;
  };
}
