import type { Chip } from "../../hardware/chip.js";
import { DTYPES } from "../../units/dtype.js";
import type { FactorContext, FactorValue } from "../factor.js";
import { unknownFactor } from "../factor.js";
import type { FallbackOp, OpProfile } from "../op-profile.js";
import { chipFrameworks, chipSoftware } from "../software.js";
import { pct, si } from "./needs.js";

/**
 * Flexibility: the share of the workload's time that runs on the chip's own units (matrix or vector
 * engines) when the ops the chip cannot run fall back to the host CPU (assess/op-profile.ts: each op
 * checked against the chip's sourced `support:` rules, then priced by the cost-model registry; a
 * fallback is host-link transfers where the placement changes + a roofline on the host).
 *   value = t_native / (t_native + t_host)      (0 when an op has no host path: the workload cannot run)
 * Details: time and FLOP shares on matrix units, vector units and the host; the ops that fall back, by
 * kind, with their cost; a dtype the chip lacks (run wider); the dtypes each unit runs (its peak
 * tables); partitioning and shapes; the software stacks and how many frameworks they serve.
 * limited_by: a single cut (what it sends to the host), else the costliest fallback kind, else a missing
 * dtype, else matrix work on vector units.
 */
export function flexibilityFactor(ctx: FactorContext): FactorValue {
  if (!ctx.shared) return unknownFactor("fraction", "higher", ["op profile"], "no op profile for this chip");
  // A chip whose data has no compute peak at all is missing data, not a chip that runs nothing.
  if (!Object.keys(ctx.chip.matrix.peak_flops_per_s).length && !Object.keys(ctx.chip.vector.peak_flops_per_s).length) {
    return unknownFactor("fraction", "higher", ["compute.matrix.peak or compute.vector.peak"], `${ctx.chip.id} has no dense compute peak in its sources: which ops run natively cannot be judged`);
  }
  const p = ctx.shared.opProfile();
  const details = detailsOf(ctx.chip, p);
  const software = chipSoftware(ctx.chip);
  const runs = software ? `; runs ${software.join(", ")}` : "";
  if (p.impossible.length) {
    const first = p.impossible[0]!;
    return {
      value: 0, unit: "fraction", better: "higher", rank: null, basis: "derived", details: { ...details, runs: false },
      limited_by: `cannot run: ${first.kind} "${first.op}" has no kernel on ${ctx.chip.id} and no host path`,
      note: `the workload cannot run on ${ctx.chip.id}: ${p.impossible.map((i) => `${i.kind} "${i.op}" (${i.reason})`).join("; ")}${runs}`,
    };
  }
  if (p.time_s_host === null) {
    return { ...unknownFactor("fraction", "higher", ["interconnect.host.bandwidth_per_direction or host CPU figures"], `${p.fallback.length} op(s) of the workload run on the host and the fallback cannot be timed`), limited_by: "host fallback with no host-link or host CPU figure", details };
  }
  const native = p.time_s_matrix + p.time_s_vector;
  const total = native + p.time_s_host;
  const share = total > 0 ? native / total : 1;
  const costliest = byKind(p.fallback)[0];
  const wider = p.dtype_fallback ? `no ${p.dtype_fallback.requested} engine: runs ${p.dtype_fallback.executed}` : null;
  const limited = p.cut ? `single cut at ${p.cut.kind} "${p.cut.op}": the rest of the graph runs on the host (${pct(p.time_s_host / total)} of the time)` : costliest ? `host fallback: ${costliest.kind} ×${costliest.ops} (${si(costliest.time_s!, "s")}, ${pct(costliest.time_s! / total)} of the time)` : wider ?? (p.flops_vector > p.flops_matrix ? "matrix work on vector units" : null);
  const fallbackWords = p.fallback.length ? `${p.fallback.length} op(s) fall back to the host (${pct(p.time_s_host / total)} of the time${p.cut ? `, all after a single cut at ${p.cut.kind} "${p.cut.op}"` : ""})` : "no op falls back to the host";
  return {
    value: share, unit: "fraction", better: "higher", rank: null, limited_by: limited, basis: "derived", details: { ...details, runs: true },
    note: `${pct(share)} of the time on native units (${p.scope}); ${fallbackWords}${wider ? `; ${wider}` : ""}${runs}`,
  };
}

