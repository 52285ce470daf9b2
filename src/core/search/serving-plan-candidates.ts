import { XpusimError } from "../diagnostics/diagnostic.js";
import { estimateInference, type InferenceEstimate, kvShareTp, weightsPerChipBytes } from "../estimate/estimate-inference.js";
import { type ExecutionPrecision, resolveExecutionPrecision } from "../estimate/execution-precision.js";
import type { System } from "../network/build-system.js";
import { expertCount, routedExpertParams } from "../parallel/expert-parallel.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { kvCacheBytes } from "../workload/build-workload.js";
import { formatPrecision, parsePrecision, type Precision } from "../workload/precision.js";
import { sloMiss } from "./serving-plan-slo.js";
import type { PlanCandidate, PlanCandidateChip, PlanRejection, ServingPlanRequest } from "./serving-plan-types.js";
import { fmtBytes } from "../units/format-bytes.js";

/** Share of the TPOT SLO a batch's analytic decode step may use (room for prefill interference). */
const HEADROOM = 0.8;

/** Steps 1–4 of the plan (serving-plan.ts): every layout of every chip × precision, screened analytically. */
export interface AnalyticScreen {
  candidates: PlanCandidate[];
  rejected: PlanRejection[];
  considered: number;
}

export function powersOfTwo(max: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= max; t *= 2) out.push(t);
  return out;
}

export function screenCandidates(req: ServingPlanRequest): AnalyticScreen {
  const out: AnalyticScreen = { candidates: [], rejected: [], considered: 0 };
  const precisions = req.precisions.map((name) => ({ name, p: parsePrecision(name, "--precision") }));
  for (const pc of req.chips) {
    const domain = pc.system(2)?.scale_up.domain_size ?? 1;
    const limit = Math.min(req.max_chips, Math.max(1, domain));
    const experts = expertCount(req.model);
    const eps = experts > 0 ? powersOfTwo(limit).filter((e) => experts % e === 0) : [1];
    for (const { name, p: requested } of precisions) {
      const exec = resolveExecutionPrecision(pc.chip, requested);
      const p = exec.precision;
      if (pc.chip.matrix.peak_flops_per_s[p.compute] === undefined && pc.chip.vector.peak_flops_per_s[p.compute] === undefined) {
        out.considered++;
        out.rejected.push({ chip: pc.chip.id, precision: name, reason: `dtype unsupported: no ${requested.compute} engine and no wider one to fall back to` });
        continue;
      }
      for (const tp of powersOfTwo(limit)) for (const ep of eps) {
        if (tp * ep > limit) continue;
        out.considered++;
        const r = screenLayout(req, { pc, name, requested, exec, tp, ep });
        if ("reason" in r) out.rejected.push(r);
        else out.candidates.push(r);
      }
    }
  }
  return out;
}

/** One chip × precision × tp × ep to screen. */
interface Layout {
  pc: PlanCandidateChip;
  /** The precision as the user named it, parsed, and what the chip executes. */
  name: string;
  requested: Precision;
  exec: ExecutionPrecision;
  tp: number;
  ep: number;
}

/** Static checks (heads, memory, power, system), then the analytic latency and sizing. */
function screenLayout(req: ServingPlanRequest, l: Layout): PlanCandidate | PlanRejection {
  // planServing refuses anything but a decoder LLM before screening.
  const model = req.model as Extract<ModelSpec, { category: "decoder-llm" }>;
  const { pc, tp, ep } = l;
  const p = l.exec.precision;
  const capacity = pc.chip.memory.main.capacity_bytes;
  const rt = pc.ctx.efficiency.runtime_overhead_bytes;
  const runtime = typeof rt === "number" ? rt : 0;
  const perReplica = tp * ep;
  const base = { chip: pc.chip.id, precision: l.name, tp, ...(ep > 1 ? { ep } : {}) };
  const heads = model.attention.heads;
  const kvHeads = model.attention.kv_heads ?? heads;
  if (heads % tp !== 0 || (!model.attention.mla && kvHeads % tp !== 0 && tp % kvHeads !== 0)) {
    return { ...base, reason: `tp ${tp} does not split ${heads} heads / ${kvHeads} KV heads evenly` };
  }
  const weights = weightsPerChipBytes(model, p, tp, 1) - (ep > 1 ? (routedExpertParams(model) * (1 - 1 / ep) * DTYPE_BYTES[p.weights]) / tp : 0);
  const oneSeq = kvCacheBytes(model, req.input_tokens + req.output_tokens, p.kv_cache, 1) * kvShareTp(model, tp);
  const need = weights + runtime + oneSeq;
  if (need > capacity) {
    return { ...base, reason: `does not fit: ${fmtBytes(need)} per chip (weights ${fmtBytes(weights)}) > ${fmtBytes(capacity)}` };
  }
  const tdp = pc.chip.power.tdp_w;
  if (req.power_limit_w !== undefined) {
    if (tdp === undefined) return { ...base, reason: "no power data to check the power limit" };
    if (tdp * perReplica > req.power_limit_w) return { ...base, reason: `power: ${perReplica} × ${tdp} W = ${tdp * perReplica} W > ${req.power_limit_w} W` };
  }
  const sys = perReplica > 1 ? pc.system(perReplica) : undefined;
  if (perReplica > 1 && !sys) return { ...base, reason: `no system to place a ${ep > 1 ? "tensor/expert" : "tensor"}-parallel group` };
  return analyticCandidate(req, l, base, { weights, runtime, capacity, sys });
}

