/**
 * Simulates one GEMM (one layer) on a systolic array and fills every field of SCALE-Sim's three
 * reports. The compute side is closed-form (fold-geometry.ts); the memory side replays the demand
 * per demand row (OFMAP) and per distinct word (IFMAP/filter), never per cycle per PE:
 *  - CALC mode: reads never stall, so the OFMAP buffer runs first (it alone can stall), then each
 *    read operand's DRAM traffic is computed (closed-form when it fits half its buffer).
 *  - USER mode: the three buffers run together row by row, because a stall in one delays all.
 * SCALE-Sim v2 reference: `single_layer_sim.py`, `memory/double_buffered_scratchpad_mem.py`.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { simulateCalcRead, type CycleOf } from "./calc-read-buffer.js";
import { colsUsed, computeMetrics, foldGeometry, type FoldGeometry, ofmapRowShape, ofmapWordsAt, ofmapWordsInRow, rowsUsed } from "./fold-geometry.js";
import type { GemmProblem, LoweredLayer } from "./gemm-lowering.js";
import { OfmapWriteBuffer } from "./ofmap-write-buffer.js";
import { exactRatio } from "./python-numbers.js";
import { firstAndLastDemandRows, type ReadOperand, readOperands, rowAddresses } from "./read-operands.js";
import type { SystolicConfig, SystolicLayerResult, SystolicSemantics } from "./types.js";
import { UserReadBuffer } from "./user-read-buffer.js";

type GemmFields = Omit<SystolicLayerResult, "layer_id" | "layer_name">;

interface BufferWords {
  ifmap: number;
  filter: number;
  ofmap: number;
}

function bufferWords(cfg: SystolicConfig, semantics: SystolicSemantics): BufferWords {
  // SCALE-Sim hard-codes 1-byte words (single_layer_sim.py); the corrected semantics honour word_size_bytes.
  const ws = semantics === "corrected" ? cfg.word_size_bytes : 1;
  const words = (kb: number, name: string): number => {
    const w = Math.floor((kb * 1024) / ws);
    if (w < 100)
      throw new XpusimError(
        error("E_RANGE", `architecture_presets.${name}`, `the ${name} SRAM holds ${w} words; at least 100 are needed`, {
          hint: "SCALE-Sim cuts each buffer into 100 sets; give at least 1 KiB (more for words wider than 1 byte)",
        }),
      );
    return w;
  };
  return { ifmap: words(cfg.ifmap_sram_kb, "IfmapSramSzkB"), filter: words(cfg.filter_sram_kb, "FilterSramSzkB"), ofmap: words(cfg.ofmap_sram_kb, "OfmapSramSzkB") };
}

/** Exact product of non-negative integers: a number when it is below 2^53, otherwise a bigint. */
function exactProduct(...xs: number[]): number | bigint {
  let p = 1;
  for (const x of xs) p *= x;
  if (p < 2 ** 53) return p;
  return xs.reduce((acc, x) => acc * BigInt(x), 1n);
}

interface MemoryRun {
  lastOutCycle: number;
  stallCycles: number;
  sram: { ifmap: [number, number]; filter: [number, number]; ofmap: [number, number] };
  dram: { ifmap: [number, number, number]; filter: [number, number, number]; ofmap: [number, number, number] };
}

