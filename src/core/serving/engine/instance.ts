import { createStepBatch, type StepBatch } from "../step-batch.js";

/** What an engine instance runs: both phases, prompts only (disaggregated prefill) or decodes only. */
export enum Role {
  Mixed = 0,
  Prefill = 1,
  Decode = 2,
}

/**
 * One engine instance: its KV block pool, its waiting queue (a binary heap on the shared request
 * priorities), its running sequences and the batch it is building or running.
 */
export class Instance {
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
