import { z } from "zod";
import { error, unknownId, XpusimError } from "../diagnostics/diagnostic.js";
import { DTYPES, type DType } from "../units/dtype.js";
import { isPlainObject } from "./merge.js";
import type { Dimension } from "../units/quantity.js";
import { quantity, sourceRefs } from "./sourced.js";
import { parseWith, zodIssuesToDiagnostics } from "./validate.js";

/**
 * Chip-family efficiency parameters: catalog/families/<family>.yaml. A family file holds the
 * constants the cost models need beyond the chip's datasheet (achievable fractions of peak, launch
 * overheads, GEMM tile candidates, systolic fill/drain behaviour, energy per FLOP and per byte).
 * Every value is justified: `{ value, source | derived | estimated, range?, note }`.
 *
 * Families form a chain through `extends:` (e.g. nvidia-hopper → nvidia-ampere → generic); `generic`
 * defines every key. A chip may override any key in its own `efficiency:` block. The merge is pure
 * and lives here; reading the files is src/node/family-catalog.ts.
 */

const fraction = z.number().gt(0).lte(1);
const positiveInt = z.number().int().positive();
const dtypeRecord = (inner: z.ZodType<number>) => z.partialRecord(z.enum(DTYPES), inner);
const seconds = quantity("seconds", { min: 0 });
const bytes = quantity("bytes", { positive: true });

