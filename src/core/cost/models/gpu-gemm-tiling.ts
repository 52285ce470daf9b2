import type { Chip } from "../../hardware/chip.js";
import type { EfficiencyParams, GemmTile } from "../../spec/family-spec.js";
import { achievableMainBandwidth, clockHz, lastLevelOnChip, type EngineRate } from "./common.js";

/**
 * Tile-level GEMM model for GPUs (tensor cores / matrix cores, or CUDA cores for SGEMM), the way a
 * BLAS heuristic chooses a kernel: for each CTA tile candidate, operand orientation and split-K
 * factor it prices
 *
 *  - tile quantisation: a tile does its full tm×tn×k_tile work even at a ragged edge;
 *  - occupancy: co-resident CTAs per SM from shared memory (pipeline stages) and the register file
 *    (fp32 accumulators);
 *  - wave quantisation: tiles are dealt to SMs in waves of SMs × CTAs-per-SM; an SM with fewer tile
 *    outputs in flight than `min_tile_outputs_per_unit` runs proportionally slower, so a partial
 *    last wave costs about as much as a full one (NVIDIA, "Matrix Multiplication Background
 *    User's Guide": tile and wave quantisation);
 *  - per-SM math at the achievable peak, capped by shared-memory bandwidth for the warp tile;
 *  - main-memory traffic with L2 reuse: if A and B of one batch entry fit in the usable L2 they are
 *    read once, else A is re-read ceil(Tn / wn) times and B ceil(Tm / wm) times, where wm × wn is the
 *    block of output tiles resident at once (rasterised as a square, like CUTLASS's swizzle);
 *  - L2 → SMEM operand traffic of every tile (divided by the CTAs of a cluster that share one read
 *    through multicast), limited by the L2 bandwidth;
 *  - split-K when there are too few output tiles: partial sums go through memory and back;
 *  - per-wave prologue/epilogue cycles;
 *  - main-memory latency hiding by Little's law: an SM streams at most (bytes in flight) / latency,
 *    where the bytes in flight are its resident CTAs' pipeline stages (capped by
 *    `max_bytes_in_flight_per_unit`), so a grid that occupies few SMs cannot reach the chip's
 *    bandwidth (bandwidth · latency bytes must be in flight chip-wide).
 *
 * Small M (decode GEMV, M below the family's shortest CTA tile, 1..48 on NVIDIA): besides the family's CTA tiles, each tile is also tried with its
 * rows cut to M padded to the matrix instruction's row granule (`mma_row_granule`: 16 for
 * mma.sync m16n8k16), the way weight-only decode kernels (Marlin, Frantar et al. 2024, arXiv
 * 2408.11743; TensorRT-LLM fpA_intB / weight-only GEMV; cuBLAS small-M split-K kernels) run: math
 * is charged at the padded rows (not 64/128), the reduction dimension is split over as many SMs as
 * it takes to fill the chip (k-parallel, partial sums reduced in the same kernel, as stream-K,
 * Osama et al. 2023, arXiv 2301.03598), and the SM's rate is bounded by the bytes it keeps in
 * flight rather than by `min_tile_outputs_per_unit` (that rule states the accumulator work needed
 * to keep the matrix engine busy; a memory-bound kernel is waiting on memory, not on its MMAs).
 *
 * The fastest candidate wins. All candidates are evaluated with scalar arithmetic (no allocation).
 */

export interface GemmProblem {
  m: number;
  n: number;
  k: number;
  batch: number;
  /** Bytes per element of A, B (as staged in shared memory) and C. */
  a_elem: number;
  b_elem: number;
  c_elem: number;
  /** Compulsory main-memory bytes of A and B over the whole batch (conv: the input tensor, not im2col). */
  a_bytes: number;
  b_bytes: number;
  /** Output bytes written. */
  c_bytes: number;
  /** Accumulator bytes per output (4, or 8 for fp64). */
  acc_elem: number;
  /**
   * Implicit-GEMM convolution: K is `k_taps` filter taps × k / k_taps channels, and the main loop
   * walks the channels of one tap per k-tile (CUTLASS's "optimized" iterators, cuDNN's implicit
   * GEMM), so a tap whose channels do not fill the k-tile leaves it partly empty; with fewer
   * channels than one k-tile, several taps are packed per k-tile ("few channels" iterators).
   * Absent: a plain GEMM, ceil(k / k_tile) steps.
   */
  k_taps?: number;
}

