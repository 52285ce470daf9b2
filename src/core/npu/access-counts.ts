/**
 * Reads and writes per storage level and tensor for one mapping, analytically (Timeloop's model:
 * Parashar et al., "Timeloop", ISPASS 2019). For a tensor t moving from parent level p to child c (the next
 * inner level that keeps t, or the MACs):
 *   refetch(c, t) = product of the temporal loops above c, after dropping the innermost run of loops
 *                   that do not index t (the tile stays resident while they iterate: stationarity);
 *   parent reads  = |tile of t spanned by the loops inside p's children, spatial fan-out included| × refetch
 *                   (so a word multicast to PEs that share it is read once, and input halos are shared);
 *   child fills   = |c's own tile| × instances of c × refetch.
 * Outputs go the other way: updates reaching p = parent-side tile × refetch (partial sums over a spatial
 * reduction are added in the array first); each level reads back partial sums it has seen before:
 *   reads = max(0, updates − |O|) + drains,   writes = updates + max(0, drains − |O|)
 * where drains = c's tile × instances × refetch and |O| counts the output elements (× replicas across a
 * spatial reduction). The MACs act as a level with a one-element tile (operand latch / accumulator), so a
 * weight-stationary inner loop costs no extra register reads. Counts are per repeat of the layer.
 */
import { NPU_DIMS, NPU_TENSORS, type NpuDim, type NpuTensor } from "../spec/npu-design-spec.js";
import type { NpuDesign } from "./design.js";
import { ones, spatialProduct, tileExtents, type DimFactors, type Mapping } from "./mapping.js";
import { macsOf, REDUCTION_DIMS, RELEVANT, tensorElements, tileElements, type LayerProblem } from "./problem.js";

export type TensorCounts = Record<NpuTensor, number>;

export interface LevelCounts {
  name: string;
  /** Element reads/writes summed over all instances of the level. */
  reads: TensorCounts;
  writes: TensorCounts;
}

export interface AccessCounts {
  macs: number;
  levels: LevelCounts[];
  /** Array transfers: systolic, one per receiving PE (neighbour hops); mesh, one per word sent (multicast). */
  noc_words: number;
  /** Temporal iterations (one MAC step of every active PE each). */
  temporal_cycles: number;
  /** Array fill/drain cycles (systolic skew) per fold, summed. */
  fill_drain_cycles: number;
  pes_used: number;
}

const zero = (): TensorCounts => ({ weights: 0, inputs: 0, outputs: 0 });

/** Temporal loops above level c (levels 0..c-1) with the innermost run of loops irrelevant to t dropped. */
export function refetch(m: Mapping, c: number, t: NpuTensor): number {
  const rel = RELEVANT[t];
  let prod = 1;
  let stationary = true;
  for (let i = c - 1; i >= 0; i--) {
    const lm = m.temporal[i]!;
    for (let j = lm.order.length - 1; j >= 0; j--) {
      const d = lm.order[j]!;
      const f = lm.factors[d];
      if (f === 1) continue;
      if (stationary && !rel.has(d)) continue;
      stationary = false;
      prod *= f;
    }
  }
  return prod;
}

export function computeAccessCounts(design: NpuDesign, p: LayerProblem, m: Mapping): AccessCounts {
  const L = design.levels.length;
  const levels: LevelCounts[] = design.levels.map((l) => ({ name: l.name, reads: zero(), writes: zero() }));
  const spatialAll: DimFactors = ones();
  for (const d of NPU_DIMS) spatialAll[d] = m.spatial.rows[d] * m.spatial.cols[d] * m.spatial.arrays[d];
  const pes = spatialProduct(spatialAll);
  let reductionSpatial = 1;
  for (const d of REDUCTION_DIMS) reductionSpatial *= spatialAll[d];
  const instances = (c: number): number => (c >= design.split ? pes : 1);
  const ext = ones();
  const tileAt = (t: NpuTensor, c: number, withSpatial: boolean): number => {
    if (c >= L) {
      for (const d of NPU_DIMS) ext[d] = withSpatial ? spatialAll[d] : 1;
    } else tileExtents(design, m, c, withSpatial, ext);
    return tileElements(t, ext, p.stride_h, p.stride_w);
  };
  const outputs = tensorElements(p, "outputs");
  let noc = 0;
  // Systolic arrays forward every word PE to PE (one hop per receiving PE); a mesh NoC multicasts
  // (one transfer per word sent, however many PEs receive it) and reduces partial sums in flight.
  const systolic = design.array_kind === "systolic";

  for (const t of NPU_TENSORS) {
    const chain: number[] = [];
    for (let i = 0; i < L; i++) if (design.levels[i]!.holds.has(t)) chain.push(i);
    chain.push(L); // the MACs
    for (let k = 0; k + 1 < chain.length; k++) {
      const par = chain[k]!;
      const c = chain[k + 1]!;
      const rf = refetch(m, c, t);
      const crossesArray = par < design.split && c >= design.split;
      // Parent-side tile: everything below the parent's children, the fan-out included if it lies below the parent.
      const parentTile = tileAt(t, c, par < design.split);
      const childTile = c < L ? tileAt(t, c, c < design.split) : 1;
      const childTotal = childTile * instances(c) * rf;
      if (t !== "outputs") {
        levels[par]!.reads[t] += parentTile * rf;
        if (c < L) levels[c]!.writes[t] += childTotal;
        if (crossesArray) noc += systolic ? childTotal : parentTile * rf;
      } else {
        const updates = parentTile * rf;
        // Updates arriving at the parent.
        levels[par]!.writes[t] += updates;
        const seen = par >= design.split ? outputs * reductionSpatial : outputs;
        levels[par]!.reads[t] += Math.max(0, updates - seen);
        if (c < L) {
          // Child drains its tile to the parent and reloads partial sums it had drained before.
          const childSeen = c >= design.split ? outputs * reductionSpatial : outputs;
          levels[c]!.reads[t] += childTotal;
          levels[c]!.writes[t] += Math.max(0, childTotal - childSeen);
        }
        if (crossesArray) noc += systolic ? childTotal + Math.max(0, childTotal - outputs * reductionSpatial) : updates + Math.max(0, updates - outputs);
      }
    }
  }

  let temporal = 1;
  for (const lm of m.temporal) for (const d of NPU_DIMS) temporal *= lm.factors[d];
  let fillDrain = 0;
  if (design.array_kind === "systolic") {
    // A fold = one pass of the loops below the fan-out; its skewed fill/drain costs rows + cols − 2 cycles.
    let inner = 1;
    const from = design.split < L ? design.split : L - 1;
    for (let i = from; i < L; i++) for (const d of NPU_DIMS) inner *= m.temporal[i]!.factors[d];
    const folds = temporal / inner;
    fillDrain = folds * (spatialProduct(m.spatial.rows) + spatialProduct(m.spatial.cols) - 2);
  }
  return { macs: macsOf({ ...p, repeats: 1 }), levels, noc_words: noc, temporal_cycles: temporal, fill_drain_cycles: fillDrain, pes_used: pes };
}

export type { NpuDim };
