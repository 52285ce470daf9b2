import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { formatPrecision, type Precision } from "../workload/precision.js";
import { kvCapacity, type KvCapacity } from "./kv-capacity.js";
import { computeMetrics, type ServingMetrics, type Slo } from "./metrics.js";
import { type ServingRequest, sortByArrival } from "./request.js";
import { resolveServingConfig, type ServingConfig, type ServingConfigInput } from "./serving-config.js";
import { simulate, type SimulationSetup } from "./simulator.js";
import { hostGapOf, withHostGap } from "./host-gap.js";
import { type EngineStepCost, engineStepCost, type StepCostModel } from "./step-cost.js";
import type { System } from "../network/build-system.js";
import { type LayoutNetwork, layoutNetwork } from "../parallel/network-context.js";
import { expertCount, expertParallelProblem } from "../parallel/expert-parallel.js";
import { fallbackWarning, resolveExecutionPrecision } from "../estimate/execution-precision.js";
import { fmtBytes } from "../units/format-bytes.js";

/**
 * Top level of the serving simulator: one model on one chip type behind a serving engine.
 *
 *   config (preset + overrides) ──► KV capacity (memory the way the engine sizes it)
 *   model × chip × precision ──► step cost (engine-priced iterations, cached)
 *   requests ──► discrete-event simulation ──► TTFT / TPOT / ITL / E2E percentiles, throughput,
 *                                               goodput, KV utilisation over time
 *
 * Parallelism inside an instance: tp chips per attention group (Megatron sharding, all-reduces) and,
 * for MoE models, ep attention groups sharing the routed experts (step-cost.ts): an instance is tp·ep
 * chips; each group has its own scheduler budget (max_num_batched_tokens, max_num_seqs) and its own
 * KV cache, so the simulated instance gets ep × each and the step is priced for the busiest group.
 * Precision: math the chip has no engine for runs in a wider native dtype with storage kept narrow
 * (execution-precision.ts), said in the notes. Energy: see metrics.ts.
 *
 * Infeasible setups (the weights and activations leave no room for KV) are results with
 * `feasible: false` and the reason, not exceptions. Bad inputs (unknown config fields, non-LLM
 * models, negative numbers) are XpusimErrors.
 */

export interface SimulateServingOptions {
  /** SLOs for goodput; omitted → no goodput section. */
  slo?: Slo;
  /** Replace the engine-priced step cost (tests, what-if studies, a future TP step cost). */
  step_cost?: StepCostModel;
  /** Grid-interpolated step cost (default) or exact pricing of every distinct shape. */
  interpolate?: boolean;
  /** Points of the KV utilisation series (default 200). */
  series_points?: number;
  /** Replace the KV blocks per instance (tests: force a short cache). */
  num_blocks_override?: number;
  /** Tensor-parallel chips per engine instance (default 1); needs `system`. */
  tp?: number;
  /** Expert-parallel attention groups per instance (MoE; default 1); needs `system`. */
  ep?: number;
  /** The system the instance sits in (prices the per-layer all-reduces and all-to-alls). */
  system?: System;
  /** Independent engine instances (data-parallel replicas) behind one load balancer (default 1). */
  replicas?: number;
  /** Closed-loop clients: at most this many requests in flight, the next sent when one finishes (arrival times ignored). */
  concurrency?: number;
}

export interface ServingResult {
  kind: "serving";
  model: string;
  chip: string;
  engine: string;
  config: ServingConfig;
  /** Tensor-parallel chips per attention group. */
  tp: number;
  /** Expert-parallel attention groups per instance (1: no expert parallelism). */
  ep: number;
  /** Independent engine instances behind the load balancer (each with its own KV cache and scheduler). */
  replicas: number;
  /** Chips used: tp·ep per instance × (1, or prefill + decode instances when disaggregated) × replicas. */
  chips: number;
  /** Requested and executed precision (they differ when the chip lacks the math dtype). */
  precision: { requested: string; executed: string; fallback: boolean };
  feasible: boolean;
  infeasible_reason?: string;
  /** KV capacity per chip and of one attention group (an instance holds ep groups; the decode pool's when disaggregated). */
  memory: KvCapacity;
  /** max_model_len actually used. */
  max_model_len: number;
  requests: { total: number; completed: number; rejected: number; rejected_examples: string[] };
  metrics?: ServingMetrics;
  /** Output tokens per second per chip. */
  output_tokens_per_s_per_chip?: number;
  step_cost_model: string;
  notes: string[];
}

