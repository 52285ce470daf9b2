import type { Distribution, ServingMetrics } from "./metrics.js";
import type { KvCapacity } from "./kv-capacity.js";

/**
 * The flat fields of a serving result (the scenario contract, docs/scenario.md `kind: serving`):
 * what serving benchmarks print (vLLM `benchmark_serving`, MLPerf), one number each, so other tools
 * read them without walking `metrics`.
 *
 * memory_per_chip_bytes is what the engine takes at start-up on one chip: weights + peak activations
 * + runtime + the KV cache it allocates (num_blocks × bytes per block; the whole budget, as vLLM
 * and TensorRT-LLM reserve it up front). `bound` says what limits the run:
 *   "kv_cache"     — sequences were preempted, or the KV cache peaked above 95 % full;
 *   "max_num_seqs" — the mean batch reached 95 % of the engine's sequence limit;
 *   "step"         — requests queue (mean queue delay ≥ 10 % of mean E2E latency) with neither of
 *                    those: the step time (token budget per step) sets the pace;
 *   "load"         — requests rarely wait: the offered load, not the engine, sets the throughput.
 */
export interface ServingSummary {
  output_tokens_per_s: number;
  requests_per_s: number;
  ttft_mean_s?: number;
  ttft_p50_s?: number;
  ttft_p90_s?: number;
  ttft_p99_s?: number;
  tpot_mean_s?: number;
  tpot_p50_s?: number;
  tpot_p90_s?: number;
  tpot_p99_s?: number;
  e2e_latency_mean_s?: number;
  e2e_latency_p50_s?: number;
  e2e_latency_p90_s?: number;
  e2e_latency_p99_s?: number;
  /** Present when an SLO is given. */
  goodput_requests_per_s?: number;
  memory_per_chip_bytes: number;
  memory_capacity_bytes: number;
  fits: boolean;
  /** All chips over the run; absent without power data. */
  energy_j?: number;
  /** All chips, mean over the run (energy_j / span). */
  average_power_w?: number;
  bound: ServingBound;
}

export type ServingBound = "load" | "kv_cache" | "max_num_seqs" | "step";

/** Engine memory on one chip at start-up (weights, activations, runtime, allocated KV cache). */
export function servingMemoryPerChip(memory: KvCapacity): number {
  return memory.weights_bytes + memory.activation_peak_bytes + memory.runtime_overhead_bytes + Math.max(0, memory.num_blocks) * memory.bytes_per_block;
}

/** The flat summary; a latency is absent when no request gives it (nothing completed; TPOT with one-token outputs). */
export function servingSummary(m: ServingMetrics | undefined, memory: KvCapacity, feasible: boolean, maxSeqsPerInstance: number): ServingSummary {
  const perChip = servingMemoryPerChip(memory);
  const out: ServingSummary = {
    output_tokens_per_s: m?.throughput.output_tokens_per_s ?? 0,
    requests_per_s: m?.throughput.requests_per_s ?? 0,
    ...latencies("ttft", m?.ttft_s),
    ...latencies("tpot", m?.tpot_s),
    ...latencies("e2e_latency", m?.e2e_s),
    memory_per_chip_bytes: perChip,
    memory_capacity_bytes: memory.device_memory_bytes,
    fits: feasible && memory.num_blocks > 0 && perChip <= memory.device_memory_bytes,
    bound: servingBound(m, maxSeqsPerInstance),
  };
  if (m?.goodput) out.goodput_requests_per_s = m.goodput.requests_per_s;
  if (m?.energy) {
    out.energy_j = m.energy.total_j;
    if (m.energy.span_s > 0) out.average_power_w = m.energy.total_j / m.energy.span_s;
  }
  return out;
}

/** `{ <name>_mean_s, _p50_s, _p90_s, _p99_s }` of a distribution with samples; nothing otherwise (JSON has no NaN). */
function latencies(name: string, d: Distribution | undefined): Record<string, number> {
  if (!d || d.count === 0) return {};
  return { [`${name}_mean_s`]: d.mean, [`${name}_p50_s`]: d.p50, [`${name}_p90_s`]: d.p90, [`${name}_p99_s`]: d.p99 };
}

function servingBound(m: ServingMetrics | undefined, maxSeqs: number): ServingBound {
  if (!m) return "step";
  if (m.preemptions > 0 || m.kv.peak_utilization > 0.95) return "kv_cache";
  if (m.mean_batch_size >= 0.95 * maxSeqs) return "max_num_seqs";
  return m.queue_delay_s.mean >= 0.1 * m.e2e_s.mean ? "step" : "load";
}