/** CALC mode: the OFMAP buffer first (the only source of stalls), then the read operands. */
function runCalc(geo: FoldGeometry, ops: { ifmap: ReadOperand; filter: ReadOperand }, words: BufferWords): MemoryRun {
  const ofmap = new OfmapWriteBuffer(words.ofmap, geo.C, geo.semantics === "corrected");
  const P = geo.foldRows;
  const stallRows: number[] = [];
  const stallTotals: number[] = [];
  let stall = 0;
  let ofFirst = Number.NaN;
  let ofLast = Number.NaN;
  let lastOut = 0;
  const single = (row: number, v: number): void => {
    const cycle = row + stall;
    const out = ofmap.writeRow(v, cycle);
    if (Number.isNaN(ofFirst)) ofFirst = out;
    ofLast = out;
    lastOut = out;
    if (out > cycle) {
      stall += out - cycle;
      stallRows.push(row);
      stallTotals.push(stall);
    }
  };
  for (let fc = 0; fc < geo.colFolds; fc++) {
    const cu = colsUsed(geo, fc);
    for (let fr = 0; fr < geo.rowFolds; fr++) {
      const ru = rowsUsed(geo, fr);
      const base = (fc * geo.rowFolds + fr) * P;
      const shape = ofmapRowShape(geo, ru, cu);
      // Rising edge, flat middle (jumped over between buffer events), falling edge.
      for (let j = shape.first; j < shape.flatStart; j++) single(base + j, ofmapWordsAt(shape, j));
      let j = shape.flatStart;
      while (j < shape.flatEnd) {
        const cycle = base + j + stall;
        const n = ofmap.writeRun(shape.flatWords, shape.flatEnd - j, cycle);
        const lastRowCycle = cycle + n - 1;
        if (Number.isNaN(ofFirst)) ofFirst = n === 1 ? ofmap.lastRowOut : cycle;
        ofLast = ofmap.lastRowOut;
        lastOut = ofLast;
        if (ofmap.lastRowOut > lastRowCycle) {
          stall += ofmap.lastRowOut - lastRowCycle;
          stallRows.push(base + j + n - 1);
          stallTotals.push(stall);
        }
        j += n;
      }
      for (let jj = shape.flatEnd; jj <= shape.last; jj++) single(base + jj, ofmapWordsAt(shape, jj));
    }
  }
  const lastRow = geo.folds * P - 1;
  // The last demand row's completion cycle is SCALE-Sim's total_cycles.
  if (ofmapLastRowIsEmpty(geo)) lastOut = lastRow + stall;
  const cycleOf: CycleOf = (row) => {
    // Stalls recorded at row r delay rows after r.
    let lo = 0;
    let hi = stallRows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stallRows[mid]! < row) lo = mid + 1;
      else hi = mid;
    }
    return row + (lo === 0 ? 0 : stallTotals[lo - 1]!);
  };
  const dramOf = ofmap.finish(lastOut);
  const readStats = (op: ReadOperand, bufWords: number): { sram: [number, number]; dram: [number, number, number] } => {
    const [first, last] = firstAndLastDemandRows(op, geo);
    const d = simulateCalcRead(op, geo, bufWords, cycleOf, first);
    return { sram: [cycleOf(first) + 1, cycleOf(last) + 1], dram: [d.start_cycle, d.stop_cycle, d.reads] };
  };
  const ifm = readStats(ops.ifmap, words.ifmap);
  const flt = readStats(ops.filter, words.filter);
  return {
    lastOutCycle: lastOut,
    stallCycles: stall,
    sram: { ifmap: ifm.sram, filter: flt.sram, ofmap: [ofFirst, ofLast] },
    dram: { ifmap: ifm.dram, filter: flt.dram, ofmap: [dramOf.start_cycle, dramOf.stop_cycle, dramOf.writes] },
  };
}

/** True when the very last demand row of the layer writes no OFMAP word. */
function ofmapLastRowIsEmpty(geo: FoldGeometry): boolean {
  const cu = colsUsed(geo, geo.colFolds - 1);
  const ru = rowsUsed(geo, geo.rowFolds - 1);
  return ofmapWordsInRow(geo, geo.foldRows - 1, ru, cu) === 0;
}

