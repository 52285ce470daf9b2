/**
 * Layout search for training: enumerates the Megatron layouts (tp, cp, pp, dp, ep, microbatch, interleave,
 * ZeRO, recompute; sp on whenever tp > 1) of a model on a chip count and global batch,
 * prices each with one shared {@link trainingPricer} (the sharded blocks are priced once per
 * (microbatch, tp); a layout is arithmetic), and ranks the ones that fit by step time or cost.
 *
 * Candidates: tp over the divisors of the attention heads up to the scale-up domain, pp over the
 * divisors of the layers, cp over 2, 4, 8 for long sequences (s/cp ≥ 4,096 tokens per rank, s divisible
 * by 2·cp), dp = chips / (tp·cp·pp), ep over the divisors of the routed experts that divide dp (MoE
 * models only; ep inside the data-parallel dimension), microbatch over the divisors of the per-replica
 * batch up to a cap, interleave over the divisors of layers/pp (with Megatron's rule that the
 * micro-batch count be a multiple of pp when interleaving: megatron/core/pipeline_parallel/schedules.py),
 * ZeRO 0-3 (1-3 only with dp > 1; 2-3 only with pp = 1, as DeepSpeed's pipeline engine requires:
 * deepspeed/runtime/pipe/engine.py asserts zero stage < 2), recompute none / selective / full.
 *
 * Everything rejected is counted by reason with a few examples; layouts that do not fit in memory
 * are priced results with `fits: false` and their shortfall. With no feasible layout the search
 * returns the one that comes closest (smallest memory shortfall). Pure and deterministic.
 */
import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { checkLayout, type TrainingEstimate, type TrainingPricer, type TrainingRequest, type TrainingStructure, type TrainingWorkload, trainingPricer } from "../estimate/estimate-training.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import { contextParallelProblem } from "../parallel/context-parallel.js";
import { expertCount, expertParallelProblem } from "../parallel/expert-parallel.js";
import { type Rejection, RejectionTally } from "./rejection-tally.js";
import { fmtBytes } from "../units/format-bytes.js";
import { divisors, interleaveCandidates } from "../estimate/training/layout-candidates.js";

export { divisors, interleaveCandidates };

export interface TrainingSearchRequest extends TrainingWorkload {
  chips: number;
  global_batch: number;
  recompute_options?: ReadonlyArray<TrainingRequest["recompute"]>;
  zero_options?: readonly number[];
  /** Largest micro-batch tried (default 16). */
  max_microbatch?: number;
  /** Largest interleave factor tried (default: no limit beyond layers/pp). */
  max_interleave?: number;
  /** Layouts returned, best first (default 10; Infinity for all). */
  top?: number;
  rank_by?: "time" | "cost";
  tokens?: number;
  usd_per_chip_hour?: number;
  overlap_grad_reduce?: boolean;
  /** Gradient bucket size for the overlapped reduction, bytes (default 25 MB). */
  grad_bucket_bytes?: number;
  /** ZeRO-3 / FSDP layers prefetched ahead of the compute (default 1). */
  zero_prefetch_layers?: number;
  /** ZeRO-3 under full recompute: regather for the backward (DeepSpeed; default false). */
  zero_recompute_regather?: boolean;
  /** ZeRO-1/2 post-step all-gather overlapped with the next forward (default: as overlap_grad_reduce). */
  overlap_param_gather?: boolean;
  /** Expert-parallel degrees tried (default: the divisors of the routed experts; [1] for dense models). */
  ep_options?: readonly number[];
  /** Context-parallel degrees tried (default: 1, and 2/4/8 while s/cp ≥ 4,096 tokens). */
  cp_options?: readonly number[];
}

export type { Rejection } from "./rejection-tally.js";

