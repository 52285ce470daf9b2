import type { FactorContext, FactorValue } from "../factor.js";
import { unknownFactor } from "../factor.js";
import { chipSoftware } from "../software.js";
import { pct } from "./needs.js";

/**
 * Flexibility: the share of the workload's time that runs on the chip's own units (matrix or vector
 * engines) when the ops the chip cannot run fall back to the host CPU (assess/op-profile.ts prices
 * each op with the cost-model registry and each fallback as host-link transfer + host roofline).
 * value = t_native / (t_native + t_host); details: the share of FLOPs on matrix units, on vector units
 * and on the host; the ops that fall back and why; a dtype the chip lacks (run wider); the cost models
 * that answered; the software ecosystem (`chip.software`, when the catalog has it).
 */
export function flexibilityFactor(ctx: FactorContext): FactorValue {
  if (!ctx.shared) return unknownFactor("fraction", "higher", ["op profile"], "no op profile for this chip");
  // A chip whose data has no compute peak at all is missing data, not a chip that runs nothing.
  if (!Object.keys(ctx.chip.matrix.peak_flops_per_s).length && !Object.keys(ctx.chip.vector.peak_flops_per_s).length) {
    return unknownFactor("fraction", "higher", ["compute.matrix.peak or compute.vector.peak"], `${ctx.chip.id} has no dense compute peak in its sources: which ops run natively cannot be judged`);
  }
  const p = ctx.shared.opProfile();
  const native = p.time_s_matrix + p.time_s_vector;
  const flops = p.flops_matrix + p.flops_vector + p.flops_host;
  const software = chipSoftware(ctx.chip);
  const details: NonNullable<FactorValue["details"]> = {
    ops_priced: p.ops,
    time_share_matrix: null,
    flops_share_matrix: flops > 0 ? p.flops_matrix / flops : null,
    flops_share_vector: flops > 0 ? p.flops_vector / flops : null,
    flops_share_host: flops > 0 ? p.flops_host / flops : null,
    host_fallback_ops: fallbackList(p.fallback) || "none",
    native_time_s: native,
    host_fallback_time_s: p.time_s_host,
    host_fallback_reasons: [...new Set(p.fallback.map((f) => f.reason))].join(" | ") || null,
    dtype_fallback: p.dtype_fallback ? `${p.dtype_fallback.requested} → ${p.dtype_fallback.executed}` : null,
    cost_models: Object.entries(p.models_used).map(([m, n]) => `${m} ×${n}`).join(", "),
    software: software ? software.join(", ") : null,
    scope: p.scope,
  };
  if (p.time_s_host === null) {
    return { ...unknownFactor("fraction", "higher", ["host link or host CPU figures"], `${p.fallback.length} op(s) cannot run on ${ctx.chip.id} and the fallback cannot be timed`), limited_by: "ops with no engine and no host path", details };
  }
  const total = native + p.time_s_host;
  const share = total > 0 ? native / total : 1;
  details.time_share_matrix = total > 0 ? p.time_s_matrix / total : null;
  const limited = p.fallback.length ? `host fallback: ${p.fallback.length} op(s)` : p.dtype_fallback ? `no ${p.dtype_fallback.requested} engine: runs ${p.dtype_fallback.executed}` : p.flops_vector > p.flops_matrix ? "matrix work on vector units" : null;
  return {
    value: share,
    unit: "fraction",
    better: "higher",
    rank: null,
    limited_by: limited,
    note: `${pct(share)} of the time on native units (${p.scope}); ${p.fallback.length ? `${p.fallback.length} op(s) fall back to the host` : "no op falls back to the host"}${software ? `; runs ${software.join(", ")}` : ""}`,
    basis: "derived",
    details,
  };
}

/** "conv2d ×22 (features.0, features.1.project, …), gemm ×1 (classifier)": fallback ops by kind. */
function fallbackList(ops: readonly { op: string; kind: string }[]): string {
  const byKind = new Map<string, Set<string>>();
  for (const f of ops) byKind.set(f.kind, (byKind.get(f.kind) ?? new Set()).add(f.op));
  return [...byKind].map(([kind, names]) => `${kind} ×${names.size} (${[...names].slice(0, 3).join(", ")}${names.size > 3 ? ", …" : ""})`).join(", ");
}
