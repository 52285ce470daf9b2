import { derivedClockHz } from "./clock-power.js";
import { FPGA_DTYPE_BYTES, type FpgaDtype } from "./dsp-packing.js";
import { DEFAULT_PIPELINE_DEPTH, minLayerBlocks } from "./layer-model.js";
import { evaluateDesign, type FpgaDesignResult } from "./evaluate-design.js";
import { dspUsed, lutEstimate, peBudget } from "./resources.js";
import type { FpgaDevice, FpgaLayer, FpgaShortfall } from "./types.js";

export interface SearchOptions {
  dtype: FpgaDtype;
  /** Fixed clock for every design; derived per design from its DSP utilisation when absent. */
  clock_hz?: number;
  pipeline_depth?: number;
  batch?: number;
  /** DSPs at twice the fabric clock (2) or not (1, default). */
  dsp_clock_ratio?: number;
  /** At most this many DSPs (a published design's count); default the device's. */
  dsp_limit?: number;
  /** Output pixels in parallel, fixed for every candidate (default 1). */
  tp?: number;
}

export interface FpgaSearchResult {
  /** The fastest design that fits (ties: less DRAM traffic); undefined when none fits. */
  best?: FpgaDesignResult;
  /** When nothing fits: the resource that ran out for the smallest candidate. */
  shortfall?: FpgaShortfall;
  /** ⟨Tm, Tn⟩ pairs within the DSP budget, and how many were evaluated in full (the rest were pruned by a lower bound). */
  candidates: number;
  evaluated: number;
  pe_budget: number;
}

/** Values t at which ⌈E/t⌉ changes, for every extent E of the layers, capped at `cap`. */
function tileCandidates(extents: readonly number[], cap: number): number[] {
  const set = new Set<number>();
  for (const e of extents) for (let k = 1; k <= e; k++) {
    const t = Math.ceil(e / k);
    if (t <= cap) set.add(t);
    if (t === 1) break;
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * A lower bound on a design's latency that needs no (Tr, Tc): Σ max(⌈M/Tm⌉⌈N/Tn⌉·R·C·K² / f, bytes of every
 * weight and output once / BW). Valid because ⌈R/Tr⌉Tr ≥ R and every weight and output crosses DRAM at least once.
 */
function latencyLowerBound(device: FpgaDevice, layers: readonly FpgaLayer[], tm: number, tn: number, tp: number, clock: number, bytesPerWord: number): number {
  let t = 0;
  for (const l of layers) {
    const cycles = (Math.ceil(l.M / tm) * Math.ceil(l.N / tn) * l.R * l.C * l.K * l.K * l.repeats) / tp;
    const bytes = bytesPerWord * (l.M * l.N * l.K * l.K + l.M * l.R * l.C) * l.repeats;
    t += Math.max(cycles / clock, bytes / device.dram_bytes_per_s);
  }
  return t;
}

/**
 * Design-space search of Zhang FPGA'15 §4: every ⟨Tm, Tn⟩ with Tm·Tn within the DSP budget (Tm, Tn at the
 * values where some layer's trip count changes), each with its best per-layer ⟨Tr, Tc⟩ under the BRAM
 * budget; best by throughput, ties by lower DRAM traffic. Branch and bound on a latency lower bound keeps
 * it exact while evaluating few candidates in full.
 */
export function searchDesigns(device: FpgaDevice, layers: readonly FpgaLayer[], opts: SearchOptions): FpgaSearchResult {
  const ratio = opts.dsp_clock_ratio ?? 1;
  const tp = opts.tp ?? 1;
  const budget = peBudget(device, opts.dtype, ratio, Math.min(device.dsp_count, opts.dsp_limit ?? Infinity));
  if (budget < tp) {
    const needed = dspUsed(device, opts.dtype, tp, ratio);
    return { shortfall: { resource: "DSP", needed, available: device.dsp_count, over_by: needed - device.dsp_count }, candidates: 0, evaluated: 0, pe_budget: budget };
  }
  const P = opts.pipeline_depth ?? DEFAULT_PIPELINE_DEPTH;
  if (budget < 1) {
    return { shortfall: { resource: "DSP", needed: dspUsed(device, opts.dtype, 1, ratio), available: device.dsp_count, over_by: dspUsed(device, opts.dtype, 1, ratio) - device.dsp_count }, candidates: 0, evaluated: 0, pe_budget: budget };
  }
  const tms = tileCandidates(layers.map((l) => l.M), budget);
  const tns = tileCandidates(layers.map((l) => l.N), budget);
  const bpw = FPGA_DTYPE_BYTES[opts.dtype];
  const pairs: Array<{ tm: number; tn: number; lb: number }> = [];
  let lutLimited = 0;
  for (const tm of tms) for (const tn of tns) {
    if (tm * tn * tp > budget) break;
    if (device.luts !== undefined && lutEstimate(opts.dtype, tm * tn * tp).value > device.luts) { lutLimited++; continue; }
    const clock = opts.clock_hz ?? derivedClockHz(device, dspUsed(device, opts.dtype, tm * tn * tp, ratio));
    pairs.push({ tm, tn, lb: latencyLowerBound(device, layers, tm, tn, tp, clock, bpw) });
  }
  pairs.sort((a, b) => a.lb - b.lb || a.tm * a.tn - b.tm * b.tn);
  let best: FpgaDesignResult | undefined;
  let evaluated = 0;
  let firstFailure: FpgaDesignResult | undefined;
  for (const p of pairs) {
    if (best && p.lb > best.totals.latency_s * (1 + 1e-9)) break;
    const r = evaluateDesign(device, layers, { tm: p.tm, tn: p.tn, tp, dtype: opts.dtype, dsp_clock_ratio: ratio, ...(opts.clock_hz ? { clock_hz: opts.clock_hz } : {}) }, { pipeline_depth: P, batch: opts.batch ?? 1 });
    evaluated++;
    if (!r.feasible) { firstFailure ??= r; continue; }
    if (!best || better(r, best)) best = r;
  }
  const out: FpgaSearchResult = { candidates: pairs.length + lutLimited, evaluated, pe_budget: budget };
  if (best) out.best = best;
  else out.shortfall = noFitShortfall(device, layers, opts, P, lutLimited, firstFailure);
  return out;
}

function better(a: FpgaDesignResult, b: FpgaDesignResult): boolean {
  const ta = a.totals.latency_s;
  const tb = b.totals.latency_s;
  if (ta < tb * (1 - 1e-9)) return true;
  if (ta > tb * (1 + 1e-9)) return false;
  return a.totals.dram_bytes < b.totals.dram_bytes;
}

/** Why nothing fits: LUTs if every pair ran out of them, else the smallest design's BRAM need. */
function noFitShortfall(device: FpgaDevice, layers: readonly FpgaLayer[], opts: SearchOptions, P: number, lutLimited: number, failure: FpgaDesignResult | undefined): FpgaShortfall {
  if (failure?.shortfall) return failure.shortfall;
  if (lutLimited > 0 && device.luts !== undefined) {
    const needed = lutEstimate(opts.dtype, 1).value;
    return { resource: "LUT", needed, available: device.luts, over_by: needed - device.luts };
  }
  const ctx = { device, dtype: opts.dtype, tm: 1, tn: 1, tp: opts.tp ?? 1, clock_hz: opts.clock_hz ?? device.clock_ceiling_hz, pipeline_depth: P };
  const needed = Math.max(...layers.map((l) => minLayerBlocks(ctx, l)));
  return { resource: "BRAM", needed, available: device.bram_blocks, over_by: needed - device.bram_blocks };
}
