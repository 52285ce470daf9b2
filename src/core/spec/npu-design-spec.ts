import { z } from "zod";
import { DTYPES } from "../units/dtype.js";
import { quantity } from "./sourced.js";

/**
 * The optional `design:` block of a chip spec: what a custom NPU needs beyond the catalog fields for
 * mapping search, energy and area (src/core/npu/). The array shape and count, clock, process node and
 * main memory stay in the ordinary chip fields, so one file serves `xpusim run` and `xpusim map`.
 * Buffer levels are listed from the outermost on-chip level (next to DRAM) to the innermost (next
 * to the MACs); a level with `scope: pe` has one copy per PE, below the spatial fan-out.
 */

export const NPU_DIMS = ["N", "M", "C", "P", "Q", "R", "S"] as const;
export type NpuDim = (typeof NPU_DIMS)[number];
export const NPU_TENSORS = ["weights", "inputs", "outputs"] as const;
export type NpuTensor = (typeof NPU_TENSORS)[number];
export const NPU_DATAFLOWS = ["ws", "os", "is", "rs"] as const;
export type NpuDataflow = (typeof NPU_DATAFLOWS)[number];

const bufferLevel = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_\-]*$/, "letters, digits, '_' and '-'"),
  /** Bytes per instance. Optional when a memory.on_chip level of the same name gives it. */
  capacity: quantity("bytes", { positive: true }).optional(),
  /** chip: one shared copy above the PE array; pe: one copy per PE (registers, scratchpads). */
  scope: z.enum(["chip", "pe"]).default("chip"),
  /** Bits per access (SRAM word); energy is per bit moved, so this only sets the access granularity. */
  word_bits: z.number().int().positive().default(64),
  /** Independent banks; each bank is a smaller array, so energy per bit follows capacity / banks. */
  banks: z.number().int().positive().default(1),
  /** Tensors kept at this level; the others bypass it. */
  holds: z.array(z.enum(NPU_TENSORS)).min(1).default(["weights", "inputs", "outputs"]),
  /** Half the capacity is usable for tiles (the other half is being filled). */
  double_buffered: z.boolean().default(false),
  /** "register" (flip-flops) or "sram"; default: register up to 1 KiB per instance, SRAM above. */
  technology: z.enum(["register", "sram"]).optional(),
  note: z.string().optional(),
});

export const npuDesignSchema = z.strictObject({
  /** ws: weights stationary (rows reduce C·R·S, columns span M); os: outputs (rows P·Q·N, cols M);
   *  is: inputs (rows C·R·S, cols P·Q·N); rs: Eyeriss row stationary (rows R, C, M; cols P, Q, N). */
  dataflow: z.enum(NPU_DATAFLOWS).default("ws"),
  /** Operand dtype of the MACs (energy and area per MAC); default int8. */
  dtype: z.enum(DTYPES).default("int8"),
  /** Partial-sum width inside the chip; default 32 bits (16 for 8-bit designs may be given). */
  accumulator_bits: z.number().int().positive().optional(),
  /** Process node in nm for the energy/area tables; default: the chip's process.node. */
  process_nm: z.number().positive().optional(),
  /** systolic: neighbour-to-neighbour forwarding with fill/drain per fold; mesh: NoC multicast, no skew. */
  array: z.enum(["systolic", "mesh"]).default("systolic"),
  /** Which problem dims may be spread over array rows / columns (overrides the dataflow's default). */
  spatial: z.strictObject({ rows: z.array(z.enum(NPU_DIMS)).min(1), cols: z.array(z.enum(NPU_DIMS)).min(1) }).optional(),
  buffers: z.array(bufferLevel).min(1).optional(),
  note: z.string().optional(),
});

export type NpuDesignSpec = z.output<typeof npuDesignSchema>;
export type NpuBufferSpec = z.output<typeof bufferLevel>;
