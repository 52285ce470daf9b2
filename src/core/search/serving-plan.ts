import type { CostContext } from "../cost/contract.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { estimateInference, kvShareTp, weightsPerChipBytes } from "../estimate/estimate-inference.js";
import type { Chip } from "../hardware/chip.js";
import type { System } from "../network/build-system.js";
import { simulateServing } from "../serving/simulate-serving.js";
import { generateWorkload } from "../serving/workload-gen.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { kvCacheBytes } from "../workload/build-workload.js";
import { resolveExecutionPrecision } from "../estimate/execution-precision.js";
import { expertCount, routedExpertParams } from "../parallel/expert-parallel.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { formatPrecision, parsePrecision, type Precision } from "../workload/precision.js";

/**
 * Hardware selection for serving (`xpusim plan serve`): which chip, how many, which tensor- and
 * expert-parallel degree and precision serve a model at a request rate within TTFT/TPOT SLOs,
 * cheapest first.
 *
 * Search, pruned hard so ~50 chips take seconds:
 *   1. chip × precision: math the chip has no engine for runs in its best native dtype with the
 *      storage kept narrow (execution-precision.ts); the candidate's notes say what runs and what
 *      the on-the-fly dequantisation adds. Only a chip with no usable engine at all is rejected.
 *   2. × tp (powers of two up to the scale-up domain and --max-chips; dividing the heads) × ep (MoE
 *      models: powers of two dividing the experts, tp·ep chips per replica within the same limits):
 *      memory — weights ÷ tp (routed experts ÷ tp·ep) + runtime + one request's KV must fit per chip;
 *      power — tp·ep × TDP within --power.
 *   3. batch-1 analytic latency (estimateInference): TTFT and TPOT of a lone request are lower
 *      bounds under load, so a miss here is final ("SLO missed by X").
 *   4. batch limit: the largest power-of-two batch whose analytic decode step meets the TPOT SLO
 *      (with 20 % headroom for prefill interference) and fits in memory → max_num_seqs (per
 *      attention group); capacity ≈ ep / (prefill of one request + output × TPOT(B) / B) requests/s
 *      per instance;
 *      replicas = ⌈rate / capacity⌉; budget check on tp × replicas × $/h.
 *   5. the cheapest candidates (analytic $ per million output tokens) are simulated (seeded,
 *      short: vLLM preset, Poisson arrivals at rate / replicas) to get p90 TTFT and TPOT; on a
 *      miss, replicas grow by half and the run repeats (at most twice).
 * Ranked by $ per million output tokens (chips without a price: by power, after those with one).
 * Simulated deployments report energy per output token and mean power per replica from the
 * simulator's energy model (busy steps + idle power between them).
 * Everything not chosen carries its reason; with no deployment meeting the SLO, the closest one
 * (smallest worst-case SLO ratio) is named.
 */
export interface PlanCandidateChip {
  chip: Chip;
  ctx: CostContext;
  /** The system `count` chips of this chip sit in (undefined: single chip only). */
  system(count: number): System | undefined;
}

export interface ServingPlanRequest {
  model: ModelSpec;
  chips: readonly PlanCandidateChip[];
  slo: { ttft_s?: number; tpot_s?: number };
  rate_per_s: number;
  input_tokens: number;
  output_tokens: number;
  /** Precision names: "bf16", "fp8", "int8", "w4a16", … */
  precisions: readonly string[];
  max_chips: number;
  budget_usd_per_hour?: number;
  power_limit_w?: number;
  /** Candidates to confirm by simulation (default 6). */
  simulate_top?: number;
  /** Requests per simulation (default: 30 s of arrivals, 100–300). */
  requests?: number;
  seed?: number;
}