export interface TrainingSearchResult {
  model: string;
  chip: string;
  chips: number;
  system?: string;
  global_batch: number;
  seq_len: number;
  rank_by: "time" | "cost";
  /** Layouts priced (fitting or not). */
  evaluated: number;
  feasible: number;
  /** Best first; only layouts that fit. */
  top: TrainingEstimate[];
  best?: TrainingEstimate;
  /** With no feasible layout: the priced layout with the smallest memory shortfall. */
  closest?: TrainingEstimate;
  rejections: Rejection[];
  notes: string[];
  /** With no feasible layout: why (the closest layout and its shortfall, or that none could be priced); also the last note. */
  infeasible_reason?: string;
}

const RECOMPUTE: ReadonlyArray<TrainingRequest["recompute"]> = ["none", "selective", "full"];

/** Tokens per rank below which the search does not try context parallelism. */
export const MIN_CP_TOKENS_PER_RANK = 4096;

/** Default context-parallel degrees for a sequence length: 1, then 2, 4, 8 while s/cp ≥ 4,096 and 2·cp divides s. */
export function defaultCpOptions(seq: number): number[] {
  return [1, 2, 4, 8].filter((c) => c === 1 || (seq % (2 * c) === 0 && seq / c >= MIN_CP_TOKENS_PER_RANK));
}


/** A compact layout label: tp8·pp2·dp1024 mb1 v3 z1 sel (with ·cpN and epN when above 1). */
export function layoutLabel(l: { tp: number; pp: number; dp: number; ep?: number; cp?: number; microbatch: number; interleave?: number; zero: number; recompute: string }): string {
  const cp = l.cp && l.cp > 1 ? `·cp${l.cp}` : "";
  const ep = l.ep && l.ep > 1 ? ` ep${l.ep}` : "";
  return `tp${l.tp}${cp}·pp${l.pp}·dp${l.dp}${ep} mb${l.microbatch} v${l.interleave ?? 1} z${l.zero} ${l.recompute}`;
}

/** The candidate degrees and per-layout options a search enumerates. */
interface SearchSpace {
  /** Chips per scale-up domain (tp may not exceed it). */
  domain: number;
  layers: number;
  experts: number;
  tp: readonly number[];
  cp: readonly number[];
  pp: readonly number[];
  ep: readonly number[];
  mbCap: number;
  vCap: number;
  zeros: readonly number[];
  recomputes: ReadonlyArray<TrainingRequest["recompute"]>;
}

/** One search in progress: the shared pricer, the fields every layout shares, and what was found. */
interface SearchRun {
  req: TrainingSearchRequest;
  pricer: TrainingPricer;
  shape: TrainingStructure;
  space: SearchSpace;
  /** Request fields common to every layout (the workload, chips, system, budget). */
  base: Omit<TrainingRequest, "tp" | "pp" | "dp" | "microbatch" | "interleave" | "zero" | "recompute" | "sp">;
  tally: RejectionTally;
  feasible: TrainingEstimate[];
  closest?: TrainingEstimate;
  evaluated: number;
}

