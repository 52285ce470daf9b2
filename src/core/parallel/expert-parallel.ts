import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { DTYPE_BYTES } from "../units/dtype.js";
import { moeRouting } from "../workload/builders/transformer-layer.js";
import { isRoutedExpert } from "../workload/graph-semantics.js";
import { decoderLayerGroups } from "../workload/layer-groups.js";
import type { CollectiveOp, GemmOp, Op } from "../workload/op.js";

/**
 * Expert parallelism for mixture-of-experts layers (GShard, Lepikhin et al. 2020, arXiv 2006.16668;
 * DeepSpeed-MoE, Rajbhandari et al. 2022, arXiv 2201.05596; formulas.md §5.5).
 *
 * Convention (Megatron / DeepSpeed): the ep group is ep consecutive ranks of the data-parallel
 * dimension (ep divides dp). Each of those ranks holds its own micro-batch of T tokens and E/ep of
 * the routed experts; everything else (attention, router, shared experts, norms) is replicated as in
 * plain data parallelism. We chose this over EP spanning tp×dp (Megatron-Core's decoupled expert
 * tensor parallelism) because it keeps the attention/dense layout untouched and the tp group inside
 * the node, and it is what DeepSpeed-MoE and Megatron's original MoE do.
 *
 * Per MoE layer, one rank:
 *   routing   the ep group's T·ep tokens over all E experts (`moeRouting`, uniform top-k): busy experts
 *             B and m = ⌈T·ep·k / B⌉ tokens per busy expert; this rank runs ⌈B / ep⌉ (≤ E/ep) of them
 *             — about T·k token-expert products, the same work as without ep, in 1/ep of the weights
 *   comm      forward: dispatch + combine all-to-all, backward: their transposes (4 per layer per
 *             micro-batch); each rank's buffer is T·k·d·bytes, of which (ep−1)/ep leaves the rank
 *             (no deduplication, no capacity padding)
 *   memory    routed-expert weights, gradients and optimizer state ÷ ep (the op shapes carry it);
 *             expert gradients are reduced over the dp/ep ranks that hold the same experts.
 *
 * Experts stay tensor-sharded over tp as well (expert tensor parallelism = tp), which is why the
 * dispatched tokens are not divided by tp: every tp rank of an expert needs all its tokens.
 */

export interface MoeOpShape {
  /** Tokens entering the MoE layer on this rank. */
  tokens: number;
  experts: number;
  top_k: number;
  hidden: number;
  /** Bytes per activation element (dispatch / combine payload). */
  act_bytes: number;
}

/** The MoE shape read back from a block's ops (the `router` GEMM: T × d → E; the `moe_dispatch` op: T·k·d elements); undefined for dense blocks. */
export function moeShapeOf(ops: readonly Op[]): MoeOpShape | undefined {
  const router = ops.find((o): o is GemmOp => o.kind === "gemm" && o.role === "router");
  const dispatch = ops.find((o) => o.kind === "elementwise" && o.role === "moe_dispatch");
  if (!router || !dispatch || dispatch.kind !== "elementwise") return undefined;
  const tokens = router.m * router.batch;
  const topK = Math.round(dispatch.elements / (tokens * router.k));
  return { tokens, experts: router.n, top_k: topK, hidden: router.k, act_bytes: DTYPE_BYTES[dispatch.act_dtype] };
}

/**
 * Bytes of one rank's all-to-all buffer (nccl-tests' S for all_to_all) for a dispatch or combine:
 * tokens · top_k · hidden · bytes. The part that crosses the network is S·(ep − 1)/ep.
 */
export function allToAllBufferBytes(tokens: number, topK: number, hidden: number, bytes: number): number {
  return tokens * topK * hidden * bytes;
}

/** Bytes one rank sends to other ranks per dispatch (or combine) all-to-all: T·k·d·bytes·(ep − 1)/ep (formulas.md §5.5). */
export function allToAllWireBytes(tokens: number, topK: number, hidden: number, bytes: number, ep: number): number {
  return (allToAllBufferBytes(tokens, topK, hidden, bytes) * (ep - 1)) / ep;
}

/** Experts one rank of the ep group runs and tokens per expert, from the group's routing. */
export function expertParallelRouting(tokens: number, experts: number, topK: number, ep: number): { local_busy_experts: number; tokens_per_expert: number; group_busy_experts: number } {
  const r = moeRouting(tokens * ep, experts, topK);
  return { local_busy_experts: Math.max(1, Math.min(experts / ep, Math.ceil(r.busy_experts / ep))), tokens_per_expert: r.tokens_per_expert, group_busy_experts: r.busy_experts };
}