export interface PlanDeployment {
  chip: string;
  chip_name: string;
  precision: string;
  /** The precision that runs (differs when the chip lacks the requested math dtype). */
  precision_executed: string;
  tp: number;
  /** Expert-parallel attention groups per replica (1 for dense models or no ep). */
  ep: number;
  replicas: number;
  chips: number;
  system?: string;
  max_num_seqs: number;
  /** Analytic batch-1 latencies. */
  ttft_batch1_s: number;
  tpot_batch1_s: number;
  /** Simulated p90 under the rate (absent when not simulated). */
  ttft_p90_s?: number;
  tpot_p90_s?: number;
  simulated: boolean;
  meets_slo: boolean;
  usd_per_hour?: number;
  usd_per_million_tokens?: number;
  /** TDP × tp·ep (W per replica, the power limit's measure); absent without power data. */
  watts_per_replica?: number;
  /** Simulated: mean power of one replica at its share of the rate, W. */
  average_watts_per_replica?: number;
  /** Simulated: energy per output token (busy steps + idle power between them), J. */
  energy_per_output_token_j?: number;
  /** What runs natively, and similar remarks. */
  notes: string[];
  memory_per_chip_bytes: number;
  /** max(ttft / SLO, tpot / SLO): ≤ 1 meets the SLO. */
  slo_ratio: number;
  note?: string;
}

export interface PlanRejection {
  chip: string;
  precision?: string;
  tp?: number;
  ep?: number;
  reason: string;
  /** SLO ratio when the miss is a latency miss. */
  slo_ratio?: number;
}

export interface ServingPlan {
  model: string;
  rate_per_s: number;
  slo: { ttft_s?: number; tpot_s?: number };
  input_tokens: number;
  output_tokens: number;
  deployments: PlanDeployment[];
  rejected: PlanRejection[];
  /** When nothing meets the SLO: the configuration that comes closest. */
  closest?: PlanDeployment | PlanRejection;
  candidates_considered: number;
  simulations: number;
}

const HEADROOM = 0.8;

function powersOfTwo(max: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= max; t *= 2) out.push(t);
  return out;
}

function sloRatio(slo: ServingPlanRequest["slo"], ttft: number, tpot: number): number {
  return Math.max(slo.ttft_s ? ttft / slo.ttft_s : 0, slo.tpot_s ? tpot / slo.tpot_s : 0);
}

function pct(r: number): string {
  return `${((r - 1) * 100).toFixed(0)}%`;
}

