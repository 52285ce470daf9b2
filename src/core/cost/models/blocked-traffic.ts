import type { GemmProblem } from "./gpu-gemm-tiling.js";

/**
 * Main-memory traffic of a GEMM blocked into an on-chip buffer (the classic output-stationary
 * blocking of Hong & Kung / Goto): the buffer holds a bm×bn block of accumulators plus double-
 * buffered bm×tk and tk×bn operand slices, so A is re-read ceil(N / bn) times and B ceil(M / bm)
 * times. Blocks are searched over powers of two times the engine granularity; when one batch
 * entry's A, B and C fit in the buffer together, traffic is compulsory.
 */
export interface BlockedTraffic {
  bytes: number;
  bm: number;
  bn: number;
  /** A, B and C of one batch entry fit on chip: every byte is read or written once. */
  resident: boolean;
}

export function blockedGemmTraffic(p: GemmProblem, bufferBytes: number, granM: number, granN: number, tk: number): BlockedTraffic {
  const compulsory = p.a_bytes + p.b_bytes + p.c_bytes;
  if ((p.a_bytes + p.b_bytes + p.c_bytes) / p.batch <= bufferBytes) return { bytes: compulsory, bm: p.m, bn: p.n, resident: true };
  let best = Infinity;
  let bestM = granM;
  let bestN = granN;
  const maxM = Math.ceil(p.m / granM) * granM;
  const maxN = Math.ceil(p.n / granN) * granN;
  for (let bm = granM; ; bm *= 2) {
    const bmc = Math.min(bm, maxM);
    for (let bn = granN; ; bn *= 2) {
      const bnc = Math.min(bn, maxN);
      const need = bmc * bnc * p.acc_elem + 2 * (bmc * p.a_elem + bnc * p.b_elem) * tk;
      if (need <= bufferBytes || (bmc === granM && bnc === granN)) {
        const t = p.a_bytes * Math.ceil(p.n / bnc) + p.b_bytes * Math.ceil(p.m / bmc) + p.c_bytes;
        if (t < best) {
          best = t;
          bestM = bmc;
          bestN = bnc;
        }
      }
      if (bnc >= maxN || need > bufferBytes) break;
    }
    if (bmc >= maxM) break;
  }
  return { bytes: best, bm: bestM, bn: bestN, resident: false };
}
