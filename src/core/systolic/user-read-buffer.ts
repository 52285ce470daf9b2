/**
 * SCALE-Sim v2's USER-mode read scratchpad (`memory/read_buffer.py`) at a fixed DRAM bandwidth B
 * (words/cycle), reduced to what it reports.
 *
 * The operand's prefetch order (see read-operands.ts) is cut into "lines" of e = ceil(W/100) valid
 * entries (W = buffer words); the active buffer is a circular window of ceil((W/2)/e) lines. A read
 * whose word is in no line of the window triggers a prefetch: the window moves forward by the
 * prefetch half (ceil((W − W/2)/e) lines), ceil((W − W/2)/B)·B words are counted as DRAM reads, the
 * data arrives ceil((W − W/2)/B) + 1 cycles after the previous prefetch, and the array stalls
 * until then. The first ceil((W/2)/B) lines of B words are fetched before cycle 0.
 * The fetched addresses themselves never matter to the reports, only the window of lines does.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { forEachPrefetchAddress, prefetchEntries, type ReadOperand } from "./read-operands.js";

/**
 * True when every line of the operand fits the active window: then every read hits, nothing is
 * prefetched after the initial fill, and the per-address replay can be skipped.
 */
export function userOperandAlwaysResident(op: ReadOperand, bufferWords: number): boolean {
  const lineWords = Math.ceil(bufferWords / 100);
  return Math.floor(op.validEntries / lineWords) + 1 <= Math.ceil(Math.ceil(bufferWords * 0.5) / lineWords);
}

export class UserReadBuffer {
  /** CSR: the window lines holding each address (ascending). */
  private readonly lineStart: Int32Array;
  private readonly lineIds: Int32Array;
  private readonly numLines: number;
  private readonly activeLines: number;
  private readonly prefetchLines: number;
  private readonly wordsPerPrefetch: number;
  private readonly cyclesPerPrefetch: number;
  private readonly fetchRows: number;
  private windowStart = 0;
  /** Cycle the last prefetched data arrives. */
  private lastPrefetchCycle: number;
  private accesses: number;
  readonly dramStartCycle: number;

  /** Every read hits: the address tables are not built and serveRow is never needed. */
  readonly alwaysResident: boolean;

  constructor(
    private readonly op: ReadOperand,
    bufferWords: number,
    private readonly bandwidth: number,
    firstCycle: number,
  ) {
    const lineWords = Math.ceil(bufferWords / 100);
    const active = Math.ceil(bufferWords * 0.5);
    const prefetch = bufferWords - active;
    this.alwaysResident = userOperandAlwaysResident(op, bufferWords);
    this.fetchRows = Math.ceil(prefetchEntries(op) / bandwidth);
    const firstLines = Math.min(Math.ceil(active / bandwidth), this.fetchRows);
    this.accesses = firstLines * bandwidth;
    this.dramStartCycle = firstCycle - firstLines;
    this.lastPrefetchCycle = firstCycle - 1;
    const perPrefetch = Math.ceil(prefetch / bandwidth);
    this.wordsPerPrefetch = perPrefetch * bandwidth;
    this.cyclesPerPrefetch = perPrefetch + 1;
    // prepare_hashed_buffer: a line closes after e entries, and one more (possibly empty) line follows.
    this.numLines = Math.floor(op.validEntries / lineWords) + 1;
    this.activeLines = Math.min(this.numLines, Math.ceil(active / lineWords));
    this.prefetchLines = Math.min(this.numLines - this.activeLines, Math.ceil(prefetch / lineWords));
    if (this.alwaysResident) {
      this.lineStart = new Int32Array(0);
      this.lineIds = new Int32Array(0);
      return;
    }

    // Pass 1: count each address's entries (valid entries only; −1 padding is skipped).
    const counts = new Int32Array(op.addressSpace + 1);
    let valid = 0;
    forEachPrefetchAddress(op, (a) => {
      counts[a + 1]!++;
      valid++;
    });
    if (valid !== op.validEntries) throw new Error(`user-read-buffer: ${valid} prefetch entries, expected ${op.validEntries}`);
    for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
    this.lineStart = counts;
    const ids = new Int32Array(valid);
    const fill = new Int32Array(op.addressSpace);
    let v = 0;
    forEachPrefetchAddress(op, (a) => {
      ids[counts[a]! + fill[a]!++] = Math.floor(v / lineWords);
      v++;
    });
    this.lineIds = ids;
  }

  private resident(a: number): boolean {
    const nl = this.numLines;
    if (this.alwaysResident) return true;
    const ws = this.windowStart;
    const we = ws + this.activeLines;
    const wrapEnd = we - nl;
    const end = this.lineStart[a + 1]!;
    for (let i = this.lineStart[a]!; i < end; i++) {
      const line = this.lineIds[i]!;
      if ((line >= ws && line < we) || line < wrapEnd) return true;
    }
    return false;
  }

  private prefetchNext(): void {
    if (Math.ceil(this.wordsPerPrefetch / this.bandwidth) > this.fetchRows) {
      throw new XpusimError(
        error("E_UNSUPPORTED", `architecture_presets.${this.op.name === "ifmap" ? "IfmapSramSzkB" : "FilterSramSzkB"}`, `the ${this.op.name} prefetch is larger than the whole operand; SCALE-Sim fails here (array shape mismatch)`, {
          hint: "use CALC mode, or a smaller SRAM for this operand",
        }),
      );
    }
    this.windowStart = (this.windowStart + this.prefetchLines) % this.numLines;
    this.accesses += this.wordsPerPrefetch;
    this.lastPrefetchCycle += this.cyclesPerPrefetch;
  }

  /**
   * Serves the reads `addresses[from..to)` of one demand row issued at `cycle`; returns the stall
   * (cycles the row waited beyond the 1-cycle hit latency).
   */
  serveRow(addresses: Int32Array, from: number, to: number, cycle: number): number {
    let offset = 1;
    for (let i = from; i < to; i++) {
      const a = addresses[i]!;
      let moves = 0;
      while (!this.resident(a)) {
        if (++moves > this.numLines + 1) throw new Error(`user-read-buffer: address ${a} of ${this.op.name} is in no prefetch line`);
        this.prefetchNext();
        const wait = this.lastPrefetchCycle - (cycle + offset);
        if (wait > 0) offset += wait;
      }
    }
    return offset - 1;
  }

  get dramReads(): number {
    return this.accesses;
  }

  /** The DRAM trace's last row: the arrival cycle of the last prefetch (−1 if none after the first). */
  get dramStopCycle(): number {
    return this.lastPrefetchCycle;
  }
}
