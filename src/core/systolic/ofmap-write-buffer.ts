/**
 * The OFMAP scratchpad of SCALE-Sim v2 (`memory/write_buffer.py`), modelled per demand row instead
 * of per word. Words are appended to lines of `bandwidth` words; when more than the drain half
 * (floor(W/2) words) is occupied and no drain is in flight, every complete line plus the current
 * partial one (padded) is queued and up to ceil(drainHalf/bandwidth) lines are written to DRAM, one
 * line per cycle. The array stalls only when the buffer is full while a drain is in flight. What is
 * left is drained after the last cycle.
 *
 * SCALE-Sim quirk kept in `scalesim` semantics: a drain counts every slot of its lines except the
 * padding of its last line, so a padded line that is not last is counted as full
 * (AlexNet Conv1 on 32×32 WS: 3,484,831 words written for 3,484,800).
 */

export interface OfmapDramStats {
  writes: number;
  start_cycle: number;
  stop_cycle: number;
}

export class OfmapWriteBuffer {
  private readonly active: number;
  private readonly linesPerDrain: number;
  private free: number;
  private lineFill = 0;
  private lines = 0;
  private drainStartLine = 0;
  private drainEnd = 0;
  private accesses = 0;
  private firstDrainCycle = Number.NaN;
  private lastDrainCycle = Number.NaN;
  /** Padded lines not yet drained: their line index and number of real words, in line order. */
  private padLine: number[] = [];
  private padWords: number[] = [];
  private padHead = 0;

  /**
   * @param totalWords buffer capacity in words
   * @param bandwidth words per DRAM line and per cycle (array columns in CALC mode, the user bandwidth in USER mode)
   * @param exactCount count only real words when draining (corrected semantics)
   */
  constructor(
    totalWords: number,
    private readonly bandwidth: number,
    private readonly exactCount = false,
  ) {
    const drainHalf = totalWords - Math.ceil(totalWords * 0.5);
    this.active = totalWords - drainHalf;
    this.linesPerDrain = Math.ceil(drainHalf / bandwidth);
    this.free = totalWords;
  }

  private store(n: number): void {
    this.free -= n;
    const fill = this.lineFill + n;
    this.lines += Math.floor(fill / this.bandwidth);
    this.lineFill = fill % this.bandwidth;
  }

  private drain(startCycle: number): number {
    if (this.lineFill > 0) {
      this.padLine.push(this.lines);
      this.padWords.push(this.lineFill);
      this.lines++;
      this.lineFill = 0;
    }
    const end = Math.min(this.drainStartLine + this.linesPerDrain, this.lines);
    const n = end - this.drainStartLine;
    let words = n * this.bandwidth;
    // Padded lines inside this drain: SCALE-Sim only discounts the padding of the last one.
    while (this.padHead < this.padLine.length && this.padLine[this.padHead]! < end) {
      const line = this.padLine[this.padHead]!;
      const real = this.padWords[this.padHead]!;
      if (this.exactCount || line === end - 1) words -= this.bandwidth - real;
      this.padHead++;
    }
    if (this.padHead > 1024 && this.padHead * 2 > this.padLine.length) {
      this.padLine = this.padLine.slice(this.padHead);
      this.padWords = this.padWords.slice(this.padHead);
      this.padHead = 0;
    }
    this.accesses += words;
    this.free += words;
    this.drainStartLine = end;
    const last = startCycle + n - 1;
    if (Number.isNaN(this.firstDrainCycle)) this.firstDrainCycle = startCycle;
    this.lastDrainCycle = last;
    return last;
  }

  /**
   * Stores the `words` OFMAP words of one demand row issued at `cycle`; returns the cycle the row
   * completes (later than `cycle` when the array had to wait for a drain).
   */
  writeRow(words: number, cycle: number): number {
    let cur = cycle;
    let left = words;
    while (left > 0) {
      if (cur < this.drainEnd) {
        // Drain in flight: store until the buffer is full, then wait for the drain to finish.
        if (this.free - left > 0) {
          this.store(left);
          return cur;
        }
        const k = this.free > 0 ? this.free : 1;
        this.store(k);
        left -= k;
        cur = this.drainEnd;
      } else {
        // No drain in flight: a drain starts right after the word that leaves fewer than `active` free.
        const k = this.free - this.active + 1 > 1 ? this.free - this.active + 1 : 1;
        if (k > left) {
          this.store(left);
          return cur;
        }
        this.store(k);
        left -= k;
        this.drainEnd = this.drain(cur);
      }
    }
    return cur;
  }

  /**
   * Writes up to `rows` consecutive demand rows of `words` words each, row r issued at cycle
   * `cycle + r`, jumping over the rows where nothing but storing happens. Stops after the first
   * row that stalls. Returns the number of rows written; `lastRowOut` is the last row's completion cycle.
   */
  writeRun(words: number, rows: number, cycle: number): number {
    let done = 0;
    while (done < rows) {
      const c = cycle + done;
      let k: number;
      if (c < this.drainEnd) {
        // In flight: rows keep going while the drain lasts and the buffer does not fill up.
        k = Math.min(this.drainEnd - c, this.free > 0 ? Math.floor((this.free - 1) / words) : 0);
      } else {
        // Idle: rows keep going while at least `active` words stay free.
        k = this.free - this.active >= 0 ? Math.floor((this.free - this.active) / words) : 0;
      }
      if (k > rows - done) k = rows - done;
      if (k > 0) {
        this.store(k * words);
        done += k;
        this.lastRowOut = cycle + done - 1;
        continue;
      }
      const out = this.writeRow(words, c);
      done++;
      this.lastRowOut = out;
      if (out > c) return done;
    }
    return done;
  }

  /** Completion cycle of the last row written by writeRun. */
  lastRowOut = 0;

  /** Drains everything left, back to back from `cycle` (the last compute cycle); returns the DRAM stats. */
  finish(cycle: number): OfmapDramStats {
    let c = cycle;
    if (this.lineFill > 0 || this.drainStartLine < this.lines) {
      // First call flushes the partial line; loop while lines remain.
      this.drainEnd = this.drain(c);
      c = this.drainEnd + 1;
      while (this.drainStartLine < this.lines) {
        this.drainEnd = this.drain(c);
        c = this.drainEnd + 1;
      }
    }
    return { writes: this.accesses, start_cycle: this.firstDrainCycle, stop_cycle: this.lastDrainCycle };
  }
}
