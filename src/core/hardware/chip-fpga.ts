import type { ChipSpec } from "../spec/chip-spec.js";
import type { FPGA_DSP_TYPES } from "../spec/chip-fpga-spec.js";
import type { ProvenanceRecorder } from "./provenance-recorder.js";

export type FpgaDspType = (typeof FPGA_DSP_TYPES)[number];

export interface FpgaMemoryBlocks {
  name: string;
  blocks: number;
  bits_per_block: number;
  /** Whether the tiled-engine template may put its tile buffers there. */
  tile_buffers: boolean;
  /** Whether the weight buffer may live there (UltraRAM). */
  weight_buffers: boolean;
  /** Widest port in bits. */
  port_bits: number;
}

/** The programmable resources of an FPGA (the chip file's `fpga:` section, normalised; clocks in Hz). */
export interface ChipFpga {
  family: string;
  part?: string;
  dsp_type: FpgaDspType;
  dsp_count: number;
  luts?: number;
  alms?: number;
  ffs?: number;
  memory_blocks: FpgaMemoryBlocks[];
  clock_ceiling_hz: number;
  static_power_w?: number;
}

/** The `fpga:` section as a {@link ChipFpga}, provenance recorded under fpga.*; undefined when absent. */
export function buildFpga(spec: ChipSpec, rec: ProvenanceRecorder): ChipFpga | undefined {
  const f = spec.fpga;
  if (!f) return undefined;
  const out: ChipFpga = {
    family: f.family,
    dsp_type: f.dsp.type,
    dsp_count: rec.take("fpga.dsp_count", f.dsp.count)!,
    memory_blocks: f.memory_blocks.map((b, i) => ({
      name: b.name,
      blocks: rec.take(`fpga.memory_blocks.${i}.blocks`, b.blocks)!,
      bits_per_block: b.bits_per_block,
      tile_buffers: b.tile_buffers,
      weight_buffers: b.weight_buffers,
      port_bits: b.port_bits ?? b.bits_per_block / 512,
    })),
    clock_ceiling_hz: rec.take("fpga.clock_ceiling_hz", f.clock_ceiling)!,
  };
  if (f.part) out.part = f.part;
  const luts = rec.take("fpga.luts", f.luts);
  if (luts !== undefined) out.luts = luts;
  const alms = rec.take("fpga.alms", f.alms);
  if (alms !== undefined) out.alms = alms;
  const ffs = rec.take("fpga.ffs", f.ffs);
  if (ffs !== undefined) out.ffs = ffs;
  const stat = rec.take("fpga.static_power_w", f.static_power);
  if (stat !== undefined) out.static_power_w = stat;
  return out;
}
