import { dtypeOf, num, precisionFor } from "./point-config.js";
import type { PointContext, ServingPrediction, ValidationResult } from "./validation-result.js";

/** What each serving metric reads from the run's flat summary (SI units). */
const SERVING_METRICS: Record<string, (s: ServingPrediction) => number | undefined> = {
  output_throughput: (s) => s.output_tokens_per_s,
  output_throughput_per_gpu: (s) => s.output_tokens_per_s / s.chips,
  throughput: (s) => s.requests_per_s,
  time_to_first_token: (s) => s.ttft_mean_s,
  time_per_output_token: (s) => s.tpot_mean_s,
  latency: (s) => s.e2e_latency_mean_s,
  latency_avg: (s) => s.e2e_latency_mean_s,
};

/** Engine names as sources write them → the serving engine presets (catalog software / serving-config). */
const ENGINES: ReadonlyArray<[RegExp, string]> = [
  [/tensorrt|trt[-_ ]?llm/i, "tensorrt-llm"],
  [/vllm/i, "vllm"],
];

/**
 * A measured serving benchmark (category `serving`): the point becomes a `kind: serving` scenario —
 * the same contract `xpusim estimate` reads — and runs through the serving simulator:
 *
 *   hardware     the point's chip, tp × replicas chips (the chip's default system carries TP)
 *   workload     the point's model (resolved as for llm_inference)
 *   precision    from config.dtype (FP8: fp8 weights, math and KV cache, bf16 activations)
 *   software     the engine preset named by config.engine (TensorRT-LLM or vLLM), with
 *                config.engine_settings (max_num_seqs, max_num_batched_tokens, …) on top
 *   serving      config.arrival: offline (default: every request at t = 0, as trtllm-bench
 *                throughput and vLLM benchmark_throughput run), poisson + rate_per_s, or closed +
 *                concurrency; config.requests requests of input_len → output_len tokens
 *
 * Metrics are the run's means: output tokens/s (of all chips, or per GPU), requests/s, TTFT, TPOT,
 * end-to-end latency.
 */
export function validateServingPoint(pc: PointContext): ValidationResult {
  const { p } = pc;
  const read = SERVING_METRICS[p.metric];
  if (!read) return pc.unsupported(`metric "${p.metric}" is not understood for serving: use output_throughput, output_throughput_per_gpu, throughput (requests/s), time_to_first_token, time_per_output_token or latency`);
  if (!pc.r.serving) return pc.unsupported("this front end gives the harness no serving simulator (run it through `xpusim validate`, the validation job)");
  const scenario = servingScenarioOf(pc);
  if (typeof scenario === "string") return pc.unsupported(scenario);
  const run = pc.r.serving(scenario);
  for (const n of run.notes ?? []) pc.assumptions.push(n);
  if (!run.fits) pc.assumptions.push(`does not fit in ${pc.chip.id} memory as modelled`);
  const v = read(run);
  return v === undefined ? pc.unsupported(`the serving run gives no ${p.metric} (no request completed with it)`) : pc.ok(v);
}

/** The point as a `kind: serving` scenario (plain data), or the reason it cannot be built. */
export function servingScenarioOf(pc: PointContext): Record<string, unknown> | string {
  const { p, cfg, chip } = pc;
  const tp = num(cfg.tp) ?? 1;
  if ((num(cfg.pp) ?? 1) > 1) return "field \"config.pp\": the serving simulator runs tensor parallelism inside an instance; pipeline stages are not simulated";
  const replicas = num(cfg.replicas) ?? Math.max(1, Math.floor(p.chip_count / tp));
  const input = num(cfg.input_len) ?? num(cfg.isl);
  const output = num(cfg.output_len) ?? num(cfg.osl);
  if (input === undefined || output === undefined) return `field "config.${input === undefined ? "input_len" : "output_len"}": a serving point needs the input and output lengths of its requests`;
  const requests = num(cfg.requests);
  if (requests === undefined) return "field \"config.requests\": how many requests the benchmark sent is required (steady state depends on it)";
  const model = pc.r.modelByName(p.model, cfg);
  if (typeof model === "string") return model;
  const arrival = String(cfg.arrival ?? "offline");
  if (cfg.arrival === undefined) pc.assumptions.push("arrival not stated: offline (every request at t = 0) assumed");
  const engine = ENGINES.find(([re]) => re.test(String(cfg.engine ?? "")))?.[1];
  if (!engine) pc.assumptions.push(`engine ${JSON.stringify(cfg.engine ?? null)} is not a serving preset: the vllm preset is used`);
  const settings = typeof cfg.engine_settings === "object" && cfg.engine_settings !== null ? (cfg.engine_settings as Record<string, unknown>) : {};
  const precision = precisionFor(dtypeOf(cfg) ?? "fp16", cfg);
  return {
    kind: "serving",
    hardware: { chip: chip.id, count: tp * replicas },
    workload: { model },
    precision,
    parallelism: { tp, ...(replicas > 1 ? { replicas } : {}) },
    ...(engine || Object.keys(settings).length ? { software: { ...(engine ? { engine } : {}), ...settings } } : {}),
    serving: {
      arrival,
      requests,
      input_tokens: input,
      output_tokens: output,
      ...(num(cfg.rate_per_s) !== undefined ? { rate_per_s: Number(cfg.rate_per_s) } : {}),
      ...(num(cfg.concurrency) !== undefined ? { concurrency: num(cfg.concurrency) } : {}),
      ...(num(cfg.seed) !== undefined ? { seed: num(cfg.seed) } : {}),
    },
  };
}