/** k-tile steps of the main loop for a k-tile of `tk` elements. */
export function kSteps(p: GemmProblem, tk: number): number {
  const taps = p.k_taps ?? 1;
  if (taps <= 1) return Math.ceil(p.k / tk);
  const perTap = p.k / taps;
  return perTap >= tk ? taps * Math.ceil(perTap / tk) : Math.ceil(p.k / tk);
}

export interface GemmTiling {
  tile: GemmTile;
  /** The problem was transposed (Cᵀ = Bᵀ·Aᵀ) so that the small dimension maps to the tile's n. */
  swapped: boolean;
  split_k: number;
  ctas_per_unit: number;
  tiles: number;
  waves: number;
  /** Useful tile-slot fraction: tiles / (waves × slots). */
  wave_efficiency: number;
  /** Rate of the busiest SM relative to its achievable peak, averaged over waves (≤ 1). */
  occupancy_efficiency: number;
  compute_s: number;
  memory_s: number;
  l2_s: number;
  overhead_s: number;
  time_s: number;
  bytes_main: number;
  bytes_l2: number;
  /** Math actually executed including padding (≥ 2·m·n·k·batch). */
  padded_flops: number;
  /** The small-M path: tile rows cut to M padded to the MMA row granule, k split in-kernel. */
  small_m: boolean;
  /** Main-memory bandwidth the grid can draw (≤ achievable bandwidth; lower when few SMs are busy), B/s. */
  main_bandwidth_bytes_per_s: number;
}

interface Env {
  units: number;
  /** Achievable FLOP/s per unit for the engine (peak / units × efficiency). */
  unitRate: number;
  rawUnitRate: number;
  efficiency: number;
  clock: number;
  smemBytes: number;
  smemBytesPerS: number;
  rfAccBytes: number;
  maxCtas: number;
  minOutputs: number;
  stages: number;
  warpM: number;
  warpN: number;
  l2Bytes: number;
  l2Bw: number;
  /** CTAs sharing one L2 read of an operand tile (cluster multicast). */
  l2Sharing: number;
  mainBw: number;
  waveOverheadS: number;
  launchS: number;
  splitMax: number;
  /** Main-memory latency (Little's law on the bytes in flight). */
  latencyS: number;
  /** Most main-memory bytes one SM keeps in flight. */
  inflightCap: number;
  /** Row granule of the smallest matrix instruction (small-M tiles). */
  rowGranule: number;
  /** Share of the last partial wave spread over idle SMs by persistent / Stream-K scheduling. */
  tailBalance: number;
}

/** Achievable L2 bandwidth: the chip's level bandwidth, else the family's bytes per clock; 0 when unknown. */
export function l2BandwidthBytesPerS(chip: Chip, eff: EfficiencyParams, clock: number): number {
  const l2 = lastLevelOnChip(chip);
  const peak = l2?.bandwidth_bytes_per_s ?? (l2 ? eff.l2_bytes_per_clk * clock : 0);
  return peak * eff.onchip_memory_efficiency;
}

/**
 * Output elements an SM needs in flight for the engine. `min_tile_outputs_per_unit` is stated for the
 * matrix engine; by Little's law the accumulator state needed to cover the operand latency scales
 * with the rate it is consumed at (j ≥ rate · latency / (2 · k_tile)), so an SGEMM on the CUDA cores
 * (V100: 15.7 vs 125 TFLOPS) is saturated by about 1/8 of the tensor-core tile area: CUTLASS SIMT
 * kernels reach their peak with one 128×64 tile per SM. The same holds for a slower dtype on the matrix
 * engine: Hopper's fp64 DMMA runs at 67 of 989 TFLOPS, so a 64×32 DGEMM tile fills it (cuBLAS DGEMM on an
 * H100 reaches ~50–60 TFLOPS, HPL 696 W runs); faster dtypes (fp8) keep the stated figure.
 */
