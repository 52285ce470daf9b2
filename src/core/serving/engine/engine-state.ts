import type { ClosedLoop } from "./closed-loop.js";
import type { ServingRequest } from "../request.js";
import type { ServingConfig } from "../serving-config.js";
import type { SimulationSetup } from "../simulator.js";
import { Instance, Role } from "./instance.js";
import { KvTransfers } from "./kv-transfers.js";
import { SampleSeries } from "./sample-series.js";

/** Request states. */
export enum ReqState {
  Pending = 0,
  Waiting = 1,
  Running = 2,
  Transferring = 3,
  Done = 4,
  Rejected = 5,
}

/**
 * Everything the simulation mutates: per-request typed arrays (indexed by request), the engine
 * instances, the KV transfers in flight and the running totals the trace reports.
 */
export class EngineState {
  readonly n: number;
  readonly arrival: Float64Array;
  readonly input: Int32Array;
  readonly output: Int32Array;
  readonly state: Uint8Array;
  readonly firstScheduled: Float64Array;
  readonly firstToken: Float64Array;
  readonly lastToken: Float64Array;
  readonly finish: Float64Array;
  readonly preemptions: Int32Array;
  readonly rejected = new Map<number, string>();
  /** Tokens whose KV is computed, tokens known (prompt + generated), tokens generated, KV blocks held. */
  readonly computed: Int32Array;
  readonly known: Int32Array;
  readonly generated: Int32Array;
  readonly blocks: Int32Array;
  /** Waiting-queue priority (lower first) and the instance a request is routed to. */
  readonly prio: Float64Array;
  readonly owner: Int32Array;

  readonly blockSize: number;
  readonly budgetMax: number;
  readonly maxSeqs: number;
  readonly chunked: boolean;
  readonly reserveFull: boolean;
  readonly disagg: boolean;

  /** Prefill pool first (when disaggregated), then the main/decode pool. */
  readonly instances: Instance[] = [];
  readonly prefillPool: Instance[] = [];
  readonly mainPool: Instance[] = [];
  readonly entryPool: Instance[];
  readonly totalBlocks: number;
  readonly transfers: KvTransfers;

  /** Inter-token gaps in emission order (sized once admission has rejected what can never run). */
  itl = new Float64Array(0);
  itlCount = 0;
  readonly series = new SampleSeries();
  usedBlocks = 0;
  peakBlocks = 0;
  waitingTotal = 0;
  runningTotal = 0;
  steps = 0;
  schedSeqs = 0;
  schedTokensTotal = 0;
  preemptTotal = 0;
  inSystem = 0;
  inSystemIntegral = 0;
  busyTime = 0;
  busyEnergy = 0;
  remaining = 0;
  /** Closed-loop clients, when the run has a fixed concurrency instead of arrival times. */
  closedLoop: ClosedLoop | undefined;

  constructor(requests: readonly ServingRequest[], config: ServingConfig, setup: SimulationSetup) {
    const n = (this.n = requests.length);
    this.arrival = new Float64Array(n);
    this.input = new Int32Array(n);
    this.output = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = requests[i]!;
      this.arrival[i] = r.arrival_s;
      this.input[i] = r.input_len;
      this.output[i] = r.output_len;
    }
    this.state = new Uint8Array(n);
    this.firstScheduled = new Float64Array(n).fill(NaN);
    this.firstToken = new Float64Array(n).fill(NaN);
    this.lastToken = new Float64Array(n).fill(NaN);
    this.finish = new Float64Array(n).fill(NaN);
    this.preemptions = new Int32Array(n);
    this.computed = new Int32Array(n);
    this.known = new Int32Array(n);
    this.generated = new Int32Array(n);
    this.blocks = new Int32Array(n);
    this.prio = new Float64Array(n);
    this.owner = new Int32Array(n).fill(-1);

    this.blockSize = config.block_size;
    this.budgetMax = config.max_num_batched_tokens;
    this.maxSeqs = config.max_num_seqs;
    this.chunked = config.chunked_prefill;
    this.reserveFull = config.kv_admission === "reserve-full";
    this.disagg = setup.prefill_pool !== undefined;
    this.entryPool = this.createPools(setup);
    let total = 0;
    for (const inst of this.instances) total += inst.numBlocks;
    this.totalBlocks = total;
    const cap = this.disagg ? n : 0;
    this.transfers = new KvTransfers(cap, setup.kv_bytes_per_token ?? 0, setup.kv_transfer_bytes_per_s ?? Infinity, setup.kv_transfer_latency_s ?? 0);
  }

  /** Creates the instances; returns the pool new requests enter. */
  private createPools(setup: SimulationSetup): Instance[] {
    if (setup.prefill_pool) {
      for (let i = 0; i < setup.prefill_pool.instances; i++) {
        const inst = new Instance(this.instances.length, Role.Prefill, setup.prefill_pool.num_blocks, this.n, this.maxSeqs, this.prio);
        this.instances.push(inst);
        this.prefillPool.push(inst);
      }
    }
    for (let i = 0; i < setup.pool.instances; i++) {
      const inst = new Instance(this.instances.length, this.disagg ? Role.Decode : Role.Mixed, setup.pool.num_blocks, this.n, this.maxSeqs, this.prio);
      this.instances.push(inst);
      this.mainPool.push(inst);
    }
    return this.disagg ? this.prefillPool : this.mainPool;
  }

  /** Queues request `r` on the least-loaded instance of `pool`. */
  route(pool: Instance[], r: number): void {
    let best = pool[0]!;
    for (let i = 1; i < pool.length; i++) if (pool[i]!.load() < best.load()) best = pool[i]!;
    this.owner[r] = best.index;
    this.state[r] = ReqState.Waiting;
    best.push(r);
    this.waitingTotal++;
  }

  /** Frees the KV blocks `r` holds on `inst`. */
  releaseBlocks(inst: Instance, r: number): void {
    inst.free += this.blocks[r]!;
    this.usedBlocks -= this.blocks[r]!;
    this.blocks[r] = 0;
  }
}