export interface ExpertParallelBlock {
  ops: Op[];
  /** Forward all-to-alls of one repetition over the ep group (dispatch, combine). */
  comm: CollectiveOp[];
}

/** Shards one block's routed experts over ep ranks (identity for dense blocks or ep = 1). Apply before tensor-parallel sharding. */
export function shardExpertParallel(ops: readonly Op[], ep: number): ExpertParallelBlock {
  if (ep === 1) return { ops: [...ops], comm: [] };
  const shape = moeShapeOf(ops);
  if (!shape) return { ops: [...ops], comm: [] };
  const { local_busy_experts: busy, tokens_per_expert: m } = expertParallelRouting(shape.tokens, shape.experts, shape.top_k, ep);
  const out: Op[] = [];
  for (const op of ops) {
    if (!isRoutedExpert(op)) {
      out.push(op);
      continue;
    }
    if (op.kind === "gemm") out.push({ ...op, batch: busy, m });
    else if (op.kind === "elementwise") {
      // The expert activation runs over busy · m · f elements; recover f from the original shape.
      const gemm = ops.find((o): o is GemmOp => o.kind === "gemm" && isRoutedExpert(o));
      const per = gemm ? op.elements / (gemm.batch * gemm.m) : 0;
      out.push({ ...op, elements: per > 0 ? busy * m * per : op.elements / ep });
    } else out.push(op);
  }
  const bytes = allToAllBufferBytes(shape.tokens, shape.top_k, shape.hidden, shape.act_bytes);
  const dtype = ops.find((o) => o.role === "moe_dispatch")?.dtype ?? "bf16";
  // Dispatch and combine are their own operations (DeepEP-style kernels where the library has them).
  const moe = { tokens: shape.tokens, top_k: shape.top_k };
  const comm: CollectiveOp[] = [
    { name: "moe.dispatch.all_to_all", kind: "collective", role: "communication", dtype, collective: "ep_dispatch", bytes, ranks: ep, moe },
    { name: "moe.combine.all_to_all", kind: "collective", role: "communication", dtype, collective: "ep_combine", bytes, ranks: ep, moe },
  ];
  return { ops: out, comm };
}

/** Parameters of the routed experts of a model (all MoE layers), the part expert parallelism divides. */
export function routedExpertParams(model: ModelSpec): number {
  if (model.category !== "decoder-llm" || !model.moe) return 0;
  const d = model.hidden_size;
  const f = model.moe.expert_intermediate_size;
  const gated = model.ffn.type === "swiglu" || model.ffn.type === "geglu";
  const expert = (gated ? 3 : 2) * d * f + (model.ffn.bias ? (gated ? 2 * f : f) + d : 0);
  const moeLayers = decoderLayerGroups(model).reduce((s, g) => s + (g.moe ? g.layers : 0), 0);
  return moeLayers * model.moe.experts * expert;
}

/** Number of routed experts of a model (0 when dense). */
export function expertCount(model: ModelSpec): number {
  return model.category === "decoder-llm" && model.moe ? model.moe.experts : 0;
}

/** Checks an ep degree against the model (experts divisible, MoE model); `path` names the field. */
export function checkExpertParallel(model: ModelSpec, ep: number, path = "parallelism.ep"): void {
  const msg = expertParallelProblem(expertCount(model), ep, model.id);
  if (msg) throw new XpusimError(error("E_RANGE", path, msg.message, { hint: msg.hint }));
}

/** The reason an ep degree is invalid for a model with `experts` routed experts, or undefined. */
export function expertParallelProblem(experts: number, ep: number, model = "the model"): { message: string; hint: string } | undefined {
  if (!Number.isInteger(ep) || ep < 1) return { message: `ep must be a positive integer, got ${String(ep)}`, hint: "ep = 1 disables expert parallelism" };
  if (ep === 1) return undefined;
  if (experts === 0) return { message: `expert parallelism (ep = ${ep}) needs a mixture-of-experts model; ${model} is dense`, hint: "use ep = 1" };
  if (experts % ep !== 0) return { message: `ep = ${ep} does not divide the ${experts} experts of ${model}`, hint: `use an ep that divides ${experts}` };
  return undefined;
}
