/**
 * SCALE-Sim v2's CALC-mode read scratchpad (`memory/read_buffer_estimate_bw.py`), reduced to what it
 * reports. Reads never stall; the buffer only decides which reads go to DRAM. Its state is a
 * tumbling window: words inserted since the last window advance are resident; a read of a word
 * not resident is a DRAM read (a miss) and inserts it; after 50·s insertions (s = floor(W/100)
 * words per set, 50 of the 100 sets) the window advances and nothing is resident any more.
 * That is exactly its set bookkeeping (the sets filled since the last advance are the only ones
 * `check_hit` searches), so a per-word epoch stamp replaces its Python sets.
 *
 * Timing as reported: the first 50 sets are fetched at 10 words/cycle ending the cycle before
 * the first read; if the window never advances, everything is fetched before cycle 0
 * (start = −ceil(ceil(misses/s)·s/10), stop = −1); otherwise the DRAM stop cycle is one after the
 * cycle of the last advance.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { FoldGeometry } from "./fold-geometry.js";
import { firstAndLastDemandRows, lanesUsed, type ReadOperand } from "./read-operands.js";

export interface ReadDramStats {
  reads: number;
  start_cycle: number;
  stop_cycle: number;
}

/** Maps a demand row to its cycle (row index plus the stalls before it). */
export type CycleOf = (row: number) => number;

/** Words per set (1/100 of the buffer); SCALE-Sim cannot run with fewer than 100 words. */
export function calcSetWords(bufferWords: number, operand: string): number {
  const s = Math.floor(bufferWords / 100);
  if (s < 1)
    throw new XpusimError(
      error("E_RANGE", `architecture_presets.${operand === "ifmap" ? "IfmapSramSzkB" : "FilterSramSzkB"}`, `the ${operand} SRAM holds ${bufferWords} words; the DRAM model needs at least 100`, {
        hint: "SCALE-Sim divides each buffer into 100 sets and fails with smaller buffers; give at least 1 KiB",
      }),
    );
  return s;
}

/**
 * Runs the operand's demand stream through the CALC buffer. When the operand's distinct words are
 * fewer than half the buffer the window can never advance and the answer is closed-form; otherwise
 * every read is replayed (one typed-array stamp per word).
 */
export function simulateCalcRead(op: ReadOperand, geo: FoldGeometry, bufferWords: number, cycleOf: CycleOf, firstRow = firstAndLastDemandRows(op, geo)[0]): ReadDramStats {
  const s = calcSetWords(bufferWords, op.name);
  const windowWords = 50 * s;
  const noAdvance = (misses: number): ReadDramStats => ({
    reads: misses,
    start_cycle: -Math.ceil((Math.ceil(misses / s) * s) / 10),
    stop_cycle: -1,
  });
  if (op.footprint < windowWords) return noAdvance(op.footprint);

  const { lane, tAxis, padMask } = op.tables();
  // stamp[a] = window (epoch) in which word a was last inserted; a read misses when it is older.
  // One byte per word keeps the stamps in cache; epochs run 1..254 and all stamps are cleared when
  // they wrap, which is exact because a new window starts empty. Padding gets 255, so it always
  // "hits" and is never counted (SCALE-Sim skips its −1 entries).
  const stamp = new Uint8Array(op.addressSpace);
  const clearStamps = (): void => {
    stamp.fill(0);
    if (padMask !== null) for (let a = 0; a < padMask.length; a++) if (padMask[a] === 1) stamp[a] = 255;
  };
  clearStamps();
  let epoch = 1;
  let inWindow = 0;
  let misses = 0;
  let advances = 0;
  let lastAdvanceCycle = Number.NaN;
  const onAdvance = (row: number): void => {
    const cycle = cycleOf(row);
    advances++;
    // SCALE-Sim spreads the next batch over (cycle of advance k+1 − cycle of advance k) cycles: two
    // advances in one cycle make it fail with ZeroDivisionError at the next step.
    if (geo.semantics === "scalesim" && advances >= 2 && cycle === lastAdvanceCycle) {
      throw new XpusimError(
        error("E_UNSUPPORTED", `architecture_presets.${op.name === "ifmap" ? "IfmapSramSzkB" : "FilterSramSzkB"}`, `the ${op.name} buffer's reuse window turns over twice in cycle ${cycle}; SCALE-Sim fails here (division by zero)`, {
          hint: "use a larger SRAM: half of it must hold more words than one cycle reads",
        }),
      );
    }
    lastAdvanceCycle = cycle;
  };

  const W = op.laneWidth;
  const Tp = op.tExtent;
  const pre = op.pre;
  const P = geo.foldRows;
  for (let fc = 0; fc < geo.colFolds; fc++) {
    for (let fr = 0; fr < geo.rowFolds; fr++) {
      const base = (fc * geo.rowFolds + fr) * P;
      const lu = lanesUsed(op, fc, fr);
      const lb = (op.laneFold === "row" ? fr : fc) * W;
      if (op.pattern === "skewed") {
        const jEnd = pre + Tp + lu - 1;
        for (let j = pre; j < jEnd; j++) {
          const rel = j - pre;
          const lLo = rel - Tp + 1 > 0 ? rel - Tp + 1 : 0;
          const lHi = rel < lu - 1 ? rel : lu - 1;
          for (let l = lLo; l <= lHi; l++) {
            const a = lane[lb + l]! + tAxis[rel - l]!;
            if (stamp[a]! < epoch) {
              stamp[a] = epoch;
              misses++;
              if (++inWindow === windowWords) {
                inWindow = 0;
                if (++epoch === 255) {
                  clearStamps();
                  epoch = 1;
                }
                onAdvance(base + j);
              }
            }
          }
        }
      } else {
        const R = geo.R;
        const ru = Math.min(R, geo.Sr - fr * R);
        for (let q = R - ru; q < R; q++) {
          const ta = tAxis[fr * R + (R - 1 - q)]!;
          for (let l = 0; l < lu; l++) {
            const a = lane[lb + l]! + ta;
            if (stamp[a]! < epoch) {
              stamp[a] = epoch;
              misses++;
              if (++inWindow === windowWords) {
                inWindow = 0;
                if (++epoch === 255) {
                  clearStamps();
                  epoch = 1;
                }
                onAdvance(base + q);
              }
            }
          }
        }
      }
    }
  }
  if (advances === 0) return noAdvance(misses);
  // The first batch ends the cycle before the first read: cycles [first − ceil(50s/10), first − 1].
  return {
    reads: misses,
    start_cycle: cycleOf(firstRow) - Math.ceil(windowWords / 10),
    stop_cycle: lastAdvanceCycle + 1,
  };
}