/** Estimates a batch of `batch` per attention group on one replica (ep groups of tp chips sharing the experts). */
function replicaEstimator(req: ServingPlanRequest, l: Layout, sys: System | undefined) {
  const { tp, ep } = l;
  return (batch: number, input: number, output: number): InferenceEstimate =>
    estimateInference(
      { model: req.model, precision: l.requested, batch: batch * ep, input_tokens: input, output_tokens: output, chips: tp * ep, tp, pp: 1, fit_search: false, ...(ep > 1 ? { ep } : {}), ...(sys ? { system: sys } : {}) },
      l.pc.ctx,
    );
}

interface Footprint {
  weights: number;
  runtime: number;
  capacity: number;
  sys: System | undefined;
}

/** Batch-1 latency against the SLO, the batch limit, replicas for the rate, budget; the candidate row. */
function analyticCandidate(req: ServingPlanRequest, l: Layout, base: Omit<PlanRejection, "reason">, f: Footprint): PlanCandidate | PlanRejection {
  const { pc, tp, ep } = l;
  const est = replicaEstimator(req, l, f.sys);
  let e1: InferenceEstimate;
  try {
    e1 = est(1, req.input_tokens, Math.max(2, req.output_tokens));
  } catch (e) {
    if (!(e instanceof XpusimError)) throw e;
    return { ...base, reason: e.diagnostics.map((d) => d.message).join("; ") };
  }
  if (!e1.fits) return { ...base, reason: `does not fit: ${fmtBytes(e1.memory_per_chip_bytes)} per chip > ${fmtBytes(f.capacity)}` };
  const miss = sloMiss(req.slo, e1.ttft_s, e1.tpot_s);
  if (miss.ratio > 1) return { ...base, reason: `SLO missed by ${miss.text} even for a lone request (${miss.detail})`, slo_ratio: miss.ratio };
  const { batch, tpot } = batchLimit(req, l, f, est, e1.tpot_s);
  const capacityRps = ep / (e1.ttft_s + (req.output_tokens * tpot) / batch);
  const replicas = Math.max(1, Math.ceil(req.rate_per_s / capacityRps));
  const perReplica = tp * ep;
  const cph = pc.chip.cost.cloud_usd_per_hour;
  const usdPerHour = cph !== undefined ? cph * perReplica * replicas : undefined;
  if (req.budget_usd_per_hour !== undefined && usdPerHour !== undefined && usdPerHour > req.budget_usd_per_hour) {
    return { ...base, reason: `over budget: ${replicas} replica(s) × ${perReplica} chip(s) × $${cph}/h = $${usdPerHour.toFixed(2)}/h > $${req.budget_usd_per_hour}/h` };
  }
  const tdp = pc.chip.power.tdp_w;
  const tokensPerHour = req.rate_per_s * req.output_tokens * 3600;
  return {
    chip: pc.chip.id,
    chip_name: pc.chip.name,
    precision: l.name,
    precision_executed: formatPrecision(l.exec.precision),
    tp,
    ep,
    replicas,
    chips: perReplica * replicas,
    ...(f.sys ? { system: f.sys.id } : {}),
    max_num_seqs: batch,
    ttft_batch1_s: e1.ttft_s,
    tpot_batch1_s: e1.tpot_s,
    simulated: false,
    meets_slo: false,
    ...(usdPerHour !== undefined ? { usd_per_hour: usdPerHour, usd_per_million_tokens: (usdPerHour / tokensPerHour) * 1e6 } : {}),
    ...(tdp !== undefined ? { watts_per_replica: tdp * perReplica } : {}),
    memory_per_chip_bytes: e1.memory_per_chip_bytes,
    slo_ratio: miss.ratio,
    notes: candidateNotes(l, e1),
    pc,
    p: l.exec.precision,
    ...(f.sys ? { sys: f.sys } : {}),
  };
}

/** Largest power-of-two batch per attention group meeting the TPOT SLO with headroom and fitting in memory. */
function batchLimit(req: ServingPlanRequest, l: Layout, f: Footprint, est: ReturnType<typeof replicaEstimator>, tpot1: number): { batch: number; tpot: number } {
  const p = l.exec.precision;
  const total = req.input_tokens + req.output_tokens;
  const midContext = req.input_tokens + Math.max(1, Math.floor(req.output_tokens / 2));
  let batch = 1;
  let tpot = tpot1;
  for (let b = 2; b <= 1024; b *= 2) {
    const kv = kvCacheBytes(req.model, total, p.kv_cache, b) * kvShareTp(req.model, l.tp);
    if (f.weights + f.runtime + kv > f.capacity * 0.9) break;
    const e = est(b, midContext, 2);
    if (req.slo.tpot_s && e.tpot_s > req.slo.tpot_s * HEADROOM) break;
    batch = b;
    tpot = e.tpot_s;
  }
  return { batch, tpot };
}

function candidateNotes(l: Layout, e1: InferenceEstimate): string[] {
  const notes: string[] = [];
  const fb = l.exec.fallback;
  if (fb) {
    // estimateInference's warning names what runs and the share dequantisation adds.
    const w = e1.warnings.find((x) => x.includes(`no ${fb.requested}`));
    notes.push(w ?? `${l.pc.chip.id} has no ${fb.requested} engine: math runs in ${fb.executed}`);
  }
  if (l.ep > 1) notes.push(`expert parallel: ${l.ep} attention groups of ${l.tp} chip(s), routed experts ÷ ${l.ep}, max_num_seqs per group`);
  return notes;
}
