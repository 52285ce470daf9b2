import { derivedClockHz, fpgaPower, type FpgaPower } from "./clock-power.js";
import { DSP_COST, type FpgaDtype } from "./dsp-packing.js";
import { bestLayerTiles, DEFAULT_PIPELINE_DEPTH, evaluateLayer, type LayerContext, minLayerBlocks } from "./layer-model.js";
import { dspUsed, lutEstimate } from "./resources.js";
import type { FpgaDesign, FpgaDevice, FpgaLayer, FpgaLayerResult, FpgaResources, FpgaShortfall } from "./types.js";

/** A design evaluated over a network: one uniform ⟨Tm, Tn⟩, per-layer ⟨Tr, Tc⟩ (Zhang FPGA'15 §4.3). */
export interface FpgaDesignResult {
  feasible: boolean;
  tm: number;
  tn: number;
  tp: number;
  dtype: FpgaDtype;
  macs_per_cycle: number;
  dsp_clock_ratio: number;
  clock_hz: number;
  /** "given" when the design states its clock, else "derived" from the family ceiling and DSP utilisation. */
  clock_source: "given" | "derived";
  pipeline_depth: number;
  /** Present when infeasible: the resource that ran out and by how much. */
  shortfall?: FpgaShortfall;
  resources: FpgaResources;
  layers: FpgaLayerResult[];
  totals: {
    ops: number;
    latency_s: number;
    /** Inputs (images) per second: `batch` / latency. */
    throughput_per_s: number;
    ops_per_s: number;
    /** 2 · Tm·Tn · clock. */
    peak_ops_per_s: number;
    /** Attained ÷ peak at the design's clock (T2SP's "DSP efficiency"). */
    dsp_efficiency: number;
    dram_bytes: number;
    /** Average DRAM bandwidth the design draws: bytes / latency. */
    dram_bytes_per_s: number;
    memory_bound_layers: number;
  };
  power: FpgaPower;
}

export interface EvaluateOptions {
  pipeline_depth?: number;
  /** Inputs per run, already folded into the layers' repeats; divides throughput. */
  batch?: number;
}

function shortfall(resource: FpgaShortfall["resource"], needed: number, available: number): FpgaShortfall {
  return { resource, needed, available, over_by: needed - available };
}

/** Evaluates one design; an infeasible design is a result with the resource that ran out. */
export function evaluateDesign(device: FpgaDevice, layers: readonly FpgaLayer[], design: FpgaDesign, opts: EvaluateOptions = {}): FpgaDesignResult {
  const tp = design.tp ?? 1;
  const macs = design.tm * design.tn * tp;
  const ratio = design.dsp_clock_ratio ?? 1;
  const dsp = dspUsed(device, design.dtype, macs, ratio);
  const clock_hz = design.clock_hz ?? derivedClockHz(device, Math.min(dsp, device.dsp_count));
  const P = opts.pipeline_depth ?? DEFAULT_PIPELINE_DEPTH;
  const ctx: LayerContext = { device, dtype: design.dtype, tm: design.tm, tn: design.tn, tp, clock_hz, pipeline_depth: P };
  const lut = lutEstimate(design.dtype, macs);
  let short: FpgaShortfall | undefined;
  if (dsp > device.dsp_count) short = shortfall("DSP", dsp, device.dsp_count);
  else if (device.luts !== undefined && lut.value > device.luts) short = shortfall("LUT", lut.value, device.luts);
  const results: FpgaLayerResult[] = [];
  if (!short) {
    for (const l of layers) {
      const r = design.tr !== undefined && design.tc !== undefined ? givenTiles(ctx, l, design.tr, design.tc, device.bram_blocks) : bestLayerTiles(ctx, l, device.bram_blocks);
      if (!r) {
        const needed = design.tr !== undefined && design.tc !== undefined
          ? Math.max(...layers.map((x) => evaluateLayer(ctx, x, Math.min(design.tr!, x.R), Math.min(design.tc!, x.C)).bram_blocks))
          : Math.max(...layers.map((x) => minLayerBlocks(ctx, x)));
        short = shortfall("BRAM", needed, device.bram_blocks);
        break;
      }
      results.push(r);
    }
  }
  const bram = results.reduce((m, r) => Math.max(m, r.bram_blocks), short?.resource === "BRAM" ? short.needed : 0);
  const pool = results.reduce((m, r) => Math.max(m, r.weight_pool_blocks), 0);
  const resources: FpgaResources = {
    dsp,
    bram_blocks: bram,
    weight_pool_blocks: pool,
    luts: lut.value,
    luts_range: lut.range,
    utilisation: { dsp: dsp / device.dsp_count, bram: bram / device.bram_blocks, ...(device.luts ? { luts: lut.value / device.luts } : {}), ...(device.weight_pool ? { weight_pool: pool / device.weight_pool.blocks } : {}) },
  };
  const totals = totalsOf(short ? [] : results, macs, clock_hz, opts.batch ?? 1);
  const busy = totals.latency_s > 0 ? results.reduce((s, r) => s + r.compute_cycles / clock_hz, 0) / totals.latency_s : 0;
  const base = { tm: design.tm, tn: design.tn, tp, dtype: design.dtype, macs_per_cycle: macs, dsp_clock_ratio: ratio, clock_hz, clock_source: design.clock_hz ? ("given" as const) : ("derived" as const), pipeline_depth: P };
  const power = fpgaPower(device, Math.min(dsp, device.dsp_count), clock_hz, busy);
  if (short) return { feasible: false, ...base, shortfall: short, resources, layers: [], totals, power };
  return { feasible: true, ...base, resources, layers: results, totals, power };
}

/** A layer at the design's own ⟨Tr, Tc⟩ (capped at R and C); undefined when its buffers exceed the budget. */
function givenTiles(ctx: LayerContext, l: FpgaLayer, tr: number, tc: number, bramBudget: number): FpgaLayerResult | undefined {
  const r = evaluateLayer(ctx, l, Math.min(tr, l.R), Math.min(tc, l.C));
  return r.bram_blocks <= bramBudget ? r : undefined;
}

function totalsOf(results: readonly FpgaLayerResult[], macs: number, clock_hz: number, batch: number): FpgaDesignResult["totals"] {
  let ops = 0;
  let latency = 0;
  let bytes = 0;
  let memBound = 0;
  for (const r of results) {
    ops += r.ops;
    latency += r.time_s;
    bytes += r.dram_bytes;
    if (r.bound === "memory") memBound++;
  }
  const peak = 2 * macs * clock_hz;
  const opsPerS = latency > 0 ? ops / latency : 0;
  return {
    ops,
    latency_s: latency,
    throughput_per_s: latency > 0 ? batch / latency : 0,
    ops_per_s: opsPerS,
    peak_ops_per_s: peak,
    dsp_efficiency: peak > 0 ? opsPerS / peak : 0,
    dram_bytes: bytes,
    dram_bytes_per_s: latency > 0 ? bytes / latency : 0,
    memory_bound_layers: memBound,
  };
}

/** DSP per MAC of the device in a format, with its source (for reports). */
export function dspCostOf(device: FpgaDevice, dtype: FpgaDtype) {
  return DSP_COST[device.dsp_type][dtype];
}