export function simulateServing(
  model: ModelSpec,
  ctx: CostContext,
  precision: Precision,
  configInput: ServingConfig | ServingConfigInput | undefined,
  requests: readonly ServingRequest[],
  opts: SimulateServingOptions = {},
): ServingResult {
  checkServingModel(model);
  checkRequests(requests);
  const config = resolveServingConfig(configInput as ServingConfigInput, ctx.chip);
  const notes: string[] = [];
  const tp = opts.tp ?? 1;
  const ep = opts.ep ?? 1;
  checkExpertLayout(model, tp, ep, opts.system);
  const exec = resolveExecutionPrecision(ctx.chip, precision);
  if (exec.fallback) notes.push(fallbackWarning(ctx.chip, exec.fallback, exec.precision.weights, undefined));
  const executed = exec.precision;
  checkTensorLayout(model, tp, opts.system);
  const memory = kvCapacity(model, ctx, executed, config, tp, ep);
  if (opts.num_blocks_override !== undefined) {
    memory.num_blocks = opts.num_blocks_override;
    memory.token_capacity = memory.num_blocks * config.block_size;
    notes.push(`KV blocks forced to ${opts.num_blocks_override} per instance`);
  }
  const disagg = config.disaggregation;
  const replicas = checkReplicas(opts.replicas);
  const chips = (disagg ? disagg.prefill_instances + disagg.decode_instances : 1) * tp * ep * replicas;
  const network = tp * ep > 1 ? layoutNetwork(opts.system!, tp, ep, 1, ep) : undefined;
  const gpuStep = opts.step_cost ?? cachedStepCost(model, ctx, executed, config.execution, opts.interpolate !== false, tp, network, ep);
  const hostGap = hostGapOf(config);
  const step = hostGap ? withHostGap(gpuStep, hostGap) : gpuStep;
  notes.push(...step.notes);
  const base: ServingResult = {
    kind: "serving",
    model: model.id,
    chip: ctx.chip.id,
    engine: config.engine,
    config,
    tp,
    ep,
    replicas,
    chips,
    precision: { requested: formatPrecision(precision), executed: formatPrecision(executed), fallback: exec.fallback !== undefined },
    feasible: true,
    memory,
    max_model_len: config.max_model_len ?? model.max_context,
    requests: { total: requests.length, completed: 0, rejected: 0, rejected_examples: [] },
    step_cost_model: step.id,
    notes,
  };
  if (memory.num_blocks <= 0) return { ...base, feasible: false, infeasible_reason: noKvCacheReason(memory, config) };
  base.max_model_len = fitMaxModelLen(base.max_model_len, config, memory, notes);
  const setup = simulationSetup(ctx, config, memory, ep, base.max_model_len, step, notes);
  scaleAndClose(setup, replicas, opts.concurrency, notes);
  // An instance holds ep attention groups, each with its own KV cache and scheduler budget.
  const simConfig = ep === 1 ? config : { ...config, max_num_batched_tokens: config.max_num_batched_tokens * ep, max_num_seqs: config.max_num_seqs * ep };
  return runAndMeasure(base, requests, simConfig, setup, opts, step.idle_power_w !== undefined ? { idle_power_w: step.idle_power_w, chips_per_instance: step.chips ?? tp * ep } : undefined);
}

function checkReplicas(replicas: number | undefined): number {
  if (replicas === undefined) return 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new XpusimError(error("E_RANGE", "replicas", `replicas must be a positive integer, got ${String(replicas)}`));
  return replicas;
}

/** Replicas multiply the instances of every pool (requests go to the least loaded); a concurrency closes the loop. */
function scaleAndClose(setup: SimulationSetup, replicas: number, concurrency: number | undefined, notes: string[]): void {
  setup.pool.instances *= replicas;
  if (setup.prefill_pool) setup.prefill_pool.instances *= replicas;
  if (replicas > 1) notes.push(`${replicas} independent replicas; each request goes to the instance with the fewest queued plus running requests`);
  if (concurrency === undefined) return;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new XpusimError(error("E_RANGE", "concurrency", `concurrency must be a positive integer, got ${String(concurrency)}`));
  setup.closed_loop = { concurrency };
  notes.push(`closed loop: ${concurrency} client${concurrency > 1 ? "s" : ""}, each sending its next request when the previous one finishes`);
}

type DecoderLlm = Extract<ModelSpec, { category: "decoder-llm" }>;

function checkServingModel(model: ModelSpec): asserts model is DecoderLlm {
  if (model.category !== "decoder-llm") {
    throw new XpusimError(
      error("E_UNSUPPORTED", "model", `serving simulation needs a decoder LLM; ${model.id} is a ${model.category}`, {
        hint: "use `xpusim estimate` with kind: inference for single-pass models",
      }),
    );
  }
}

const SYSTEM_HINT = "pass --system <id> (`xpusim collective --list`), or leave it to the chip's default system";

