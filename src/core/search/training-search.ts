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
import { checkLayout, type TrainingEstimate, type TrainingRequest, type TrainingWorkload, trainingPricer } from "../estimate/estimate-training.js";
import type { EvaluateOptions } from "../estimate/evaluate-graph.js";
import { contextParallelProblem } from "../parallel/context-parallel.js";
import { expertCount, expertParallelProblem } from "../parallel/expert-parallel.js";

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
  /** Expert-parallel degrees tried (default: the divisors of the routed experts; [1] for dense models). */
  ep_options?: readonly number[];
  /** Context-parallel degrees tried (default: 1, and 2/4/8 while s/cp ≥ 4,096 tokens). */
  cp_options?: readonly number[];
}

export interface Rejection {
  reason: string;
  count: number;
  /** Up to three layouts (or degrees) with this reason, with the specific message. */
  examples: string[];
}

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

/** Divisors of n in ascending order. */
export function divisors(n: number): number[] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    lo.push(d);
    if (d * d !== n) hi.push(n / d);
  }
  return lo.concat(hi.reverse());
}

const RECOMPUTE: ReadonlyArray<TrainingRequest["recompute"]> = ["none", "selective", "full"];

/** Tokens per rank below which the search does not try context parallelism. */
export const MIN_CP_TOKENS_PER_RANK = 4096;

/** Default context-parallel degrees for a sequence length: 1, then 2, 4, 8 while s/cp ≥ 4,096 and 2·cp divides s. */
export function defaultCpOptions(seq: number): number[] {
  return [1, 2, 4, 8].filter((c) => c === 1 || (seq % (2 * c) === 0 && seq / c >= MIN_CP_TOKENS_PER_RANK));
}

/**
 * Interleave factors worth trying on pp stages: the divisors of layers/pp (each chunk the same
 * size), else small factors that leave every chunk a layer; [1] without pipeline parallelism.
 */
export function interleaveCandidates(layers: number, pp: number): number[] {
  if (pp <= 1 || layers === 0) return [1];
  return layers % pp === 0 ? divisors(layers / pp) : [1, 2, 3, 4, 6, 8].filter((v) => pp * v <= layers);
}

/** A compact layout label: tp8·pp2·dp1024 mb1 v3 z1 sel (with ·cpN and epN when above 1). */
export function layoutLabel(l: { tp: number; pp: number; dp: number; ep?: number; cp?: number; microbatch: number; interleave?: number; zero: number; recompute: string }): string {
  const cp = l.cp && l.cp > 1 ? `·cp${l.cp}` : "";
  const ep = l.ep && l.ep > 1 ? ` ep${l.ep}` : "";
  return `tp${l.tp}${cp}·pp${l.pp}·dp${l.dp}${ep} mb${l.microbatch} v${l.interleave ?? 1} z${l.zero} ${l.recompute}`;
}

