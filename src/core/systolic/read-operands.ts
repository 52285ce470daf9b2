/**
 * The two read operands (IFMAP, filter) as address streams, in the exact order SCALE-Sim's demand
 * and prefetch matrices list them (`systolic_compute_{os,ws,is}.py`). Every operand element has the
 * address lane[l] + tAxis[t]: `l` runs along an array edge (lanes), `t` along time or along K.
 *
 * Demand (what the array reads each cycle), per fold (column fold outer, row fold inner):
 *  - skewed: lane l of the fold reads element t on fold row pre + t + l (the edge is skewed);
 *    OS ifmap and filter, WS ifmap, IS filter.
 *  - block: the stationary operand is loaded in R rows, bottom row first: fold row q loads
 *    K-index fr·R + R − 1 − q into every used column; WS filter, IS ifmap.
 * Prefetch order (USER bandwidth mode): the fold blocks stacked (lanes as columns, t as rows),
 * read anti-diagonal by anti-diagonal for skewed operands and row by row for block operands.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { FoldGeometry } from "./fold-geometry.js";
import { type GemmProblem, ifmapAddressTables } from "./gemm-lowering.js";

export interface OperandTables {
  lane: Int32Array;
  tAxis: Int32Array;
  padMask: Uint8Array | null;
}

export interface ReadOperand {
  name: "ifmap" | "filter";
  pattern: "skewed" | "block";
  /** Array lanes per fold (R or C) and which fold index picks the lanes. */
  laneWidth: number;
  laneFold: "row" | "col";
  /** Extent of the lane axis (M, N or K) and of the t axis. */
  laneExtent: number;
  tExtent: number;
  /** Skewed operands: fold rows before lane 0 reads its first element. */
  pre: number;
  /** Distinct words the operand reads and the size of its address space (padding included). */
  footprint: number;
  addressSpace: number;
  /** Some entries are padding (never read). */
  padded: boolean;
  /** Entries that are real reads (the operand matrix minus padding). */
  validEntries: number;
  /**
   * Lazily built address tables (address = lane[l] + tAxis[t], relative to the operand's offset);
   * `padMask[address]` is 1 for entries SCALE-Sim leaves at −1 (window past the ifmap edge).
   */
  tables(): OperandTables;
}

/** Largest operand (in words, padding included) the address-level replay handles: 256 Mi words, 256 MiB of stamps. */
const MAX_ADDRESS_SPACE = 2 ** 28;

function checkSpace(name: string, space: number): void {
  if (space > MAX_ADDRESS_SPACE)
    throw new XpusimError(
      error("E_UNSUPPORTED", name, `the ${name} operand has ${space} words, more than the 2^28 the address-level DRAM model handles`, {
        hint: "split the layer, or use a larger SRAM so that the operand fits half of it (closed-form path)",
      }),
    );
}

function ifmapTables(g: GemmProblem): () => { m: Int32Array; k: Int32Array; pad: Uint8Array | null } {
  let cache: { m: Int32Array; k: Int32Array; pad: Uint8Array | null } | undefined;
  return () => {
    if (!cache) {
      checkSpace("ifmap", g.ifmapAddressSpace);
      const { rowBase, colOffset, padMask } = ifmapAddressTables(g);
      cache = { m: Int32Array.from(rowBase), k: Int32Array.from(colOffset), pad: padMask };
    }
    return cache;
  };
}

function filterTables(g: GemmProblem): () => { k: Int32Array; n: Int32Array } {
  let cache: { k: Int32Array; n: Int32Array } | undefined;
  return () => {
    if (!cache) {
      checkSpace("filter", g.K * g.N);
      const k = new Int32Array(g.K);
      for (let i = 0; i < g.K; i++) k[i] = i;
      const n = new Int32Array(g.N);
      for (let i = 0; i < g.N; i++) n[i] = i * g.K;
      cache = { k, n };
    }
    return cache;
  };
}

