/**
 * Best feasible values for the layout knobs a training request leaves unset — the micro-batch size,
 * the interleave factor, sequence parallelism, the ZeRO stage and activation recomputation — by a
 * small search over those knobs only, the other degrees fixed, priced by one shared
 * {@link trainingPricer} (the layout search's machinery: each micro-batch size's blocks are priced
 * once, a layout is arithmetic). Every front end (scenario, flags, compare, the library) chooses here.
 *
 * Candidates: micro-batch sizes over the divisors of the per-replica batch (global_batch / dp);
 * interleave factors as the layout search tries them, with Megatron's rule that interleaving needs
 * the micro-batch count to be a multiple of pp; sp on and off with tp > 1 (off with tp = 1);
 * ZeRO stages 0-3 with dp > 1 (0 with dp = 1) — all four, since a higher stage that frees enough
 * memory to drop recomputation can be the faster layout (ZeRO-2 can save tens of GB); recompute none, selective, full — the lightest that fits for each combination
 * of the others (heavier recomputation only adds work, so a heavier one that fits is never faster);
 * the stage × recompute grid is pruned by memory monotonicity ({@link priceGrid}).
 * Ranked: fits in memory, then step time, then memory; with nothing fitting, the smallest shortfall.
 * Values a request gives are never changed. The estimate says what was chosen and why (`chosen_defaults`).
 */
import type { CostContext } from "../cost/contract.js";
import { XpusimError } from "../diagnostics/diagnostic.js";
import { checkLayout, type ChosenDefault, type TrainingEstimate, type TrainingRequest, trainingPricer } from "./estimate-training.js";
import type { EvaluateOptions } from "./evaluate-graph.js";
import { divisors, interleaveCandidates } from "./training/layout-candidates.js";
import { fmtBytes } from "../units/format-bytes.js";

/** The knobs this search chooses when a request leaves them unset. */
export type OpenKnob = "microbatch" | "interleave" | "sp" | "zero" | "recompute";

/** A training request whose micro-batch size, interleave factor, sp, ZeRO stage and recompute may be left unset. */
export type OpenTrainingRequest = Omit<TrainingRequest, OpenKnob> & Partial<Pick<TrainingRequest, OpenKnob>>;

type Knobs = Pick<TrainingRequest, "microbatch" | "interleave" | "sp">;
type Recompute = TrainingRequest["recompute"];

/** Recompute modes from the lightest (least extra work, most memory) to the heaviest. */
const RECOMPUTE_ORDER: readonly Recompute[] = ["none", "selective", "full"];

interface Candidates {
  microbatch: number[];
  interleave: number[];
  sp: boolean[];
  zero: number[];
  recompute: readonly Recompute[];
}

/** The values to try for each knob: the given value, else the candidates. */
function candidateKnobs(req: OpenTrainingRequest, layers: number): Candidates {
  const perReplica = req.global_batch / req.dp;
  return {
    microbatch: req.microbatch !== undefined ? [req.microbatch] : Number.isInteger(perReplica) ? divisors(perReplica) : [1],
    interleave: req.interleave !== undefined ? [req.interleave] : interleaveCandidates(layers, req.pp),
    sp: req.sp !== undefined ? [req.sp] : req.tp > 1 ? [true, false] : [false],
    zero: req.zero !== undefined ? [req.zero] : req.dp > 1 ? [0, 1, 2, 3] : [0],
    recompute: req.recompute !== undefined ? [req.recompute] : RECOMPUTE_ORDER,
  };
}

/** The (interleave, sp) pairs to try with one micro-batch size. */
function* layoutsWith(microbatch: number, c: Candidates, req: OpenTrainingRequest): Generator<Knobs> {
  const m = req.global_batch / (req.dp * microbatch);
  for (const interleave of c.interleave) {
    // Megatron interleaves only when the micro-batch count is a multiple of pp (schedules.py).
    if (req.interleave === undefined && interleave > 1 && m % req.pp !== 0) continue;
    for (const sp of c.sp) yield { microbatch, interleave, sp };
  }
}

