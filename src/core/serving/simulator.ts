import type { ServingRequest } from "./request.js";
import type { ServingConfig } from "./serving-config.js";
import { ClosedLoop } from "./engine/closed-loop.js";
import { admitRequests } from "./engine/admission.js";
import { EngineState, ReqState } from "./engine/engine-state.js";
import type { Instance } from "./engine/instance.js";
import { scheduleStep } from "./engine/scheduler.js";
import { completeStep } from "./engine/step-completion.js";
import type { StepCostModel } from "./step-batch.js";

/**
 * Iteration-level discrete-event simulation of a serving engine (Orca-style continuous batching,
 * vLLM-style paged KV cache; Vidur does the same with profiled kernels).
 *
 * Each engine instance loops: build a batch → run it for the step cost's time → apply its results.
 * Building a batch follows vLLM V1's scheduler (`vllm/v1/core/sched/scheduler.py`):
 *   1. Running sequences first, in admission order: each asks for its remaining tokens (1 when
 *      decoding; the rest of its prompt, capped by the token budget, when prefilling in chunks).
 *      Its KV blocks grow to ⌈(computed + new) / block_size⌉; when the pool is short, the most
 *      recently admitted running sequence is preempted (its blocks freed, its progress dropped: it
 *      is recomputed later from prompt + generated tokens) until the blocks fit or it preempted itself.
 *   2. If nothing was preempted in this step, waiting sequences (arrived, or preempted earlier) are
 *      admitted in policy order (FCFS: arrival order; or shortest prompt first) while the token budget,
 *      max_num_seqs and free blocks allow. Without chunked prefill a prompt is admitted only whole.
 *      "reserve-full" admission (TensorRT-LLM GUARANTEED_NO_EVICT) reserves blocks for prompt +
 *      output up front and never preempts.
 * A sequence whose scheduled tokens reach all its known tokens emits one token at the step's end;
 * the first is its TTFT, later gaps are its inter-token latencies (ITL).
 *
 * Disaggregated mode (DistServe, Splitwise): prefill instances run prompts only; when a prompt
 * finishes, its first token is out and its KV cache (prompt × KV bytes per token) crosses the
 * prefill instance's link (transfers from one instance are serialised), holding the prefill blocks
 * until it lands; then a decode instance admits it (allocating its blocks) and decodes. Requests go
 * to the instance of the pool with the fewest queued plus running requests.
 *
 * Everything lives in typed arrays indexed by request; the per-step work is proportional to the
 * number of running sequences, with no allocation, so 10,000 requests take well under a second.
 *
 * Files: engine/engine-state.ts (the state), engine/admission.ts (requests that can never run),
 * engine/scheduler.ts (building a batch), engine/step-completion.ts (applying a step),
 * engine/kv-transfers.ts (disaggregated KV moves), engine/instance.ts (an instance and its queue).
 */

export interface PoolSetup {
  /** Engine instances (chips) in the pool. */
  instances: number;
  /** KV blocks of each instance. */
  num_blocks: number;
}

export interface SimulationSetup {
  step: StepCostModel;
  /** The single pool of an aggregated engine, or the decode pool when disaggregated. */
  pool: PoolSetup;
  /** Prefill pool; present only when disaggregated. */
  prefill_pool?: PoolSetup;
  /** Requests longer than this (prompt + output) are rejected. */
  max_model_len: number;
  /** KV transfer (disaggregated): bytes per prompt token, link bandwidth and fixed latency. */
  kv_bytes_per_token?: number;
  kv_transfer_bytes_per_s?: number;
  kv_transfer_latency_s?: number;
  /** Closed-loop clients: at most this many requests in the system, the next sent when one finishes (arrival times are ignored). */
  closed_loop?: { concurrency: number };
}

/** Raw simulation output; metrics.ts turns it into the reported numbers. */
export interface SimulationTrace {
  requests: number;
  arrival_s: Float64Array;
  input_len: Int32Array;
  output_len: Int32Array;
  state: Uint8Array;
  /** Why each rejected request was refused (index → reason). */
  rejected: Map<number, string>;
  first_scheduled_s: Float64Array;
  first_token_s: Float64Array;
  finish_s: Float64Array;
  preemptions: Int32Array;
  /** Inter-token gaps of every request, in emission order; `itl_count` are valid. */
  itl_s: Float64Array;
  itl_count: number;
  /** Samples at step starts where counts or KV use changed: time, KV blocks in use (all instances) / total, running, waiting. */
  series: { count: number; time_s: Float64Array; kv_used_fraction: Float64Array; running: Int32Array; waiting: Int32Array };
  kv_blocks_total: number;
  kv_blocks_peak: number;
  steps: number;
  /** Σ over steps of the sequences in the step. */
  scheduled_sequences: number;
  scheduled_tokens: number;
  preemptions_total: number;
  /** ∫ (requests arrived and not finished) dt. */
  in_system_integral: number;
  /** Σ over instances of their busy time. */
  busy_time_s: number;
  /** Σ over steps of the step cost's energy (all chips of the instance), J; absent when the step cost has no energy, NaN without power data. */
  busy_energy_j?: number;
  instances: number;
  end_time_s: number;
}

export { ReqState };