/** USER mode: the three buffers row by row; a row's stall is the largest of the three. */
function runUser(geo: FoldGeometry, ops: { ifmap: ReadOperand; filter: ReadOperand }, words: BufferWords, bandwidth: number): MemoryRun {
  const ifBuf = new UserReadBuffer(ops.ifmap, words.ifmap, bandwidth, 0);
  const flBuf = new UserReadBuffer(ops.filter, words.filter, bandwidth, 0);
  const ofmap = new OfmapWriteBuffer(words.ofmap, bandwidth, geo.semantics === "corrected");
  // Operands whose lines all fit the active window always hit: only their first and last rows matter.
  const ifT = ifBuf.alwaysResident ? null : ops.ifmap.tables();
  const flT = flBuf.alwaysResident ? null : ops.filter.tables();
  const [ifFirst, ifLast] = ifT ? [-1, -1] : firstAndLastDemandRows(ops.ifmap, geo);
  const [flFirst, flLast] = flT ? [-1, -1] : firstAndLastDemandRows(ops.filter, geo);
  const scratch = new Int32Array(Math.max(geo.R, geo.C));
  const P = geo.foldRows;
  const sram = { ifmap: [Number.NaN, Number.NaN] as [number, number], filter: [Number.NaN, Number.NaN] as [number, number], ofmap: [Number.NaN, Number.NaN] as [number, number] };
  const mark = (span: [number, number], out: number): void => {
    if (Number.isNaN(span[0])) span[0] = out;
    span[1] = out;
  };
  let stall = 0;
  let lastOut = 0;
  for (let fc = 0; fc < geo.colFolds; fc++) {
    const cu = colsUsed(geo, fc);
    for (let fr = 0; fr < geo.rowFolds; fr++) {
      const ru = rowsUsed(geo, fr);
      const base = (fc * geo.rowFolds + fr) * P;
      for (let j = 0; j < P; j++) {
        const cycle = base + j + stall;
        let rowStall = 0;
        const row = base + j;
        if (ifT) {
          const n = rowAddresses(ops.ifmap, geo, fc, fr, j, ifT, scratch);
          if (n > 0) {
            const s = ifBuf.serveRow(scratch, 0, n, cycle);
            mark(sram.ifmap, cycle + s + 1);
            if (s > rowStall) rowStall = s;
          }
        } else if (row === ifFirst || row === ifLast) mark(sram.ifmap, cycle + 1);
        if (flT) {
          const n = rowAddresses(ops.filter, geo, fc, fr, j, flT, scratch);
          if (n > 0) {
            const s = flBuf.serveRow(scratch, 0, n, cycle);
            mark(sram.filter, cycle + s + 1);
            if (s > rowStall) rowStall = s;
          }
        } else if (row === flFirst || row === flLast) mark(sram.filter, cycle + 1);
        const v = ofmapWordsInRow(geo, j, ru, cu);
        let out = cycle;
        if (v > 0) {
          out = ofmap.writeRow(v, cycle);
          mark(sram.ofmap, out);
          if (out - cycle > rowStall) rowStall = out - cycle;
        }
        lastOut = out;
        stall += rowStall;
      }
    }
  }
  const dramOf = ofmap.finish(lastOut);
  return {
    lastOutCycle: lastOut,
    stallCycles: stall,
    sram,
    dram: {
      ifmap: [ifBuf.dramStartCycle, ifBuf.dramStopCycle, ifBuf.dramReads],
      filter: [flBuf.dramStartCycle, flBuf.dramStopCycle, flBuf.dramReads],
      ofmap: [dramOf.start_cycle, dramOf.stop_cycle, dramOf.writes],
    },
  };
}

/** Simulates one GEMM; every field of the three SCALE-Sim reports. */
export function simulateGemm(g: GemmProblem, cfg: SystolicConfig, semantics: SystolicSemantics): GemmFields {
  const geo = foldGeometry(g, cfg.array_rows, cfg.array_cols, cfg.dataflow, semantics);
  const metrics = computeMetrics(geo, g);
  const words = bufferWords(cfg, semantics);
  const ops = readOperands(g, geo);
  let run: MemoryRun;
  if (cfg.interface_bandwidth_mode === "USER") {
    const bw = cfg.user_bandwidth_words_per_cycle?.[0];
    if (bw === undefined || !(bw >= 1))
      throw new XpusimError(error("E_SCHEMA", "architecture_presets.Bandwidth", "USER bandwidth mode needs a Bandwidth (words/cycle)", { expected: "e.g. Bandwidth : 10" }));
    run = runUser(geo, ops, words, bw);
  } else {
    run = runCalc(geo, ops, words);
  }
  // SCALE-Sim reports the index of the last cycle; the corrected count is the number of cycles.
  const totalCycles = semantics === "corrected" ? run.lastOutCycle + 1 : run.lastOutCycle;
  if (totalCycles <= 0)
    throw new XpusimError(
      error("E_UNSUPPORTED", g.name, `layer "${g.name}" finishes in cycle 0; SCALE-Sim divides by its cycle count and fails here`, {
        hint: "use the corrected semantics (without --compat scalesim), which counts this as 1 cycle",
      }),
    );
  const pe = cfg.array_rows * cfg.array_cols;
  const dramBw = (d: [number, number, number]): number => exactRatio(d[2], d[1] - d[0] + 1);
  return {
    gemm_m: g.M,
    gemm_n: g.N,
    gemm_k: g.K,
    macs: metrics.macs,
    total_cycles: totalCycles,
    stall_cycles: run.stallCycles,
    overall_util_pct: exactRatio(exactProduct(g.M, g.N, g.K, 100), exactProduct(totalCycles, pe)),
    mapping_efficiency_pct: metrics.mapping_efficiency_pct,
    compute_util_pct: metrics.compute_util_pct,
    sram_ifmap_reads: metrics.sram_ifmap_reads,
    sram_filter_reads: metrics.sram_filter_reads,
    sram_ofmap_writes: metrics.sram_ofmap_writes,
    dram_ifmap_reads: run.dram.ifmap[2],
    dram_filter_reads: run.dram.filter[2],
    dram_ofmap_writes: run.dram.ofmap[2],
    sram_ifmap_start_cycle: run.sram.ifmap[0],
    sram_ifmap_stop_cycle: run.sram.ifmap[1],
    sram_filter_start_cycle: run.sram.filter[0],
    sram_filter_stop_cycle: run.sram.filter[1],
    sram_ofmap_start_cycle: run.sram.ofmap[0],
    sram_ofmap_stop_cycle: run.sram.ofmap[1],
    dram_ifmap_start_cycle: run.dram.ifmap[0],
    dram_ifmap_stop_cycle: run.dram.ifmap[1],
    dram_filter_start_cycle: run.dram.filter[0],
    dram_filter_stop_cycle: run.dram.filter[1],
    dram_ofmap_start_cycle: run.dram.ofmap[0],
    dram_ofmap_stop_cycle: run.dram.ofmap[1],
    avg_ifmap_sram_bw: exactRatio(metrics.sram_ifmap_reads, totalCycles),
    avg_filter_sram_bw: exactRatio(metrics.sram_filter_reads, totalCycles),
    avg_ofmap_sram_bw: exactRatio(metrics.sram_ofmap_writes, totalCycles),
    avg_ifmap_dram_bw: dramBw(run.dram.ifmap),
    avg_filter_dram_bw: dramBw(run.dram.filter),
    avg_ofmap_dram_bw: dramBw(run.dram.ofmap),
  };
}

