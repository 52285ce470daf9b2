/**
 * Mapping of a GEMM onto an R×C systolic array and the closed-form compute side of SCALE-Sim v2
 * (`systolic_compute_{os,ws,is}.py`): spatial rows Sr, spatial columns Sc and temporal extent T per
 * dataflow, the folds (column fold outer, row fold inner), the fixed length of every fold's demand
 * (fill, stream, drain), mapping efficiency, compute utilisation and the SRAM access counts.
 *
 *   os: Sr = M, Sc = N, T = K, fold = R + C + T − 2   (corrected: 2R + C + T − 2, the paper's formula)
 *   ws: Sr = K, Sc = N, T = M, fold = 2R + C + T − 2
 *   is: Sr = K, Sc = M, T = N, fold = 2R + C + T − 2
 * Samajdar et al., "A Systematic Methodology for Characterizing Scalability of DNN Accelerators
 * using SCALE-Sim", ISPASS 2020, §III; SCALE-Sim issues #125 and scale-sim-v3 #4 for the OS term.
 */
import type { GemmProblem } from "./gemm-lowering.js";
import { exactRatio } from "./python-numbers.js";
import type { Dataflow, SystolicSemantics } from "./types.js";

export interface FoldGeometry {
  dataflow: Dataflow;
  semantics: SystolicSemantics;
  R: number;
  C: number;
  Sr: number;
  Sc: number;
  T: number;
  rowFolds: number;
  colFolds: number;
  folds: number;
  /** Demand rows (cycles without stalls) of every fold. */
  foldRows: number;
  /** Rows before the first OFMAP write row of a fold can hold data (OFMAP demand prefix). */
  ofmapPrefix: number;
}

export function foldGeometry(g: GemmProblem, R: number, C: number, dataflow: Dataflow, semantics: SystolicSemantics): FoldGeometry {
  const [Sr, Sc, T] = dataflow === "os" ? [g.M, g.N, g.K] : dataflow === "ws" ? [g.K, g.N, g.M] : [g.K, g.M, g.N];
  const rowFolds = Math.ceil(Sr / R);
  const colFolds = Math.ceil(Sc / C);
  let foldRows: number;
  let ofmapPrefix: number;
  if (dataflow === "os") {
    // SCALE-Sim: outputs start leaving at T − 1 (before the bottom rows finished); corrected: after
    // the R cycles the last partial sums need to reach the bottom edge.
    const fill = semantics === "corrected" ? R : 0;
    foldRows = fill + R + C + T - 2;
    ofmapPrefix = T - 1 + fill;
  } else {
    foldRows = 2 * R + C + T - 2;
    ofmapPrefix = 2 * R - 1;
  }
  return { dataflow, semantics, R, C, Sr, Sc, T, rowFolds, colFolds, folds: rowFolds * colFolds, foldRows, ofmapPrefix };
}

/** Array rows holding data in row fold `fr`. */
export function rowsUsed(geo: FoldGeometry, fr: number): number {
  return Math.min(geo.R, geo.Sr - fr * geo.R);
}

/** Array columns holding data in column fold `fc`. */
export function colsUsed(geo: FoldGeometry, fc: number): number {
  return Math.min(geo.C, geo.Sc - fc * geo.C);
}

/**
 * Where a fold writes OFMAP words: row j writes the columns c in [max(0, j − a), min(cu − 1, j − b)],
 * so the count rises by one per row, stays flat, then falls by one per row.
 */
export interface OfmapRowShape {
  /** First and last rows writing anything. */
  first: number;
  last: number;
  /** The flat part [flatStart, flatEnd) and its words per row. */
  flatStart: number;
  flatEnd: number;
  flatWords: number;
  a: number;
  b: number;
  cu: number;
}