/** Value schema and meaning of each parameter (the table docs/ is generated from). */
export const EFFICIENCY_PARAMS = {
  matrix_efficiency: {
    schema: fraction,
    unit: "fraction",
    doc: "Achievable fraction of the dense matrix peak on a large, well-shaped GEMM (clock/power throttling, issue overhead). Tile, wave and fill/drain losses are modelled separately.",
  },
  matrix_efficiency_by_dtype: {
    schema: dtypeRecord(fraction),
    unit: "fraction per dtype",
    doc: "Per-dtype replacement of matrix_efficiency where a dtype is measured to reach a different fraction (e.g. fp8).",
  },
  vector_efficiency: { schema: fraction, unit: "fraction", doc: "Achievable fraction of the vector (SIMD / CUDA-core) peak." },
  attention_efficiency: {
    schema: fraction,
    unit: "fraction",
    doc: "Achievable fraction of the matrix peak for a fused (FlashAttention-style) attention forward on long sequences; replaces matrix_efficiency for attention (block padding and waves are modelled separately).",
  },
  vector_peak_fallback_ratio: {
    schema: fraction,
    unit: "fraction",
    doc: "Vector-unit FLOP rate as a fraction of the matrix peak, used only when the chip spec gives no vector peak.",
  },
  main_memory_efficiency: { schema: fraction, unit: "fraction", doc: "Achievable fraction of the main-memory peak bandwidth for streaming access." },
  onchip_memory_efficiency: { schema: fraction, unit: "fraction", doc: "Achievable fraction of an on-chip level's (L2 / SRAM) peak bandwidth." },
  main_memory_latency_s: { schema: seconds, dimension: "seconds", unit: "s", doc: "Main-memory load latency exposed once per kernel (pipeline fill before the first tile can start)." },
  min_memory_transaction_bytes: { schema: positiveInt, unit: "B", doc: "Smallest main-memory access granule; gathers of smaller rows are rounded up to it." },
  l2_bytes_per_clk: {
    schema: z.number().min(0),
    unit: "B/clk",
    doc: "Last-level cache (L2) read bandwidth of the whole chip per clock, used when the chip spec gives no L2 bandwidth; 0 = unknown (L2 bandwidth not modelled).",
  },
  l2_operand_sharing: {
    schema: z.number().min(1),
    unit: "CTAs",
    doc: "Thread blocks served by one L2 read of a shared operand tile (thread-block-cluster multicast on Hopper/Blackwell); 1 before Hopper.",
  },
  l2_effective_fraction: {
    schema: fraction,
    unit: "fraction",
    doc: "Fraction of the last-level on-chip cache usable for operand reuse across tiles (the rest holds other data, conflicts).",
  },
  fallback_onchip_bytes: {
    schema: bytes,
    dimension: "bytes",
    unit: "B",
    doc: "On-chip SRAM assumed for blocking when a chip spec lists no on-chip level.",
  },
  onchip_buffer_fraction: {
    schema: fraction,
    unit: "fraction",
    doc: "Fraction of the on-chip SRAM a matrix kernel may use for its operand blocks (systolic and generic models).",
  },
  kernel_launch_overhead_s: {
    schema: seconds,
    dimension: "seconds",
    unit: "s",
    doc: "Per-op device-side gap between back-to-back kernels when the graph is captured/compiled (CUDA graphs, XLA, graph compilers).",
  },
  stream_launch_overhead_s: {
    schema: seconds,
    dimension: "seconds",
    unit: "s",
    doc: "Per-op device-side gap between kernels launched one by one on a stream by a native runtime without graph capture (TensorRT / TensorRT-LLM C++ runtime without CUDA graphs, FasterTransformer): execution \"stream\".",
  },
  eager_dispatch_overhead_s: {
    schema: seconds,
    dimension: "seconds",
    unit: "s",
    doc: "Host time per layer-level op in eager execution (module call, dispatch, library setup, launch); a kernel shorter than this leaves the device idle.",
  },
  gemm_tiles: {
    schema: z.array(z.strictObject({ m: positiveInt, n: positiveInt, k: positiveInt })).min(1),
    unit: "elements",
    doc: "CTA (thread-block) tile candidates m×n×k a BLAS heuristic chooses from.",
  },
  warp_tile: {
    schema: z.strictObject({ m: positiveInt, n: positiveInt }),
    unit: "elements",
    doc: "Warp (or warp-group) tile whose operand fragments are read from shared memory; sets the SMEM bandwidth needed per FLOP.",
  },
  smem_bytes_per_unit: { schema: bytes, dimension: "bytes", unit: "B", doc: "Shared memory (LDS) per SM/CU usable for operand staging." },
  smem_bytes_per_clk_per_unit: { schema: z.number().positive(), unit: "B/clk", doc: "Shared-memory bandwidth per SM/CU per clock." },
  register_file_bytes_per_unit: { schema: bytes, dimension: "bytes", unit: "B", doc: "Register file per SM/CU." },
  accumulator_register_fraction: {
    schema: fraction,
    unit: "fraction",
    doc: "Fraction of the register file the fp32 accumulators of co-resident tiles may occupy.",
  },
  max_ctas_per_unit: { schema: positiveInt, unit: "count", doc: "Upper bound on co-resident GEMM thread blocks per SM/CU." },
  min_tile_outputs_per_unit: {
    schema: positiveInt,
    unit: "elements",
    doc: "Output elements (sum of co-resident tile areas) an SM/CU needs in flight to keep its matrix units busy; fewer run proportionally slower (latency hiding).",
  },
  pipeline_stages: { schema: positiveInt, unit: "count", doc: "Shared-memory pipeline stages of a GEMM main loop (multi-buffering depth)." },
  tail_wave_balance: {
    schema: z.number().min(0).max(1),
    unit: "fraction",
    doc: "Fraction of a GEMM's last, partial wave that persistent / Stream-K tile scheduling spreads over the idle SMs (0: classic one-tile-per-CTA grids with full wave quantisation; 1: perfectly balanced). Split tiles pay a partial-sum fix-up through L2.",
  },
  mma_row_granule: {
    schema: positiveInt,
    unit: "rows",
    doc: "Rows (M) of the smallest matrix-engine instruction a small-M GEMM pads to (16 for mma.sync m16n8k16): decode GEMVs and skinny GEMMs are charged at M rounded up to it, not at a full CTA tile.",
  },
  gemv_max_rows: {
    schema: positiveInt,
    unit: "rows",
    doc: "Largest M (the small dimension of a GEMM) for which the family's libraries dispatch a GEMV / skinny kernel (cuBLAS gemv, llama.cpp mmvq, TensorRT-LLM weight-only GEMV, MLX qmv) instead of a tiled GEMM. The generic model also takes the skinny kernel below its per-unit tile height.",
  },
  gemv_bandwidth_efficiency: {
    schema: fraction,
    unit: "fraction",
    doc: "Achievable fraction of the main-memory peak bandwidth at which a GEMV / skinny kernel streams its weights (measured batch-1 decode of memory-bound models: weight bytes × tokens/s ÷ peak bandwidth). Used by the skinny-GEMM path (src/core/cost/models/gemv.ts).",
  },
  max_bytes_in_flight_per_unit: {
    schema: bytes,
    dimension: "bytes",
    unit: "B",
    doc: "Most main-memory bytes one SM/CU keeps in flight (outstanding async copies / loads). By Little's law a unit streams at most this / main_memory_latency_s, so a grid needs bandwidth × latency / this busy units to reach the achievable bandwidth.",
  },
  tile_overhead_cycles: {
    schema: z.number().min(0),
    unit: "cycles",
    doc: "Prologue (pipeline fill) + epilogue (accumulator store) cycles per wave of tiles not overlapped with math.",
  },
  split_k_max: { schema: positiveInt, unit: "count", doc: "Largest split-K factor the BLAS heuristic uses when there are too few output tiles." },
  attention_block: {
    schema: z.strictObject({ q: positiveInt, kv: positiveInt }),
    unit: "rows",
    doc: "FlashAttention block sizes: query rows per thread block and key/value rows per inner step.",
  },
  fallback_clock_hz: {
    schema: quantity("hz", { positive: true }),
    dimension: "hz",
    unit: "Hz",
    doc: "Clock assumed for cycle-denominated parameters when a chip spec gives none.",
  },
  systolic_array: {
    schema: z.strictObject({ rows: positiveInt, cols: positiveInt }),
    unit: "PEs",
    doc: "Systolic array geometry used when the chip spec does not give matrix.shape.",
  },
  systolic_weight_double_buffered: {
    schema: z.boolean(),
    unit: "flag",
    doc: "Weights of the next fold load while the current fold streams (hides the R-cycle weight load of weight-stationary arrays).",
  },
  systolic_pipeline_cycles: { schema: z.number().min(0), unit: "cycles", doc: "Extra pipeline cycles per fold beyond the array skew (accumulator write-back, issue)." },
  systolic_max_stream_rows: {
    schema: positiveInt,
    unit: "rows",
    doc: "Most rows of the streamed operand per fold before the accumulators are full (bounds the fold length).",
  },
  generic_tile: {
    schema: z.union([z.strictObject({ m: positiveInt, n: positiveInt }), z.null()]),
    unit: "elements",
    doc: "Output block one compute unit works on in the generic model (null: no per-unit quantisation, e.g. spatial dataflow).",
  },
  static_power_fraction: {
    schema: z.number().min(0).lte(1),
    unit: "fraction of TDP",
    doc: "Power drawn regardless of activity while the chip runs a workload (leakage, clocks, board), as a fraction of TDP.",
  },
  energy_pj_per_flop: {
    schema: dtypeRecord(z.number().positive()),
    unit: "pJ/FLOP",
    doc: "Dynamic energy per matrix-engine FLOP by dtype, including operand delivery from registers and shared memory.",
  },
  energy_pj_per_vector_flop: { schema: z.number().positive(), unit: "pJ/FLOP", doc: "Dynamic energy per vector-unit FLOP (fp32 lanes)." },
  energy_pj_per_byte_main: { schema: z.number().positive(), unit: "pJ/B", doc: "Dynamic energy per byte moved to or from main memory (DRAM core + PHY)." },
  energy_pj_per_byte_onchip: { schema: z.number().positive(), unit: "pJ/B", doc: "Dynamic energy per byte moved through the last-level on-chip SRAM / cache." },
  voltage_frequency: {
    schema: z
      .strictObject({ min_clock_fraction: fraction, v_at_min_clock: z.number().positive(), v_at_max_clock: z.number().positive() })
      .refine((v) => v.v_at_max_clock >= v.v_at_min_clock, { message: "v_at_max_clock must be at least v_at_min_clock" }),
    unit: "fraction of the boost clock, V",
    doc: "DVFS curve for the power model (src/core/power): the lowest clock the power manager uses (fraction of the boost clock) and the core voltage there and at the boost clock; V is linear in f between them, dynamic power ∝ f·V².",
  },
  dequant_ops_per_element: {
    schema: dtypeRecord(z.number().positive()),
    unit: "vector ops per weight element, by storage dtype",
    doc: "On-the-fly dequantisation of a narrow weight format into the math dtype (unpack, convert, apply the group scale) in vector-unit (32-bit lane) operations per weight element each time a GEMM tile loads it; weight-only quantisation kernels (Marlin, AWQ, TensorRT-LLM fpA_intB).",
  },
  dequant_overlap: {
    schema: z.number().min(0).lte(1),
    unit: "fraction",
    doc: "Fraction of the dequantisation work hidden under the matrix-engine math of the same kernel (software pipelining of unpack against MMA); the rest adds to the compute time.",
  },
  runtime_overhead_bytes: {
    schema: quantity("bytes", { min: 0 }),
    dimension: "bytes",
    unit: "B",
    doc: "Device memory taken by the runtime besides weights, KV cache and activations (context, library workspaces, allocator slack).",
  },
} as const;

