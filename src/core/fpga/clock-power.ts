import type { FpgaDevice } from "./types.js";

/**
 * Achievable clock of a DSP-heavy design: f = f_ceiling × (1 − k · u_DSP). The research notes (§1.5) see the
 * clock fall as utilisation rises (a Zynq US+ PE overlay: 600 → 500 MHz from 128 to 512 DSP) and suggest
 * k ≈ 0.2-0.4 per family; k = 0.25 here (ESTIMATED, range [0.2, 0.4]). The ceiling is the chip file's
 * `fpga.clock_ceiling` (its derivation is in the file). A design that states its clock is not derated.
 */
export const CLOCK_DERATING_K = 0.25;
export const CLOCK_DERATING_RANGE: [number, number] = [0.2, 0.4];

export function derivedClockHz(device: FpgaDevice, dspUsed: number): number {
  const u = Math.min(1, dspUsed / device.dsp_count);
  return device.clock_ceiling_hz * (1 - CLOCK_DERATING_K * u);
}

/**
 * Dynamic power ∝ DSP · f (research notes §1.8): W per DSP slice per GHz of clock, with the LUTs, BRAM and
 * routing a DSP-bound design carries in proportion. Calibrated on Zhang FPGA'15 (18.61 W, 2,240 DSP at
 * 100 MHz, ≈ 2 W static) → (18.61 − 2) / (2,240 × 0.1) ≈ 0.074 W/(DSP·GHz); ±30 % as for GPU power models.
 * 28 nm figure: 16 nm and 7 nm devices draw less per DSP (not scaled here).
 */
export const DYNAMIC_W_PER_DSP_GHZ = 0.074;
export const POWER_RANGE_FRACTION = 0.3;

export interface FpgaPower {
  static_w: number;
  dynamic_w: number;
  total_w: number;
  range_w: [number, number];
  /** "static power not in the chip file" when the static part is missing. */
  note?: string;
}

export function fpgaPower(device: FpgaDevice, dspUsed: number, clockHz: number, busyFraction: number): FpgaPower {
  const static_w = device.static_power_w ?? 0;
  const dynamic_w = DYNAMIC_W_PER_DSP_GHZ * dspUsed * (clockHz / 1e9) * Math.min(1, Math.max(0, busyFraction));
  const total_w = static_w + dynamic_w;
  const p: FpgaPower = { static_w, dynamic_w, total_w, range_w: [total_w * (1 - POWER_RANGE_FRACTION), total_w * (1 + POWER_RANGE_FRACTION)] };
  if (device.static_power_w === undefined) p.note = "static power not in the chip file: dynamic power only";
  return p;
}
