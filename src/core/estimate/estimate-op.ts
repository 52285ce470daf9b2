import type { Bound, CostContext, OpCost } from "../cost/contract.js";
import { estimateOp } from "../cost/registry.js";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { OpSpec } from "../spec/scenario-spec.js";
import type { Op } from "../workload/op.js";

/**
 * One operator on one chip: the scenario's `{ op: {...} }` workload lowered to an engine op and
 * priced by the best cost model that supports it.
 */
export interface OpEstimate {
  kind: "op";
  op: string;
  chip: string;
  latency_s: number;
  flops: number;
  bytes: number;
  achieved_flops_per_s: number;
  peak_flops_per_s: number;
  utilization: number;
  bound: Bound;
  compute_time_s: number;
  memory_time_s: number;
  overhead_time_s: number;
  bytes_by_level: Record<string, number>;
  energy_j?: number;
  cost_model: string;
  /** Cost models that declined this op, with their reasons. */
  refused: Array<{ model: string; reason: string }>;
  notes: string[];
}

/** Lowers a scenario op spec to an engine op. */
export function opFromSpec(spec: OpSpec): Op {
  switch (spec.type) {
    case "gemm":
      return gemmOpFromSpec(spec);
    case "conv2d":
      return convOpFromSpec(spec);
    case "attention":
      return attentionOpFromSpec(spec);
    case "collective":
      return { name: `${spec.op} ${spec.bytes} B over ${spec.ranks}`, kind: "collective", role: "communication", dtype: spec.dtype, collective: spec.op, bytes: spec.bytes, ranks: spec.ranks };
  }
}

function gemmOpFromSpec(spec: Extract<OpSpec, { type: "gemm" }>): Op {
  return {
    name: `gemm ${spec.batch > 1 ? `${spec.batch}×` : ""}${spec.m}×${spec.n}×${spec.k}`,
    kind: "gemm",
    role: "replicated",
    dtype: spec.dtype,
    m: spec.m,
    n: spec.n,
    k: spec.k,
    batch: spec.batch,
    a_dtype: spec.dtype,
    b_dtype: spec.dtype,
    c_dtype: spec.dtype,
    b_is_weight: false,
  };
}

/** A conv2d op; groups must divide both channel counts and the kernel fit the padded input. */
function convOpFromSpec(spec: Extract<OpSpec, { type: "conv2d" }>): Op {
  if (spec.c_in % spec.groups !== 0 || spec.c_out % spec.groups !== 0) {
    throw new XpusimError(
      error("E_RANGE", "workload.op.groups", `groups=${spec.groups} must divide c_in=${spec.c_in} and c_out=${spec.c_out}`),
    );
  }
  if (spec.h + 2 * spec.padding < spec.kh || spec.w + 2 * spec.padding < spec.kw) {
    throw new XpusimError(error("E_RANGE", "workload.op", `kernel ${spec.kh}×${spec.kw} is larger than the padded input ${spec.h + 2 * spec.padding}×${spec.w + 2 * spec.padding}`));
  }
  return {
    name: `conv2d ${spec.kh}×${spec.kw} ${spec.c_in}→${spec.c_out}${spec.groups > 1 ? ` g${spec.groups}` : ""}`,
    kind: "conv2d",
    role: "replicated",
    dtype: spec.dtype,
    n: spec.n,
    h: spec.h,
    w: spec.w,
    c_in: spec.c_in,
    c_out: spec.c_out,
    kh: spec.kh,
    kw: spec.kw,
    stride: spec.stride,
    padding: spec.padding,
    groups: spec.groups,
    act_dtype: spec.dtype,
    weight_dtype: spec.dtype,
  };
}

/** An attention op; kv_heads must divide heads and seq_q not exceed seq_kv (decode: one query by default). */
function attentionOpFromSpec(spec: Extract<OpSpec, { type: "attention" }>): Op {
  const kvHeads = spec.kv_heads ?? spec.heads;
  if (spec.heads % kvHeads !== 0) {
    throw new XpusimError(error("E_RANGE", "workload.op.kv_heads", `kv_heads=${kvHeads} must divide heads=${spec.heads}`));
  }
  const seqQ = spec.phase === "decode" ? (spec.seq_q ?? 1) : (spec.seq_q ?? spec.seq_kv);
  if (seqQ > spec.seq_kv) {
    throw new XpusimError(error("E_RANGE", "workload.op.seq_q", `seq_q=${seqQ} exceeds seq_kv=${spec.seq_kv}`, { hint: "queries attend to keys that include themselves: seq_kv ≥ seq_q" }));
  }
  return {
    name: `attention ${spec.phase}${spec.fused ? " (fused)" : ""}`,
    kind: "attention",
    role: "attention_core",
    dtype: spec.dtype,
    batch: spec.batch,
    heads: spec.heads,
    kv_heads: kvHeads,
    head_dim_qk: spec.head_dim,
    head_dim_v: spec.head_dim_v ?? spec.head_dim,
    seq_q: seqQ,
    seq_kv: spec.seq_kv,
    causal: spec.causal,
    fused: spec.fused,
    act_dtype: spec.dtype,
    kv_dtype: spec.dtype,
    ...(spec.window ? { window: spec.window } : {}),
  };
}

export function estimateOpSpec(spec: OpSpec, ctx: CostContext, opts: { costModel?: string } = {}): OpEstimate {
  const op = opFromSpec(spec);
  const r = estimateOp(op, ctx.chip, ctx.efficiency, opts.costModel ? { model: opts.costModel } : {});
  return toOpEstimate(op, ctx, r.cost, r.refused);
}

function toOpEstimate(op: Op, ctx: CostContext, c: OpCost, refused: Array<{ model: string; reason: string }>): OpEstimate {
  const e: OpEstimate = {
    kind: "op",
    op: op.name,
    chip: ctx.chip.id,
    latency_s: c.time_s,
    flops: c.flops,
    bytes: c.bytes,
    achieved_flops_per_s: c.achieved_flops_per_s,
    peak_flops_per_s: c.peak_flops_per_s,
    utilization: c.utilization,
    bound: c.bound,
    compute_time_s: c.compute_time_s,
    memory_time_s: c.memory_time_s,
    overhead_time_s: c.overhead_time_s,
    bytes_by_level: c.bytes_by_level,
    cost_model: c.model,
    refused,
    notes: c.notes ?? [],
  };
  if (c.energy_j !== undefined) e.energy_j = c.energy_j;
  return e;
}