/** Runs a lowered layer: its GEMM, repeated back to back for conv groups (corrected semantics). */
export function simulateLoweredLayer(layer: LoweredLayer, layerId: number, cfg: SystolicConfig, semantics: SystolicSemantics): SystolicLayerResult {
  const one = simulateGemm(layer.gemm, cfg, semantics);
  const r = layer.repeats;
  if (r === 1) return { layer_id: layerId, layer_name: layer.name, ...one };
  const t = one.total_cycles;
  const shift = (r - 1) * t;
  const total = r * t;
  const pe = cfg.array_rows * cfg.array_cols;
  const dram = (reads: number, start: number, stop: number): number => exactRatio(reads * r, stop + shift - start + 1);
  return {
    ...one,
    layer_id: layerId,
    layer_name: layer.name,
    macs: one.macs * r,
    total_cycles: total,
    stall_cycles: one.stall_cycles * r,
    overall_util_pct: exactRatio(exactProduct(one.macs, r, 100), exactProduct(total, pe)),
    sram_ifmap_reads: one.sram_ifmap_reads * r,
    sram_filter_reads: one.sram_filter_reads * r,
    sram_ofmap_writes: one.sram_ofmap_writes * r,
    dram_ifmap_reads: one.dram_ifmap_reads * r,
    dram_filter_reads: one.dram_filter_reads * r,
    dram_ofmap_writes: one.dram_ofmap_writes * r,
    sram_ifmap_stop_cycle: one.sram_ifmap_stop_cycle + shift,
    sram_filter_stop_cycle: one.sram_filter_stop_cycle + shift,
    sram_ofmap_stop_cycle: one.sram_ofmap_stop_cycle + shift,
    dram_ifmap_stop_cycle: one.dram_ifmap_stop_cycle + shift,
    dram_filter_stop_cycle: one.dram_filter_stop_cycle + shift,
    dram_ofmap_stop_cycle: one.dram_ofmap_stop_cycle + shift,
    avg_ifmap_dram_bw: dram(one.dram_ifmap_reads, one.dram_ifmap_start_cycle, one.dram_ifmap_stop_cycle),
    avg_filter_dram_bw: dram(one.dram_filter_reads, one.dram_filter_start_cycle, one.dram_filter_stop_cycle),
    avg_ofmap_dram_bw: dram(one.dram_ofmap_writes, one.dram_ofmap_start_cycle, one.dram_ofmap_stop_cycle),
  };
}
