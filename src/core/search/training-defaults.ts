/**
 * Best feasible values for the layout knobs a training request leaves unset — the micro-batch size,
 * the interleave factor and sequence parallelism — by a small search over those knobs only, the
 * other degrees fixed, priced by one shared {@link trainingPricer} (the layout search's machinery:
 * each micro-batch size's blocks are priced once, a layout is arithmetic).
 *
 * Candidates: micro-batch sizes over the divisors of the per-replica batch (global_batch / dp);
 * interleave factors as the layout search tries them, with Megatron's rule that interleaving needs
 * the micro-batch count to be a multiple of pp; sp on and off with tp > 1 (off with tp = 1).
 * Ranked: fits in memory, then step time, then memory; with nothing fitting, the smallest shortfall.
 * The estimate says what was chosen and why (`chosen_defaults`).
 */
import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { checkLayout, type ChosenDefault, type TrainingEstimate, type TrainingRequest, trainingPricer } from "../estimate/estimate-training.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import { divisors, interleaveCandidates } from "./training-search.js";

/** The knobs this search chooses when a request leaves them unset. */
export type OpenKnob = "microbatch" | "interleave" | "sp";

/** A training request whose micro-batch size, interleave factor and sp may be left unset. */
export type OpenTrainingRequest = Omit<TrainingRequest, OpenKnob> & Partial<Pick<TrainingRequest, OpenKnob>>;

type Knobs = Pick<TrainingRequest, OpenKnob>;

/** The values to try for each knob: the given value, else the candidates. */
function candidateKnobs(req: OpenTrainingRequest, layers: number): { microbatch: number[]; interleave: number[]; sp: boolean[] } {
  const perReplica = req.global_batch / req.dp;
  return {
    microbatch: req.microbatch !== undefined ? [req.microbatch] : Number.isInteger(perReplica) ? divisors(perReplica) : [1],
    interleave: req.interleave !== undefined ? [req.interleave] : interleaveCandidates(layers, req.pp),
    sp: req.sp !== undefined ? [req.sp] : req.tp > 1 ? [true, false] : [false],
  };
}

/** The (interleave, sp) pairs to try with one micro-batch size. */
function* layoutsWith(microbatch: number, c: ReturnType<typeof candidateKnobs>, req: OpenTrainingRequest): Generator<Knobs> {
  const m = req.global_batch / (req.dp * microbatch);
  for (const interleave of c.interleave) {
    // Megatron interleaves only when the micro-batch count is a multiple of pp (schedules.py).
    if (req.interleave === undefined && interleave > 1 && m % req.pp !== 0) continue;
    for (const sp of c.sp) yield { microbatch, interleave, sp };
  }
}

/** Whether estimate a ranks before b: fitting first, then faster (less memory on a tie); without a fit, the smaller shortfall. */
function ranksBefore(a: TrainingEstimate, b: TrainingEstimate | undefined): boolean {
  if (!b) return true;
  if (a.fits !== b.fits) return a.fits;
  if (!a.fits && a.shortfall_bytes !== b.shortfall_bytes) return a.shortfall_bytes < b.shortfall_bytes;
  return a.step_time_s < b.step_time_s || (a.step_time_s === b.step_time_s && a.memory_per_chip_bytes < b.memory_per_chip_bytes);
}

/** The estimate of a request, with its unset micro-batch size, interleave factor and sp chosen as the best feasible. */
export function estimateTrainingWithDefaults(req: OpenTrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  const pricer = trainingPricer(req, ctx, opts);
  if (req.microbatch !== undefined && req.interleave !== undefined && req.sp !== undefined) return pricer.estimate(req as TrainingRequest);
  const shape = pricer.structure();
  const candidates = candidateKnobs(req, shape.layers);
  let best: TrainingEstimate | undefined;
  let tried = 0;
  const price = (layout: TrainingRequest): TrainingEstimate | undefined => {
    if (checkLayout(layout, shape.layers, shape.heads, shape.kv_heads).length) return undefined;
    try {
      const e = pricer.estimate(layout);
      return Number.isFinite(e.step_time_s) ? e : undefined;
    } catch (err) {
      if (!(err instanceof XpusimError)) throw err;
      return undefined;
    }
  };
  for (const microbatch of candidates.microbatch) {
    let fits = false;
    let priced = false;
    for (const knobs of layoutsWith(microbatch, candidates, req)) {
      const e = price({ ...req, ...knobs });
      if (!e) continue;
      tried++;
      priced = true;
      fits ||= e.fits;
      if (ranksBefore(e, best)) best = e;
    }
    // Memory grows with the micro-batch (activations ∝ microbatch · min(m, pp)): past the first size
    // that does not fit, none will.
    if (priced && !fits) break;
  }
  // No candidate prices: the plain defaults, whose error (a layout that cannot work) is the answer.
  const chosen = best ?? pricer.estimate({ ...req, microbatch: req.microbatch ?? 1, interleave: req.interleave ?? 1, sp: req.sp ?? req.tp > 1 });
  return { ...chosen, chosen_defaults: [...(chosen.chosen_defaults ?? []), ...explain(req, chosen, candidates, tried)] };
}

/** One entry per knob the request left unset: the value chosen and why. */
function explain(req: OpenTrainingRequest, e: TrainingEstimate, c: ReturnType<typeof candidateKnobs>, tried: number): ChosenDefault[] {
  const how = tried === 0 ? "no candidate could be priced: the plain default" : e.fits ? `the fastest layout that fits of ${tried} tried` : `nothing fits in memory: the closest to fitting of ${tried} tried`;
  const out: ChosenDefault[] = [];
  if (req.microbatch === undefined) {
    out.push({ field: "microbatch", value: e.layout.microbatch, why: `unset: ${how} (micro-batch sizes: the divisors of the ${req.global_batch / req.dp} samples per data-parallel replica, up to the first that does not fit)` });
  }
  // Interleaving without pp and sp without tp are not choices: left out.
  if (req.interleave === undefined && req.pp > 1) out.push({ field: "interleave", value: e.layout.interleave, why: `unset: ${how} (interleave factors ${c.interleave.join(", ")} on pp = ${req.pp})` });
  if (req.sp === undefined && req.tp > 1) out.push({ field: "sp", value: e.layout.sp, why: `unset: ${how} (sequence parallelism on and off, tp = ${req.tp})` });
  return out;
}
