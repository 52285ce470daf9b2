import { type GroupLoad, groupLoad } from "./group-load.js";
import type { StepBatch } from "./step-batch.js";
import type { Priced, StepTerms } from "./step-terms.js";

/**
 * The step formula (step-cost.ts) over exactly priced terms, for one quantity of them (`sel`: time
 * or energy). Every distinct shape is priced once (memoised in `terms`); the decode attention at a
 * fractional mean context is interpolated between the two integer contexts around it.
 */
export function exactStepFormula(terms: StepTerms, ep: number, sel: (p: Priced) => number): (b: StepBatch) => number {
  const load: GroupLoad = { tokens: 0, rows: 0, decodes: 0, largestChunk: 0 };
  return (b: StepBatch): number => {
    const rows = b.chunks + b.decodes;
    if (rows === 0) return 0;
    groupLoad(b, ep, load);
    let attn = 0;
    let largest = 0;
    for (let i = 0; i < b.chunks; i++) {
      const a = sel(terms.attnPrefill(b.chunk_tokens[i]!, b.chunk_prior[i]!));
      attn += a;
      if (a > largest) largest = a;
    }
    let t = ep === 1 ? attn : Math.max(attn / ep, largest);
    t += sel(b.chunks === 0 ? terms.decodeParts(load.decodes).body : terms.prefillBody(load.tokens));
    t += sel(terms.decodeParts(load.rows).head);
    if (b.decodes > 0) {
      const c = b.decode_context_sum / b.decodes;
      const lo = Math.floor(c);
      const f = c - lo;
      const a = sel(terms.attnDecode(load.decodes, lo));
      t += f === 0 ? a : a + f * (sel(terms.attnDecode(load.decodes, lo + 1)) - a);
    }
    return t;
  };
}
