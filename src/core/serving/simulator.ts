import type { ServingRequest } from "./request.js";
import type { ServingConfig } from "./serving-config.js";
import { createStepBatch, type StepBatch, type StepCostModel } from "./step-cost.js";

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
}

/** Request states. */
export enum ReqState {
  Pending = 0,
  Waiting = 1,
  Running = 2,
  Transferring = 3,
  Done = 4,
  Rejected = 5,
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

enum Role {
  Mixed = 0,
  Prefill = 1,
  Decode = 2,
}

/** Shared per-request state. */
interface ReqArrays {
  computed: Int32Array;
  known: Int32Array;
  generated: Int32Array;
  blocks: Int32Array;
  prio: Float64Array;
  owner: Int32Array;
}

class Instance {
  free: number;
  readonly heap: Int32Array;
  size = 0;
  readonly running: Int32Array;
  runningCount = 0;
  busy = false;
  stepEnd = 0;
  stepStart = 0;
  readonly schedId: Int32Array;
  readonly schedTokens: Int32Array;
  schedCount = 0;
  /** Tokens in the batch being built or run. */
  schedTokenSum = 0;
  readonly batch: StepBatch;
  /** When this instance's outgoing KV link is free (prefill role). */
  linkFree = 0;

  constructor(
    readonly index: number,
    readonly role: Role,
    readonly numBlocks: number,
    requests: number,
    maxSeqs: number,
    private readonly prio: Float64Array,
  ) {
    this.free = numBlocks;
    this.heap = new Int32Array(requests);
    this.running = new Int32Array(Math.min(maxSeqs, requests) + 1);
    this.schedId = new Int32Array(Math.min(maxSeqs, requests) + 1);
    this.schedTokens = new Int32Array(Math.min(maxSeqs, requests) + 1);
    this.batch = createStepBatch(Math.min(maxSeqs, requests) + 1);
  }

  push(r: number): void {
    const heap = this.heap;
    const prio = this.prio;
    const p = prio[r]!;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = heap[parent]!;
      if (prio[q]! <= p) break;
      heap[i] = q;
      i = parent;
    }
    heap[i] = r;
  }

