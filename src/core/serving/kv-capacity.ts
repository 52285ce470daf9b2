import type { CostContext } from "../cost/contract.js";
import { inferenceActivationPeakBytes } from "../estimate/activation-memory.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { buildWorkload, kvCacheBytesPerToken, modelParams } from "../workload/build-workload.js";
import type { Precision } from "../workload/precision.js";
import type { ServingConfig } from "./serving-config.js";
import { kvShareTp, weightsPerChipBytes } from "../estimate/estimate-inference.js";
import { shardGraphBlocks } from "../estimate/sharded-pass.js";
import { routedExpertParams } from "../parallel/expert-parallel.js";

/**
 * KV-cache capacity the way serving engines size it at start-up (formulas.md §7):
 *
 *   vLLM ("total"):       KV = device memory × gpu_memory_utilization − weights − peak activations − runtime
 *   TRT-LLM ("free"):     KV = (device memory − weights − peak activations − runtime) × free_gpu_memory_fraction
 *   blocks                = ⌊KV / (block_size × KV bytes per token)⌋
 *
 * Peak activations are those of the largest batch the engine profiles: one forward pass of
 * max_num_batched_tokens tokens (vLLM's profile run) — the largest working set of any op in that
 * graph — or the sampler's fp32 logits for max_num_seqs rows (vLLM's dummy sampler run), whichever
 * is larger. Runtime overhead (CUDA context, library workspaces) is the chip family's
 * `runtime_overhead_bytes`. KV bytes per token sum over all layers at the KV dtype (sliding windows
 * are not credited: engines allocate full-length pages unless a hybrid allocator is enabled).
 *
 * With tensor parallelism (tp > 1) every figure is per chip: weights ÷ tp, the profile graph
 * sharded, KV bytes per token of one rank's heads; a block then holds block_size tokens of the
 * whole instance (each rank stores its heads of the same tokens).
 *
 * With expert parallelism (ep > 1, MoE): each chip also holds only 1/ep of the routed experts
 * (weights − routed experts × (1 − 1/ep) ÷ tp) and profiles its own budget with its experts' share
 * of the tokens; the blocks are those of one attention group (an instance has ep of them).
 */
export interface KvCapacity {
  device_memory_bytes: number;
  memory_fraction: number;
  memory_fraction_of: "total" | "free";
  weights_bytes: number;
  activation_peak_bytes: number;
  runtime_overhead_bytes: number;
  /** Bytes left for the KV cache (≤ 0: the model does not fit with this config). */
  kv_cache_bytes: number;
  kv_bytes_per_token: number;
  block_size: number;
  bytes_per_block: number;
  num_blocks: number;
  /** num_blocks × block_size. */
  token_capacity: number;
}

export function kvCapacity(model: ModelSpec, ctx: CostContext, precision: Precision, config: ServingConfig, tp = 1, ep = 1): KvCapacity {
  const device = ctx.chip.memory.main.capacity_bytes;
  const wb = DTYPE_BYTES[precision.weights];
  const weights =
    (tp === 1 ? modelParams(model).params_total * wb : weightsPerChipBytes(model, precision, tp, 1)) - (ep > 1 ? (routedExpertParams(model) * (1 - 1 / ep) * wb) / tp : 0);
  const profileTokens = config.max_num_batched_tokens;
  const full = buildWorkload(model, { batch: 1, new_tokens: profileTokens, context_tokens: profileTokens, phase: "prefill", lm_head_tokens: "last" }, precision);
  const graph = tp === 1 && ep === 1 ? full : { ...full, blocks: shardGraphBlocks(full, tp, ep).blocks };
  // Logits are gathered whole on every rank for sampling.
  const vocab = model.category === "decoder-llm" ? model.vocab_size : 0;
  const samplerLogits = config.max_num_seqs * vocab * 4;
  const activations = Math.max(inferenceActivationPeakBytes(graph), samplerLogits);
  const rt = ctx.efficiency.runtime_overhead_bytes;
  const runtime = typeof rt === "number" ? rt : 0;
  const f = config.gpu_memory_utilization;
  const kv = config.memory_fraction_of === "total" ? device * f - weights - activations - runtime : (device - weights - activations - runtime) * f;
  // Per chip: each TP rank holds ⌈kv_heads / tp⌉ heads of every token (MLA latents: all of it).
  const perToken = kvCacheBytesPerToken(model, precision.kv_cache) * kvShareTp(model, tp);
  const perBlock = perToken * config.block_size;
  const blocks = kv > 0 && perBlock > 0 ? Math.floor(kv / perBlock) : 0;
  return {
    device_memory_bytes: device,
    memory_fraction: f,
    memory_fraction_of: config.memory_fraction_of,
    weights_bytes: weights,
    activation_peak_bytes: activations,
    runtime_overhead_bytes: runtime,
    kv_cache_bytes: kv,
    kv_bytes_per_token: perToken,
    block_size: config.block_size,
    bytes_per_block: perBlock,
    num_blocks: blocks,
    token_capacity: blocks * config.block_size,
  };
}