export function ofmapRowShape(geo: FoldGeometry, ru: number, cu: number): OfmapRowShape {
  // OS: output row r of the fold leaves on row prefix + (R − 1 − r) + c (flipped, then skewed);
  // WS/IS: output t of column c leaves on row prefix + t + c.
  const a = geo.dataflow === "os" ? geo.ofmapPrefix + geo.R - 1 : geo.ofmapPrefix + geo.T - 1;
  const b = geo.dataflow === "os" ? geo.ofmapPrefix + geo.R - ru : geo.ofmapPrefix;
  const k1 = Math.min(a, b + cu - 1);
  const k2 = Math.max(a, b + cu - 1);
  return { first: b, last: a + cu - 1, flatStart: k1, flatEnd: k2 + 1, flatWords: Math.min(cu - 1, k1 - b) - Math.max(0, k1 - a) + 1, a, b, cu };
}

/** OFMAP words written in fold row j. */
export function ofmapWordsAt(shape: OfmapRowShape, j: number): number {
  const lo = j - shape.a > 0 ? j - shape.a : 0;
  const hi = j - shape.b < shape.cu - 1 ? j - shape.b : shape.cu - 1;
  return hi >= lo ? hi - lo + 1 : 0;
}

/** OFMAP words written in demand row `j` of a fold with `ru` rows and `cu` columns in use. */
export function ofmapWordsInRow(geo: FoldGeometry, j: number, ru: number, cu: number): number {
  return ofmapWordsAt(ofmapRowShape(geo, ru, cu), j);
}

export interface ComputeMetrics {
  mapping_efficiency_pct: number;
  compute_util_pct: number;
  sram_ifmap_reads: number;
  sram_filter_reads: number;
  sram_ofmap_writes: number;
  macs: number;
}

/**
 * Mapping efficiency, compute utilisation and SRAM counts. The per-fold averages are summed in
 * SCALE-Sim's order with plain double additions (CPython ≤ 3.11 `sum`) so the result matches bit for bit.
 */
export function computeMetrics(geo: FoldGeometry, g: GemmProblem): ComputeMetrics {
  const { R, C, T, rowFolds, colFolds, folds, dataflow, semantics } = geo;
  const pe = R * C;
  // SCALE-Sim's compute-util denominator: the OFMAP demand length for OS (R + C + T − 2) but the
  // filter/IFMAP demand length plus C − 1 for WS/IS (2R + 2C + T − 3). Corrected: the fold length.
  const utilCycles = semantics === "corrected" ? geo.foldRows : dataflow === "os" ? R + C + T - 2 : 2 * R + 2 * C + T - 3;
  let mapSum = 0;
  let utilSum = 0;
  for (let fc = 0; fc < colFolds; fc++) {
    const cu = colsUsed(geo, fc);
    for (let fr = 0; fr < rowFolds; fr++) {
      const used = rowsUsed(geo, fr) * cu;
      mapSum += exactRatio(used, pe);
      utilSum += exactRatio(used * T, pe * utilCycles);
    }
  }
  const { M, N, K } = g;
  // IFMAP entries actually read: SCALE-Sim counts the whole M×K im2col matrix, the −1 entries of
  // windows past the ifmap edge included; the corrected semantics count only real words (padding
  // is zeros generated at the array edge, not read).
  const ifmapEntries = semantics === "corrected" ? g.ifmapValidEntries : M * K;
  let ifmap: number;
  let filter: number;
  let ofmap: number;
  if (dataflow === "os") {
    ifmap = colFolds * ifmapEntries;
    filter = rowFolds * K * N;
    // SCALE-Sim adds rows + cols of the padded fold block on top of its size (double count).
    ofmap = semantics === "corrected" ? M * N : M * N + folds * (R + C);
  } else if (dataflow === "ws") {
    ifmap = colFolds * ifmapEntries;
    filter = K * N;
    ofmap = rowFolds * M * N;
  } else {
    ifmap = ifmapEntries;
    filter = colFolds * K * N;
    ofmap = rowFolds * M * N;
  }
  return {
    mapping_efficiency_pct: (mapSum / folds) * 100,
    compute_util_pct: (utilSum / folds) * 100,
    sram_ifmap_reads: ifmap,
    sram_filter_reads: filter,
    sram_ofmap_writes: ofmap,
    macs: M * N * K,
  };
}