function minOutputsFor(chip: Chip, eff: EfficiencyParams, engine: EngineRate): number {
  const m = chip.matrix.peak_flops_per_s;
  const ref = m.fp16 ?? m.bf16 ?? 0;
  return ref > engine.peak ? Math.max(1, Math.round((eff.min_tile_outputs_per_unit * engine.peak) / ref)) : eff.min_tile_outputs_per_unit;
}

function environment(chip: Chip, eff: EfficiencyParams, engine: EngineRate, notes: string[]): Env {
  const clock = clockHz(chip, eff, notes);
  const l2 = lastLevelOnChip(chip);
  const units = chip.compute_units;
  return {
    units,
    unitRate: (engine.peak / units) * engine.efficiency,
    rawUnitRate: engine.peak / units,
    efficiency: engine.efficiency,
    clock,
    smemBytes: eff.smem_bytes_per_unit,
    smemBytesPerS: eff.smem_bytes_per_clk_per_unit * clock,
    rfAccBytes: eff.register_file_bytes_per_unit * eff.accumulator_register_fraction,
    maxCtas: eff.max_ctas_per_unit,
    minOutputs: minOutputsFor(chip, eff, engine),
    stages: eff.pipeline_stages,
    warpM: eff.warp_tile.m,
    warpN: eff.warp_tile.n,
    l2Bytes: l2 ? l2.capacity_bytes * eff.l2_effective_fraction : 0,
    l2Bw: l2BandwidthBytesPerS(chip, eff, clock),
    l2Sharing: eff.l2_operand_sharing,
    mainBw: achievableMainBandwidth(chip, eff),
    waveOverheadS: eff.tile_overhead_cycles / clock,
    launchS: eff.kernel_launch_overhead_s,
    splitMax: eff.split_k_max,
    latencyS: eff.main_memory_latency_s,
    inflightCap: eff.max_bytes_in_flight_per_unit,
    rowGranule: engine.engine === "matrix" ? eff.mma_row_granule : 1,
    tailBalance: eff.tail_wave_balance,
  };
}

/**
 * Main-memory bandwidth a grid can draw (Little's law): the `resident` CTAs (at most `units` × the
 * CTAs per SM) are spread as evenly as the scheduler can over `units` SMs; an SM holding j of them
 * keeps min(j × `ctaInflight`, cap) bytes in flight, and the chip streams at most the sum / latency,
 * never above its achievable bandwidth. Spreading the same CTAs over more SMs never lowers the sum
 * (min(j·a, cap) is concave in j), so more SMs are never slower.
 */
export function gridBandwidth(mainBw: number, units: number, resident: number, ctaInflight: number, inflightCap: number, latencyS: number): number {
  if (latencyS <= 0) return mainBw;
  const base = Math.floor(resident / units);
  const extra = resident - base * units;
  const inflight = extra * Math.min((base + 1) * ctaInflight, inflightCap) + (units - extra) * Math.min(base * ctaInflight, inflightCap);
  return Math.min(mainBw, inflight / latencyS);
}

/** Scratch result reused across candidates to avoid allocation. */
interface Best {
  time: number;
  tm: number;
  tn: number;
  tk: number;
  swapped: boolean;
  split: number;
  c: number;
  tiles: number;
  waves: number;
  waveEff: number;
  occEff: number;
  compute: number;
  memory: number;
  l2: number;
  overhead: number;
  bytesMain: number;
  bytesL2: number;
  padded: number;
  smallM: boolean;
  bw: number;
}

/** One operand orientation of the problem (A·B, or B^T·A^T with the operands swapped) and the pass it is priced in. */
interface Orientation {
  m: number;
  n: number;
  batch: number;
  aElem: number;
  bElem: number;
  aBytes: number;
  bBytes: number;
  /** Operand widths as stored in main memory. */
  aStore: number;
  bStore: number;
  swapped: boolean;
  /** Small-M pass: rows padded to the MMA granule, k split across the chip. */
  smallM: boolean;
}

