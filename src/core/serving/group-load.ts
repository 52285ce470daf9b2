import type { StepBatch } from "./step-batch.js";

/**
 * The load of the busiest attention group of an ep-way instance (ep = 1: the batch itself).
 * Sequences are spread evenly over the groups (each group's scheduler has the same budget), so a
 * group holds ⌈N/ep⌉ tokens, ⌈R/ep⌉ rows and ⌈D/ep⌉ decodes, except that a prompt chunk is never
 * split between groups: the busiest group holds at least the largest chunk.
 */
export interface GroupLoad {
  tokens: number;
  rows: number;
  decodes: number;
  largestChunk: number;
}

export function groupLoad(b: StepBatch, ep: number, out: GroupLoad): void {
  let tokens = b.decodes;
  let largest = 0;
  for (let i = 0; i < b.chunks; i++) {
    const t = b.chunk_tokens[i]!;
    tokens += t;
    if (t > largest) largest = t;
  }
  const rows = b.chunks + b.decodes;
  if (ep === 1) {
    out.tokens = tokens;
    out.rows = rows;
    out.decodes = b.decodes;
  } else {
    const t = Math.ceil(tokens / ep);
    out.tokens = t > largest ? t : largest;
    out.rows = Math.ceil(rows / ep);
    out.decodes = Math.ceil(b.decodes / ep);
  }
  out.largestChunk = largest;
}