export type EfficiencyParamKey = keyof typeof EFFICIENCY_PARAMS;

function dimensionOf(k: EfficiencyParamKey): Dimension | undefined {
  const def = EFFICIENCY_PARAMS[k] as { dimension?: Dimension };
  return def.dimension;
}
export const EFFICIENCY_PARAM_KEYS = Object.keys(EFFICIENCY_PARAMS) as EfficiencyParamKey[];

export interface GemmTile {
  m: number;
  n: number;
  k: number;
}

/** Resolved efficiency parameters (family chain + chip overrides): what the cost models read. SI units. */
export interface EfficiencyParams {
  matrix_efficiency: number;
  matrix_efficiency_by_dtype: Partial<Record<DType, number>>;
  vector_efficiency: number;
  attention_efficiency: number;
  vector_peak_fallback_ratio: number;
  main_memory_efficiency: number;
  onchip_memory_efficiency: number;
  main_memory_latency_s: number;
  min_memory_transaction_bytes: number;
  l2_bytes_per_clk: number;
  l2_operand_sharing: number;
  l2_effective_fraction: number;
  fallback_onchip_bytes: number;
  onchip_buffer_fraction: number;
  kernel_launch_overhead_s: number;
  stream_launch_overhead_s: number;
  eager_dispatch_overhead_s: number;
  gemm_tiles: GemmTile[];
  warp_tile: { m: number; n: number };
  smem_bytes_per_unit: number;
  smem_bytes_per_clk_per_unit: number;
  register_file_bytes_per_unit: number;
  accumulator_register_fraction: number;
  max_ctas_per_unit: number;
  min_tile_outputs_per_unit: number;
  pipeline_stages: number;
  mma_row_granule: number;
  gemv_max_rows: number;
  gemv_bandwidth_efficiency: number;
  tail_wave_balance: number;
  max_bytes_in_flight_per_unit: number;
  tile_overhead_cycles: number;
  split_k_max: number;
  attention_block: { q: number; kv: number };
  fallback_clock_hz: number;
  systolic_array: { rows: number; cols: number };
  systolic_weight_double_buffered: boolean;
  systolic_pipeline_cycles: number;
  systolic_max_stream_rows: number;
  generic_tile: { m: number; n: number } | null;
  static_power_fraction: number;
  energy_pj_per_flop: Partial<Record<DType, number>>;
  energy_pj_per_vector_flop: number;
  energy_pj_per_byte_main: number;
  energy_pj_per_byte_onchip: number;
  voltage_frequency: { min_clock_fraction: number; v_at_min_clock: number; v_at_max_clock: number };
  dequant_ops_per_element: Partial<Record<DType, number>>;
  dequant_overlap: number;
  runtime_overhead_bytes: number;
}