function evaluateOrientation(env: Env, tiles: readonly GemmTile[], o: Orientation, p: GemmProblem, best: Best): void {
  // Small-M pass: rows padded to the MMA granule, only below the family's shortest CTA tile (from
  // there on BLAS runs its regular tiles, priced by the regular pass).
  const mPad = Math.ceil(o.m / env.rowGranule) * env.rowGranule;
  if (o.smallM) {
    let shortest = Infinity;
    for (let i = 0; i < tiles.length; i++) shortest = Math.min(shortest, tiles[i]!.m);
    if (mPad >= shortest) return;
  }
  for (let i = 0; i < tiles.length; i++) {
    const t = tiles[i]!;
    if (o.smallM && mPad >= t.m) continue;
    priceTile(env, t, o.smallM ? mPad : t.m, o, p, best);
  }
}

/** CTAs of a tm × tn × tk tile resident per unit: bounded by shared memory (all stages), the accumulator register file and the CTA limit. */
function ctasPerUnit(env: Env, tm: number, tn: number, tk: number, o: Orientation, accElem: number): number {
  const stageBytes = (tm * o.aElem + tn * o.bElem) * tk * env.stages;
  const cSmem = Math.floor(env.smemBytes / stageBytes);
  const cRf = Math.floor(env.rfAccBytes / (tm * tn * accElem));
  return Math.min(env.maxCtas, cSmem, cRf);
}

/** FLOP/s of one unit on this tile: the MMA rate, capped by shared-memory bandwidth for the warp tile's operand fragments. */
function smemCappedRate(env: Env, tm: number, tn: number, o: Orientation): number {
  const wm = Math.min(env.warpM, tm);
  const wn = Math.min(env.warpN, tn);
  const bytesPerFlop = (wm * o.aElem + wn * o.bElem) / (2 * wm * wn);
  return Math.min(env.rawUnitRate, env.smemBytesPerS / bytesPerFlop) * env.efficiency;
}

/** Main-memory operand reads: once when one batch entry fits L2, else once per square-ish raster block of the concurrent tiles. */
function operandReads(env: Env, Tm: number, Tn: number, slots: number, o: Orientation): number {
  const wc = Math.min(slots, Tm * Tn);
  const gn = Math.min(Tn, Math.ceil(Math.sqrt(wc)));
  const gm = Math.min(Tm, Math.ceil(wc / gn));
  const perItem = (o.aBytes + o.bBytes) / o.batch;
  return perItem <= env.l2Bytes ? o.aBytes + o.bBytes : o.aBytes * Math.ceil(Tn / gn) + o.bBytes * Math.ceil(Tm / gm);
}

/**
 * The k-depth of a tile for the operands' width. Families state their tiles for 16-bit operands; a k-tile
 * holds a fixed number of bytes per row (CUTLASS sizes it to the 128-byte TMA box / swizzle on Hopper, a
 * 64-byte cp.async row on Ampere), so wider elements get a proportionally shallower tile — tf32 k = 32,
 * fp64 k = 16 where fp16 is 64 (CUTLASS sm90 tf32 and DMMA configurations). Narrower operands keep the
 * stated depth (fp8 kernels' deeper k is not modelled).
 */
function kTileFor(k16: number, o: Orientation): number {
  const widest = Math.max(o.aElem, o.bElem);
  return widest <= 2 ? k16 : Math.max(1, Math.floor((k16 * 2) / widest));
}

