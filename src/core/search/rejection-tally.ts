/** Counts the layouts a search rejects, by reason, keeping the first few examples of each. */

export interface Rejection {
  reason: string;
  count: number;
  /** Up to three layouts (or degrees) with this reason, with the specific message. */
  examples: string[];
}

/** Examples kept per reason. */
const EXAMPLES_PER_REASON = 3;

export class RejectionTally {
  private readonly byReason = new Map<string, Rejection>();

  /** Records `n` rejected layouts for `reason`; `example` is kept while the reason has fewer than three. */
  reject(reason: string, example: string, n = 1): void {
    let r = this.byReason.get(reason);
    if (!r) {
      r = { reason, count: 0, examples: [] };
      this.byReason.set(reason, r);
    }
    r.count += n;
    if (r.examples.length < EXAMPLES_PER_REASON) r.examples.push(example);
  }

  /** The rejections, most frequent first (ties by reason). */
  sorted(): Rejection[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}
