import { z } from "zod";
import { DTYPES } from "../units/dtype.js";
import { npuDesignSchema } from "./npu-design-spec.js";
import { sourced, sourcedQuantity } from "./sourced.js";
import { CHIP_KINDS } from "./catalog-kinds.js";
import { chipSecuritySchema, chipSoftwareSchema } from "./chip-security-spec.js";
import { chipSupportSchema } from "./chip-support-spec.js";
import { chipFpgaSchema } from "./chip-fpga-spec.js";
import { COOLING_TYPES, FORM_FACTORS } from "./energy-spec.js";

/**
 * The hardware spec format: one file per chip, YAML or JSON. It describes every kind of chip in the
 * reference table (CPU, GPU, TPU/NPU, wafer-scale, SRAM-only, edge NPU, FPGA) with the same fields.
 * Quantities are written with their unit ("3.35 TB/s", "80 GiB") and normalised to SI on load.
 * See docs/chip-spec.md for the field reference; the JSON Schema is generated from this file.
 */

export { CHIP_KINDS };
export const MATRIX_KINDS = ["tensor-core", "matrix-core", "systolic", "cube", "amx", "dsp", "dataflow", "simd", "none"] as const;

const dtypeKey = z.enum(DTYPES);

/** Per-dtype peak throughput (FLOP/s; integer dtypes in OP/s). Dense peaks only. */
const peakTable = z.partialRecord(dtypeKey, sourcedQuantity("flops_per_s", { positive: true }));

/** Per-dtype multiply-accumulates per cycle of one engine; peak = 2 × macs × engines × clock. */
const macsTable = z.partialRecord(dtypeKey, z.number().positive());

const sourceEntry = z.strictObject({
  title: z.string(),
  url: z.string().optional(),
  type: z.string().optional(),
});

const matrixEngine = z.strictObject({
  name: z.string().optional(),
  kind: z.enum(MATRIX_KINDS).default("tensor-core"),
  /** Matrix engines per compute unit (e.g. 4 Tensor Cores per SM), or total when `count` is used. */
  per_unit: z.number().int().positive().optional(),
  /** Total matrix engines on the chip (e.g. 4 MXUs per TPU v4 chip, 12,288 DSP slices). */
  count: z.number().int().positive().optional(),
  /** Systolic/cube geometry: rows × cols (× depth for a 3-D cube). */
  shape: z
    .strictObject({ rows: z.number().int().positive(), cols: z.number().int().positive(), depth: z.number().int().positive().optional() })
    .optional(),
  peak: peakTable.default({}),
  macs_per_cycle: macsTable.optional(),
  note: z.string().optional(),
});

const vectorEngine = z.strictObject({
  name: z.string().optional(),
  peak: peakTable.default({}),
  /** FLOPs per cycle per compute unit per dtype (alternative to `peak`). */
  flops_per_cycle_per_unit: macsTable.optional(),
  note: z.string().optional(),
});

const memoryLevel = z.strictObject({
  name: z.string(),
  type: z.string().optional(),
  capacity: sourcedQuantity("bytes", { positive: true }),
  bandwidth: sourcedQuantity("bytes_per_s", { positive: true }).optional(),
  latency: sourcedQuantity("seconds", { min: 0 }).optional(),
  /** Who shares this level: the whole chip, or each compute unit has its own copy. */
  scope: z.enum(["chip", "unit"]).default("chip"),
  note: z.string().optional(),
});

const mainMemory = z.strictObject({
  type: z.string(),
  capacity: sourcedQuantity("bytes", { positive: true }),
  bandwidth: sourcedQuantity("bytes_per_s", { positive: true }),
  latency: sourcedQuantity("seconds", { min: 0 }).optional(),
  note: z.string().optional(),
});

const link = z.strictObject({
  name: z.string(),
  /** Bandwidth in ONE direction, summed over all links of the chip. */
  bandwidth_per_direction: sourcedQuantity("bytes_per_s", { positive: true }).optional(),
  links: z.number().int().positive().optional(),
  latency: sourcedQuantity("seconds", { min: 0 }).optional(),
  note: z.string().optional(),
});

