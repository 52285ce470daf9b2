import { FPGA_DTYPE_BYTES, type FpgaDtype } from "./dsp-packing.js";
import { tileBufferBlocks, weightPoolBlocks } from "./resources.js";
import type { FpgaDevice, FpgaLayer, FpgaLayerResult } from "./types.js";

/**
 * Pipeline depth − 1 of the MAC array (the P of Zhang FPGA'15's cycle count), paid once per tile.
 * ESTIMATED: 8 cycles, range [0, 20] (multiplier + adder-tree latency; not in the sources).
 */
export const DEFAULT_PIPELINE_DEPTH = 8;

/** Tiles along one dimension of `extent` with tile `t`: ⌈extent / t⌉. */
const trips = (extent: number, t: number): number => Math.ceil(extent / t);

/** Closed forms of one layer under tiles ⟨Tm, Tn, Tr, Tc⟩ (Zhang et al., FPGA'15, §3-4). Pure arithmetic. */
export function layerCycles(layer: FpgaLayer, tm: number, tn: number, tr: number, tc: number, P: number, tp = 1): number {
  const { M, N, R, C, K } = layer;
  return trips(M, tm) * trips(N, tn) * trips(R, tr) * trips(C, tc) * (tr * Math.ceil(tc / tp) * K * K + P) * layer.repeats;
}

/**
 * DRAM bytes: α_in·B_in + α_w·B_w + α_out·B_out words with α_in = α_w = ⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉ and
 * α_out = ⌈M/Tm⌉⌈R/Tr⌉⌈C/Tc⌉ (output-stationary: partial sums stay on chip while the input maps stream).
 */
export function layerDramBytes(layer: FpgaLayer, tm: number, tn: number, tr: number, tc: number, dtype: FpgaDtype): number {
  const { M, N, R, C, K, S } = layer;
  const bIn = tn * (S * tr + K - S) * (S * tc + K - S);
  const bW = tm * tn * K * K;
  const bOut = tm * tr * tc;
  const outer = trips(M, tm) * trips(R, tr) * trips(C, tc);
  const alphaInW = outer * trips(N, tn);
  return FPGA_DTYPE_BYTES[dtype] * (alphaInW * (bIn + bW) + outer * bOut) * layer.repeats;
}

export const layerOps = (l: FpgaLayer): number => 2 * l.M * l.N * l.R * l.C * l.K * l.K * l.repeats;

export interface LayerContext {
  device: FpgaDevice;
  dtype: FpgaDtype;
  tm: number;
  tn: number;
  /** Output pixels in parallel (1 = Zhang's engine). */
  tp: number;
  clock_hz: number;
  pipeline_depth: number;
}

/** One layer at fixed ⟨Tm, Tn, Tr, Tc⟩: cycles, traffic, CTC, roofs, bound. */
export function evaluateLayer(ctx: LayerContext, layer: FpgaLayer, tr: number, tc: number): FpgaLayerResult {
  const ops = layerOps(layer);
  const compute_cycles = layerCycles(layer, ctx.tm, ctx.tn, tr, tc, ctx.pipeline_depth, ctx.tp);
  const dram_bytes = layerDramBytes(layer, ctx.tm, ctx.tn, tr, tc, ctx.dtype);
  const computeTime = compute_cycles / ctx.clock_hz;
  const memoryTime = dram_bytes / ctx.device.dram_bytes_per_s;
  const time_s = Math.max(computeTime, memoryTime);
  const ctc = ops / dram_bytes;
  const roof = ops / computeTime;
  return {
    name: layer.name,
    repeats: layer.repeats,
    tr,
    tc,
    ops,
    compute_cycles,
    dram_bytes,
    ctc_ops_per_byte: ctc,
    compute_roof_ops_per_s: roof,
    attainable_ops_per_s: Math.min(roof, ctc * ctx.device.dram_bytes_per_s),
    time_s,
    bound: memoryTime > computeTime ? "memory" : "compute",
    ...tileBlocks(ctx, layer, tr, tc),
  };
}

/** Block RAM and weight-pool blocks of a layer's tiles (weights in the pool when they fit there). */
function tileBlocks(ctx: LayerContext, layer: FpgaLayer, tr: number, tc: number): { bram_blocks: number; weight_pool_blocks: number } {
  const pool = weightPoolBlocks(ctx.device, ctx.dtype, ctx.tm, ctx.tn, layer.K);
  return { bram_blocks: tileBufferBlocks(ctx.device, ctx.dtype, ctx.tm, ctx.tn, tr, tc, layer.K, layer.S, ctx.tp, pool === 0), weight_pool_blocks: pool };
}

/** Row/column tile candidates: one per distinct trip count ⌈E/t⌉, t = ⌈E/k⌉ for k = 1 … min(E, 64). */
const MAX_SPLITS = 64;

/**
 * The best (Tr, Tc) of a layer for fixed ⟨Tm, Tn⟩ whose buffers fit `bramBudget` blocks: least time, then
 * least DRAM traffic. Undefined when no tile fits. The loop keeps numbers only; the result object is built once.
 */
export function bestLayerTiles(ctx: LayerContext, layer: FpgaLayer, bramBudget: number): FpgaLayerResult | undefined {
  let bestTime = Infinity;
  let bestBytes = Infinity;
  let bestTr = 0;
  let bestTc = 0;
  const kr = Math.min(layer.R, MAX_SPLITS);
  const kc = Math.min(layer.C, MAX_SPLITS);
  const weightsInBram = weightPoolBlocks(ctx.device, ctx.dtype, ctx.tm, ctx.tn, layer.K) === 0;
  for (let i = 1; i <= kr; i++) {
    const tr = Math.ceil(layer.R / i);
    if (i > 1 && tr === Math.ceil(layer.R / (i - 1))) continue;
    for (let j = 1; j <= kc; j++) {
      const tc = Math.ceil(layer.C / j);
      if (j > 1 && tc === Math.ceil(layer.C / (j - 1))) continue;
      if (tileBufferBlocks(ctx.device, ctx.dtype, ctx.tm, ctx.tn, tr, tc, layer.K, layer.S, ctx.tp, weightsInBram) > bramBudget) continue;
      const bytes = layerDramBytes(layer, ctx.tm, ctx.tn, tr, tc, ctx.dtype);
      const time = Math.max(layerCycles(layer, ctx.tm, ctx.tn, tr, tc, ctx.pipeline_depth, ctx.tp) / ctx.clock_hz, bytes / ctx.device.dram_bytes_per_s);
      if (time < bestTime * (1 - 1e-12) || (time <= bestTime * (1 + 1e-12) && bytes < bestBytes)) {
        bestTime = time;
        bestBytes = bytes;
        bestTr = tr;
        bestTc = tc;
      }
    }
  }
  return bestTr === 0 ? undefined : evaluateLayer(ctx, layer, bestTr, bestTc);
}

/** Fewest tile-buffer blocks any (Tr, Tc) of the layer needs (the smallest tiles: Tr = Tc = 1). */
export function minLayerBlocks(ctx: LayerContext, layer: FpgaLayer): number {
  return tileBlocks(ctx, layer, 1, 1).bram_blocks;
}