  pop(): number {
    const heap = this.heap;
    const prio = this.prio;
    const top = heap[0]!;
    const last = heap[--this.size]!;
    const n = this.size;
    if (n > 0) {
      const p = prio[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && prio[heap[c + 1]!]! < prio[heap[c]!]!) c++;
        if (prio[heap[c]!]! >= p) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Requests queued or running here (routing load). */
  load(): number {
    return this.size + this.runningCount;
  }
}

/** Growable sample series. */
class Series {
  count = 0;
  time = new Float64Array(1024);
  kv = new Float64Array(1024);
  running = new Int32Array(1024);
  waiting = new Int32Array(1024);
  add(t: number, kv: number, running: number, waiting: number): void {
    if (this.count === this.time.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.time = grow(this.time);
      this.kv = grow(this.kv);
      this.running = grow(this.running);
      this.waiting = grow(this.waiting);
    }
    const i = this.count++;
    this.time[i] = t;
    this.kv[i] = kv;
    this.running[i] = running;
    this.waiting[i] = waiting;
  }
}

/** Runs the simulation. `requests` must be sorted by arrival (simulateServing sorts them). */
export function simulate(requests: readonly ServingRequest[], config: ServingConfig, setup: SimulationSetup): SimulationTrace {
  const n = requests.length;
  const arrival = new Float64Array(n);
  const input = new Int32Array(n);
  const output = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = requests[i]!;
    arrival[i] = r.arrival_s;
    input[i] = r.input_len;
    output[i] = r.output_len;
  }
  const state = new Uint8Array(n);
  const firstScheduled = new Float64Array(n).fill(NaN);
  const firstToken = new Float64Array(n).fill(NaN);
  const lastToken = new Float64Array(n).fill(NaN);
  const finish = new Float64Array(n).fill(NaN);
  const preemptions = new Int32Array(n);
  const rejected = new Map<number, string>();
  const R: ReqArrays = {
    computed: new Int32Array(n),
    known: new Int32Array(n),
    generated: new Int32Array(n),
    blocks: new Int32Array(n),
    prio: new Float64Array(n),
    owner: new Int32Array(n).fill(-1),
  };
  const { computed, known, generated, blocks, prio, owner } = R;

  const bs = config.block_size;
  const budgetMax = config.max_num_batched_tokens;
  const maxSeqs = config.max_num_seqs;
  const chunked = config.chunked_prefill;
  const reserveFull = config.kv_admission === "reserve-full";
  const disagg = setup.prefill_pool !== undefined;

  // Instances: prefill pool first (when disaggregated), then the main/decode pool.
  const instances: Instance[] = [];
  const prefillPool: Instance[] = [];
  const mainPool: Instance[] = [];
  if (setup.prefill_pool) {
    for (let i = 0; i < setup.prefill_pool.instances; i++) {
      const inst = new Instance(instances.length, Role.Prefill, setup.prefill_pool.num_blocks, n, maxSeqs, prio);
      instances.push(inst);
      prefillPool.push(inst);
    }
  }
  for (let i = 0; i < setup.pool.instances; i++) {
    const inst = new Instance(instances.length, disagg ? Role.Decode : Role.Mixed, setup.pool.num_blocks, n, maxSeqs, prio);
    instances.push(inst);
    mainPool.push(inst);
  }
  const entryPool = disagg ? prefillPool : mainPool;
  let totalBlocks = 0;
  for (const inst of instances) totalBlocks += inst.numBlocks;

  // Admission checks that no amount of waiting can fix.
  let itlCapacity = 0;
  const minEntryBlocks = Math.min(...entryPool.map((i) => i.numBlocks));
  const minMainBlocks = Math.min(...mainPool.map((i) => i.numBlocks));
  for (let r = 0; r < n; r++) {
    prio[r] = config.scheduling_policy === "shortest-prompt-first" ? input[r]! * n + r : r;
    known[r] = input[r]!;
    const total = input[r]! + output[r]!;
    let why: string | undefined;
    if (total > setup.max_model_len) why = `prompt + output = ${total} tokens exceeds max_model_len ${setup.max_model_len}`;
    else if (!chunked && input[r]! > budgetMax) why = `prompt of ${input[r]} tokens exceeds max_num_batched_tokens ${budgetMax} and chunked prefill is off`;
    else if (Math.ceil(total / bs) > minMainBlocks || Math.ceil((disagg ? input[r]! + 1 : total) / bs) > minEntryBlocks)
      why = `needs ${Math.ceil(total / bs)} KV blocks; an instance has only ${Math.min(minMainBlocks, minEntryBlocks)}`;
    if (why) {
      state[r] = ReqState.Rejected;
      rejected.set(r, why);
    } else itlCapacity += output[r]! - 1;
  }
  const itl = new Float64Array(Math.max(0, itlCapacity));
  let itlCount = 0;

  const series = new Series();
  let usedBlocks = 0;
  let peakBlocks = 0;
  let waitingTotal = 0;
  let runningTotal = 0;
  let steps = 0;
  let schedSeqs = 0;
  let schedTokensTotal = 0;
  let preemptTotal = 0;
  let inSystem = 0;
  let inSystemIntegral = 0;
  let busyTime = 0;
  let busyEnergy = 0;
  const stepEnergy = setup.step.stepEnergyJ?.bind(setup.step);
  let remaining = n - rejected.size;

  // Transfers in flight (disaggregated), kept sorted by completion time.
  let tCount = 0;
  const tDone = new Float64Array(disagg ? n : 0);
  const tReq = new Int32Array(disagg ? n : 0);
  const tFrom = new Int32Array(disagg ? n : 0);
  let tHead = 0;
  const bytesPerToken = setup.kv_bytes_per_token ?? 0;
  const linkBw = setup.kv_transfer_bytes_per_s ?? Infinity;
  const linkLatency = setup.kv_transfer_latency_s ?? 0;

  const route = (pool: Instance[], r: number): void => {
    let best = pool[0]!;
    for (let i = 1; i < pool.length; i++) if (pool[i]!.load() < best.load()) best = pool[i]!;
    owner[r] = best.index;
    state[r] = ReqState.Waiting;
    best.push(r);
    waitingTotal++;
  };

  const releaseBlocks = (inst: Instance, r: number): void => {
    inst.free += blocks[r]!;
    usedBlocks -= blocks[r]!;
    blocks[r] = 0;
  };

  /** Adds `tokens` of request `r` to the batch `inst` is building. */
  const addToBatch = (inst: Instance, r: number, tokens: number): void => {
    const k = inst.schedCount++;
    inst.schedId[k] = r;
    inst.schedTokens[k] = tokens;
    const batch = inst.batch;
    if (tokens === 1 && computed[r]! > 0) {
      batch.decodes++;
      batch.decode_context_sum += computed[r]! + 1;
    } else {
      const c = batch.chunks++;
      batch.chunk_tokens[c] = tokens;
      batch.chunk_prior[c] = computed[r]!;
    }
    inst.schedTokenSum += tokens;
  };

  /** Builds the next batch of `inst`; returns false when there is nothing to run. */
  const schedule = (inst: Instance, now: number): boolean => {
    let budget = budgetMax;
    const batch = inst.batch;
    batch.chunks = 0;
    batch.decodes = 0;
    batch.decode_context_sum = 0;
    inst.schedCount = 0;
    inst.schedTokenSum = 0;
    let preempted = false;
    const running = inst.running;
    // 1. Running sequences.
    let i = 0;
    while (i < inst.runningCount && budget > 0) {
      const r = running[i]!;
      const need = known[r]! - computed[r]!;
      const tokens = need <= budget ? need : chunked ? budget : budget === budgetMax ? need : 0;
      if (tokens === 0) {
        i++;
        continue;
      }
      if (!reserveFull && computed[r]! + tokens > blocks[r]! * bs) {
        const want = Math.ceil((computed[r]! + tokens) / bs) - blocks[r]!;
        let self = false;
        while (want > inst.free) {
          const victim = running[--inst.runningCount]!;
          releaseBlocks(inst, victim);
          computed[victim] = 0;
          state[victim] = ReqState.Waiting;
          preemptions[victim]!++;
          preemptTotal++;
          runningTotal--;
          inst.push(victim);
          waitingTotal++;
          preempted = true;
          if (victim === r) {
            self = true;
            break;
          }
        }
        if (self) break;
        inst.free -= want;
        usedBlocks += want;
        blocks[r]! += want;
      }
      addToBatch(inst, r, tokens);
      budget -= tokens;
      i++;
    }
    // 2. Waiting sequences.
    if (!preempted) {
      while (inst.size > 0 && budget > 0 && inst.runningCount < maxSeqs) {
        const r = inst.heap[0]!;
        const need = known[r]! - computed[r]!;
        const tokens = need <= budget ? need : chunked ? budget : budget === budgetMax && need > budgetMax ? need : 0;
        if (tokens === 0) break;
        // Reserve-full: the whole sequence (a prefill-only instance keeps just prompt + first token).
        const reserve = inst.role === Role.Prefill ? input[r]! + 1 : input[r]! + output[r]!;
        const want = Math.ceil((reserveFull ? reserve : computed[r]! + tokens) / bs) - blocks[r]!;
        if (want > inst.free) break;
        inst.pop();
        waitingTotal--;
        inst.free -= want;
        usedBlocks += want;
        blocks[r]! += want;
        state[r] = ReqState.Running;
        running[inst.runningCount++] = r;
        runningTotal++;
        if (firstScheduled[r] !== firstScheduled[r]) firstScheduled[r] = now;
        addToBatch(inst, r, tokens);
        budget -= tokens;
      }
    }
    if (usedBlocks > peakBlocks) peakBlocks = usedBlocks;
    return inst.schedCount > 0;
  };

  const startTransfer = (inst: Instance, r: number, now: number): void => {
    const start = inst.linkFree > now ? inst.linkFree : now;
    const done = start + linkLatency + (input[r]! * bytesPerToken) / linkBw;
    inst.linkFree = done;
    state[r] = ReqState.Transferring;
    // Insert keeping [tHead, tCount) sorted by completion time (nearly always appends).
    let j = tCount++;
    while (j > tHead && tDone[j - 1]! > done) {
      tDone[j] = tDone[j - 1]!;
      tReq[j] = tReq[j - 1]!;
      tFrom[j] = tFrom[j - 1]!;
      j--;
    }
    tDone[j] = done;
    tReq[j] = r;
    tFrom[j] = inst.index;
  };

  /** Applies the results of `inst`'s step at time `now`. */
  const complete = (inst: Instance, now: number): void => {
    inst.busy = false;
    let removed = false;
    for (let k = 0; k < inst.schedCount; k++) {
      const r = inst.schedId[k]!;
      if (state[r] !== ReqState.Running) continue;
      computed[r]! += inst.schedTokens[k]!;
      if (computed[r]! < known[r]!) continue;
      // All known tokens processed: one new token is sampled.
      const g = ++generated[r]!;
      known[r]!++;
      if (g === 1) firstToken[r] = now;
      else itl[itlCount++] = now - lastToken[r]!;
      lastToken[r] = now;
      if (g >= output[r]!) {
        releaseBlocks(inst, r);
        state[r] = ReqState.Done;
        finish[r] = now;
        removed = true;
        runningTotal--;
        inSystem--;
        remaining--;
      } else if (inst.role === Role.Prefill) {
        removed = true;
        runningTotal--;
        startTransfer(inst, r, now);
      }
    }
    if (removed) {
      let w = 0;
      const running = inst.running;
      for (let k = 0; k < inst.runningCount; k++) {
        const r = running[k]!;
        if (state[r] === ReqState.Running) running[w++] = r;
      }
      inst.runningCount = w;
    }
  };

  let lastRunning = -1;
  let lastWaiting = -1;
  let lastKv = -1;
  let now = 0;
  let nextArrival = 0;
  while (nextArrival < n && state[nextArrival] === ReqState.Rejected) nextArrival++;
  const startTime = nextArrival < n ? arrival[nextArrival]! : 0;
  now = startTime;
  for (;;) {
    // Arrivals up to now.
    while (nextArrival < n && arrival[nextArrival]! <= now) {
      if (state[nextArrival] !== ReqState.Rejected) {
        route(entryPool, nextArrival);
        inSystem++;
      }
      nextArrival++;
    }
    // KV transfers landed by now.
    while (tHead < tCount && tDone[tHead]! <= now) {
      const r = tReq[tHead]!;
      releaseBlocks(instances[tFrom[tHead]!]!, r);
      tHead++;
      route(mainPool, r);
    }
    // Idle instances start a step.
    for (let k = 0; k < instances.length; k++) {
      const inst = instances[k]!;
      if (inst.busy) continue;
      if (inst.size === 0 && inst.runningCount === 0) continue;
      if (!schedule(inst, now)) continue;
      const dt = setup.step.stepTimeS(inst.batch);
      inst.busy = true;
      inst.stepStart = now;
      inst.stepEnd = now + dt;
      busyTime += dt;
      if (stepEnergy) busyEnergy += stepEnergy(inst.batch);
      steps++;
      schedSeqs += inst.schedCount;
      schedTokensTotal += inst.schedTokenSum;
      // A sample when the picture changes (counts, or KV use by ≥ 0.1 %): the series is bucketed
      // for output anyway, and this keeps it small when thousands of tiny decode steps look alike.
      const kvFrac = totalBlocks > 0 ? usedBlocks / totalBlocks : 0;
      if (runningTotal !== lastRunning || waitingTotal !== lastWaiting || Math.abs(kvFrac - lastKv) >= 1e-3) {
        series.add(now, kvFrac, runningTotal, waitingTotal);
        lastRunning = runningTotal;
        lastWaiting = waitingTotal;
        lastKv = kvFrac;
      }
    }
    // Next event.
    let next = Infinity;
    while (nextArrival < n && state[nextArrival] === ReqState.Rejected) nextArrival++;
    if (nextArrival < n) next = arrival[nextArrival]!;
    for (let k = 0; k < instances.length; k++) {
      const inst = instances[k]!;
      if (inst.busy && inst.stepEnd < next) next = inst.stepEnd;
    }
    if (tHead < tCount && tDone[tHead]! < next) next = tDone[tHead]!;
    if (next === Infinity) break;
    inSystemIntegral += inSystem * (next - now);
    now = next;
    for (let k = 0; k < instances.length; k++) {
      const inst = instances[k]!;
      if (inst.busy && inst.stepEnd <= now) complete(inst, now);
    }
  }
  // Anything left waiting could not be admitted (e.g. no instance ever had room): report it.
  if (remaining > 0) {
    for (let r = 0; r < n; r++) {
      if (state[r] !== ReqState.Done && state[r] !== ReqState.Rejected) {
        state[r] = ReqState.Rejected;
        rejected.set(r, "never admitted: no KV blocks became free");
      }
    }
  }
  return {
    requests: n,
    arrival_s: arrival,
    input_len: input,
    output_len: output,
    state,
    rejected,
    first_scheduled_s: firstScheduled,
    first_token_s: firstToken,
    finish_s: finish,
    preemptions,
    itl_s: itl,
    itl_count: itlCount,
    series: { count: series.count, time_s: series.time, kv_used_fraction: series.kv, running: series.running, waiting: series.waiting },
    kv_blocks_total: totalBlocks,
    kv_blocks_peak: peakBlocks,
    steps,
    scheduled_sequences: schedSeqs,
    scheduled_tokens: schedTokensTotal,
    preemptions_total: preemptTotal,
    in_system_integral: inSystemIntegral,
    busy_time_s: busyTime,
    ...(stepEnergy ? { busy_energy_j: busyEnergy } : {}),
    instances: instances.length,
    end_time_s: now,
  };
}
