import type { FpgaDspType } from "../hardware/chip-fpga.js";
import type { FpgaDtype } from "./dsp-packing.js";

/**
 * One convolution layer in the notation of Zhang et al. FPGA'15 §3: M output maps, N input maps
 * (per group), R × C output pixels, K × K kernel, stride S. A fully connected layer is a 1 × 1
 * convolution (R = C = 1 per image). `repeats` runs it again (groups × images).
 */
export interface FpgaLayer {
  name: string;
  M: number;
  N: number;
  R: number;
  C: number;
  K: number;
  S: number;
  repeats: number;
}

/** The device as the model reads it: resources, memory, clock ceiling. */
export interface FpgaDevice {
  id: string;
  name: string;
  family: string;
  dsp_type: FpgaDspType;
  dsp_count: number;
  /** Six-input LUTs (ALMs × 2 on Intel devices); undefined when the chip file has neither. */
  luts?: number;
  /** Block-RAM blocks the tile buffers may use, all of one size. */
  bram_blocks: number;
  bram_block_bits: number;
  /** Widest port of one tile-buffer block in bits (BRAM18: 36). */
  bram_port_bits: number;
  bram_name: string;
  /** A pool that may hold the weight buffer instead (UltraRAM), when the device has one. */
  weight_pool?: { name: string; blocks: number; block_bits: number; port_bits: number };
  clock_ceiling_hz: number;
  /** Off-chip bandwidth the design may use (B/s). */
  dram_bytes_per_s: number;
  static_power_w?: number;
}

/**
 * A loop-tiled engine design: Tm × Tn MACs (Tn-input adder trees feeding Tm outputs), optionally repeated
 * over Tp output pixels of a row that share each weight (pixel parallelism, as AMD's DPU: PP × ICP × OCP).
 */
export interface FpgaDesign {
  tm: number;
  tn: number;
  /** Output pixels computed in parallel (default 1: Zhang FPGA'15's engine). */
  tp?: number;
  /** Row and column tiles for every layer (each capped at the layer's R and C); chosen per layer when absent. */
  tr?: number;
  tc?: number;
  dtype: FpgaDtype;
  /** Clock in Hz; derived from the family ceiling and the DSP utilisation when absent. */
  clock_hz?: number;
  /** 2 when the DSPs are clocked at twice the fabric clock (AMD DPU dpu_2x_clk); default 1. */
  dsp_clock_ratio?: number;
}

export type FpgaBound = "compute" | "memory";

export interface FpgaLayerResult {
  name: string;
  repeats: number;
  tr: number;
  tc: number;
  /** Operations (2 × MACs) of all repeats. */
  ops: number;
  /** ⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉(Tr·Tc·K² + P), all repeats. */
  compute_cycles: number;
  /** DRAM traffic of all repeats (bytes). */
  dram_bytes: number;
  /** Computation-to-communication ratio (ops per DRAM byte). */
  ctc_ops_per_byte: number;
  /** Computational roof of this layer at the clock: ops / compute time (ops/s). */
  compute_roof_ops_per_s: number;
  /** min(compute roof, CTC × bandwidth). */
  attainable_ops_per_s: number;
  time_s: number;
  bound: FpgaBound;
  /** Tile-buffer blocks this layer's (Tr, Tc) needs, double buffered. */
  bram_blocks: number;
  /** Weight-pool (UltraRAM) blocks, when the weights live there; 0 otherwise. */
  weight_pool_blocks: number;
}

export interface FpgaResources {
  dsp: number;
  bram_blocks: number;
  /** Weight-pool (UltraRAM) blocks; 0 when the weights sit in block RAM or the device has no pool. */
  weight_pool_blocks: number;
  /** LUT estimate (see resources.ts) with its range. */
  luts: number;
  luts_range: [number, number];
  /** Used ÷ available per resource (undefined where the device count is unknown). */
  utilisation: { dsp: number; bram: number; luts?: number; weight_pool?: number };
}

export interface FpgaShortfall {
  resource: "DSP" | "BRAM" | "LUT";
  needed: number;
  available: number;
  /** needed − available. */
  over_by: number;
}