// Compile-time check that the interface and the schema table name the same keys.
type _SameKeys = [EfficiencyParamKey] extends [keyof EfficiencyParams] ? ([keyof EfficiencyParams] extends [EfficiencyParamKey] ? true : never) : never;
const _sameKeys: _SameKeys = true;
void _sameKeys;

/** Keys whose value is a per-dtype table: merged dtype by dtype down the chain instead of replaced. */
const MERGED_BY_DTYPE: ReadonlySet<EfficiencyParamKey> = new Set(["matrix_efficiency_by_dtype", "energy_pj_per_flop", "dequant_ops_per_element"]);

/** Where one resolved value came from. */
export interface ParamProvenance {
  /** Family id, or `chip:<id>` for a chip override. */
  from: string;
  /** Source titles/urls (resolved from the numbered list of the file that set the value). */
  sources?: { title: string; url?: string }[];
  derived?: string;
  estimated?: boolean;
  range?: [number, number];
  note?: string;
}

export interface ResolvedEfficiency {
  params: EfficiencyParams;
  provenance: Record<EfficiencyParamKey, ParamProvenance>;
  /** Family ids from the root (generic) to the chip's family. */
  chain: string[];
}

type JustifiedValue = { value: unknown; source?: number[]; derived?: string; estimated?: boolean; range?: [number, number]; note: string };