/** Runs the simulation. `requests` must be sorted by arrival (simulateServing sorts them). */
export function simulate(requests: readonly ServingRequest[], config: ServingConfig, setup: SimulationSetup): SimulationTrace {
  const s = new EngineState(requests, config, setup);
  admitRequests(s, config.scheduling_policy, setup);
  if (setup.closed_loop) {
    s.closedLoop = new ClosedLoop(setup.closed_loop.concurrency);
    s.closedLoop.start(s);
  }
  const stepEnergy = setup.step.stepEnergyJ?.bind(setup.step);
  const sampler = { running: -1, waiting: -1, kv: -1 };
  let nextArrival = firstAdmitted(s, 0);
  let now = nextArrival < s.n ? s.arrival[nextArrival]! : 0;
  for (;;) {
    nextArrival = routeArrivals(s, nextArrival, now);
    landTransfers(s, now);
    for (let k = 0; k < s.instances.length; k++) startStep(s, s.instances[k]!, now, setup.step, stepEnergy, sampler);
    nextArrival = firstAdmitted(s, nextArrival);
    const next = nextEvent(s, nextArrival);
    if (next === Infinity) break;
    s.inSystemIntegral += s.inSystem * (next - now);
    now = next;
    for (let k = 0; k < s.instances.length; k++) {
      const inst = s.instances[k]!;
      if (inst.busy && inst.stepEnd <= now) completeStep(s, inst, now);
    }
  }
  rejectNeverAdmitted(s);
  return traceOf(s, now, stepEnergy !== undefined);
}

/** The first request from `i` on that was not rejected at admission. */
function firstAdmitted(s: EngineState, i: number): number {
  while (i < s.n && s.state[i] === ReqState.Rejected) i++;
  return i;
}

/** Routes the arrivals up to `now` to the entry pool; returns the next request not yet arrived. */
function routeArrivals(s: EngineState, next: number, now: number): number {
  while (next < s.n && s.arrival[next]! <= now) {
    if (s.state[next] !== ReqState.Rejected) {
      s.route(s.entryPool, next);
      s.inSystem++;
    }
    next++;
  }
  return next;
}

/** KV transfers landed by `now`: free the prefill blocks and queue the request for decoding. */
function landTransfers(s: EngineState, now: number): void {
  const t = s.transfers;
  while (t.landedBy(now)) {
    const r = t.req[t.head]!;
    s.releaseBlocks(s.instances[t.from[t.head]!]!, r);
    t.head++;
    s.route(s.mainPool, r);
  }
}

/** An idle instance with work builds a batch and starts its step at `now`. */
function startStep(
  s: EngineState,
  inst: Instance,
  now: number,
  step: StepCostModel,
  stepEnergy: StepCostModel["stepEnergyJ"],
  last: { running: number; waiting: number; kv: number },
): void {
  if (inst.busy) return;
  if (inst.size === 0 && inst.runningCount === 0) return;
  if (!scheduleStep(s, inst, now)) return;
  const dt = step.stepTimeS(inst.batch);
  inst.busy = true;
  inst.stepStart = now;
  inst.stepEnd = now + dt;
  s.busyTime += dt;
  if (stepEnergy) s.busyEnergy += stepEnergy(inst.batch);
  s.steps++;
  s.schedSeqs += inst.schedCount;
  s.schedTokensTotal += inst.schedTokenSum;
  // A sample when the picture changes (counts, or KV use by ≥ 0.1 %): the series is bucketed
  // for output anyway, and this keeps it small when thousands of tiny decode steps look alike.
  const kvFrac = s.totalBlocks > 0 ? s.usedBlocks / s.totalBlocks : 0;
  if (s.runningTotal !== last.running || s.waitingTotal !== last.waiting || Math.abs(kvFrac - last.kv) >= 1e-3) {
    s.series.add(now, kvFrac, s.runningTotal, s.waitingTotal);
    last.running = s.runningTotal;
    last.waiting = s.waitingTotal;
    last.kv = kvFrac;
  }
}

/** Time of the next event: an arrival, a step end or a KV transfer landing (Infinity: none left). */
function nextEvent(s: EngineState, nextArrival: number): number {
  let next = Infinity;
  if (nextArrival < s.n) next = s.arrival[nextArrival]!;
  for (let k = 0; k < s.instances.length; k++) {
    const inst = s.instances[k]!;
    if (inst.busy && inst.stepEnd < next) next = inst.stepEnd;
  }
  const landing = s.transfers.nextDone();
  if (landing < next) next = landing;
  return next;
}

/** Anything left waiting could not be admitted (e.g. no instance ever had room): report it. */
function rejectNeverAdmitted(s: EngineState): void {
  if (s.remaining <= 0) return;
  for (let r = 0; r < s.n; r++) {
    if (s.state[r] !== ReqState.Done && s.state[r] !== ReqState.Rejected) {
      s.state[r] = ReqState.Rejected;
      s.rejected.set(r, "never admitted: no KV blocks became free");
    }
  }
}

function traceOf(s: EngineState, end: number, withEnergy: boolean): SimulationTrace {
  const series = s.series;
  return {
    requests: s.n,
    arrival_s: s.arrival,
    input_len: s.input,
    output_len: s.output,
    state: s.state,
    rejected: s.rejected,
    first_scheduled_s: s.firstScheduled,
    first_token_s: s.firstToken,
    finish_s: s.finish,
    preemptions: s.preemptions,
    itl_s: s.itl,
    itl_count: s.itlCount,
    series: { count: series.count, time_s: series.time, kv_used_fraction: series.kv, running: series.running, waiting: series.waiting },
    kv_blocks_total: s.totalBlocks,
    kv_blocks_peak: s.peakBlocks,
    steps: s.steps,
    scheduled_sequences: s.schedSeqs,
    scheduled_tokens: s.schedTokensTotal,
    preemptions_total: s.preemptTotal,
    in_system_integral: s.inSystemIntegral,
    busy_time_s: s.busyTime,
    ...(withEnergy ? { busy_energy_j: s.busyEnergy } : {}),
    instances: s.instances.length,
    end_time_s: end,
  };
}
