/**
 * Validation of one measured collective point: resolves the system from the hardware text (the
 * chip comes with it), runs the collective cost model over `chip_count` consecutive chips and
 * compares the time (latency), bus bandwidth or algorithm bandwidth with the measurement.
 */
import { XpusimError } from "../diagnostics/diagnostic.js";
import { COLLECTIVE_KINDS, type CollectiveOptions, estimateCollective } from "../network/estimate-collective.js";
import type { CollectiveKind } from "../workload/op.js";
import { type MeasuredPoint, toSi } from "./measured-point.js";
import { pointFields, type ValidationResolvers, type ValidationResult } from "./validation-result.js";

function opOf(text: string): CollectiveKind | undefined {
  const t = text.toLowerCase().replace(/\(.*$/, "").trim().replace(/[^a-z_]/g, "");
  if ((COLLECTIVE_KINDS as readonly string[]).includes(t)) return t as CollectiveKind;
  if (t === "sendrecv") return "send_recv";
  if (t === "allreduce") return "all_reduce";
  if (t === "allgather") return "all_gather";
  if (t === "reducescatter") return "reduce_scatter";
  if (t === "alltoall") return "all_to_all";
  if (t === "epdispatch" || t === "dispatch") return "ep_dispatch";
  if (t === "epcombine" || t === "combine") return "ep_combine";
  return undefined;
}

/** ep_dispatch / ep_combine settings a point may state: config.top_k, config.tokens_per_rank, config.ep_mode. */
function expertParallelOptions(cfg: Record<string, unknown>): CollectiveOptions {
  const opts: CollectiveOptions = {};
  const moe: { tokens?: number; top_k?: number } = {};
  if (typeof cfg.top_k === "number" && cfg.top_k >= 1) moe.top_k = cfg.top_k;
  if (typeof cfg.tokens_per_rank === "number" && cfg.tokens_per_rank >= 1) moe.tokens = cfg.tokens_per_rank;
  if (moe.top_k !== undefined || moe.tokens !== undefined) opts.moe = moe;
  if (cfg.ep_mode === "normal" || cfg.ep_mode === "low_latency") opts.ep_mode = cfg.ep_mode;
  return opts;
}

export function validateCollectivePoint(p: MeasuredPoint, r: ValidationResolvers): ValidationResult {
  const base = { ...pointFields(p), measured: p.value };
  const assumptions: string[] = [];
  const unsupported = (reason: string, chip?: string, status: "unsupported" | "failed" = "unsupported"): ValidationResult => ({
    ...base,
    ...(chip ? { chip } : {}),
    status,
    reason,
    assumptions,
  });
  const cfg = p.config;
  if (typeof cfg.skip === "string") return unsupported(cfg.skip);
  const measuredSi = toSi(p.value, p.unit);
  if (measuredSi === undefined || measuredSi <= 0) return unsupported(`unit "${p.unit}" (or value ${p.value}) is not understood`);
  if (!r.systemByName) return unsupported("no system resolver was supplied to the harness");
  const op = opOf(String(cfg.op ?? p.model));
  if (!op) return unsupported(`collective "${String(cfg.op ?? p.model)}" is not one of ${COLLECTIVE_KINDS.join(", ")}`);
  const bytes = typeof cfg.bytes === "number" ? cfg.bytes : Number(cfg.bytes);
  if (!Number.isFinite(bytes) || bytes <= 0) return unsupported("config needs bytes (the nccl-tests message size)");
  const resolved = r.systemByName(p.hardware, p.chip_count);
  if (typeof resolved === "string") return unsupported(resolved);
  const sys = resolved.system;
  if (Array.isArray(cfg.assumptions)) assumptions.push(...cfg.assumptions.map(String));
  assumptions.push(...resolved.assumptions);
  let predictedSi: number;
  try {
    const cost = estimateCollective(sys, op, bytes, p.chip_count, expertParallelOptions(cfg));
    assumptions.push(`${sys.id}: ${cost.algorithm}/${cost.protocol} over ${cost.placement.domains} × ${cost.placement.ranks_per_domain} ranks`);
    if (p.metric === "latency") predictedSi = cost.time_s;
    else if (p.metric === "busbw") predictedSi = cost.busbw_bytes_per_s;
    else if (p.metric === "algbw") predictedSi = cost.algbw_bytes_per_s;
    else return unsupported(`metric "${p.metric}" for a collective is not understood (latency, busbw, algbw)`, sys.chip_id);
  } catch (e) {
    if (e instanceof XpusimError) return unsupported(e.diagnostics.map((d) => d.message).join("; "), sys.chip_id, "failed");
    throw e;
  }
  return {
    ...base,
    chip: sys.chip_id,
    predicted: (predictedSi / measuredSi) * p.value,
    error: (predictedSi - measuredSi) / measuredSi,
    status: "ok",
    assumptions,
  };
}
