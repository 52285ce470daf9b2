import { type ScalingRequest, type ScalingResult, scalingResult } from "./jobs/scaling-job.js";
import type { JobId } from "./registry.js";

/**
 * Jobs that can run in parts, so a front end can report progress and stay cancellable between
 * parts: `split` gives the part requests (each an ordinary request of the same job), `merge` the
 * whole result from the parts' results — equal to running the whole request at once. The scaling
 * curve splits into one request per chip count.
 */
export interface JobParts<Req, Res> {
  split(req: Req): Req[];
  merge(req: Req, parts: readonly Res[]): Res;
}

const scalingParts: JobParts<ScalingRequest, ScalingResult> = {
  split: (req) => (req.chip_counts.length <= 1 ? [req] : req.chip_counts.map((n) => ({ ...req, chip_counts: [n] }))),
  merge(req, parts) {
    if (parts.length === 1) return parts[0]!;
    const first = parts[0]!;
    return { ...scalingResult({ model: first.model, chip: first.chip, mode: first.mode, seq_len: req.seq_len }, parts.flatMap((p) => p.points)), ...(first.software ? { software: first.software } : {}) };
  },
};

const PARTS: Partial<Record<JobId, JobParts<never, unknown>>> = { scaling: scalingParts as JobParts<never, unknown> };

/** How `job` runs in parts, or undefined when it runs whole. */
export function jobParts(job: JobId): JobParts<unknown, unknown> | undefined {
  return PARTS[job] as JobParts<unknown, unknown> | undefined;
}
