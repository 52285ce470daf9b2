import type { FactorContext, FactorValue } from "../factor.js";
import { fittingInference, fittingTraining, isFactor, pct, si } from "./needs.js";
import { isOperating, operatingOf, scaledInference, scaledTraining } from "./operating.js";

/**
 * Data transfer: the share of the step (training) or of the request (inference with tp) that is
 * communication on the critical path, lower is better; details: the scale-up and scale-out bandwidth
 * per chip of the system and each kind of communication. limited_by: the link the largest part rides —
 * tensor-, expert- and context-parallel traffic stays inside the scale-up domain; data-parallel and
 * pipeline traffic leaves it (scale-out) once the chips outnumber the domain. At the sustained
 * operating point (operating.ts) the busy time stretches and the communication does not (links and
 * collectives do not run on the core clock), so the share of communication falls.
 */
export function dataTransferFactor(ctx: FactorContext): FactorValue {
  const links = linkDetails(ctx);
  if (ctx.mode === "inference") {
    const e = fittingInference(ctx, "fraction", "lower");
    if (isFactor(e)) return e;
    const op = operatingOf(ctx, "fraction", "lower");
    if (op && !isOperating(op)) return op;
    const comm = (e.phases.prefill.comm_s ?? 0) + (e.phases.decode?.comm_s ?? 0);
    const e2e = op ? scaledInference(e, op).e2e_s : e.e2e_latency_s;
    const share = e2e > 0 ? comm / e2e : 0;
    return {
      value: share,
      unit: "fraction",
      better: "lower",
      rank: null,
      limited_by: comm > 0 ? `scale-up (${links.scale_up_name ?? "link"})` : null,
      note: (e.chips > 1 ? `tensor/pipeline collectives: ${pct(share)} of the request time on ${e.chips} chips` : "one chip: no collectives") + (op ? `; ${op.words}` : ""),
      basis: "derived",
      details: { ...links.details, communication_s: comm, ...(op ? op.details : {}) },
    };
  }
  const e = fittingTraining(ctx, "fraction", "lower");
  if (isFactor(e)) return e;
  const op = operatingOf(ctx, "fraction", "lower");
  if (op && !isOperating(op)) return op;
  const step = op ? scaledTraining(e, op).step_time_s : e.step_time_s;
  const b = e.step_breakdown_s;
  const domain = ctx.system?.scale_up.domain_size ?? 1;
  const outside = e.chips > domain;
  const kinds: [string, number, string][] = [
    ["tensor parallel", b.tensor_parallel_comm, "scale-up"],
    ["expert parallel", b.expert_parallel_comm, "scale-up"],
    ["context parallel", b.context_parallel_comm, "scale-up"],
    ["pipeline p2p", b.pipeline_p2p, outside ? "scale-out" : "scale-up"],
    ["data parallel (exposed)", b.data_parallel_exposed, outside ? "scale-out" : "scale-up"],
  ];
  const [kind, time, link] = kinds.reduce((a, c) => (c[1] > a[1] ? c : a));
  const share = b.communication_exposed / step;
  const linkName = link === "scale-up" ? links.scale_up_name : links.scale_out_name;
  return {
    value: share,
    unit: "fraction",
    better: "lower",
    rank: null,
    limited_by: time > 0 ? `${link} (${linkName ?? "link"}): ${kind}` : null,
    note: (e.chips > 1 ? `exposed communication ${pct(share)} of the ${si(step, "s")} step on ${e.chips} chips (${ctx.system?.id ?? "system"})` : "one chip: no communication") + (op ? `; ${op.words}` : ""),
    basis: "derived",
    details: {
      ...links.details,
      tensor_parallel_s: b.tensor_parallel_comm,
      expert_parallel_s: b.expert_parallel_comm,
      context_parallel_s: b.context_parallel_comm,
      pipeline_p2p_s: b.pipeline_p2p,
      data_parallel_exposed_s: b.data_parallel_exposed,
      overlap_slowdown_s: b.overlap_slowdown,
      ...(op ? op.details : {}),
    },
  };
}

function linkDetails(ctx: FactorContext): { details: Record<string, number | string | null>; scale_up_name?: string; scale_out_name?: string } {
  const s = ctx.system;
  const up = s?.scale_up.bandwidth_per_direction_bytes_per_s ?? ctx.chip.interconnect.scale_up?.bandwidth_per_direction_bytes_per_s ?? null;
  const out = s?.scale_out?.per_chip_bandwidth_bytes_per_s ?? null;
  const r: { details: Record<string, number | string | null>; scale_up_name?: string; scale_out_name?: string } = {
    details: { scale_up_bytes_per_s_per_chip: up, scale_out_bytes_per_s_per_chip: out, scale_up_domain: s?.scale_up.domain_size ?? null, system: s?.id ?? null },
  };
  const upName = s?.scale_up.name ?? ctx.chip.interconnect.scale_up?.name;
  if (upName) r.scale_up_name = upName;
  if (s?.scale_out?.name) r.scale_out_name = s.scale_out.name;
  return r;
}