function ms(s: number): string {
  return s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`;
}

export function planServing(req: ServingPlanRequest): ServingPlan {
  const model = req.model;
  if (model.category !== "decoder-llm") {
    throw new XpusimError(error("E_UNSUPPORTED", "model", `serving plans need a decoder LLM; ${model.id} is a ${model.category}`));
  }
  if (!(req.rate_per_s > 0) || !Number.isFinite(req.rate_per_s)) throw new XpusimError(error("E_RANGE", "rate", `the request rate must be a positive finite number, got ${String(req.rate_per_s)}`, { hint: "e.g. --rate 20/s" }));
  if (!req.slo.ttft_s && !req.slo.tpot_s) throw new XpusimError(error("E_SCHEMA", "slo", "an SLO needs ttft and/or tpot", { hint: "e.g. --slo ttft=500ms,tpot=50ms" }));
  const total = req.input_tokens + req.output_tokens;
  if (total > model.max_context) {
    throw new XpusimError(error("E_RANGE", "input", `input ${req.input_tokens} + output ${req.output_tokens} tokens exceed the maximum context of ${model.id}, ${model.max_context}`, { hint: `keep input + output ≤ ${model.max_context}` }));
  }
  const precisions: Array<{ name: string; p: Precision }> = req.precisions.map((name) => ({ name, p: parsePrecision(name, "--precision") }));
  const rejected: PlanRejection[] = [];
  type Cand = PlanDeployment & { pc: PlanCandidateChip; p: Precision; sys?: System; analytic_usd?: number };
  const cands: Cand[] = [];
  let considered = 0;
  const heads = model.attention.heads;
  const kvHeads = model.attention.kv_heads ?? heads;

  for (const pc of req.chips) {
    const chip = pc.chip;
    const capacity = chip.memory.main.capacity_bytes;
    const rt = pc.ctx.efficiency.runtime_overhead_bytes;
    const runtime = typeof rt === "number" ? rt : 0;
    const domain = pc.system(2)?.scale_up.domain_size ?? 1;
    const limit = Math.min(req.max_chips, Math.max(1, domain));
    const tps = powersOfTwo(limit);
    const experts = expertCount(model);
    const eps = experts > 0 ? powersOfTwo(limit).filter((e) => experts % e === 0) : [1];
    for (const { name, p: requested } of precisions) {
      const exec = resolveExecutionPrecision(chip, requested);
      const p = exec.precision;
      if (chip.matrix.peak_flops_per_s[p.compute] === undefined && chip.vector.peak_flops_per_s[p.compute] === undefined) {
        considered++;
        rejected.push({ chip: chip.id, precision: name, reason: `dtype unsupported: no ${requested.compute} engine and no wider one to fall back to` });
        continue;
      }
      for (const tp of tps) for (const ep of eps) {
        if (tp * ep > limit) continue;
        considered++;
        const perReplica = tp * ep;
        const base = { chip: chip.id, precision: name, tp, ...(ep > 1 ? { ep } : {}) };
        if (heads % tp !== 0 || (!model.attention.mla && kvHeads % tp !== 0 && tp % kvHeads !== 0)) {
          rejected.push({ ...base, reason: `tp ${tp} does not split ${heads} heads / ${kvHeads} KV heads evenly` });
          continue;
        }
        const weights = weightsPerChipBytes(model, p, tp, 1) - (ep > 1 ? (routedExpertParams(model) * (1 - 1 / ep) * DTYPE_BYTES[p.weights]) / tp : 0);
        const oneSeq = kvCacheBytes(model, total, p.kv_cache, 1) * kvShareTp(model, tp);
        const need = weights + runtime + oneSeq;
        if (need > capacity) {
          rejected.push({ ...base, reason: `does not fit: ${(need / 1e9).toFixed(1)} GB per chip (weights ${(weights / 1e9).toFixed(1)} GB) > ${(capacity / 1e9).toFixed(1)} GB` });
          continue;
        }
        const tdp = chip.power.tdp_w;
        if (req.power_limit_w !== undefined) {
          if (tdp === undefined) {
            rejected.push({ ...base, reason: "no power data to check the power limit" });
            continue;
          }
          if (tdp * perReplica > req.power_limit_w) {
            rejected.push({ ...base, reason: `power: ${perReplica} × ${tdp} W = ${tdp * perReplica} W > ${req.power_limit_w} W` });
            continue;
          }
        }
        const sys = perReplica > 1 ? pc.system(perReplica) : undefined;
        if (perReplica > 1 && !sys) {
          rejected.push({ ...base, reason: `no system to place a ${ep > 1 ? "tensor/expert" : "tensor"}-parallel group` });
          continue;
        }
        // One replica = ep attention groups of tp chips; estimateInference sees them as ep data-parallel replicas sharing experts.
        const est = (batch: number, input: number, output: number) =>
          estimateInference(
            { model, precision: requested, batch: batch * ep, input_tokens: input, output_tokens: output, chips: perReplica, tp, pp: 1, fit_search: false, ...(ep > 1 ? { ep } : {}), ...(sys ? { system: sys } : {}) },
            pc.ctx,
          );
        let e1;
        try {
          e1 = est(1, req.input_tokens, Math.max(2, req.output_tokens));
        } catch (e) {
          if (!(e instanceof XpusimError)) throw e;
          rejected.push({ ...base, reason: e.diagnostics.map((d) => d.message).join("; ") });
          continue;
        }
        if (!e1.fits) {
          rejected.push({ ...base, reason: `does not fit: ${(e1.memory_per_chip_bytes / 1e9).toFixed(1)} GB per chip > ${(capacity / 1e9).toFixed(1)} GB` });
          continue;
        }
        const r1 = sloRatio(req.slo, e1.ttft_s, e1.tpot_s);
        if (r1 > 1) {
          const which = req.slo.ttft_s && e1.ttft_s > req.slo.ttft_s ? `TTFT ${ms(e1.ttft_s)} > ${ms(req.slo.ttft_s)}` : `TPOT ${ms(e1.tpot_s)} > ${ms(req.slo.tpot_s!)}`;
          rejected.push({ ...base, reason: `SLO missed by ${pct(r1)} even for a lone request (${which})`, slo_ratio: r1 });
          continue;
        }
        // Largest power-of-two batch per attention group meeting the TPOT SLO with headroom and fitting in memory.
        const midContext = req.input_tokens + Math.max(1, Math.floor(req.output_tokens / 2));
        let bestB = 1;
        let bestTpot = e1.tpot_s;
        for (let b = 2; b <= 1024; b *= 2) {
          const kv = kvCacheBytes(model, total, p.kv_cache, b) * kvShareTp(model, tp);
          if (weights + runtime + kv > capacity * 0.9) break;
          const e = est(b, midContext, 2);
          if (req.slo.tpot_s && e.tpot_s > req.slo.tpot_s * HEADROOM) break;
          bestB = b;
          bestTpot = e.tpot_s;
        }
        const prefillOne = e1.ttft_s;
        const capacityRps = ep / (prefillOne + (req.output_tokens * bestTpot) / bestB);
        const replicas = Math.max(1, Math.ceil(req.rate_per_s / capacityRps));
        const cph = chip.cost.cloud_usd_per_hour;
        const usdPerHour = cph !== undefined ? cph * perReplica * replicas : undefined;
        if (req.budget_usd_per_hour !== undefined && usdPerHour !== undefined && usdPerHour > req.budget_usd_per_hour) {
          rejected.push({ ...base, reason: `over budget: ${replicas} replica(s) × ${perReplica} chip(s) × $${cph}/h = $${usdPerHour.toFixed(2)}/h > $${req.budget_usd_per_hour}/h` });
          continue;
        }
        const notes: string[] = [];
        if (exec.fallback) {
          // estimateInference's warning names what runs and the share dequantisation adds.
          const w = e1.warnings.find((x) => x.includes(`no ${exec.fallback!.requested}`));
          notes.push(w ?? `${chip.id} has no ${exec.fallback.requested} engine: math runs in ${exec.fallback.executed}`);
        }
        if (ep > 1) notes.push(`expert parallel: ${ep} attention groups of ${tp} chip(s), routed experts ÷ ${ep}, max_num_seqs per group`);
        const tokensPerHour = req.rate_per_s * req.output_tokens * 3600;
        const cand: Cand = {
          chip: chip.id,
          chip_name: chip.name,
          precision: name,
          precision_executed: formatPrecision(p),
          tp,
          ep,
          replicas,
          chips: perReplica * replicas,
          ...(sys ? { system: sys.id } : {}),
          max_num_seqs: bestB,
          ttft_batch1_s: e1.ttft_s,
          tpot_batch1_s: e1.tpot_s,
          simulated: false,
          meets_slo: false,
          ...(usdPerHour !== undefined ? { usd_per_hour: usdPerHour, usd_per_million_tokens: (usdPerHour / tokensPerHour) * 1e6 } : {}),
          ...(tdp !== undefined ? { watts_per_replica: tdp * perReplica } : {}),
          memory_per_chip_bytes: e1.memory_per_chip_bytes,
          slo_ratio: r1,
          notes,
          pc,
          p,
          ...(sys ? { sys } : {}),
        };
        cands.push(cand);
      }
    }
  }

  // Rank analytically: price first (no price: by total power), then simulate the best few.
  const key = (c: PlanDeployment) => c.usd_per_million_tokens ?? Infinity;
  const power = (c: PlanDeployment) => (c.watts_per_replica ?? Infinity) * c.replicas;
  cands.sort((a, b) => key(a) - key(b) || power(a) - power(b) || a.chips - b.chips || a.slo_ratio - b.slo_ratio);
  // Simulate the best candidate of each chip first, so the confirmed list spans chips.
  const seen = new Set<string>();
  const firsts: Cand[] = [];
  const rest: Cand[] = [];
  for (const c of cands) (seen.has(c.chip) ? rest : (seen.add(c.chip), firsts)).push(c);
  cands.splice(0, cands.length, ...firsts, ...rest);
  const top = req.simulate_top ?? 6;
  const nRequests = req.requests ?? Math.max(100, Math.min(300, Math.round(req.rate_per_s * 30)));
  let simulations = 0;
  const deployments: PlanDeployment[] = [];
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    if (i >= top) {
      rejected.push({ chip: c.chip, precision: c.precision, tp: c.tp, ...(c.ep > 1 ? { ep: c.ep } : {}), reason: `not simulated: ranked ${i + 1} of ${cands.length} by analytic cost (only the best ${top} are simulated)`, slo_ratio: c.slo_ratio });
      continue;
    }
    let replicas = c.replicas;
    let ratio = Infinity;
    let ttft90 = 0;
    let tpot90 = 0;
    let energy: { per_output_token_j: number; average_power_per_chip_w: number } | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const requests = generateWorkload({ requests: nRequests, rate_per_s: req.rate_per_s / replicas, input: req.input_tokens, output: req.output_tokens, seed: req.seed ?? 1 });
      simulations++;
      const r = simulateServing(model, c.pc.ctx, c.p, { engine: "vllm", max_num_seqs: c.max_num_seqs }, requests, { series_points: 2, ...(c.tp * c.ep > 1 && c.sys ? { tp: c.tp, ep: c.ep, system: c.sys } : {}) });
      if (!r.feasible || !r.metrics) {
        ratio = Infinity;
        c.note = r.infeasible_reason ?? "infeasible";
        break;
      }
      energy = r.metrics.energy;
      ttft90 = r.metrics.ttft_s.p90;
      tpot90 = r.metrics.tpot_s.p90;
      ratio = sloRatio(req.slo, ttft90, tpot90);
      if (ratio <= 1) break;
      replicas = replicas + Math.max(1, Math.ceil(replicas / 2));
    }
    const cph = c.pc.chip.cost.cloud_usd_per_hour;
    const usdPerHour = cph !== undefined ? cph * c.tp * c.ep * replicas : undefined;
    const overBudget = req.budget_usd_per_hour !== undefined && usdPerHour !== undefined && usdPerHour > req.budget_usd_per_hour;
    const { pc: _pc, p: _p, sys: _s, analytic_usd: _a, ...row } = c;
    const d: PlanDeployment = {
      ...row,
      replicas,
      chips: c.tp * c.ep * replicas,
      simulated: true,
      ...(energy && Number.isFinite(energy.per_output_token_j)
        ? { energy_per_output_token_j: energy.per_output_token_j, average_watts_per_replica: energy.average_power_per_chip_w * c.tp * c.ep }
        : {}),
      ...(Number.isFinite(ratio) ? { ttft_p90_s: ttft90, tpot_p90_s: tpot90 } : {}),
      slo_ratio: ratio,
      meets_slo: ratio <= 1 && !overBudget,
      ...(usdPerHour !== undefined ? { usd_per_hour: usdPerHour, usd_per_million_tokens: (usdPerHour / (req.rate_per_s * req.output_tokens * 3600)) * 1e6 } : {}),
    };
    if (d.meets_slo) deployments.push(d);
    else {
      const why = overBudget
        ? `over budget after simulation: $${usdPerHour!.toFixed(2)}/h for ${replicas} replicas`
        : Number.isFinite(ratio)
          ? `SLO missed by ${pct(ratio)} under load at ${replicas} replica(s) (p90 TTFT ${ms(ttft90)}, TPOT ${ms(tpot90)})`
          : `infeasible in simulation: ${c.note ?? ""}`;
      rejected.push({ chip: c.chip, precision: c.precision, tp: c.tp, ...(c.ep > 1 ? { ep: c.ep } : {}), reason: why, ...(Number.isFinite(ratio) ? { slo_ratio: ratio } : {}) });
      deployments.push({ ...d, meets_slo: false });
    }
  }
  const meeting = deployments.filter((d) => d.meets_slo);
  meeting.sort((a, b) => key(a) - key(b) || power(a) - power(b) || a.chips - b.chips || a.slo_ratio - b.slo_ratio);
  const plan: ServingPlan = {
    model: model.id,
    rate_per_s: req.rate_per_s,
    slo: req.slo,
    input_tokens: req.input_tokens,
    output_tokens: req.output_tokens,
    deployments: meeting,
    rejected,
    candidates_considered: considered,
    simulations,
  };
  if (meeting.length === 0) {
    const near = [...deployments.filter((d) => Number.isFinite(d.slo_ratio)), ...rejected.filter((r) => r.slo_ratio !== undefined && Number.isFinite(r.slo_ratio))] as Array<PlanDeployment | PlanRejection>;
    near.sort((a, b) => (a.slo_ratio ?? Infinity) - (b.slo_ratio ?? Infinity));
    if (near[0]) plan.closest = near[0];
  }
  return plan;
}