export function searchTrainingLayouts(req: TrainingSearchRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingSearchResult {
  checkSearchRequest(req);
  const pricer = trainingPricer(req, ctx, opts);
  const shape = pricer.structure();
  const space = searchSpace(req, shape);
  const run: SearchRun = { req, pricer, shape, space, base: sharedLayoutFields(req), tally: new RejectionTally(), feasible: [], evaluated: 0 };
  const notes: string[] = [];
  if (space.layers === 0) notes.push("not a transformer: data parallelism only");
  for (const tp of space.tp) {
    if (tensorParallelUsable(run, tp)) searchContextParallel(run, tp);
  }
  return rankedResult(run, ctx, notes);
}

function checkSearchRequest(req: TrainingSearchRequest): void {
  const chips = req.chips;
  if (!Number.isInteger(chips) || chips < 1) throw new XpusimError(error("E_RANGE", "chips", `chip count must be a positive integer, got ${String(chips)}`));
  if (!Number.isInteger(req.global_batch) || req.global_batch < 1) {
    throw new XpusimError(error("E_RANGE", "global_batch", `global batch must be a positive integer, got ${String(req.global_batch)}`));
  }
  if (chips > 1 && !req.system) throw new XpusimError(error("E_SCHEMA", "system", `${chips} chips need a system to price communication`, { hint: "name a catalog system (`xpusim collective --list`)" }));
}

/** Candidates of every dimension (see the module comment); a model without layers gets data parallelism only. */
function searchSpace(req: TrainingSearchRequest, shape: TrainingStructure): SearchSpace {
  const layers = shape.layers;
  const transformer = layers > 0;
  const experts = expertCount(req.model);
  // Stages need not divide the layers (the slowest holds ceil(L/pp)); try the divisors and powers of two.
  const pp = transformer ? [...new Set([...divisors(layers), ...Array.from({ length: 12 }, (_, i) => 2 ** i)])].filter((p) => p <= layers).sort((a, b) => a - b) : [1];
  return {
    domain: req.system ? req.system.scale_up.domain_size : 1,
    layers,
    experts,
    tp: transformer && shape.heads !== undefined ? divisors(shape.heads) : [1],
    cp: transformer ? (req.cp_options ?? defaultCpOptions(req.seq_len)) : [1],
    pp,
    ep: transformer ? (req.ep_options ?? (experts > 0 ? divisors(experts) : [1])) : [1],
    mbCap: req.max_microbatch ?? 16,
    vCap: req.max_interleave ?? Infinity,
    zeros: req.zero_options ?? [0, 1, 2, 3],
    recomputes: req.recompute_options ?? RECOMPUTE,
  };
}

function sharedLayoutFields(req: TrainingSearchRequest): SearchRun["base"] {
  return {
    model: req.model,
    precision: req.precision,
    seq_len: req.seq_len,
    global_batch: req.global_batch,
    chips: req.chips,
    ep: 1,
    cp: 1,
    ...(req.image_size ? { image_size: req.image_size } : {}),
    ...(req.flash_attention !== undefined ? { flash_attention: req.flash_attention } : {}),
    ...(req.dropout !== undefined ? { dropout: req.dropout } : {}),
    ...(req.overlap_grad_reduce !== undefined ? { overlap_grad_reduce: req.overlap_grad_reduce } : {}),
    ...(req.grad_bucket_bytes !== undefined ? { grad_bucket_bytes: req.grad_bucket_bytes } : {}),
    ...(req.zero_prefetch_layers !== undefined ? { zero_prefetch_layers: req.zero_prefetch_layers } : {}),
    ...(req.zero_recompute_regather !== undefined ? { zero_recompute_regather: req.zero_recompute_regather } : {}),
    ...(req.overlap_param_gather !== undefined ? { overlap_param_gather: req.overlap_param_gather } : {}),
    ...(req.system ? { system: req.system } : {}),
    ...(req.tokens !== undefined ? { tokens: req.tokens } : {}),
    ...(req.usd_per_chip_hour !== undefined ? { usd_per_chip_hour: req.usd_per_chip_hour } : {}),
  };
}

/** Whether tp fits the scale-up domain, divides the chips and matches the KV heads (else rejected with the reason). */
function tensorParallelUsable(run: SearchRun, tp: number): boolean {
  const { chips } = run.req;
  const { domain } = run.space;
  const kvHeads = run.shape.kv_heads;
  if (tp > domain && tp > 1) run.tally.reject("tp exceeds the scale-up domain", `tp=${tp} > ${domain} chips per scale-up domain`);
  else if (chips % tp !== 0) run.tally.reject("parallel degrees do not divide the chip count", `tp=${tp} does not divide ${chips} chips`);
  else if (kvHeads !== undefined && tp > 1 && kvHeads % tp !== 0 && tp % kvHeads !== 0) run.tally.reject("tp and the KV heads neither divide each other", `tp=${tp}, ${kvHeads} KV heads`);
  else return true;
  return false;
}

function searchContextParallel(run: SearchRun, tp: number): void {
  const { chips, global_batch } = run.req;
  for (const cp of run.space.cp) {
    if (cp > 1) {
      const problem = contextParallelProblem(run.req.seq_len, cp);
      if (problem) {
        run.tally.reject("parallelism.cp", `cp=${cp}: ${problem.message}`);
        continue;
      }
    }
    for (const pp of run.space.pp) {
      if (chips % (tp * cp * pp) !== 0) {
        run.tally.reject("parallel degrees do not divide the chip count", `tp·cp·pp = ${tp}·${cp}·${pp} does not divide ${chips} chips`);
        continue;
      }
      const dp = chips / (tp * cp * pp);
      if (global_batch % dp !== 0) {
        run.tally.reject("global batch not divisible by dp", `tp${tp}·cp${cp}·pp${pp}: global batch ${global_batch} is not divisible by dp=${dp}`);
        continue;
      }
      for (const ep of run.space.ep) {
        if (expertParallelUsable(run, tp, cp, pp, dp, ep)) searchPlacement(run, tp, cp, pp, dp, ep);
      }
    }
  }
}

/** Whether ep divides dp and the routed experts (always true for ep = 1). */
function expertParallelUsable(run: SearchRun, tp: number, cp: number, pp: number, dp: number, ep: number): boolean {
  if (ep <= 1) return true;
  if (dp % ep !== 0) {
    run.tally.reject("ep does not divide dp", `tp${tp}·cp${cp}·pp${pp}·dp${dp}: ep=${ep} does not divide dp (experts are split inside the data-parallel dimension)`);
    return false;
  }
  const problem = expertParallelProblem(run.space.experts, ep, run.shape.model);
  if (problem) {
    run.tally.reject("parallelism.ep", `ep=${ep}: ${problem.message}`);
    return false;
  }
  return true;
}

/** Every micro-batch, interleave, ZeRO stage and recompute mode of one (tp, cp, pp, dp, ep) placement. */
function searchPlacement(run: SearchRun, tp: number, cp: number, pp: number, dp: number, ep: number): void {
  const { zeros, recomputes } = run.space;
  const perReplica = run.req.global_batch / dp;
  const mbs = divisors(perReplica).filter((b) => b <= run.space.mbCap);
  const vs = interleaveCandidates(run.space.layers, pp).filter((v) => v <= run.space.vCap);
  for (const microbatch of mbs) {
    const m = perReplica / microbatch;
    for (const v of vs) {
      if (v > 1 && m % pp !== 0) {
        run.tally.reject("interleaving needs the micro-batch count to be a multiple of pp", `tp${tp}·pp${pp}·dp${dp} mb${microbatch} v${v}: ${m} micro-batches, pp=${pp}`, zeros.length * recomputes.length);
        continue;
      }
      for (const zero of zeros) {
        if (zero > 0 && dp === 1) {
          run.tally.reject("ZeRO needs dp > 1", `tp${tp}·pp${pp}·dp1 mb${microbatch} v${v} z${zero}`, recomputes.length);
          continue;
        }
        if (zero >= 2 && pp > 1) {
          run.tally.reject("ZeRO-2/3 with pipeline parallelism", `tp${tp}·pp${pp}·dp${dp} mb${microbatch} v${v} z${zero}: gradients accumulated over micro-batches cannot be sharded (DeepSpeed refuses the combination)`, recomputes.length);
          continue;
        }
        for (const recompute of recomputes) {
          priceLayout(run, { ...run.base, tp, pp, dp, ep, cp, microbatch, interleave: v, zero, recompute, sp: tp > 1 });
        }
      }
    }
  }
}

/** Checks and prices one layout: a fitting one joins the feasible list, one that does not fit may become the closest. */
function priceLayout(run: SearchRun, layout: TrainingRequest): void {
  const label = layoutLabel(layout);
  const problems = checkLayout(layout, run.space.layers, run.shape.heads, run.shape.kv_heads);
  if (problems.length) {
    run.tally.reject(problems[0]!.path, `${label}: ${problems.map((p) => p.message).join("; ")}`);
    return;
  }
  let e: TrainingEstimate;
  try {
    e = run.pricer.estimate(layout);
  } catch (err) {
    if (!(err instanceof XpusimError)) throw err;
    const d = err.diagnostics[0];
    run.tally.reject(/cannot be placed/.test(d?.message ?? "") ? "cannot be placed on the system" : d?.code === "E_UNSUPPORTED" ? `cannot be priced: ${d.message}` : d?.path || "error", `${label}: ${d?.message ?? String(err)}`);
    return;
  }
  run.evaluated++;
  if (!Number.isFinite(e.step_time_s) || e.step_time_s <= 0) {
    run.tally.reject("could not be priced", `${label}: step time ${String(e.step_time_s)}`);
    return;
  }
  if (e.fits) {
    run.feasible.push(e);
    return;
  }
  run.tally.reject("does not fit in memory", `${label}: needs ${fmtBytes(e.memory_per_chip_bytes)} of ${fmtBytes(e.memory_capacity_bytes)}`);
  const c = run.closest;
  if (!c || e.shortfall_bytes < c.shortfall_bytes || (e.shortfall_bytes === c.shortfall_bytes && e.step_time_s < c.step_time_s)) run.closest = e;
}

/** Sorts the feasible layouts by step time or cost and assembles the result (with the closest when none fits). */
function rankedResult(run: SearchRun, ctx: CostContext, notes: string[]): TrainingSearchResult {
  const { req, feasible, closest } = run;
  const chips = req.chips;
  const usdPerHour = req.usd_per_chip_hour ?? ctx.chip.cost.cloud_usd_per_hour;
  let by = req.rank_by ?? "time";
  if (by === "cost" && usdPerHour === undefined) {
    notes.push(`${ctx.chip.id} has no cloud price (give usd_per_chip_hour): ranked by step time`);
    by = "time";
  }
  // Cost of a step: chips × step time × $/chip-hour. With a fixed chip count it orders as step time,
  // so ties are broken the same way; it differs across chip counts (scale).
  const key = (e: TrainingEstimate) => (by === "cost" ? (e.step_time_s * chips * usdPerHour!) / 3600 : e.step_time_s);
  feasible.sort((a, b) => key(a) - key(b) || a.memory_per_chip_bytes - b.memory_per_chip_bytes || compareLayouts(a.layout, b.layout));
  const top = feasible.slice(0, Math.max(0, Math.min(feasible.length, req.top ?? 10)));
  const res: TrainingSearchResult = {
    model: run.shape.model,
    chip: ctx.chip.id,
    chips,
    ...(req.system && chips > 1 ? { system: req.system.id } : {}),
    global_batch: req.global_batch,
    seq_len: req.seq_len,
    rank_by: by,
    evaluated: run.evaluated,
    feasible: feasible.length,
    top,
    ...(top[0] ? { best: top[0] } : {}),
    ...(!feasible.length && closest ? { closest } : {}),
    rejections: run.tally.sorted(),
    notes,
  };
  if (!feasible.length) {
    res.infeasible_reason = noFitNote(closest);
    notes.push(res.infeasible_reason);
  }
  return res;
}

function noFitNote(closest: TrainingEstimate | undefined): string {
  return closest
    ? `no layout fits: the closest (${layoutLabel(closest.layout)}) needs ${fmtBytes(closest.memory_per_chip_bytes)} per chip of ${fmtBytes(closest.memory_capacity_bytes)} (short by ${fmtBytes(closest.shortfall_bytes)})`
    : "no layout could be priced: see the rejections";
}

function compareLayouts(a: TrainingEstimate["layout"], b: TrainingEstimate["layout"]): number {
  const rc = (r: string) => (r === "none" ? 0 : r === "selective" ? 1 : 2);
  return a.tp - b.tp || a.cp - b.cp || a.pp - b.pp || a.ep - b.ep || a.microbatch - b.microbatch || a.interleave - b.interleave || a.zero - b.zero || rc(a.recompute) - rc(b.recompute);
}