/** A justified parameter in a family file; `range` is written in the value's unit. */
function justified<T extends z.ZodType>(inner: T, dimension?: Dimension) {
  const bound = dimension ? quantity(dimension) : z.number();
  return z
    .strictObject({
      value: inner,
      source: sourceRefs.optional(),
      derived: z.string().optional(),
      estimated: z.boolean().optional(),
      range: z.tuple([bound, bound]).optional(),
      note: z.string().min(1, "a justification note is required"),
    })
    .superRefine((o, ctx) => {
      if (!o.source && !o.derived && !o.estimated) {
        ctx.addIssue({ code: "custom", message: "give a source, a derivation (derived) or mark it estimated: true" });
      }
      if (o.range && o.range[0] > o.range[1]) ctx.addIssue({ code: "custom", path: ["range"], message: "range must be [low, high]" });
    });
}

type ParamsShape = { [K in EfficiencyParamKey]: z.ZodOptional<z.ZodType<JustifiedValue>> };

const familyParamsShape = Object.fromEntries(
  EFFICIENCY_PARAM_KEYS.map((k) => [k, justified(EFFICIENCY_PARAMS[k].schema, dimensionOf(k)).optional()]),
) as unknown as ParamsShape;

const sourceEntry = z.strictObject({ title: z.string(), url: z.string().optional(), type: z.string().optional() });

export const familySpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
    name: z.string(),
    /** Family whose parameters this one inherits; listed parameters override. */
    extends: z.string().optional(),
    description: z.string().optional(),
    /** Which cost model normally prices this family's matrix work (informative). */
    model_hint: z.string().optional(),
    sources: z.record(z.string().regex(/^\d+$/), sourceEntry).default({}),
    params: z.strictObject(familyParamsShape).default({} as never),
  })
  .superRefine((f, ctx) => {
    for (const [key, p] of Object.entries(f.params as Record<string, { source?: number[] } | undefined>)) {
      for (const ref of p?.source ?? []) {
        if (!(String(ref) in f.sources)) {
          ctx.addIssue({ code: "custom", path: ["params", key, "source"], message: `source ${ref} is not in this file's sources list` });
        }
      }
    }
  });

export type FamilySpec = z.output<typeof familySpecSchema>;

/** Validates a raw family document. */
export function parseFamilySpec(raw: unknown, file?: string): FamilySpec {
  return parseWith(familySpecSchema, raw, file);
}

/** Family documents by id (already validated). */
export type FamilyLookup = (id: string) => FamilySpec | undefined;

/** The chain of families from the root to `id` (root first). Unknown ids and cycles are errors. */
export function resolveFamilyChain(id: string, lookup: FamilyLookup, knownIds: readonly string[], path = "family"): FamilySpec[] {
  const chain: FamilySpec[] = [];
  const seen: string[] = [];
  let cur: string | undefined = id;
  while (cur !== undefined) {
    if (seen.includes(cur)) throw new XpusimError(error("E_SCHEMA", "extends", `family extends cycle: ${[...seen, cur].join(" -> ")}`));
    seen.push(cur);
    const f = lookup(cur);
    if (!f) throw new XpusimError(unknownId("family", cur, knownIds, seen.length === 1 ? path : "extends"));
    chain.unshift(f);
    cur = f.extends;
  }
  return chain;
}