export const chipSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  /** Catalog id of a chip whose fields this one inherits; listed fields override. */
  extends: z.string().optional(),
  name: z.string(),
  vendor: z.string(),
  kind: z.enum(CHIP_KINDS),
  category: z.string().optional(),
  /** Chip family whose efficiency parameters apply (catalog/families/<family>.yaml). */
  family: z.string(),
  year: z.number().int().optional(),
  aliases: z.array(z.string()).default([]),
  /** Numbered source list; figures cite these numbers. */
  sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
  /** Default sources of every figure in this file that does not name its own. */
  source: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
  process: z
    .strictObject({
      node: sourced(z.string()).optional(),
      die_area: sourcedQuantity("area_mm2", { positive: true }).optional(),
      transistors: sourcedQuantity("count", { positive: true }).optional(),
      note: z.string().optional(),
    })
    .default({}),
  clock: z
    .strictObject({
      boost: sourcedQuantity("hz", { positive: true }).optional(),
      base: sourcedQuantity("hz", { positive: true }).optional(),
      note: z.string().optional(),
    })
    .default({}),
  /**
   * Junction limits, packaging and default cooling for the thermal model (src/core/power/thermal.ts).
   * Temperatures in °C. A chip without a published limit leaves it out (the model then uses the labelled
   * default of catalog/energy/cooling.yaml).
   */
  thermal: z
    .strictObject({
      /** Max operating temperature: above it the power manager clocks down (NVIDIA "GPU Max Operating Temp"). */
      tj_max_c: sourced(z.number().gt(0).lt(200)).optional(),
      /** Hardware slowdown temperature (clock ÷ 2 or more). */
      tj_slowdown_c: sourced(z.number().gt(0).lt(200)).optional(),
      form_factor: sourced(z.enum(FORM_FACTORS)).optional(),
      /** How the chip is cooled in its usual deployment. */
      cooling: sourced(z.enum(COOLING_TYPES)).optional(),
      note: z.string().optional(),
    })
    .default({}),
  compute: z.strictObject({
    /** SMs, CUs, cores, TensorCores, tiles, DSP columns: the unit work is spread over. */
    units: z.number().int().positive(),
    unit_name: z.string().default("unit"),
    description: z.string().optional(),
    matrix: matrixEngine.optional(),
    vector: vectorEngine.optional(),
  }),
  memory: z.strictObject({
    main: mainMemory,
    /** On-chip levels from the innermost (registers/L1/SMEM) to the outermost (L2/LLC). */
    on_chip: z.array(memoryLevel).default([]),
  }),
  interconnect: z
    .strictObject({
      scale_up: link.optional(),
      host: link.optional(),
      note: z.string().optional(),
    })
    .default({}),
  power: z
    .strictObject({
      tdp: sourcedQuantity("watts", { positive: true }).optional(),
      idle: sourcedQuantity("watts", { min: 0 }).optional(),
      /** Why `tdp` is absent ("Google publishes no TDP for TPUs"): outputs print it instead of a blank. */
      unpublished: z.strictObject({ tdp: z.string().min(3).optional() }).optional(),
      note: z.string().optional(),
    })
    .default({}),
  cost: z
    .strictObject({
      price: sourcedQuantity("usd", { positive: true }).optional(),
      cloud_per_hour: sourcedQuantity("usd_per_hour", { positive: true }).optional(),
      /** What `price` buys: the chip (or its share of a board), a module or card that still needs a host, or a complete system (no server share is added to it). */
      price_scope: z.enum(["chip", "module", "system"]).optional(),
      /**
       * Why a figure is absent, per field: not sold ("TPUs are only rented"), not rented by the hour,
       * or no public figure found. Outputs print "not published: <reason>" instead of a blank, and
       * test/chip-prices.test.ts requires every chip to give each figure or its reason here.
       */
      unpublished: z.strictObject({ price: z.string().min(3).optional(), cloud_per_hour: z.string().min(3).optional() }).optional(),
      note: z.string().optional(),
    })
    .default({}),
  /** Overrides of the family's efficiency parameters for this chip (same keys as the family file). */
  efficiency: z.record(z.string(), z.unknown()).default({}),
  /** Custom-NPU design details (dataflow, buffer levels) for `xpusim map`; see npu-design-spec.ts. */
  design: npuDesignSchema.optional(),
  /** What this chip's data cannot support (shown by `xpusim chips`). */
  limitations: z.array(z.string()).default([]),
  caveats: z.array(z.string()).default([]),
  notes: z.string().optional(),
  /** Confidential computing, memory encryption, secure boot, attestation, isolation (chip-security-spec.ts). */
  security: chipSecuritySchema.optional(),
  /** The software ecosystem the chip runs (CUDA, ROCm, XLA, ...), sourced. */
  software: chipSoftwareSchema.optional(),
  /** Ops the chip's toolchain cannot run natively (host fallback or impossible), graph partitioning and shapes (chip-support-spec.ts). */
  support: chipSupportSchema.optional(),
  /** FPGA resources (DSP type and count, LUTs, FFs, block RAM, family clock ceiling) for `xpusim fpga` (chip-fpga-spec.ts). */
  fpga: chipFpgaSchema.optional(),
});

/** What a spec file may contain (before defaults and unit normalisation). */
export type ChipSpecInput = z.input<typeof chipSpecSchema>;
/** A validated spec with SI numbers and provenance attached. */
export type ChipSpec = z.output<typeof chipSpecSchema>;
