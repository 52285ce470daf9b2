import { DSP_COST, FPGA_DTYPE_BYTES, type FpgaDtype } from "./dsp-packing.js";
import type { FpgaDevice } from "./types.js";

/**
 * DSP slices of a Tm × Tn MAC array in this format (rounded up). `dspClockRatio` = 2 when the DSPs run at
 * twice the fabric clock (AMD DPU's dpu_2x_clk, PG338): each then does two MACs per fabric cycle.
 */
export function dspUsed(device: FpgaDevice, dtype: FpgaDtype, macs: number, dspClockRatio = 1): number {
  return Math.ceil((macs * DSP_COST[device.dsp_type][dtype].dsp_per_mac) / dspClockRatio - 1e-9);
}

/** The largest MAC array `dspCount` DSPs (default: the device's) hold in this format. */
export function peBudget(device: FpgaDevice, dtype: FpgaDtype, dspClockRatio = 1, dspCount = device.dsp_count): number {
  return Math.floor((dspCount * dspClockRatio) / DSP_COST[device.dsp_type][dtype].dsp_per_mac + 1e-9);
}

/** One memory block's geometry: capacity and widest port, in bits. */
export interface BlockGeometry {
  block_bits: number;
  port_bits: number;
}

/**
 * Blocks of one buffer of `ports` parallel banks, each `depth` words deep of `bits`-bit words. Banks read
 * in the same cycle share a block where the block's port is wide enough (four int8 weights in one 36-bit
 * word); each bank group needs at least one block however shallow (Zhang FPGA'15 partitions the weight
 * buffer into Tm·Tn banks, the input into Tn and the output into Tm, which is why its BRAM count tracks
 * Tm·Tn rather than capacity). Depth per block = capacity ÷ port width (BRAM18: 512 × 36; URAM: 4,096 × 72).
 */
export function bufferBlocks(g: BlockGeometry, ports: number, depth: number, bits: number): number {
  const width = g.port_bits;
  const perBlock = Math.max(1, Math.floor(width / bits));
  const wide = bits > width ? Math.ceil(bits / width) * ports : Math.ceil(ports / perBlock);
  return wide * Math.ceil(depth / Math.floor(g.block_bits / width));
}

const bramGeometry = (d: FpgaDevice): BlockGeometry => ({ block_bits: d.bram_block_bits, port_bits: d.bram_port_bits });

/**
 * Double-buffered tile buffers (Zhang FPGA'15 §4: B_in = Tn(S·Tr + K − S)(S·Tc + K − S),
 * B_w = Tm·Tn·K², B_out = Tm·Tr·Tc words) in block-RAM blocks; the weight buffer is left out when it
 * lives in the weight pool (`weightsInBram` false). With Tp output pixels in parallel the input and output
 * buffers have Tp times the ports (each 1/Tp as deep); the Tm·Tn weight ports are shared by the Tp pixels.
 */
export function tileBufferBlocks(device: FpgaDevice, dtype: FpgaDtype, tm: number, tn: number, tr: number, tc: number, K: number, S: number, tp = 1, weightsInBram = true): number {
  const g = bramGeometry(device);
  const bits = FPGA_DTYPE_BYTES[dtype] * 8;
  const inDepth = Math.ceil(((S * tr + K - S) * (S * tc + K - S)) / tp);
  const outDepth = Math.ceil((tr * tc) / tp);
  const weights = weightsInBram ? bufferBlocks(g, tm * tn, K * K, bits) : 0;
  return 2 * (bufferBlocks(g, tn * tp, inDepth, bits) + weights + bufferBlocks(g, tm * tp, outDepth, bits));
}

/**
 * Where the weight buffer lives: in the device's weight pool (UltraRAM) when it has one and the double-buffered
 * Tm·Tn·K² weights fit there, else in block RAM with the other tiles. Returns the pool blocks (0 = block RAM).
 */
export function weightPoolBlocks(device: FpgaDevice, dtype: FpgaDtype, tm: number, tn: number, K: number): number {
  const pool = device.weight_pool;
  if (!pool) return 0;
  const blocks = 2 * bufferBlocks(pool, tm * tn, K * K, FPGA_DTYPE_BYTES[dtype] * 8);
  return blocks <= pool.blocks ? blocks : 0;
}

/**
 * LUTs of the design: a fixed part (DMA, AXI, control) plus a per-MAC part by format. ESTIMATED, calibrated
 * on published designs: Zhang FPGA'15 fp32 186,251 LUT for 448 MACs (≈ 370/MAC over a ~20 k base); Qiu
 * FPGA'16 16-bit 182,616 LUT for ≈ 780 MACs (≈ 210/MAC); int8 from the hand-written DPU (PG338: B512 20,177 LUT
 * for 256 MACs, B4096 40,865 for 2,048 → ≈ 12 LUT per extra MAC), up to 60 for HLS designs. rule4ml reports 10-30 % error for learned
 * predictors; this one is a range, not a prediction.
 */
const LUT_BASE = 20_000;
const LUT_PER_MAC: Readonly<Record<FpgaDtype, { value: number; range: [number, number] }>> = {
  fp32: { value: 370, range: [250, 450] },
  fp16: { value: 200, range: [100, 300] },
  int16: { value: 210, range: [20, 250] },
  int8: { value: 12, range: [10, 60] },
  int4: { value: 8, range: [5, 40] },
};

export function lutEstimate(dtype: FpgaDtype, macs: number): { value: number; range: [number, number] } {
  const p = LUT_PER_MAC[dtype];
  return { value: Math.round(LUT_BASE + p.value * macs), range: [Math.round(LUT_BASE * 0.5 + p.range[0] * macs), Math.round(LUT_BASE * 1.5 + p.range[1] * macs)] };
}

export const LUT_MODEL_NOTE =
  "LUTs = 20,000 (DMA, control) + per-MAC LUTs by format (fp32 370, fp16 200, int16 210, int8 12, int4 8), calibrated on Zhang FPGA'15 (fp32), Qiu FPGA'16 (16-bit) and the DPU B512-B4096 (int8): an estimate with a range";
