import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { FpgaDevice } from "./types.js";

/**
 * The FPGA model's view of a chip: its `fpga:` resources, the tile-buffer block RAM (blocks of the first
 * `tile_buffers` kind; other kinds counted in its block size), the weight pool (the first `weight_buffers`
 * kind that is not a tile buffer: UltraRAM), and the off-chip bandwidth a design can draw
 * (peak × the family's achievable fraction, or the given figure).
 */
export function fpgaDevice(chip: Chip, memoryEfficiency: number, bandwidthOverride?: number): FpgaDevice {
  const f = chip.fpga;
  if (!f) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "chip", `${chip.id} has no fpga: resource section (DSP type and count, LUTs, block RAM, clock ceiling)`, {
        hint: chip.kind === "fpga" ? "add an fpga: section to its chip file (docs/fpga.md)" : "the FPGA model needs a chip of kind fpga with an fpga: section: xpusim chips --kind fpga",
      }),
    );
  }
  const usable = f.memory_blocks.filter((b) => b.tile_buffers);
  const first = usable[0];
  if (!first) throw new XpusimError(error("E_UNSUPPORTED", "chip.fpga.memory_blocks", `${chip.id} lists no block RAM the tile buffers may use`));
  const blocks = usable.reduce((s, b) => s + Math.floor((b.blocks * b.bits_per_block) / first.bits_per_block), 0);
  const peak = chip.memory.main.bandwidth_bytes_per_s ?? 0;
  const bw = bandwidthOverride ?? peak * memoryEfficiency;
  if (!(bw > 0)) throw new XpusimError(error("E_UNSUPPORTED", "chip.memory.main.bandwidth", `${chip.id} has no off-chip bandwidth`, { hint: "give --bandwidth" }));
  const d: FpgaDevice = {
    id: chip.id,
    name: chip.name,
    family: f.family,
    dsp_type: f.dsp_type,
    dsp_count: f.dsp_count,
    bram_blocks: blocks,
    bram_block_bits: first.bits_per_block,
    bram_port_bits: first.port_bits,
    bram_name: first.name,
    clock_ceiling_hz: f.clock_ceiling_hz,
    dram_bytes_per_s: bw,
  };
  const luts = f.luts ?? (f.alms !== undefined ? 2 * f.alms : undefined);
  if (luts !== undefined) d.luts = luts;
  if (f.static_power_w !== undefined) d.static_power_w = f.static_power_w;
  const pool = f.memory_blocks.find((b) => b.weight_buffers && !b.tile_buffers);
  if (pool) d.weight_pool = { name: pool.name, blocks: pool.blocks, block_bits: pool.bits_per_block, port_bits: pool.port_bits };
  return d;
}