export function searchTrainingLayouts(req: TrainingSearchRequest, ctx: CostContext, opts: EvaluateOptions = {}): TrainingSearchResult {
  const pricer = trainingPricer(req, ctx, opts);
  const shape = pricer.structure();
  const rankBy = req.rank_by ?? "time";
  const usdPerHour = req.usd_per_chip_hour ?? ctx.chip.cost.cloud_usd_per_hour;
  const notes: string[] = [];
  const rejections = new Map<string, Rejection>();
  const reject = (reason: string, example: string, n = 1) => {
    let r = rejections.get(reason);
    if (!r) {
      r = { reason, count: 0, examples: [] };
      rejections.set(reason, r);
    }
    r.count += n;
    if (r.examples.length < 3) r.examples.push(example);
  };
  const chips = req.chips;
  if (!Number.isInteger(chips) || chips < 1) throw new XpusimError(error("E_RANGE", "chips", `chip count must be a positive integer, got ${String(chips)}`));
  if (!Number.isInteger(req.global_batch) || req.global_batch < 1) {
    throw new XpusimError(error("E_RANGE", "global_batch", `global batch must be a positive integer, got ${String(req.global_batch)}`));
  }
  if (chips > 1 && !req.system) throw new XpusimError(error("E_SCHEMA", "system", `${chips} chips need a system to price communication`, { hint: "name a catalog system (`xpusim collective --list`)" }));

  const domain = req.system ? req.system.scale_up.domain_size : 1;
  const layers = shape.layers;
  const transformer = layers > 0;
  const tpCandidates = transformer && shape.heads !== undefined ? divisors(shape.heads) : [1];
  // Stages need not divide the layers (the slowest holds ceil(L/pp)); try the divisors and powers of two.
  const ppCandidates = transformer ? [...new Set([...divisors(layers), ...Array.from({ length: 12 }, (_, i) => 2 ** i)])].filter((p) => p <= layers).sort((a, b) => a - b) : [1];
  const mbCap = req.max_microbatch ?? 16;
  const vCap = req.max_interleave ?? Infinity;
  const zeros = req.zero_options ?? [0, 1, 2, 3];
  const recomputes = req.recompute_options ?? RECOMPUTE;
  const experts = expertCount(req.model);
  const epCandidates = transformer ? (req.ep_options ?? (experts > 0 ? divisors(experts) : [1])) : [1];
  const cpCandidates = transformer ? (req.cp_options ?? defaultCpOptions(req.seq_len)) : [1];
  if (!transformer) notes.push("not a transformer: data parallelism only");

  const feasible: TrainingEstimate[] = [];
  let closest: TrainingEstimate | undefined;
  let evaluated = 0;
  const base = {
    model: req.model,
    precision: req.precision,
    seq_len: req.seq_len,
    global_batch: req.global_batch,
    chips,
    ep: 1,
    cp: 1,
    ...(req.image_size ? { image_size: req.image_size } : {}),
    ...(req.flash_attention !== undefined ? { flash_attention: req.flash_attention } : {}),
    ...(req.dropout !== undefined ? { dropout: req.dropout } : {}),
    ...(req.overlap_grad_reduce !== undefined ? { overlap_grad_reduce: req.overlap_grad_reduce } : {}),
    ...(req.grad_bucket_bytes !== undefined ? { grad_bucket_bytes: req.grad_bucket_bytes } : {}),
    ...(req.system ? { system: req.system } : {}),
    ...(req.tokens !== undefined ? { tokens: req.tokens } : {}),
    ...(req.usd_per_chip_hour !== undefined ? { usd_per_chip_hour: req.usd_per_chip_hour } : {}),
  };

  for (const tp of tpCandidates) {
    if (tp > domain && tp > 1) {
      reject("tp exceeds the scale-up domain", `tp=${tp} > ${domain} chips per scale-up domain`);
      continue;
    }
    if (chips % tp !== 0) {
      reject("parallel degrees do not divide the chip count", `tp=${tp} does not divide ${chips} chips`);
      continue;
    }
    if (shape.kv_heads !== undefined && tp > 1 && shape.kv_heads % tp !== 0 && tp % shape.kv_heads !== 0) {
      reject("tp and the KV heads neither divide each other", `tp=${tp}, ${shape.kv_heads} KV heads`);
      continue;
    }
    for (const cp of cpCandidates) {
      if (cp > 1) {
        const problem = contextParallelProblem(req.seq_len, cp);
        if (problem) {
          reject("parallelism.cp", `cp=${cp}: ${problem.message}`);
          continue;
        }
      }
      for (const pp of ppCandidates) {
        if (chips % (tp * cp * pp) !== 0) {
          reject("parallel degrees do not divide the chip count", `tp·cp·pp = ${tp}·${cp}·${pp} does not divide ${chips} chips`);
          continue;
        }
        const dp = chips / (tp * cp * pp);
        if (req.global_batch % dp !== 0) {
          reject("global batch not divisible by dp", `tp${tp}·cp${cp}·pp${pp}: global batch ${req.global_batch} is not divisible by dp=${dp}`);
          continue;
        }
        for (const ep of epCandidates) {
          if (ep > 1 && dp % ep !== 0) {
            reject("ep does not divide dp", `tp${tp}·cp${cp}·pp${pp}·dp${dp}: ep=${ep} does not divide dp (experts are split inside the data-parallel dimension)`);
            continue;
          }
          if (ep > 1) {
            const problem = expertParallelProblem(experts, ep, shape.model);
            if (problem) {
              reject("parallelism.ep", `ep=${ep}: ${problem.message}`);
              continue;
            }
          }
          const perReplica = req.global_batch / dp;
          const mbs = divisors(perReplica).filter((b) => b <= mbCap);
          const vs = interleaveCandidates(layers, pp).filter((v) => v <= vCap);
          for (const microbatch of mbs) {
            const m = perReplica / microbatch;
            for (const v of vs) {
              if (v > 1 && m % pp !== 0) {
                reject("interleaving needs the micro-batch count to be a multiple of pp", `tp${tp}·pp${pp}·dp${dp} mb${microbatch} v${v}: ${m} micro-batches, pp=${pp}`, zeros.length * recomputes.length);
                continue;
              }
              for (const zero of zeros) {
                if (zero > 0 && dp === 1) {
                  reject("ZeRO needs dp > 1", `tp${tp}·pp${pp}·dp1 mb${microbatch} v${v} z${zero}`, recomputes.length);
                  continue;
                }
                if (zero >= 2 && pp > 1) {
                  reject("ZeRO-2/3 with pipeline parallelism", `tp${tp}·pp${pp}·dp${dp} mb${microbatch} v${v} z${zero}: gradients accumulated over micro-batches cannot be sharded (DeepSpeed refuses the combination)`, recomputes.length);
                  continue;
                }
                for (const recompute of recomputes) {
                  const layout: TrainingRequest = { ...base, tp, pp, dp, ep, cp, microbatch, interleave: v, zero, recompute, sp: tp > 1 };
                  const label = layoutLabel(layout);
                  const problems = checkLayout(layout, layers, shape.heads, shape.kv_heads);
                  if (problems.length) {
                    reject(problems[0]!.path, `${label}: ${problems.map((p) => p.message).join("; ")}`);
                    continue;
                  }
                  let e: TrainingEstimate;
                  try {
                    e = pricer.estimate(layout);
                  } catch (err) {
                    if (!(err instanceof XpusimError)) throw err;
                    const d = err.diagnostics[0];
                    reject(/cannot be placed/.test(d?.message ?? "") ? "cannot be placed on the system" : d?.code === "E_UNSUPPORTED" ? `cannot be priced: ${d.message}` : d?.path || "error", `${label}: ${d?.message ?? String(err)}`);
                    continue;
                  }
                  evaluated++;
                  if (!Number.isFinite(e.step_time_s) || e.step_time_s <= 0) {
                    reject("could not be priced", `${label}: step time ${String(e.step_time_s)}`);
                    continue;
                  }
                  if (e.fits) feasible.push(e);
                  else {
                    reject("does not fit in memory", `${label}: needs ${(e.memory_per_chip_bytes / 1e9).toFixed(1)} GB of ${(e.memory_capacity_bytes / 1e9).toFixed(1)} GB`);
                    if (!closest || e.shortfall_bytes < closest.shortfall_bytes || (e.shortfall_bytes === closest.shortfall_bytes && e.step_time_s < closest.step_time_s)) closest = e;
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  let by = rankBy;
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
    model: shape.model,
    chip: ctx.chip.id,
    chips,
    ...(req.system && chips > 1 ? { system: req.system.id } : {}),
    global_batch: req.global_batch,
    seq_len: req.seq_len,
    rank_by: by,
    evaluated,
    feasible: feasible.length,
    top,
    ...(top[0] ? { best: top[0] } : {}),
    ...(!feasible.length && closest ? { closest } : {}),
    rejections: [...rejections.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    notes,
  };
  if (!feasible.length) {
    res.infeasible_reason = closest
      ? `no layout fits: the closest (${layoutLabel(closest.layout)}) needs ${(closest.memory_per_chip_bytes / 1e9).toFixed(1)} GB per chip of ${(closest.memory_capacity_bytes / 1e9).toFixed(1)} GB (short by ${(closest.shortfall_bytes / 1e9).toFixed(1)} GB)`
      : "no layout could be priced: see the rejections";
    notes.push(res.infeasible_reason);
  }
  return res;
}

function compareLayouts(a: TrainingEstimate["layout"], b: TrainingEstimate["layout"]): number {
  const rc = (r: string) => (r === "none" ? 0 : r === "selective" ? 1 : 2);
  return a.tp - b.tp || a.cp - b.cp || a.pp - b.pp || a.ep - b.ep || a.microbatch - b.microbatch || a.interleave - b.interleave || a.zero - b.zero || rc(a.recompute) - rc(b.recompute);
}