/** Prices tile `t` (with `tm` rows) at every useful split-K factor (waves, Stream-K tail, memory, L2, overheads); keeps the fastest in `best`. */
function priceTile(env: Env, t: GemmTile, tm: number, o: Orientation, p: GemmProblem, best: Best): void {
  const tn = t.n;
  const tk = kTileFor(t.k, o);
  const smallM = o.smallM;
  const area = tm * tn;
  const c = ctasPerUnit(env, tm, tn, tk, o, p.acc_elem);
  if (c < 1) return;
  const rate = smemCappedRate(env, tm, tn, o);
  const S = env.units;
  const Tm = Math.ceil(o.m / tm);
  const Tn = Math.ceil(o.n / tn);
  const tilesMn = Tm * Tn * o.batch;
  const slots = S * c;
  const reads = operandReads(env, Tm, Tn, slots, o);
  const steps = kSteps(p, tk);
  const tileBytes = tm * o.aStore + tn * o.bStore;
  // Busiest SM: c tiles per full wave, ceil(rem / S) in the tail; on the regular path j tiles in flight
  // run at rate × min(1, j·area / minOutputs); small-M tiles run at the MMA rate (bounded by bytes in flight).
  const minOut = smallM ? 0 : env.minOutputs;
  const perFull = c * Math.max(1, minOut / (c * area));
  // Split-K 1, 2, 3, ... while the previous factor had not yet filled every tile slot; the
  // small-M path splits k as far as it takes to fill the SMs (k-parallel over the whole chip).
  const splitMax = smallM ? steps : env.splitMax;
  for (let s = 1; s <= splitMax && s <= steps && (s === 1 || tilesMn * (s - 1) < slots); s++) {
    const ks = Math.ceil(steps / s) * tk;
    const nTiles = tilesMn * s;
    const fullWaves = Math.floor(nTiles / slots);
    const rem = nTiles - fullWaves * slots;
    const j = rem > 0 ? Math.ceil(rem / S) : 0;
    const tailQuantised = j > 0 ? j * Math.max(1, minOut / (j * area)) : 0;
    // Stream-K / persistent scheduling (Osama et al., PPoPP 2023; CUTLASS 3 sm90 tile schedulers) deals the
    // tail's k-iterations to every SM: the tail costs its share of a full wave. Regular path only, where the
    // family's kernels do it; a grid smaller than one wave is split-K's case, not Stream-K's.
    const balance = smallM || rem === 0 || fullWaves === 0 ? 0 : env.tailBalance;
    const perTail = balance > 0 ? (1 - balance) * tailQuantised + balance * Math.min(tailQuantised, (rem / slots) * perFull) : tailQuantised;
    const tileUnits = fullWaves * perFull + perTail;
    const compute = (tileUnits * (2 * area * ks)) / rate;
    const waves = fullWaves + (rem > 0 ? 1 : 0);
    const splitBytes = s > 1 ? 2 * s * o.batch * o.m * o.n * p.acc_elem : 0;
    // L2 → SMEM traffic at the operands' storage width (weight-only formats unpacked after the copy);
    // Stream-K fix-up: split tail tiles exchange fp32 partial sums through L2 (write + read).
    const bytesL2 = (nTiles * tileBytes * ks) / env.l2Sharing + p.c_bytes + splitBytes + (balance > 0 ? 2 * rem * area * p.acc_elem : 0);
    // Little's law (small-M path only; the regular path's outputs-in-flight rule already prices latency).
    const bw = smallM ? gridBandwidth(env.mainBw, S, Math.min(nTiles, slots), tileBytes * tk * env.stages, env.inflightCap, env.latencyS) : env.mainBw;
    const memory = (reads + p.c_bytes + splitBytes) / bw;
    const l2 = env.l2Bw > 0 ? bytesL2 / env.l2Bw : 0;
    // Small-M kernels reduce their k-slices in the same kernel (no second launch).
    const overhead = waves * env.waveOverheadS + (s > 1 && !smallM ? env.launchS : 0);
    const time = Math.max(compute, memory, l2) + overhead;
    if (time >= best.time) continue;
    recordBest(best, o, tm, t, c, s, time, compute, memory, l2, overhead);
    best.tk = tk;
    best.tiles = nTiles;
    best.waves = waves;
    best.waveEff = nTiles / (waves * slots);
    best.occEff = (fullWaves * c + (rem > 0 ? j : 0)) / tileUnits;
    best.bytesMain = reads + p.c_bytes + splitBytes;
    best.bytesL2 = bytesL2;
    best.padded = nTiles * (2 * area * ks);
    best.bw = bw;
  }
}

