import { z } from "zod";
import { DTYPES } from "../units/dtype.js";

/**
 * The scenario contract: what to run (workload), on what (hardware), how (precision, parallelism,
 * training/inference settings). Other tools drive xpusim through this format, so field names and
 * meanings are stable; docs/scenario.md documents it and docs/schema/scenario.schema.json is
 * generated from this file.
 */

const dtype = z.enum(DTYPES);
const positiveInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

export const gemmOpSpec = z.strictObject({
  type: z.literal("gemm"),
  m: positiveInt,
  n: positiveInt,
  k: positiveInt,
  batch: positiveInt.default(1),
  dtype: dtype.default("bf16"),
});

export const conv2dOpSpec = z.strictObject({
  type: z.literal("conv2d"),
  n: positiveInt,
  h: positiveInt,
  w: positiveInt,
  c_in: positiveInt,
  c_out: positiveInt,
  kh: positiveInt,
  kw: positiveInt,
  stride: positiveInt.default(1),
  padding: nonNegInt.default(0),
  groups: positiveInt.default(1),
  dtype: dtype.default("bf16"),
});

export const attentionOpSpec = z.strictObject({
  type: z.literal("attention"),
  batch: positiveInt,
  heads: positiveInt,
  kv_heads: positiveInt.optional(),
  head_dim: positiveInt,
  /** For MLA-style attention where V has a different head size. */
  head_dim_v: positiveInt.optional(),
  seq_q: positiveInt.optional(),
  seq_kv: positiveInt,
  causal: z.boolean().default(true),
  phase: z.enum(["prefill", "decode"]).default("prefill"),
  window: positiveInt.optional(),
  fused: z.boolean().default(true),
  dtype: dtype.default("bf16"),
});

export const collectiveOpSpec = z.strictObject({
  type: z.literal("collective"),
  op: z.enum(["all_reduce", "reduce_scatter", "all_gather", "all_to_all", "broadcast", "ep_dispatch", "ep_combine"]),
  bytes: positiveInt,
  ranks: positiveInt,
  dtype: dtype.default("bf16"),
  /** ep_dispatch / ep_combine: experts per token (default 8) and tokens per rank (sets the kernel mode). */
  top_k: positiveInt.optional(),
  tokens_per_rank: positiveInt.optional(),
});

export const opSpec = z.discriminatedUnion("type", [gemmOpSpec, conv2dOpSpec, attentionOpSpec, collectiveOpSpec]);
export type OpSpec = z.output<typeof opSpec>;

export const precisionSpec = z.strictObject({
  /** Dtype of the matrix math. */
  compute: dtype.optional(),
  weights: dtype.optional(),
  activations: dtype.optional(),
  kv_cache: dtype.optional(),
});

export const parallelismSpec = z.strictObject({
  tp: positiveInt.default(1),
  pp: positiveInt.default(1),
  dp: positiveInt.default(1),
  ep: positiveInt.default(1),
  cp: positiveInt.default(1),
  /** Megatron sequence parallelism (with tp); unset: chosen (training: the faster of on and off). */
  sp: z.boolean().optional(),
  /** ZeRO stage 0-3; unset: chosen (training: the best feasible, reported in chosen_defaults). */
  zero: z.number().int().min(0).max(3).optional(),
  /** Micro-batch size in sequences (images for CNNs); unset: the best feasible size (training). */
  microbatch: positiveInt.optional(),
  /** Virtual pipeline stages per rank; 1 = none; unset: the best feasible factor (training). */
  interleave: positiveInt.optional(),
  /** kind: serving only: independent engine instances (each tp·ep chips) behind one load balancer (default 1). */
  replicas: positiveInt.optional(),
});

/** A token count of a serving request stream: fixed, a distribution, or a trace file (CSV/JSONL rows of input_len, output_len, optional arrival_s). */
export const servingTokensSpec = z.union([
  positiveInt,
  z.strictObject({
    mean: z.number().positive(),
    /** fixed (default): every request has `mean` tokens; uniform: integers in [min, max]; normal: mean ± std; lognormal: mean and cv. */
    dist: z.enum(["fixed", "uniform", "normal", "lognormal"]).default("fixed"),
    min: positiveInt.optional(),
    max: positiveInt.optional(),
    /** Standard deviation in tokens (normal; lognormal accepts it instead of cv). */
    std: z.number().nonnegative().optional(),
    /** Coefficient of variation, std / mean (lognormal; normal accepts it instead of std). */
    cv: z.number().positive().optional(),
  }),
  z.string().min(1),
]);

