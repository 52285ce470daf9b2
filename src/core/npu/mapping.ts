/**
 * A mapping of one layer onto an NPU design (Timeloop's loop-nest mapping): per storage level the temporal
 * tile factors of each dim and their loop order (outer to inner), plus the spatial factors over array rows,
 * columns and arrays. The product of a dim's factors over all levels and the spatial axes must equal the
 * dim. `checkMapping` lists every reason a mapping is invalid (bounds, dataflow, array size, capacity).
 */
import { NPU_DIMS, NPU_TENSORS, type NpuDim } from "../spec/npu-design-spec.js";
import { elementBits, type NpuDesign } from "./design.js";
import { tileElements, type LayerProblem } from "./problem.js";

export type DimFactors = Record<NpuDim, number>;

export interface LevelMapping {
  factors: DimFactors;
  /** Loop order at this level, outermost first; a permutation of all dims. */
  order: NpuDim[];
}

export interface Mapping {
  /** One entry per design level, same order (index 0 = DRAM). */
  temporal: LevelMapping[];
  spatial: { rows: DimFactors; cols: DimFactors; arrays: DimFactors };
}

export const ones = (): DimFactors => ({ N: 1, M: 1, C: 1, P: 1, Q: 1, R: 1, S: 1 });

export function spatialProduct(f: DimFactors): number {
  let p = 1;
  for (const d of NPU_DIMS) p *= f[d];
  return p;
}

/** Per-dim extent of the tile held by one instance of level `c` (loops at c and inside; spatial if c is above the fan-out). */
export function tileExtents(design: NpuDesign, m: Mapping, c: number, includeSpatial: boolean, out: DimFactors = ones()): DimFactors {
  for (const d of NPU_DIMS) {
    let e = includeSpatial ? m.spatial.rows[d] * m.spatial.cols[d] * m.spatial.arrays[d] : 1;
    for (let i = c; i < design.levels.length; i++) e *= m.temporal[i]!.factors[d];
    out[d] = e;
  }
  return out;
}

/** Bits level `c` needs per instance for the tiles of the tensors it holds. */
export function levelFootprintBits(design: NpuDesign, p: LayerProblem, m: Mapping, c: number): Record<string, number> {
  const e = tileExtents(design, m, c, c < design.split);
  const out: Record<string, number> = {};
  for (const t of NPU_TENSORS) if (design.levels[c]!.holds.has(t)) out[t] = tileElements(t, e, p.stride_h, p.stride_w) * elementBits(design, t);
  return out;
}

function usableBits(design: NpuDesign, c: number): number {
  const l = design.levels[c]!;
  return l.capacity_bytes * 8 * (l.double_buffered ? 0.5 : 1);
}

const fmtBytes = (bits: number): string => {
  const b = bits / 8;
  return b >= 1024 * 1024 ? `${(b / 1048576).toFixed(2)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(2)} KiB` : `${b} B`;
};

/**
 * Reasons the design cannot hold even one element of each tensor a level keeps (no mapping can fit):
 * checked before any search.
 */
export function minimalTileReasons(design: NpuDesign): string[] {
  const out: string[] = [];
  for (let c = 1; c < design.levels.length; c++) {
    const l = design.levels[c]!;
    let need = 0;
    for (const t of NPU_TENSORS) if (l.holds.has(t)) need += elementBits(design, t);
    if (need > usableBits(design, c))
      out.push(`level "${l.name}": ${fmtBytes(usableBits(design, c))} usable cannot hold one element of each tensor it keeps (${fmtBytes(need)})`);
  }
  return out;
}

/** Every reason the mapping is invalid for this design and layer; empty when it is valid. */
export function checkMapping(design: NpuDesign, p: LayerProblem, m: Mapping): string[] {
  const reasons: string[] = [];
  if (m.temporal.length !== design.levels.length) {
    reasons.push(`mapping has ${m.temporal.length} levels, the design has ${design.levels.length} (${design.levels.map((l) => l.name).join(", ")})`);
    return reasons;
  }
  for (const d of NPU_DIMS) {
    let prod = m.spatial.rows[d] * m.spatial.cols[d] * m.spatial.arrays[d];
    for (const lm of m.temporal) prod *= lm.factors[d];
    const all = [m.spatial.rows[d], m.spatial.cols[d], m.spatial.arrays[d], ...m.temporal.map((lm) => lm.factors[d])];
    if (all.some((f) => !(Number.isSafeInteger(f) && f >= 1))) reasons.push(`dim ${d}: factors must be positive integers`);
    else if (prod !== p.dims[d]) reasons.push(`dim ${d}: factors multiply to ${prod}, the layer has ${p.dims[d]}`);
  }
  m.temporal.forEach((lm, i) => {
    const seen = new Set(lm.order);
    if (lm.order.length !== NPU_DIMS.length || seen.size !== NPU_DIMS.length || NPU_DIMS.some((d) => !seen.has(d)))
      reasons.push(`level "${design.levels[i]!.name}": loop order must list each of ${NPU_DIMS.join(", ")} once`);
  });
  const axes: ["rows" | "cols" | "arrays", number][] = [["rows", design.rows], ["cols", design.cols], ["arrays", design.arrays]];
  for (const [axis, size] of axes) {
    const f = m.spatial[axis];
    const used = spatialProduct(f);
    if (used > size) reasons.push(`spatial ${axis}: ${used} used, the design has ${size}`);
    for (const d of NPU_DIMS)
      if (f[d] > 1 && !design.spatial[axis].includes(d))
        reasons.push(`spatial ${axis}: dim ${d} cannot be spread over ${axis} in a ${design.dataflow} design (allowed: ${design.spatial[axis].join(", ")})`);
  }
  if (reasons.length > 0) return reasons;
  for (let c = 1; c < design.levels.length; c++) {
    const fp = levelFootprintBits(design, p, m, c);
    const need = Object.values(fp).reduce((a, b) => a + b, 0);
    if (need > usableBits(design, c))
      reasons.push(
        `level "${design.levels[c]!.name}": tiles need ${fmtBytes(need)} (${Object.entries(fp).map(([t, b]) => `${t} ${fmtBytes(b)}`).join(", ")}), ${fmtBytes(usableBits(design, c))} usable`,
      );
  }
  let dramBits = 0;
  for (const t of NPU_TENSORS) dramBits += tileElements(t, p.dims, p.stride_h, p.stride_w) * (t === "outputs" ? design.dtype_bits : design.dtype_bits);
  if (dramBits / 8 > design.dram.capacity_bytes) reasons.push(`layer tensors need ${fmtBytes(dramBits)} of main memory, the chip has ${fmtBytes(design.dram.capacity_bytes * 8)}`);
  return reasons;
}

/** A mapping as a plain object for YAML/JSON (levels keyed by name, factors of 1 omitted). */
export function mappingToObject(design: NpuDesign, m: Mapping): Record<string, unknown> {
  const compact = (f: DimFactors): Record<string, number> => Object.fromEntries(NPU_DIMS.filter((d) => f[d] !== 1).map((d) => [d, f[d]]));
  return {
    levels: Object.fromEntries(design.levels.map((l, i) => [l.name, { factors: compact(m.temporal[i]!.factors), order: m.temporal[i]!.order }])),
    spatial: { rows: compact(m.spatial.rows), cols: compact(m.spatial.cols), arrays: compact(m.spatial.arrays) },
  };
}
