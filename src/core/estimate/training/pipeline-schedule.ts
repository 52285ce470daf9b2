import type { LayoutNetwork } from "../../parallel/network-context.js";
import type { Stages, Sum } from "./stage-sums.js";

/**
 * The 1F1B pipeline schedule (Narayanan et al. SC21): m micro-batches through pp stages at the pace
 * of the slowest, plus the bubble (pp − 1)/v · t_stage_mean (v interleaved chunks per rank).
 */
export interface PipelineSchedule {
  /** One micro-batch's forward + backward (+ recompute) on the slowest stage, tp/ep/cp communication included. */
  stage_s: number;
  /** The slowest stage (whose breakdown the step reports). */
  slow: Sum;
  bubble_s: number;
}

/** Time of one micro-batch on a stage: compute and the communication on its critical path. */
export const stageTime = (s: Sum) => s.fwd + s.bwd + s.rec + s.tp + s.ep + s.cp;

export function pipelineSchedule(st: Stages, pp: number, v: number): PipelineSchedule {
  const tFirst = stageTime(st.first);
  const tLast = stageTime(st.last);
  const tMax = Math.max(tFirst, tLast, stageTime(st.mid));
  const slow = tMax === tFirst ? st.first : tMax === tLast ? st.last : st.mid;
  const tMean = pp === 1 ? tMax : (pp * stageTime(st.midMean) + (tFirst - stageTime(st.mid)) + (tLast - stageTime(st.mid))) / pp;
  return { stage_s: tMax, slow, bubble_s: ((pp - 1) / v) * tMean };
}

/**
 * Pipeline point-to-point time of a step: the stage-boundary activation (÷ tp by scatter/gather or
 * SP), forward and backward, per chunk, for each of the m micro-batches.
 */
export function pipelineP2pS(net: LayoutNetwork | undefined, l: { pp: number; v: number; m: number; tp: number }, boundaryBytes: number): number {
  return net && l.pp > 1 ? l.m * 2 * l.v * net.pp(boundaryBytes / l.tp) : 0;
}
