import { z } from "zod";
import { sourceRefs } from "./sourced.js";

/**
 * A software stack preset (catalog/software/<id>.yaml): what a training framework or an inference /
 * serving engine really does — fused attention and kernels, CUDA graphs or eager dispatch,
 * communication overlap, pipeline schedule, the ZeRO/FSDP stage it implies, serving engine defaults —
 * each setting sourced. Scenarios name a preset in `software:` and may override any setting
 * (docs/software.md). Settings the engine does not model are still recorded, and `not_modelled`
 * says so.
 */

export const SOFTWARE_KINDS = ["training", "inference", "serving"] as const;
export type SoftwareKind = (typeof SOFTWARE_KINDS)[number];

const sourceEntry = z.strictObject({
  title: z.string(),
  url: z.string().optional(),
  /** When the source was read or published (YYYY or YYYY-MM or YYYY-MM-DD). */
  date: z.union([z.string().regex(/^\d{4}(-\d{2}){0,2}$/, "YYYY, YYYY-MM or YYYY-MM-DD"), z.number().int()]).transform(String),
});

/** A setting bare (inherits the preset's `source`) or `{ value, source?, note? }`. */
function sourced<T extends z.ZodTypeAny>(schema: T) {
  return z
    .union([schema, z.strictObject({ value: schema, source: sourceRefs.optional(), note: z.string().optional() })])
    .transform((v) => (typeof v === "object" && v !== null && "value" in (v as object) ? v : { value: v }) as { value: z.output<T>; source?: number[]; note?: string });
}

/** The serving-engine knobs a preset sets (src/core/serving/serving-config.ts documents each). */
export const softwareServingSchema = z.strictObject({
  max_num_batched_tokens: sourced(z.number().int().positive()).optional(),
  max_num_seqs: sourced(z.number().int().positive()).optional(),
  block_size: sourced(z.number().int().positive()).optional(),
  gpu_memory_utilization: sourced(z.number().gt(0).lte(1)).optional(),
  memory_fraction_of: sourced(z.enum(["total", "free"])).optional(),
  chunked_prefill: sourced(z.boolean()).optional(),
  scheduling_policy: sourced(z.enum(["fcfs", "shortest-prompt-first"])).optional(),
  kv_admission: sourced(z.enum(["on-demand", "reserve-full"])).optional(),
  host_per_step_s: sourced(z.number().min(0)).optional(),
  host_per_sequence_s: sourced(z.number().min(0)).optional(),
  host_overlapped: sourced(z.boolean()).optional(),
});

/** The settings of a stack; every field optional (absent: the engine's own default, stated in the result). */
export const softwareSettingsSchema = z.strictObject({
  /** "graph": CUDA graphs / compiled runtime (no per-op host dispatch); "eager": the framework dispatches each op. */
  execution: sourced(z.enum(["graph", "eager"])).optional(),
  /** FlashAttention-style fused attention (false materialises the score matrix). */
  flash_attention: sourced(z.boolean()).optional(),
  /** Fused elementwise epilogues (bias+activation, norm+residual). Modelled through `execution`: graph fuses, eager does not. */
  fused_kernels: sourced(z.boolean()).optional(),
  /** Dropout masks kept for backward (training). */
  dropout: sourced(z.boolean()).optional(),
  /** Data-parallel gradient reduction overlapped with the backward pass (training). */
  overlap_grad_reduce: sourced(z.boolean()).optional(),
  /** Tensor-parallel communication overlapped with GEMMs (Transformer Engine userbuffers, async TP). Recorded; the engine keeps TP collectives on the critical path. */
  tp_comm_overlap: sourced(z.boolean()).optional(),
  /** Pipeline schedule: "1f1b" (one chunk per rank) or "interleaved" (virtual stages allowed; the factor is chosen when unset). */
  pipeline_schedule: sourced(z.enum(["1f1b", "interleaved"])).optional(),
  /** The ZeRO stage the stack implies when the scenario leaves it unset (FSDP = 3); absent: chosen as the best feasible. */
  zero: sourced(z.number().int().min(0).max(3)).optional(),
  /** ZeRO-3 / FSDP parameter prefetch depth in layers (all-gathers issued ahead of compute). */
  zero_prefetch_layers: sourced(z.number().int().nonnegative()).optional(),
  /** Serving engine defaults (kind serving). */
  serving: softwareServingSchema.optional(),
  /**
   * Serving defaults on smaller GPUs (under `large_gpu_min_bytes` or an A100): vLLM lowers its batch
   * budgets there (EngineArgs.get_batch_defaults).
   */
  serving_small_gpu: softwareServingSchema.optional(),
  /** Device memory from which a GPU counts as "large" for `serving` (below it: serving_small_gpu). */
  large_gpu_min_bytes: z.number().positive().optional(),
  /** Chip name patterns treated as small GPUs whatever their memory (vLLM: A100). */
  small_gpu_names: z.array(z.string()).optional(),
});

export type SoftwareSettingsInput = z.input<typeof softwareSettingsSchema>;

export const softwareSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "lower-case letters, digits, '.' and '-'"),
  name: z.string(),
  aliases: z.array(z.string()).default([]),
  /** Version or era the settings describe ("Megatron-LM 2021-22", "vLLM 0.10 (V1)"). */
  version: z.string().optional(),
  sources: z.record(z.string().regex(/^\d+$/), sourceEntry),
  /** Default source of every setting (references into `sources`). */
  source: sourceRefs,
  applies_to: z.strictObject({
    kinds: z.array(z.enum(SOFTWARE_KINDS)).min(1),
    /** Chip vendors it runs on (lower-case, as chip files spell them); absent: any. */
    vendors: z.array(z.string()).optional(),
    /** Chip kinds it runs on (gpu, tpu, cpu, ...); absent: any. */
    chip_kinds: z.array(z.string()).optional(),
    /** Model categories it is typical for (decoder-llm, cnn, ...); absent: any. */
    model_categories: z.array(z.string()).optional(),
  }),
  settings: softwareSettingsSchema,
  /** What the stack does that the engine does not model (said in every result that uses it). */
  not_modelled: z.array(z.string()).default([]),
  notes: z.string().optional(),
});

export type SoftwareSpec = z.output<typeof softwareSpecSchema>;
export type SoftwareSettings = SoftwareSpec["settings"];

/** The stack an estimate used, as its result states it (src/core/app/software-stack.ts builds it). */
export interface SoftwareUsed {
  id: string;
  name: string;
  /** The preset's sources, "title (date)", joined by "; ". */
  source: string;
  /** The settings in effect: the preset's values with the scenario's overrides applied. */
  settings: Record<string, unknown>;
  /** Why this stack: "stated", or the default rule that picked it. */
  why: string;
  /** Settings the scenario (or request) overrode. */
  overridden?: string[];
  /** What the stack does that the estimate does not model. */
  not_modelled?: string[];
}