/** The tile choice and its time split of a new fastest candidate (the wave and byte figures are set by the caller). */
function recordBest(best: Best, o: Orientation, tm: number, t: GemmTile, c: number, split: number, time: number, compute: number, memory: number, l2: number, overhead: number): void {
  best.time = time;
  best.tm = tm;
  best.tn = t.n;
  best.tk = t.k;
  best.swapped = o.swapped;
  best.split = split;
  best.c = c;
  best.smallM = o.smallM;
  best.compute = compute;
  best.memory = memory;
  best.l2 = l2;
  best.overhead = overhead;
}

/**
 * The fastest tiling of `p` over the family's tile candidates, both operand orientations and
 * split-K factors up to split_k_max. Undefined when no candidate fits the SM.
 */
export function bestGemmTiling(p: GemmProblem, chip: Chip, eff: EfficiencyParams, engine: EngineRate, notes: string[]): GemmTiling | undefined {
  const env = environment(chip, eff, engine, notes);
  const best: Best = {
    time: Infinity, tm: 0, tn: 0, tk: 0, swapped: false, split: 1, c: 0, tiles: 0, waves: 0, waveEff: 0, occEff: 0,
    compute: 0, memory: 0, l2: 0, overhead: 0, bytesMain: 0, bytesL2: 0, padded: 0, smallM: false, bw: 0,
  };
  const tiles = eff.gemm_tiles;
  // Operand widths as stored in main memory (weight-only formats stream narrower than they stage).
  const aStore = p.a_bytes / Math.max(1, p.batch * p.m * p.k);
  const bStore = p.b_bytes / Math.max(1, p.batch * p.k * p.n);
  const straight: Orientation = { m: p.m, n: p.n, batch: p.batch, aElem: p.a_elem, bElem: p.b_elem, aBytes: p.a_bytes, bBytes: p.b_bytes, aStore, bStore, swapped: false, smallM: false };
  const swapped: Orientation = { m: p.n, n: p.m, batch: p.batch, aElem: p.b_elem, bElem: p.a_elem, aBytes: p.b_bytes, bBytes: p.a_bytes, aStore: bStore, bStore: aStore, swapped: true, smallM: false };
  for (let pass = 0; pass < 2; pass++) {
    straight.smallM = swapped.smallM = pass === 1;
    evaluateOrientation(env, tiles, straight, p, best);
    if (p.m !== p.n) evaluateOrientation(env, tiles, swapped, p, best);
  }
  if (!Number.isFinite(best.time)) return undefined;
  return tilingOf(best);
}

function tilingOf(best: Best): GemmTiling {
  return {
    tile: { m: best.tm, n: best.tn, k: best.tk },
    swapped: best.swapped,
    split_k: best.split,
    ctas_per_unit: best.c,
    tiles: best.tiles,
    waves: best.waves,
    wave_efficiency: best.waveEff,
    occupancy_efficiency: best.occEff,
    compute_s: best.compute,
    memory_s: best.memory,
    l2_s: best.l2,
    overhead_s: best.overhead,
    time_s: best.time,
    bytes_main: best.bytesMain,
    bytes_l2: best.bytesL2,
    padded_flops: best.padded,
    small_m: best.smallM,
    main_bandwidth_bytes_per_s: best.bw,
  };
}

/** "tile 128x256x32, 3 waves of 108 SMs × 1 CTA, 79% wave efficiency" */
export function describeTiling(t: GemmTiling, chip: Chip): string {
  const parts = [
    `${t.small_m ? "small-M " : ""}tile ${t.tile.m}x${t.tile.n}x${t.tile.k}${t.swapped ? " (operands swapped)" : ""}`,
    `${t.waves} wave${t.waves === 1 ? "" : "s"} of ${chip.compute_units} ${chip.unit_name}s × ${t.ctas_per_unit} CTA${t.ctas_per_unit === 1 ? "" : "s"}`,
    `${Math.round(t.wave_efficiency * 100)}% wave efficiency`,
  ];
  if (t.occupancy_efficiency < 0.995) parts.push(`${Math.round(t.occupancy_efficiency * 100)}% occupancy efficiency`);
  if (t.split_k > 1) parts.push(`split-K ${t.split_k}${t.small_m ? " (reduced in-kernel)" : ""}`);
  return parts.join(", ");
}