/** tp is a positive integer; ep divides the experts and has a system to price its all-to-alls. */
function checkExpertLayout(model: ModelSpec, tp: number, ep: number, system: System | undefined): void {
  if (!Number.isInteger(tp) || tp < 1) throw new XpusimError(error("E_RANGE", "tp", `tp must be a positive integer, got ${String(tp)}`));
  const epProblem = expertParallelProblem(expertCount(model), ep, model.id);
  if (epProblem) throw new XpusimError(error("E_RANGE", "ep", epProblem.message, { hint: epProblem.hint }));
  if (ep > 1 && !system) throw new XpusimError(error("E_SCHEMA", "system", `ep = ${ep} needs a system to price the all-to-alls`, { hint: SYSTEM_HINT }));
}

/** tp > 1 has a system for its all-reduces and splits the attention and KV heads evenly. */
function checkTensorLayout(model: DecoderLlm, tp: number, system: System | undefined): void {
  if (tp <= 1) return;
  if (!system) throw new XpusimError(error("E_SCHEMA", "system", `tp = ${tp} needs a system to price the all-reduces`, { hint: SYSTEM_HINT }));
  const heads = model.attention.heads;
  const kvh = model.attention.kv_heads ?? heads;
  if (heads % tp !== 0) throw new XpusimError(error("E_RANGE", "tp", `tp = ${tp} does not divide the ${heads} attention heads of ${model.id}`, { hint: `use a tp that divides ${heads}` }));
  if (!model.attention.mla && kvh % tp !== 0 && tp % kvh !== 0) throw new XpusimError(error("E_RANGE", "tp", `tp = ${tp} and the ${kvh} KV heads of ${model.id} neither divide each other`));
}

function noKvCacheReason(memory: KvCapacity, config: ServingConfig): string {
  const need = memory.weights_bytes + memory.activation_peak_bytes + memory.runtime_overhead_bytes;
  return (
    `no memory left for the KV cache: weights ${gb(memory.weights_bytes)} + activations ${gb(memory.activation_peak_bytes)} + runtime ${gb(memory.runtime_overhead_bytes)} = ${gb(need)}, ` +
    `${config.memory_fraction_of === "total" ? `budget ${gb(memory.device_memory_bytes * memory.memory_fraction)} (${memory.memory_fraction} × ${gb(memory.device_memory_bytes)})` : `device ${gb(memory.device_memory_bytes)}`}`
  );
}

/** max_model_len, lowered to what the KV cache holds when the model's context does not fit (noted). */
function fitMaxModelLen(maxModelLen: number, config: ServingConfig, memory: KvCapacity, notes: string[]): number {
  if (Math.ceil(maxModelLen / config.block_size) <= memory.num_blocks) return maxModelLen;
  const fits = memory.token_capacity;
  if (config.max_model_len !== undefined) {
    notes.push(`max_model_len ${maxModelLen} does not fit in the KV cache (${fits} tokens): vLLM would refuse to start; simulated anyway, longer requests are rejected`);
  } else {
    notes.push(`the model's context (${maxModelLen} tokens) does not fit in the KV cache; max_model_len lowered to ${fits} (vLLM asks for --max-model-len ≤ ${fits})`);
  }
  return Math.min(maxModelLen, fits);
}

/** The pools (one, or prefill + decode when disaggregated) and the KV link between them. */
function simulationSetup(ctx: CostContext, config: ServingConfig, memory: KvCapacity, ep: number, maxModelLen: number, step: StepCostModel, notes: string[]): SimulationSetup {
  const disagg = config.disaggregation;
  const instanceBlocks = memory.num_blocks * ep;
  const setup: SimulationSetup = {
    step,
    pool: { instances: disagg ? disagg.decode_instances : 1, num_blocks: instanceBlocks },
    max_model_len: maxModelLen,
  };
  if (ep > 1) notes.push(`${ep} attention groups per instance: ${ep} × ${config.max_num_batched_tokens} tokens and ${ep} × ${config.max_num_seqs} sequences per step, ${ep} × ${memory.num_blocks} KV blocks`);
  if (!disagg) return setup;
  setup.prefill_pool = { instances: disagg.prefill_instances, num_blocks: instanceBlocks };
  setup.kv_bytes_per_token = memory.kv_bytes_per_token;
  const link = ctx.chip.interconnect.scale_up ?? ctx.chip.interconnect.host;
  const bw = disagg.kv_transfer_bytes_per_s ?? link?.bandwidth_per_direction_bytes_per_s;
  if (bw === undefined) {
    throw new XpusimError(
      error("E_UNSUPPORTED", "disaggregation.kv_transfer_bytes_per_s", `${ctx.chip.id} has no interconnect bandwidth in its data, so the KV transfer time is unknown`, {
        hint: "set disaggregation.kv_transfer_bytes_per_s (e.g. 50e9 for a 400 Gb/s NIC)",
      }),
    );
  }
  setup.kv_transfer_bytes_per_s = bw;
  setup.kv_transfer_latency_s = disagg.kv_transfer_latency_s ?? link?.latency_s ?? 0;
  notes.push(
    `disaggregated: ${disagg.prefill_instances} prefill + ${disagg.decode_instances} decode instance(s); KV moves at ${(bw / 1e9).toFixed(0)} GB/s` +
      (disagg.kv_transfer_bytes_per_s === undefined ? ` (${link?.name ?? "link"}, one direction, no protocol overhead)` : ""),
  );
  return setup;
}

