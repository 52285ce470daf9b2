import { z } from "zod";
import { sourced, sourcedQuantity } from "./sourced.js";

/**
 * The `fpga:` section of a chip spec (kind: fpga): the programmable resources a design is built from.
 * The FPGA accelerator model (src/core/fpga, docs/fpga.md) reads it; other estimators ignore it.
 *
 *   fpga:
 *     family: Virtex-7
 *     dsp: { type: DSP48E1, count: 2800 }
 *     luts: 303600
 *     ffs: 607200
 *     memory_blocks: [{ name: BRAM18, blocks: 2060, bits_per_block: 18432 }]
 *     clock_ceiling: { value: 125 MHz, derived: "…" }
 */

/** DSP slice types with a packing table in src/core/fpga/dsp-packing.ts. */
export const FPGA_DSP_TYPES = ["DSP48E1", "DSP48E2", "DSP58", "intel-vp-dsp", "intel-agilex-dsp"] as const;

const count = sourced(z.number().int().positive());

const memoryBlock = z.strictObject({
  /** BRAM18, BRAM36, URAM, M20K, … */
  name: z.string(),
  blocks: count,
  /** Capacity of one block in bits (BRAM18 = 18,432; BRAM36 = 36,864; URAM = 294,912; M20K = 20,480). */
  bits_per_block: z.number().int().positive(),
  /**
   * Whether tile buffers of the tiled-engine template may use it (default true). Zhang FPGA'15-style
   * designs count block RAM; UltraRAM has fixed 72-bit ports and is usually left to weights (false keeps it out).
   */
  tile_buffers: z.boolean().default(true),
  /**
   * Whether the weight buffer may live here when it is not a tile buffer (UltraRAM holding weights, as AMD's
   * DPU does). Default false.
   */
  weight_buffers: z.boolean().default(false),
  /** Widest port in bits (BRAM18 36, BRAM36 72, URAM 72, M20K 40); default bits_per_block / 512. */
  port_bits: z.number().int().positive().optional(),
});

export const chipFpgaSchema = z.strictObject({
  /** Device family (Virtex-7, Zynq-7000, Zynq UltraScale+, Arria 10, Versal …). */
  family: z.string(),
  /** Part number (XC7VX485T …), when the chip file describes a board or card. */
  part: z.string().optional(),
  dsp: z.strictObject({
    type: z.enum(FPGA_DSP_TYPES),
    count,
    note: z.string().optional(),
  }),
  /** Six-input LUTs (AMD) — Intel devices give ALMs instead. */
  luts: count.optional(),
  /** Adaptive logic modules (Intel); one ALM ≈ two six-input LUTs for the LUT estimate. */
  alms: count.optional(),
  /** Flip-flops / registers. */
  ffs: count.optional(),
  memory_blocks: z.array(memoryBlock).default([]),
  /**
   * The clock a DSP-heavy CNN design of this family reaches at low utilisation (family ceiling); the model
   * derates it with utilisation (src/core/fpga/clock.ts).
   */
  clock_ceiling: sourcedQuantity("hz", { positive: true }),
  /** Device static (leakage) power at typical junction temperature; the power model's constant part. */
  static_power: sourcedQuantity("watts", { min: 0 }).optional(),
  note: z.string().optional(),
});

export type ChipFpgaSpec = z.output<typeof chipFpgaSchema>;
