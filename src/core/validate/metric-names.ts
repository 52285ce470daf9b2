import type { Dimension, UnitMatch } from "../units/quantity.js";

/**
 * The names measured-results files give categories and metrics, mapped to the ones the harness
 * predicts. Papers and benchmark tables word the same quantity many ways ("TFLOPS per GPU",
 * "latency_median", "TTFT", "time to train"); the unit decides what a generic word ("throughput")
 * means and whether a rate is per accelerator or for the whole job. Documented in docs/validate.md.
 */

/**
 * Lower-case, rates spelled out, every run of other characters → "_": "Latency (median)" →
 * "latency_median", "Achieved teraFLOP/s per GPU" → "achieved_tflops_per_gpu", "output tokens/s" →
 * "output_tokens_per_s".
 */
export function nameKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\btera-?flop(s|\/s)?/g, "tflops")
    .replace(/\bpeta-?flop(s|\/s)?/g, "pflops")
    .replace(/\b([kmgtpe]?)flop(s|\/s)/g, "$1flops")
    .replace(/\/\s*(s|sec|second)\b/g, " per s")
    .replace(/\bper\s+(sec|second)\b/g, "per s")
    .replace(/\/\s*(gpu|chip|device)\b/g, " per $1")
    .replace(/[^a-z0-9%]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

const CATEGORY_SYNONYMS: Record<string, string> = {
  training: "llm_training",
  llm_train: "llm_training",
  pretraining: "llm_training",
  pre_training: "llm_training",
  llm_pretraining: "llm_training",
  inference: "llm_inference",
  llm_serving: "serving",
  serving_benchmark: "serving",
  online_serving: "serving",
  offline_serving: "serving",
  llm_infer: "llm_inference",
  cnn_train: "cnn_training",
  cnn_infer: "cnn_inference",
  matmul: "gemm",
  gemm_kernel: "gemm",
  attention_kernel: "attention",
  flash_attention: "attention",
  flashattention: "attention",
  self_attention: "attention",
  all_reduce: "collective",
  allreduce: "collective",
  nccl: "collective",
  communication: "collective",
  decoder_layer: "transformer_layer",
  activation_memory: "memory",
};

/** The category the harness predicts for the file's wording ("LLM training" → llm_training); unknown words are returned as written. */
export function canonicalCategory(raw: string): string {
  const k = nameKey(raw);
  return CATEGORY_SYNONYMS[k] ?? k;
}

type Group = "training" | "inference" | "serving" | "kernel";
const GROUP: Record<string, Group> = {
  llm_training: "training",
  memory: "training",
  llm_inference: "inference",
  cnn_inference: "inference",
  cnn_training: "inference",
  serving: "serving",
  gemm: "kernel",
  attention: "kernel",
};

/** Synonyms per group: canonical metric ← the keys (nameKey) that mean it. */
const SYNONYMS: Record<Group, Record<string, readonly string[]>> = {
  training: {
    iteration_time: ["step_time", "time_per_iteration", "time_per_step", "iteration_latency", "step_latency", "batch_time", "seconds_per_iteration", "iteration_time_s"],
    achieved_tflops_per_gpu: ["tflops_per_gpu", "hardware_tflops_per_gpu", "achieved_flops_per_gpu", "flops_per_gpu", "tflops_per_chip", "achieved_teraflops_per_gpu", "teraflops_per_gpu", "achieved_tflops", "achieved_flops", "tflops", "hardware_tflops", "hardware_flops", "flops"],
    achieved_flops_total: ["aggregate_flops", "aggregate_pflops", "achieved_aggregate_pflops", "achieved_pflops", "pflops", "total_flops", "petaflops", "cluster_flops"],
    model_tflops_per_gpu: ["model_flops_per_gpu", "model_tflops_per_chip", "model_tflops", "model_flops"],
    model_flops_total: ["model_pflops", "aggregate_model_flops"],
    mfu: ["model_flops_utilization", "model_flop_utilization", "model_flops_utilisation"],
    hfu: ["hardware_flops_utilization", "hardware_flop_utilization", "hardware_flops_utilisation"],
    tokens_per_s_per_gpu: ["tokens_per_second_per_gpu", "tokens_per_gpu_per_s", "tokens_per_s_per_chip", "throughput_per_gpu", "token_throughput_per_gpu"],
    tokens_per_s: ["tokens_per_second", "tokens_per_sec", "token_throughput"],
    samples_per_s: ["samples_per_second", "sequences_per_s", "sequences_per_second", "seqs_per_s"],
    samples_per_s_per_gpu: ["samples_per_second_per_gpu", "sequences_per_s_per_gpu"],
    activation_memory_per_gpu: ["activation_memory", "activations_per_gpu"],
    time_to_train: ["ttt", "training_time", "train_time", "wall_clock_time", "wallclock_time", "time_to_solution", "training_duration"],
    chip_time_to_train: ["gpu_hours", "gpu_time", "chip_hours", "tpu_hours", "gpu_days", "accelerator_hours", "compute_time"],
    energy_to_train: ["energy", "training_energy", "total_energy", "energy_consumption", "power_consumption"],
  },
  inference: {
    latency: ["latency_median", "latency_p50", "median_latency", "p50_latency", "latency_mean", "mean_latency", "e2e_latency", "end_to_end_latency", "request_latency"],
    latency_avg: ["avg_latency", "average_latency", "latency_average"],
    prefill_latency: ["prefill_time", "prompt_latency"],
    time_to_first_token: ["ttft", "ttft_median", "median_ttft", "ttft_mean", "mean_ttft", "ttft_p50", "first_token_latency"],
    time_per_output_token: ["tpot", "itl", "inter_token_latency", "tpot_median", "median_tpot", "mean_tpot", "median_itl", "mean_itl", "per_token_latency", "time_per_token", "token_latency"],
    output_throughput: ["output_tokens_per_s", "output_token_throughput", "generation_throughput", "decode_throughput", "tokens_per_s", "tokens_per_second"],
    output_throughput_per_gpu: ["output_tokens_per_s_per_gpu", "tokens_per_s_per_gpu", "tokens_per_second_per_gpu"],
    throughput: ["samples_per_s", "samples_per_second", "images_per_s", "images_per_second", "img_per_s", "qps", "queries_per_s", "requests_per_s", "sequences_per_s"],
  },
  serving: {
    output_throughput: ["output_tokens_per_s", "output_token_throughput", "total_output_throughput", "generation_throughput", "tokens_per_s", "tokens_per_second"],
    output_throughput_per_gpu: ["output_tokens_per_s_per_gpu", "per_gpu_output_throughput", "tokens_per_s_per_gpu", "tokens_per_second_per_gpu"],
    throughput: ["requests_per_s", "request_throughput", "requests_per_second", "req_per_s", "qps", "queries_per_s", "samples_per_s"],
    time_to_first_token: ["ttft", "ttft_mean", "mean_ttft", "average_ttft", "first_token_latency"],
    time_per_output_token: ["tpot", "tpot_mean", "mean_tpot", "average_tpot", "itl", "mean_itl", "inter_token_latency"],
    latency: ["e2e_latency", "mean_e2e_latency", "request_latency", "average_request_latency", "latency_mean", "mean_latency", "latency_avg", "average_latency"],
  },
  kernel: {
    latency: ["latency_median", "latency_p50", "median_latency", "latency_mean", "mean_latency", "time", "runtime", "kernel_time", "duration"],
    achieved_tflops: ["tflops", "achieved_flops", "flops", "throughput_tflops", "achieved_tflops_per_gpu"],
    utilization: ["utilisation", "efficiency", "flops_utilization", "percent_of_peak", "mfu", "hfu"],
  },
};

/** Words that name no quantity by themselves: the unit decides ("throughput" in tokens/s/GPU). */
const GENERIC = new Set(["throughput", "performance", "perf", "speed", "rate", "result", "value", "utilization", "utilisation", "efficiency"]);

/** What each canonical metric is measured in. */
const METRIC_DIMENSION: Record<string, Dimension> = {
  iteration_time: "seconds",
  achieved_tflops_per_gpu: "flops_per_s",
  achieved_flops_total: "flops_per_s",
  model_tflops_per_gpu: "flops_per_s",
  model_flops_total: "flops_per_s",
  mfu: "fraction",
  hfu: "fraction",
  tokens_per_s_per_gpu: "tokens_per_s",
  tokens_per_s: "tokens_per_s",
  samples_per_s: "samples_per_s",
  samples_per_s_per_gpu: "samples_per_s",
  time_to_train: "seconds",
  chip_time_to_train: "chip_seconds",
  energy_to_train: "joules",
  activation_memory_per_gpu: "bytes",
  latency: "seconds",
  latency_avg: "seconds",
  time_to_first_token: "seconds",
  prefill_latency: "seconds",
  time_per_output_token: "seconds",
  output_throughput: "tokens_per_s",
  output_throughput_per_gpu: "tokens_per_s",
  throughput: "samples_per_s",
  achieved_tflops: "flops_per_s",
  utilization: "fraction",
};

export type ResolvedMetric = { metric: string; assumption?: string } | { reason: string };

function synonymOf(group: Group, key: string): string | undefined {
  const table = SYNONYMS[group];
  if (Object.hasOwn(table, key)) return key;
  return Object.entries(table).find(([, keys]) => keys.includes(key))?.[0];
}

/** A generic word ("throughput") made specific by the unit: per-GPU tokens/s, TFLOP/s, "% of peak". */
function fromUnit(group: Group, unit: UnitMatch): string | undefined {
  if (group === "kernel") return unit.dimension === "flops_per_s" ? "achieved_tflops" : unit.dimension === "fraction" ? "utilization" : unit.dimension === "seconds" ? "latency" : undefined;
  if (group === "inference" || group === "serving") {
    if (unit.dimension === "tokens_per_s") return unit.perChip ? "output_throughput_per_gpu" : "output_throughput";
    if (unit.dimension === "samples_per_s") return "throughput";
    return unit.dimension === "seconds" ? "latency" : undefined;
  }
  if (unit.dimension === "flops_per_s") return "achieved_tflops_per_gpu";
  if (unit.dimension === "tokens_per_s") return unit.perChip ? "tokens_per_s_per_gpu" : "tokens_per_s";
  if (unit.dimension === "samples_per_s") return unit.perChip ? "samples_per_s_per_gpu" : "samples_per_s";
  if (unit.dimension === "fraction" && unit.ofPeak) return "mfu";
  if (unit.dimension === "chip_seconds") return "chip_time_to_train";
  return undefined;
}

/**
 * A per-accelerator unit ("/GPU") turns a whole-job training metric into its per-chip form; a FLOP
 * rate in PFLOP/s or more, not marked per chip, is the aggregate over the job's chips (Megatron-LM
 * tables give per-GPU teraFLOP/s and aggregate petaFLOP/s); "% of peak" turns a FLOP rate into MFU/HFU.
 */
function adjustForUnit(metric: string, unit: UnitMatch, chipCount: number): string {
  if (!unit.perChip && unit.dimension === "flops_per_s" && unit.factor >= 1e15 && chipCount > 1) {
    const total: Record<string, string> = { achieved_tflops_per_gpu: "achieved_flops_total", model_tflops_per_gpu: "model_flops_total" };
    metric = total[metric] ?? metric;
  }
  if (unit.perChip) {
    const perChip: Record<string, string> = { tokens_per_s: "tokens_per_s_per_gpu", samples_per_s: "samples_per_s_per_gpu", achieved_flops_total: "achieved_tflops_per_gpu", model_flops_total: "model_tflops_per_gpu", output_throughput: "output_throughput_per_gpu" };
    metric = perChip[metric] ?? metric;
  }
  if (unit.dimension === "fraction") {
    const share: Record<string, string> = { achieved_tflops_per_gpu: "hfu", achieved_flops_total: "hfu", model_tflops_per_gpu: "mfu", model_flops_total: "mfu" };
    metric = share[metric] ?? metric;
  }
  return metric;
}

/**
 * The metric the harness predicts for a point's category, metric text and unit, or the reason it
 * cannot (naming the field and what would make it work). Names already canonical pass unchanged.
 */
export function canonicalMetric(category: string, raw: string, unit: UnitMatch, chipCount: number): ResolvedMetric {
  const group = GROUP[category];
  if (!group) return { metric: raw };
  const key = nameKey(raw);
  if (/(^|_)(p9\d|p99_?9?|tail)(_|$)/.test(key))
    return { reason: `metric "${raw}" is a tail percentile: the harness predicts an unloaded request (median); give metric "latency_median" or the serving scenario's arrivals` };
  let metric = GENERIC.has(key) ? fromUnit(group, unit) : undefined;
  metric ??= synonymOf(group, key);
  if (!metric) {
    const known = Object.keys(SYNONYMS[group]).join(", ");
    return { reason: `metric "${raw}" is not known for ${category}: use one of ${known} (or a synonym listed in docs/validate.md)` };
  }
  const adjusted = adjustForUnit(metric, unit, chipCount);
  const assumption = adjusted === raw ? undefined : `metric "${raw}" in ${describe(unit)} read as ${adjusted}`;
  const want = METRIC_DIMENSION[adjusted];
  if (want && want !== unit.dimension)
    return { reason: `unit is ${describe(unit)} but metric "${raw}" (${adjusted}) is measured in ${want.replace(/_/g, " ")}: fix the unit or the metric` };
  return { metric: adjusted, ...(assumption ? { assumption } : {}) };
}

function describe(u: UnitMatch): string {
  return `${u.ofPeak ? "% of peak" : u.dimension.replace(/_/g, " ")}${u.perChip ? " per chip" : ""}`;
}