/** Runs the simulation and turns its trace into the result's metrics. */
function runAndMeasure(
  base: ServingResult,
  requests: readonly ServingRequest[],
  config: ServingConfig,
  setup: SimulationSetup,
  opts: SimulateServingOptions,
  power: { idle_power_w: number; chips_per_instance: number } | undefined,
): ServingResult {
  const trace = simulate(sortByArrival(requests), config, setup);
  const metrics = computeMetrics(trace, opts.slo, opts.series_points ?? 200, power);
  const examples: string[] = [];
  for (const [, why] of trace.rejected) {
    if (!examples.includes(why)) examples.push(why);
    if (examples.length >= 3) break;
  }
  // Nothing completed (every request longer than max_model_len): an infeasible result, whose latency
  // distributions are empty (the KV and step statistics stay in the metrics).
  const noneServed = requests.length > 0 && metrics.e2e_s.count === 0;
  return {
    ...base,
    ...(noneServed ? { feasible: false, infeasible_reason: `every one of the ${requests.length} requests was rejected${examples[0] ? `: ${examples[0]}` : ""}` } : {}),
    requests: { total: requests.length, completed: metrics.e2e_s.count, rejected: trace.rejected.size, rejected_examples: examples },
    metrics,
    output_tokens_per_s_per_chip: metrics.throughput.output_tokens_per_s / base.chips,
  };
}

/**
 * Engine step costs are kept per (chip context, model, precision, execution, interpolation), so a
 * sweep of rates or configs prices each batch shape once. Weak keys: nothing outlives its chip or model.
 */
const stepCosts = new WeakMap<CostContext, WeakMap<ModelSpec, Map<string, EngineStepCost>>>();

function cachedStepCost(model: ModelSpec, ctx: CostContext, precision: Precision, execution: "graph" | "eager", interpolate: boolean, tp = 1, network?: LayoutNetwork, ep = 1): EngineStepCost {
  let byModel = stepCosts.get(ctx);
  if (!byModel) stepCosts.set(ctx, (byModel = new WeakMap()));
  let byKey = byModel.get(model);
  if (!byKey) byModel.set(model, (byKey = new Map()));
  const key = `${formatPrecision(precision)}|${execution}|${interpolate}|${tp}|${ep}|${network?.system.id ?? ""}`;
  let cost = byKey.get(key);
  if (!cost) {
    cost = engineStepCost(model, ctx, precision, { execution, ...(interpolate ? {} : { interpolate: false }), ...(tp * ep > 1 && network ? { tp, ep, network } : {}) });
    byKey.set(key, cost);
  }
  return cost;
}

function gb(b: number): string {
  return fmtBytes(b);
}

/**
 * Latest arrival accepted: at 1e9 s a double's spacing is 1.2e-7 s, still well below a step time;
 * at 1e300 s (a rate of 1e-300/s) adding a 5 ms step would leave the clock unchanged.
 */
const MAX_ARRIVAL_S = 1e9;

/** Rejects non-finite or non-positive values with the request index in the path. */
function checkRequests(requests: readonly ServingRequest[]): void {
  const bad = [];
  for (let i = 0; i < requests.length && bad.length < 10; i++) {
    const r = requests[i]!;
    if (!(Number.isFinite(r.arrival_s) && r.arrival_s >= 0)) bad.push(error("E_RANGE", `requests[${i}].arrival_s`, "must be a finite number of seconds ≥ 0", { got: String(r.arrival_s) }));
    else if (r.arrival_s > MAX_ARRIVAL_S) {
      bad.push(
        error("E_RANGE", `requests[${i}].arrival_s`, `arrives after ${MAX_ARRIVAL_S.toExponential(0)} s (about 30 years), where a double no longer resolves the engine's step times`, {
          got: String(r.arrival_s),
          hint: "is the arrival rate far too low, or the trace's timestamps in the wrong unit?",
        }),
      );
    }
    if (!(Number.isInteger(r.input_len) && r.input_len > 0)) bad.push(error("E_RANGE", `requests[${i}].input_len`, "must be a positive integer", { got: String(r.input_len) }));
    if (!(Number.isInteger(r.output_len) && r.output_len > 0)) bad.push(error("E_RANGE", `requests[${i}].output_len`, "must be a positive integer", { got: String(r.output_len) }));
  }
  if (bad.length) throw new XpusimError(bad);
}
