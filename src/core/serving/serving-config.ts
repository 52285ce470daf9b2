import { z } from "zod";
import { closest, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import { isPlainObject } from "../spec/merge.js";
import { parseWith } from "../spec/validate.js";

/**
 * The knobs a serving engine exposes, and presets with the defaults of vLLM and TensorRT-LLM.
 *
 * | knob                     | vLLM flag                      | TensorRT-LLM (LLM API)                         |
 * |--------------------------|--------------------------------|------------------------------------------------|
 * | max_num_batched_tokens   | --max-num-batched-tokens       | max_num_tokens                                 |
 * | max_num_seqs             | --max-num-seqs                 | max_batch_size                                 |
 * | block_size               | --block-size                   | kv_cache_config.tokens_per_block               |
 * | gpu_memory_utilization   | --gpu-memory-utilization       | kv_cache_config.free_gpu_memory_fraction       |
 * | memory_fraction_of       | "total" (budget for everything)| "free" (fraction of what is left after load)   |
 * | chunked_prefill          | always on in V1                | enable_chunked_prefill                         |
 * | scheduling_policy        | --scheduling-policy fcfs       | scheduler_config.waiting_queue_policy FCFS     |
 * | kv_admission             | on-demand (preempt on shortage)| GUARANTEED_NO_EVICT = reserve-full             |
 * | max_model_len            | --max-model-len                | max_seq_len                                    |
 *
 * Sources (read through the project's code search, 2026):
 * - vLLM `vllm/engine/arg_utils.py`, `EngineArgs.get_batch_defaults` (vllm-project/vllm @ 99d7eb5):
 *   for the OpenAI API server (`vllm serve`) on a GPU with ≥ 70 GiB that is not an A100 (H100, H200,
 *   MI300X…), max_num_batched_tokens 8192 and max_num_seqs 1024; on other GPUs 2048 and 256. Older
 *   V1 releases (v0.8.x, `_set_default_args_v1`) used 2048 / 256 everywhere for the API server.
 *   V1 always enables chunked prefill. `vllm/config/cache.py`: block_size 16 (CUDA default),
 *   gpu_memory_utilization 0.9 — the fraction of TOTAL device memory vLLM may use for weights,
 *   activations and KV cache together. V1 preempts by recomputation only.
 * - TensorRT-LLM `tensorrt_llm/llmapi/llm_args.py` (BaseLlmArgs, KvCacheConfig, SchedulerConfig):
 *   max_batch_size 2048, max_num_tokens 8192, enable_chunked_prefill False,
 *   kv_cache_config.free_gpu_memory_fraction 0.9 (of the memory FREE after the engine is loaded),
 *   kv_cache_config.tokens_per_block 32 (the LLM API; `trtllm-build`'s plugin default is 64),
 *   capacity_scheduler_policy GUARANTEED_NO_EVICT (a request is admitted only when KV blocks for its
 *   whole prompt + output can be reserved, so nothing is ever evicted), waiting_queue_policy FCFS.
 */

const posInt = z.number().int().positive();

export const SCHEDULING_POLICIES = ["fcfs", "shortest-prompt-first"] as const;
export const ENGINE_PRESETS = ["vllm", "tensorrt-llm"] as const;
export type EnginePreset = (typeof ENGINE_PRESETS)[number];

export const disaggregationSchema = z.strictObject({
  /** Chips that only run prefill; each is one engine instance. */
  prefill_instances: posInt,
  /** Chips that only decode. */
  decode_instances: posInt,
  /** KV transfer bandwidth per prefill instance, B/s; default: the chip's scale-up link (one direction). */
  kv_transfer_bytes_per_s: z.number().positive().optional(),
  /** Fixed latency per KV transfer, s; default: the link's latency, else 0. */
  kv_transfer_latency_s: z.number().min(0).optional(),
});

export const servingConfigSchema = z.strictObject({
  /** Which preset the values came from ("custom" when set by hand). */
  engine: z.string().default("custom"),
  /** Token budget of one iteration: prefill chunk tokens + one token per decoding sequence. */
  max_num_batched_tokens: posInt,
  /** Most sequences in one iteration (running batch size). */
  max_num_seqs: posInt,
  /** KV-cache block (page) size in tokens. */
  block_size: posInt,
  /** Fraction of device memory the engine may use (see memory_fraction_of). */
  gpu_memory_utilization: z.number().gt(0).lte(1),
  /**
   * "total": KV = memory × fraction − weights − activations − runtime (vLLM).
   * "free":  KV = (memory − weights − activations − runtime) × fraction (TensorRT-LLM).
   */
  memory_fraction_of: z.enum(["total", "free"]),
  /** Split long prompts into chunks that fit the token budget, batched with decodes (Sarathi-Serve). */
  chunked_prefill: z.boolean(),
  scheduling_policy: z.enum(SCHEDULING_POLICIES),
  /**
   * "on-demand": blocks are allocated as tokens are computed; when a running sequence needs a block
   * and none is free, the most recently admitted sequence is preempted and later recomputed (vLLM).
   * "reserve-full": admission reserves blocks for prompt + output at once; never preempts (TRT-LLM
   * GUARANTEED_NO_EVICT).
   */
  kv_admission: z.enum(["on-demand", "reserve-full"]),
  /** Longest prompt + output accepted; default: the model's max context (capped to what the KV cache holds). */
  max_model_len: posInt.optional(),
  /** "graph": CUDA graphs / compiled engine (both presets); "eager": host dispatch per op. */
  execution: z.enum(["graph", "eager"]),
  /** Host (CPU) time of each iteration, s: scheduling, input preparation, API server (host-gap.ts). */
  host_per_step_s: z.number().min(0).optional(),
  /** Host time per scheduled sequence per iteration, s: sampling, detokenisation, streaming. */
  host_per_sequence_s: z.number().min(0).optional(),
  /** The engine prepares the next step while the GPU runs this one: step = max(gpu, host), else gpu + host. */
  host_overlapped: z.boolean().optional(),
  /** Separate prefill and decode pools with KV transfer between them (DistServe, Splitwise). */
  disaggregation: disaggregationSchema.optional(),
});

export type ServingConfig = z.output<typeof servingConfigSchema>;
export type ServingConfigInput = Partial<z.input<typeof servingConfigSchema>> & { engine?: string };

/** vLLM's test for "a GPU like H100 or MI300X": ≥ 70 GiB of device memory and not an A100. */
function vllmLargeGpu(chip: Chip | undefined): boolean {
  if (!chip) return true;
  return chip.memory.main.capacity_bytes >= 70 * 2 ** 30 && !/a100/i.test(`${chip.id} ${chip.name}`);
}

/** The defaults of an engine preset; vLLM's batch defaults depend on the chip (see the file comment). */
export function servingPreset(engine: EnginePreset, chip?: Chip): ServingConfig {
  switch (engine) {
    case "vllm": {
      const large = vllmLargeGpu(chip);
      return {
        engine,
        max_num_batched_tokens: large ? 8192 : 2048,
        max_num_seqs: large ? 1024 : 256,
        block_size: 16,
        gpu_memory_utilization: 0.9,
        memory_fraction_of: "total",
        chunked_prefill: true,
        scheduling_policy: "fcfs",
        kv_admission: "on-demand",
        execution: "graph",
      };
    }
    case "tensorrt-llm":
      return {
        engine,
        max_num_batched_tokens: 8192,
        max_num_seqs: 2048,
        block_size: 32,
        gpu_memory_utilization: 0.9,
        memory_fraction_of: "free",
        chunked_prefill: false,
        scheduling_policy: "fcfs",
        kv_admission: "reserve-full",
        execution: "graph",
        // the overlap scheduler (on by default) hides the host work behind the GPU's (host-gap.ts)
        host_overlapped: true,
      };
  }
}

/**
 * A complete, validated config: the preset named by `input.engine` (default "vllm") with every
 * other given field overriding it. Unknown fields and bad values are XpusimErrors with field paths.
 */
export function resolveServingConfig(input: ServingConfigInput | undefined, chip?: Chip): ServingConfig {
  const raw: Record<string, unknown> = isPlainObject(input) ? { ...(input as Record<string, unknown>) } : {};
  const engine = raw.engine ?? "vllm";
  let base: Partial<ServingConfig> = {};
  // A config that gives every knob (a catalog/software preset's settings, resolved by the serving job) needs no built-in preset.
  const complete = typeof engine === "string" && servingConfigSchema.safeParse({ ...raw, engine }).success;
  if (engine !== "custom" && !complete) {
    if (typeof engine !== "string" || !(ENGINE_PRESETS as readonly string[]).includes(engine)) {
      const near = closest(String(engine), [...ENGINE_PRESETS, "custom"]);
      throw new XpusimError(
        error("E_UNKNOWN_ID", "engine", `unknown engine preset ${JSON.stringify(engine)}`, {
          expected: [...ENGINE_PRESETS, "custom"].map((x) => `"${x}"`).join(", "),
          ...(near.length ? { hint: `did you mean "${near[0]}"?` } : {}),
        }),
      );
    }
    base = servingPreset(engine as EnginePreset, chip);
  }
  for (const [k, v] of Object.entries(raw)) if (v === undefined) delete raw[k];
  return parseWith(servingConfigSchema, { ...base, ...raw, engine });
}