/**
 * Step times closer than this fraction count as a tie, and a tie between ZeRO stages goes to the lower
 * one: a higher stage must win by more than noise (its extra collectives — ZeRO-2's reduce-scatter every
 * micro-batch, ZeRO-3's per-layer gathers, data-parallel-comm.ts — are priced, but a stack pays
 * bookkeeping for them that is not).
 */
const TIE_FRACTION = 0.005;

/**
 * Whether estimate a ranks before b: fitting first; then faster (less memory on an exact tie), except
 * that between ZeRO stages a near-tie (TIE_FRACTION) goes to the lower stage; without a fit, the
 * smaller shortfall.
 */
function ranksBefore(a: TrainingEstimate, b: TrainingEstimate | undefined): boolean {
  if (!b) return true;
  if (a.fits !== b.fits) return a.fits;
  if (!a.fits && a.shortfall_bytes !== b.shortfall_bytes) return a.shortfall_bytes < b.shortfall_bytes;
  const tie = Math.abs(a.step_time_s - b.step_time_s) <= TIE_FRACTION * Math.min(a.step_time_s, b.step_time_s);
  if (tie && a.layout.zero !== b.layout.zero) return a.layout.zero < b.layout.zero;
  return a.step_time_s < b.step_time_s || (a.step_time_s === b.step_time_s && a.memory_per_chip_bytes < b.memory_per_chip_bytes);
}

/** The best of a search over the candidates: how many layouts were priced, and the best estimate. */
interface SearchOutcome {
  best: TrainingEstimate | undefined;
  tried: number;
}

/**
 * Prices one (micro-batch, interleave, sp)'s grid of ZeRO stages × recompute modes, pruned by two
 * monotonicities: memory never grows with a higher stage or a heavier recompute, and a heavier
 * recompute never shortens the step at the same stage. Recompute runs from the lightest; at each,
 * stages run from the highest down until one does not fit (a lower one holds more), and only the
 * stages below those that already fit with a lighter recompute are tried (there the lighter one is
 * at least as fast). Every stage that fits is priced: the step time is not monotone in the stage
 * (ZeRO-1/2 swap the all-reduce for a reduce-scatter and an all-gather, overlapped differently).
 */
function priceGrid(layout: OpenTrainingRequest & Knobs, c: Candidates, price: (l: TrainingRequest) => TrainingEstimate | undefined, visit: (e: TrainingEstimate) => void): void {
  let fitFrom = c.zero.length; // c.zero ascending: the stages from this index up fit with a lighter recompute
  for (const recompute of c.recompute) {
    let lowest = fitFrom;
    for (let i = fitFrom - 1; i >= 0; i--) {
      const e = price({ ...layout, zero: c.zero[i]!, recompute });
      if (!e) continue;
      visit(e);
      if (!e.fits) break;
      lowest = i;
    }
    fitFrom = lowest;
    if (fitFrom === 0) return;
  }
}

/** Prices the candidates, micro-batch sizes ascending, and keeps the best. */
function searchCandidates(req: OpenTrainingRequest, c: Candidates, price: (l: TrainingRequest) => TrainingEstimate | undefined): SearchOutcome {
  let best: TrainingEstimate | undefined;
  let tried = 0;
  for (const microbatch of c.microbatch) {
    let fits = false;
    let priced = false;
    for (const knobs of layoutsWith(microbatch, c, req)) {
      priceGrid({ ...req, ...knobs }, c, price, (e) => {
        tried++;
        priced = true;
        fits ||= e.fits;
        if (ranksBefore(e, best)) best = e;
      });
    }
    // Memory grows with the micro-batch (activations ∝ microbatch · min(m, pp)): past the first size
    // that does not fit, none will.
    if (priced && !fits) break;
  }
  return { best, tried };
}

