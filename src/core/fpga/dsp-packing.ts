import type { FpgaDspType } from "../hardware/chip-fpga.js";

/** Numeric formats of the FPGA model ("fixed16" is read as int16). */
export const FPGA_DTYPES = ["fp32", "fp16", "int16", "int8", "int4"] as const;
export type FpgaDtype = (typeof FPGA_DTYPES)[number];

/** Bytes of one word in DRAM and on chip (int4 packs two per byte). */
export const FPGA_DTYPE_BYTES: Readonly<Record<FpgaDtype, number>> = { fp32: 4, fp16: 2, int16: 2, int8: 1, int4: 0.5 };

export interface DspCost {
  /** DSP slices (blocks) one multiply-accumulate per cycle takes. */
  dsp_per_mac: number;
  /** Where the figure comes from; `estimated` marks an unsourced figure with its range. */
  source: string;
  estimated?: boolean;
  range?: [number, number];
}

const est = (v: number, range: [number, number], source: string): DspCost => ({ dsp_per_mac: v, source, estimated: true, range });

/**
 * DSPs per MAC by DSP type and format (research notes routes-cost-security.md §1.1, §1.4; energy-area.md §9):
 * - DSP48E1/E2 fp32 = 5 (3 for the multiplier, 2 for the adder): Zhang et al. FPGA'15 use 2,240 DSP48E1 for
 *   448 fp32 MACs; 16-bit fixed point = 1 (one 25×18 / 27×18 multiplier); int8 on DSP48E2 = ½ (two MACs
 *   sharing the weight operand, AMD WP486/WP487), on DSP48E1 = 1 (the 25-bit port is too narrow for the trick).
 * - DSP58 (Versal): fp32 = 1 (DSPFP32 hard mode), int8 = ⅓ (3-term dot-product mode, AM004).
 * - Intel variable-precision DSP (Arria 10 / Stratix 10): one hard fp32 multiply-add per block (T2SP: 1,299
 *   DSP for 1,299 fp32 MACs), two 18×19 multipliers per block (int16/int8 = ½).
 * - Agilex 7 DSP: fp32 = 1, two fp16 multipliers per block (½), two 18×19 (½), four 9×9 (¼) (Intel doc 683458).
 * fp16 on AMD and int4 everywhere have no packing mode in the sources read: estimated with a range.
 */
export const DSP_COST: Readonly<Record<FpgaDspType, Readonly<Record<FpgaDtype, DspCost>>>> = {
  DSP48E1: {
    fp32: { dsp_per_mac: 5, source: "Zhang FPGA'15: 2,240 DSP48E1 for 448 fp32 MACs (3 mult + 2 add)" },
    fp16: est(2, [1, 3], "half-precision multiplier and adder in DSP48E1 + LUTs (not in sources)"),
    int16: { dsp_per_mac: 1, source: "one 25×18 multiplier per DSP48E1 (UG479)" },
    int8: { dsp_per_mac: 1, source: "DSP48E1: no shared-operand int8 packing (WP486 requires the 27-bit DSP48E2 input)" },
    int4: est(0.5, [0.5, 1], "int4 packing on DSP48E1 not in sources"),
  },
  DSP48E2: {
    fp32: { dsp_per_mac: 5, source: "fp32 multiply (3) + add (2) DSPs as on DSP48E1 (research notes §1.1)" },
    fp16: est(2, [1, 3], "half-precision in DSP48E2 + LUTs (not in sources)"),
    int16: { dsp_per_mac: 1, source: "one 27×18 multiplier per DSP48E2 (UG579)" },
    int8: { dsp_per_mac: 0.5, source: "two int8 MACs sharing the weight per DSP48E2 (AMD WP486; WP487: 1.75-2.0 realised)" },
    int4: est(0.25, [0.25, 0.5], "four int4 products per DSP48E2 (not in sources read)"),
  },
  DSP58: {
    fp32: { dsp_per_mac: 1, source: "DSPFP32 hard fp32 mode (AM004)" },
    fp16: est(1, [0.5, 1], "fp16 through DSPFP32 (not in sources read)"),
    int16: { dsp_per_mac: 1, source: "one 27×24 multiplier per DSP58 (AM004)" },
    int8: { dsp_per_mac: 1 / 3, source: "3-term int8 dot product per DSP58 (AM004)" },
    int4: est(1 / 3, [0.17, 0.34], "no separate int4 mode in sources: as int8"),
  },
  "intel-vp-dsp": {
    fp32: { dsp_per_mac: 1, source: "one hard fp32 multiplier and adder per block (Arria 10 / Stratix 10 overview; T2SP 1,299 DSP = 1,299 fp32 MACs)" },
    fp16: est(1, [0.5, 1], "no hard fp16 on Arria 10: through the fp32 mode"),
    int16: { dsp_per_mac: 0.5, source: "two 18×19 multipliers per block (Stratix 10 / Arria 10 device overview)" },
    int8: { dsp_per_mac: 0.5, source: "two 18×19 multipliers per block; no 9×9 mode on Arria 10" },
    int4: est(0.5, [0.25, 0.5], "no int4 mode in sources: as int8"),
  },
  "intel-agilex-dsp": {
    fp32: { dsp_per_mac: 1, source: "one fp32 multiplier with accumulator per block (Intel doc 683458)" },
    fp16: { dsp_per_mac: 0.5, source: "two fp16 multipliers per block (Intel doc 683458)" },
    int16: { dsp_per_mac: 0.5, source: "two 18×19 per block (Intel doc 683458)" },
    int8: { dsp_per_mac: 0.25, source: "four 9×9 per block (Intel doc 683458)" },
    int4: est(0.25, [0.125, 0.25], "no int4 mode in sources: as int8"),
  },
};

/** Reads a dtype name ("fixed16", "int16", "fp32", …); undefined when the FPGA model has no such format. */
export function toFpgaDtype(name: string): FpgaDtype | undefined {
  const n = name.trim().toLowerCase();
  if (n === "fixed16" || n === "fixed" || n === "q16") return "int16";
  if (n === "fixed8" || n === "q8") return "int8";
  if (n === "float32" || n === "float") return "fp32";
  if (n === "float16" || n === "half") return "fp16";
  return (FPGA_DTYPES as readonly string[]).includes(n) ? (n as FpgaDtype) : undefined;
}
