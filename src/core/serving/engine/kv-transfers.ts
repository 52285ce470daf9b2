import type { Instance } from "./instance.js";

/**
 * KV transfers in flight (disaggregated serving), kept sorted by completion time: a finished prompt's
 * KV cache crosses its prefill instance's link (transfers from one instance are serialised) and
 * holds the prefill blocks until it lands.
 */
export class KvTransfers {
  count = 0;
  head = 0;
  readonly done: Float64Array;
  readonly req: Int32Array;
  readonly from: Int32Array;

  constructor(
    capacity: number,
    private readonly bytesPerToken: number,
    private readonly linkBw: number,
    private readonly linkLatency: number,
  ) {
    this.done = new Float64Array(capacity);
    this.req = new Int32Array(capacity);
    this.from = new Int32Array(capacity);
  }

  /** Queues the KV of `r` (`promptTokens` long) on `inst`'s link at `now`. */
  start(inst: Instance, r: number, promptTokens: number, now: number): void {
    const start = inst.linkFree > now ? inst.linkFree : now;
    const done = start + this.linkLatency + (promptTokens * this.bytesPerToken) / this.linkBw;
    inst.linkFree = done;
    // Insert keeping [head, count) sorted by completion time (nearly always appends).
    let j = this.count++;
    while (j > this.head && this.done[j - 1]! > done) {
      this.done[j] = this.done[j - 1]!;
      this.req[j] = this.req[j - 1]!;
      this.from[j] = this.from[j - 1]!;
      j--;
    }
    this.done[j] = done;
    this.req[j] = r;
    this.from[j] = inst.index;
  }

  /** True when the earliest transfer in flight has landed by `now`. */
  landedBy(now: number): boolean {
    return this.head < this.count && this.done[this.head]! <= now;
  }

  /** Completion time of the earliest transfer in flight (Infinity when none). */
  nextDone(): number {
    return this.head < this.count ? this.done[this.head]! : Infinity;
  }
}