function detailsOf(chip: Chip, p: OpProfile): NonNullable<FactorValue["details"]> {
  const native = p.time_s_matrix + p.time_s_vector;
  const total = p.time_s_host === null ? null : native + p.time_s_host;
  const flops = p.flops_matrix + p.flops_vector + p.flops_host;
  const share = (t: number | null) => (total && t !== null ? t / total : null);
  const frameworks = chipFrameworks(chip);
  const support = chip.support;
  return {
    ops_priced: p.ops,
    time_share_matrix: share(p.time_s_matrix),
    time_share_vector: share(p.time_s_vector),
    time_share_host: share(p.time_s_host),
    flops_share_matrix: flops > 0 ? p.flops_matrix / flops : null,
    flops_share_vector: flops > 0 ? p.flops_vector / flops : null,
    flops_share_host: flops > 0 ? p.flops_host / flops : null,
    native_time_s: native,
    host_fallback_time_s: p.time_s_host,
    host_transfer_time_s: p.time_s_transfer,
    host_fallback_ops: fallbackList(p.fallback) || "none",
    host_fallback_reasons: [...new Set(p.fallback.map((f) => f.reason))].join(" | ") || null,
    impossible_ops: p.impossible.map((i) => `${i.kind} "${i.op}"`).join(", ") || null,
    single_cut_at: p.cut ? `${p.cut.kind} "${p.cut.op}"` : null,
    dtype_fallback: p.dtype_fallback ? `${p.dtype_fallback.requested} → ${p.dtype_fallback.executed}` : null,
    matrix_dtypes: DTYPES.filter((d) => chip.matrix.peak_flops_per_s[d] !== undefined).join(", ") || null,
    vector_dtypes: DTYPES.filter((d) => chip.vector.peak_flops_per_s[d] !== undefined).join(", ") || null,
    op_support: support.known ? (support.unsupported.length ? support.unsupported.map((r) => `${r.ops.join("/")} → ${r.fallback}`).join("; ") : "no unsupported op kind recorded") : "no support: section in the catalog: only the dtype (peak tables) and cost-model checks apply",
    partition: support.partition,
    shapes: support.shapes,
    cost_models: Object.entries(p.models_used).map(([m, n]) => `${m} ×${n}`).join(", "),
    software: chipSoftware(chip)?.join(", ") ?? null,
    frameworks: frameworks.join(", ") || null,
    frameworks_count: chip.software.stacks.length ? frameworks.length : null,
    scope: p.scope,
  };
}

interface KindCost {
  kind: string;
  ops: number;
  time_s: number | null;
  transfer_s: number | null;
}

/** Fallback cost per op kind, costliest first. */
function byKind(ops: readonly FallbackOp[]): KindCost[] {
  const m = new Map<string, KindCost>();
  for (const f of ops) {
    const k = m.get(f.kind) ?? { kind: f.kind, ops: 0, time_s: 0, transfer_s: 0 };
    k.ops += 1;
    k.time_s = k.time_s === null || f.time_s === null ? null : k.time_s + f.time_s;
    k.transfer_s = k.transfer_s === null || f.transfer_s === null ? null : k.transfer_s + f.transfer_s;
    m.set(f.kind, k);
  }
  return [...m.values()].sort((a, b) => (b.time_s ?? Infinity) - (a.time_s ?? Infinity));
}

/** "attention ×12: 41.2 ms (transfer 0.91 ms) (encoder.attn, …)": fallback ops by kind, costliest first. */
function fallbackList(ops: readonly FallbackOp[]): string {
  return byKind(ops)
    .map((k) => {
      const names = [...new Set(ops.filter((f) => f.kind === k.kind).map((f) => f.op))];
      const cost = k.time_s === null ? "time unknown" : `${si(k.time_s, "s")}${k.transfer_s ? ` (transfer ${si(k.transfer_s, "s")})` : ""}`;
      return `${k.kind} ×${k.ops}: ${cost} (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""})`;
    })
    .join(", ");
}