/** The estimate of a request, with its unset micro-batch size, interleave factor, sp, ZeRO stage and recompute chosen as the best feasible. */
export function estimateTrainingWithDefaults(req: OpenTrainingRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingEstimate {
  const pricer = trainingPricer(req, ctx, opts);
  if (req.microbatch !== undefined && req.interleave !== undefined && req.sp !== undefined && req.zero !== undefined && req.recompute !== undefined) return pricer.estimate(req as TrainingRequest);
  const shape = pricer.structure();
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
  const candidates = candidateKnobs(req, shape.layers);
  const { best, tried } = searchCandidates(req, candidates, price);
  // No candidate prices: the plain defaults, whose error (a layout that cannot work) is the answer.
  const chosen = best ?? pricer.estimate({ ...req, microbatch: req.microbatch ?? 1, interleave: req.interleave ?? 1, sp: req.sp ?? req.tp > 1, zero: req.zero ?? 0, recompute: req.recompute ?? "none" });
  const lighter = req.recompute === undefined && best ? lighterRecompute(req, chosen, price) : [];
  return { ...chosen, chosen_defaults: [...(chosen.chosen_defaults ?? []), ...explain(req, chosen, { candidates, tried, lighter })] };
}

/** The chosen layout with each lighter recompute mode: why it was not taken (it does not fit). */
function lighterRecompute(req: OpenTrainingRequest, e: TrainingEstimate, price: (l: TrainingRequest) => TrainingEstimate | undefined): string[] {
  const out: string[] = [];
  const { microbatch, interleave, sp, zero } = e.layout;
  for (const recompute of RECOMPUTE_ORDER.slice(0, RECOMPUTE_ORDER.indexOf(e.layout.recompute as Recompute))) {
    const l = price({ ...req, microbatch, interleave, sp, zero, recompute });
    if (l && !l.fits) out.push(`${recompute} does not fit (${gb(l.memory_per_chip_bytes)} of ${gb(l.memory_capacity_bytes)} per chip)`);
  }
  return out;
}

const gb = (bytes: number) => `${fmtBytes(bytes)}`;

/** One entry per knob the request left unset: the value chosen and why. */
function explain(req: OpenTrainingRequest, e: TrainingEstimate, how: { candidates: Candidates; tried: number; lighter: string[] }): ChosenDefault[] {
  const { candidates: c, tried } = how;
  const why = tried === 0 ? "no candidate could be priced: the plain default" : e.fits ? `the fastest layout that fits of ${tried} tried` : `nothing fits in memory: the closest to fitting of ${tried} tried`;
  const out: ChosenDefault[] = [];
  if (req.microbatch === undefined) {
    out.push({ field: "microbatch", value: e.layout.microbatch, why: `unset: ${why} (micro-batch sizes: the divisors of the ${req.global_batch / req.dp} samples per data-parallel replica, up to the first that does not fit)` });
  }
  // Interleaving without pp, sp without tp and ZeRO without dp are not choices: left out.
  if (req.interleave === undefined && req.pp > 1) out.push({ field: "interleave", value: e.layout.interleave, why: `unset: ${why} (interleave factors ${c.interleave.join(", ")} on pp = ${req.pp})` });
  if (req.sp === undefined && req.tp > 1) out.push({ field: "sp", value: e.layout.sp, why: `unset: ${why} (sequence parallelism on and off, tp = ${req.tp})` });
  if (req.zero === undefined && req.dp > 1) out.push({ field: "zero", value: e.layout.zero, why: `unset: ${why} (ZeRO stages 0-3, dp = ${req.dp})` });
  if (req.recompute === undefined) {
    const lighter = how.lighter.length ? `; ${how.lighter.join(", ")}` : "";
    out.push({ field: "recompute", value: e.layout.recompute, why: `unset: ${why} (none, selective, full: the lightest that fits${lighter})` });
  }
  return out;
}