export const servingSpec = z.strictObject({
  /** poisson | constant (rate_per_s); offline: all at t = 0; closed: `concurrency` clients. Default: the trace's arrival times, else required. */
  arrival: z.enum(["poisson", "constant", "offline", "closed"]).optional(),
  /** Mean arrival rate, requests/s (poisson, constant). */
  rate_per_s: z.number().positive().optional(),
  /** Closed-loop clients (closed). */
  concurrency: positiveInt.optional(),
  /** Requests to simulate (default: every row of a trace; required otherwise). */
  requests: positiveInt.optional(),
  input_tokens: servingTokensSpec,
  output_tokens: servingTokensSpec,
  seed: z.number().int().default(1),
  /** Service-level objectives for goodput: a completed request meets them when TTFT ≤ ttft_s and TPOT ≤ tpot_s. */
  slo: z.strictObject({ ttft_s: z.number().positive().optional(), tpot_s: z.number().positive().optional() }).optional(),
});
export type ServingScenario = z.output<typeof servingSpec>;

export const scenarioSpec = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(["op", "inference", "training", "serving"]),
  hardware: z.strictObject({
    /** Catalog id, path to a chip spec file, or an inline chip spec. */
    chip: z.union([z.string(), z.record(z.string(), z.unknown())]),
    count: positiveInt.default(1),
    /** A system id or spec (nodes, scale-up and scale-out networks); used by multi-chip models. */
    system: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
  workload: z.union([
    z.strictObject({ model: z.union([z.string(), z.record(z.string(), z.unknown())]) }),
    z.strictObject({ op: opSpec }),
  ]),
  precision: precisionSpec.default({}),
  parallelism: parallelismSpec.default({ tp: 1, pp: 1, dp: 1, ep: 1, cp: 1 }),
  training: z
    .strictObject({
      /** Sequences per step (images for CNNs). */
      global_batch: positiveInt,
      seq_len: positiveInt.optional(),
      /** Activation recomputation; unset: the lightest that fits with the best layout (reported in chosen_defaults). */
      recompute: z.enum(["none", "selective", "full"]).optional(),
      /** Optional token budget for time-to-train. */
      tokens: z.number().positive().optional(),
      /** FlashAttention-style fused attention; false materialises the scores (Megatron 2021-22). Unset: the software preset's. */
      flash_attention: z.boolean().optional(),
      /** Keep dropout masks for backward (GPT-3-era training). Unset: the software preset's. */
      dropout: z.boolean().optional(),
      /** Overlap the data-parallel gradient reduction with the backward pass. Unset: the software preset's. */
      overlap_grad_reduce: z.boolean().optional(),
      /** Gradient bucket for the overlapped reduction, bytes (default 25 MB as PyTorch DDP); the last bucket is always exposed. */
      grad_bucket_bytes: positiveInt.optional(),
      /** ZeRO-3 / FSDP: layers whose parameter all-gathers are issued ahead of the compute (FSDP forward/backward prefetch; 0 = none; default 1). */
      zero_prefetch_layers: nonNegInt.optional(),
      /** ZeRO-3 under full recompute: gather the weights again for the backward after the recomputed forward (DeepSpeed's hooks; default false: FSDP shares one gather). */
      zero_recompute_regather: z.boolean().optional(),
      /** ZeRO-1/2: overlap the post-step parameter all-gather with the next forward (Megatron --overlap-param-gather; default: as overlap_grad_reduce). */
      overlap_param_gather: z.boolean().optional(),
      image_size: positiveInt.optional(),
    })
    .optional(),
  inference: z
    .strictObject({
      batch: positiveInt.default(1),
      input_tokens: positiveInt.default(1),
      output_tokens: nonNegInt.default(0),
      image_size: positiveInt.optional(),
      /** Speculative decoding: a draft model (id or path; absent = self-speculation at draft cost 0) proposes k tokens, accepted with probability α each. */
      speculative: z
        .strictObject({
          draft_model: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
          draft_tokens: positiveInt,
          acceptance_rate: z.number().min(0).max(1),
        })
        .optional(),
    })
    .optional(),
  /** kind: serving: the request stream and its SLOs (docs/scenario.md). */
  serving: servingSpec.optional(),
  /**
   * The software stack: a preset id or alias of catalog/software (`xpusim software` lists them:
   * "megatron-core", "vllm", "trtllm", ...) or `{ id, ...overrides }` (execution, flash_attention,
   * dropout, overlap_grad_reduce, pipeline_schedule, zero, zero_prefetch_layers, ...; kind: serving
   * also takes the engine settings max_num_seqs, block_size, ... and `engine` for `id`). Unset: the
   * modern stack for the kind, chip and model; every result states the stack it used.
   */
  software: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** How kernels are launched: "graph" (CUDA graphs / compiled runtimes) or "eager" (framework dispatch per op). Unset: the software preset's. */
  execution: z.enum(["graph", "eager"]).optional(),
  /** Cost model id to force (default: the best that supports each op). */
  cost_model: z.string().optional(),
});

export type ScenarioInput = z.input<typeof scenarioSpec>;
export type Scenario = z.output<typeof scenarioSpec>;