/** A chip's `efficiency:` block: same keys, each either a bare value or a justified object. */
export interface EfficiencyOverrides {
  /** Raw block from the chip spec. */
  raw: Readonly<Record<string, unknown>>;
  /** Owner id for provenance (the chip id). */
  owner: string;
  /** The owner's numbered source list, to resolve `source:` references. */
  sources?: Readonly<Record<string, { title: string; url?: string }>>;
  file?: string;
}

function parseOverride(key: string, value: unknown, file: string | undefined): JustifiedValue {
  if (!(EFFICIENCY_PARAM_KEYS as string[]).includes(key)) {
    throw new XpusimError(
      error("E_SCHEMA", `efficiency.${key}`, `unknown efficiency parameter "${key}"`, {
        file,
        hint: `known parameters: ${EFFICIENCY_PARAM_KEYS.join(", ")}`,
      }),
    );
  }
  const k = key as EfficiencyParamKey;
  const inner = EFFICIENCY_PARAMS[k].schema as z.ZodType;
  const isJustified = isPlainObject(value) && "value" in value && "note" in value;
  const schema = isJustified ? justified(inner, dimensionOf(k)) : inner;
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) {
    throw new XpusimError(zodIssuesToDiagnostics(r.error.issues, ["efficiency", key]).map((d) => (file ? { ...d, file } : d)));
  }
  return isJustified ? (r.data as JustifiedValue) : { value: r.data, note: "chip override (no justification given)" };
}

function provenanceOf(from: string, p: JustifiedValue, sources: Readonly<Record<string, { title: string; url?: string }>> | undefined): ParamProvenance {
  const out: ParamProvenance = { from };
  if (p.source && sources) {
    out.sources = p.source.map((n) => {
      const s = sources[String(n)];
      return s ? { title: s.title, ...(s.url ? { url: s.url } : {}) } : { title: `source ${n}` };
    });
  }
  if (p.derived) out.derived = p.derived;
  if (p.estimated) out.estimated = true;
  if (p.range) out.range = p.range;
  if (p.note) out.note = p.note;
  return out;
}

/**
 * Merges a family chain (root first) and optional chip overrides into resolved parameters with the
 * provenance of every value. Per-dtype tables merge dtype by dtype; every other value is replaced
 * whole. Throws E_SCHEMA if the chain leaves a parameter undefined (the root must define all).
 */
export function mergeEfficiency(chain: readonly FamilySpec[], overrides?: EfficiencyOverrides): ResolvedEfficiency {
  const values: Record<string, unknown> = {};
  const provenance: Record<string, ParamProvenance> = {};
  const apply = (key: EfficiencyParamKey, p: JustifiedValue, prov: ParamProvenance) => {
    if (MERGED_BY_DTYPE.has(key) && isPlainObject(values[key]) && isPlainObject(p.value)) {
      values[key] = { ...(values[key] as object), ...(p.value as object) };
      const prev = provenance[key];
      provenance[key] = prev && prev.from !== prov.from ? { ...prov, note: `${prov.note ?? ""} (other dtypes from ${prev.from})`.trim() } : prov;
    } else {
      values[key] = p.value;
      provenance[key] = prov;
    }
  };
  for (const fam of chain) {
    for (const key of EFFICIENCY_PARAM_KEYS) {
      const p = (fam.params as Record<string, JustifiedValue | undefined>)[key];
      if (p) apply(key, p, provenanceOf(fam.id, p, fam.sources));
    }
  }
  if (overrides) {
    for (const [key, raw] of Object.entries(overrides.raw)) {
      const p = parseOverride(key, raw, overrides.file);
      apply(key as EfficiencyParamKey, p, provenanceOf(`chip:${overrides.owner}`, p, overrides.sources));
    }
  }
  const missing = EFFICIENCY_PARAM_KEYS.filter((k) => !(k in values));
  if (missing.length > 0) {
    throw new XpusimError(
      error("E_SCHEMA", "params", `family chain ${chain.map((f) => f.id).join(" -> ")} leaves ${missing.join(", ")} undefined`, {
        hint: "every chain must end at the `generic` family, which defines all parameters",
      }),
    );
  }
  return {
    params: values as unknown as EfficiencyParams,
    provenance: provenance as Record<EfficiencyParamKey, ParamProvenance>,
    chain: chain.map((f) => f.id),
  };
}

export { matrixEfficiencyFor } from "./matrix-efficiency.js";