/** The IFMAP and filter streams of a GEMM under a dataflow. */
export function readOperands(g: GemmProblem, geo: FoldGeometry): { ifmap: ReadOperand; filter: ReadOperand } {
  const { R, C } = geo;
  const ift = ifmapTables(g);
  const flt = filterTables(g);
  const ifmapBase = { name: "ifmap" as const, footprint: g.ifmapFootprint, addressSpace: g.ifmapAddressSpace, padded: g.ifmapHasPadding, validEntries: g.ifmapValidEntries };
  const filterBase = { name: "filter" as const, footprint: g.K * g.N, addressSpace: g.K * g.N, padded: false, validEntries: g.K * g.N };
  switch (geo.dataflow) {
    case "os":
      return {
        ifmap: { ...ifmapBase, pattern: "skewed", laneWidth: R, laneFold: "row", laneExtent: g.M, tExtent: g.K, pre: 0, tables: () => ({ lane: ift().m, tAxis: ift().k, padMask: ift().pad }) },
        filter: { ...filterBase, pattern: "skewed", laneWidth: C, laneFold: "col", laneExtent: g.N, tExtent: g.K, pre: 0, tables: () => ({ lane: flt().n, tAxis: flt().k, padMask: null }) },
      };
    case "ws":
      return {
        ifmap: { ...ifmapBase, pattern: "skewed", laneWidth: R, laneFold: "row", laneExtent: g.K, tExtent: g.M, pre: R, tables: () => ({ lane: ift().k, tAxis: ift().m, padMask: ift().pad }) },
        filter: { ...filterBase, pattern: "block", laneWidth: C, laneFold: "col", laneExtent: g.N, tExtent: g.K, pre: 0, tables: () => ({ lane: flt().n, tAxis: flt().k, padMask: null }) },
      };
    case "is":
      return {
        ifmap: { ...ifmapBase, pattern: "block", laneWidth: C, laneFold: "col", laneExtent: g.M, tExtent: g.K, pre: 0, tables: () => ({ lane: ift().m, tAxis: ift().k, padMask: ift().pad }) },
        filter: { ...filterBase, pattern: "skewed", laneWidth: R, laneFold: "row", laneExtent: g.K, tExtent: g.N, pre: R, tables: () => ({ lane: flt().k, tAxis: flt().n, padMask: null }) },
      };
  }
}

/** Entries of the prefetch matrix, padding included (fold blocks of lanes × t). */
export function prefetchEntries(op: ReadOperand): number {
  return Math.ceil(op.laneExtent / op.laneWidth) * op.laneWidth * op.tExtent;
}

/** Lanes holding data in fold (fc, fr) for this operand. */
export function lanesUsed(op: ReadOperand, fc: number, fr: number): number {
  const fold = op.laneFold === "row" ? fr : fc;
  return Math.min(op.laneWidth, op.laneExtent - fold * op.laneWidth);
}

/** Demand rows of fold (fc, fr) that hold at least one valid address: [first, last]. */
export function demandRowSpan(op: ReadOperand, geo: FoldGeometry, fc: number, fr: number): [number, number] {
  if (op.pattern === "skewed") {
    const lu = lanesUsed(op, fc, fr);
    return [op.pre, op.pre + op.tExtent + lu - 2];
  }
  const ru = Math.min(geo.R, geo.Sr - fr * geo.R);
  return [geo.R - ru, geo.R - 1];
}

/**
 * Calls `visit(address)` for every valid entry of the prefetch matrix, in SCALE-Sim's prefetch order,
 * and returns the number of entries including the −1 padding (which sizes the fetch matrix).
 */
export function forEachPrefetchAddress(op: ReadOperand, visit: (address: number) => void): number {
  const { lane, tAxis, padMask } = op.tables();
  const W = op.laneWidth;
  const Tp = op.tExtent;
  const blocks = Math.ceil(op.laneExtent / W);
  const rows = blocks * Tp;
  const S = op.laneExtent;
  if (op.pattern === "block") {
    for (let b = 0; b < blocks; b++) {
      const lb = b * W;
      const lu = Math.min(W, S - lb);
      for (let t = 0; t < Tp; t++) {
        const ta = tAxis[t]!;
        for (let l = 0; l < lu; l++) {
          const a = lane[lb + l]! + ta;
          if (padMask === null || padMask[a] === 0) visit(a);
        }
      }
    }
    return prefetchEntries(op);
  }
  // Anti-diagonals d = row + col, each from its bottom-left (largest row) to its top-right.
  for (let d = 0; d < rows + W - 1; d++) {
    const rowHi = Math.min(d, rows - 1);
    const rowLo = Math.max(0, d - W + 1);
    for (let row = rowHi; row >= rowLo; row--) {
      const col = d - row;
      const b = Math.floor(row / Tp);
      const li = b * W + col;
      if (li >= S) continue;
      const a = lane[li]! + tAxis[row - b * Tp]!;
      if (padMask === null || padMask[a] === 0) visit(a);
    }
  }
  return prefetchEntries(op);
}

/**
 * Fills `out` with the addresses the operand reads in row j of fold (fc, fr), in SCALE-Sim's column
 * order, skipping padding; returns how many.
 */
export function rowAddresses(op: ReadOperand, geo: FoldGeometry, fc: number, fr: number, j: number, t: OperandTables, out: Int32Array): number {
  const lu = lanesUsed(op, fc, fr);
  const lb = (op.laneFold === "row" ? fr : fc) * op.laneWidth;
  const { lane, tAxis, padMask } = t;
  let n = 0;
  if (op.pattern === "skewed") {
    const rel = j - op.pre;
    if (rel < 0) return 0;
    const lLo = Math.max(0, rel - op.tExtent + 1);
    const lHi = Math.min(lu - 1, rel);
    for (let l = lLo; l <= lHi; l++) {
      const a = lane[lb + l]! + tAxis[rel - l]!;
      if (padMask === null || padMask[a] === 0) out[n++] = a;
    }
    return n;
  }
  const R = geo.R;
  if (j >= R) return 0;
  const i = R - 1 - j;
  if (i >= Math.min(R, geo.Sr - fr * R)) return 0;
  const ta = tAxis[fr * R + i]!;
  for (let l = 0; l < lu; l++) {
    const a = lane[lb + l]! + ta;
    if (padMask === null || padMask[a] === 0) out[n++] = a;
  }
  return n;
}

/**
 * Global demand rows of the operand's first and last reads (fold order: column fold outer).
 * Closed-form without padding; with padding the rows at both ends are scanned.
 */
export function firstAndLastDemandRows(op: ReadOperand, geo: FoldGeometry): [number, number] {
  const P = geo.foldRows;
  if (!op.padded) {
    const [first] = demandRowSpan(op, geo, 0, 0);
    const [, last] = demandRowSpan(op, geo, geo.colFolds - 1, geo.rowFolds - 1);
    return [first, (geo.folds - 1) * P + last];
  }
  const t = op.tables();
  const scratch = new Int32Array(Math.max(geo.R, geo.C));
  let first = -1;
  for (let f = 0; f < geo.folds && first < 0; f++) {
    const fc = Math.floor(f / geo.rowFolds);
    const fr = f % geo.rowFolds;
    const [j0, j1] = demandRowSpan(op, geo, fc, fr);
    for (let j = j0; j <= j1; j++) {
      if (rowAddresses(op, geo, fc, fr, j, t, scratch) > 0) {
        first = f * P + j;
        break;
      }
    }
  }
  let last = -1;
  for (let f = geo.folds - 1; f >= 0 && last < 0; f--) {
    const fc = Math.floor(f / geo.rowFolds);
    const fr = f % geo.rowFolds;
    const [j0, j1] = demandRowSpan(op, geo, fc, fr);
    for (let j = j1; j >= j0; j--) {
      if (rowAddresses(op, geo, fc, fr, j, t, scratch) > 0) {
        last = f * P + j;
        break;
      }
    }
  }
  return [first, last];
}
