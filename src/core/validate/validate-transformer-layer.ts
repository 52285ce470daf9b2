import { evaluateShardedPass } from "../estimate/sharded-pass.js";
import type { System } from "../network/build-system.js";
import { layoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload } from "../workload/build-workload.js";
import type { Op, WorkloadGraph } from "../workload/op.js";
import { dtypeOf, num, precisionFor } from "./point-config.js";
import { pointSystem, type PointContext, type ValidationResult } from "./validation-result.js";
import { isLayerBlock } from "../workload/graph-semantics.js";

/**
 * One decoder layer split over a tensor-parallel group, measured op by op the way LLMCompass's
 * real-hardware baseline does (Zhang et al., ISCA'24, Fig. 5i–l; peers.md §LLMCompass): QKV, QKᵀ,
 * softmax, AV, Wo, W1, GeLU, W2, two LayerNorms and the two all-reduces, each its own kernel and
 * timed alone. So: unfused attention (QKᵀ and AV as batched GEMMs with a separate softmax whose
 * scores go through memory — the dense score matrix, as a PyTorch matmul computes it), the GeLU
 * not fused into W1, residual adds excluded (not among the measured ops). Each op is timed from
 * Python around a synchronize (LLMCompass ae/figure5 scripts), so an op shorter than the host's
 * dispatch time takes the dispatch time: eager execution with the family's dispatch overhead.
 * The all-reduces were measured apart (nccl-tests style), so they are priced as kernels alone.
 */
export function validateTransformerLayerPoint(pc: PointContext): ValidationResult {
  const { p, cfg } = pc;
  if (p.metric !== "latency_sum_of_ops") return pc.unsupported(`metric "${p.metric}" is not understood for transformer_layer`);
  const model = pc.r.modelByName(p.model, cfg);
  if (typeof model === "string") return pc.unsupported(model);
  if (model.category !== "decoder-llm") return pc.unsupported(`${model.id} is not a decoder LLM`);
  const graph = layerGraph(model, cfg);
  if (typeof graph === "string") return pc.unsupported(graph);
  pc.assumptions.push("LLMCompass per-op baseline: unfused attention with a separate softmax, GeLU as its own kernel, residual adds not measured");
  const tp = num(cfg.tp) ?? 1;
  let system: System | undefined;
  if (tp > 1) {
    const sys = pointSystem(pc, typeof cfg.system === "string" ? cfg.system : p.hardware);
    if (typeof sys === "string") return pc.unsupported(sys);
    system = sys;
    pc.assumptions.push(`system ${system.id}`);
  }
  const ctx = pc.r.context(pc.chip);
  const pass = evaluateShardedPass(graph, ctx, { execution: "eager" }, tp, 1, system ? layoutNetwork(system, tp, 1, 1) : undefined, 0, false);
  return pc.ok(pass.time_s);
}

/**
 * The graph of one decoder layer as LLMCompass measured it (prefill of `seq` tokens, or one decode
 * step over `kv_len`): the layer block alone, residual adds dropped, epilogues unfused.
 * A string is the reason it cannot be built.
 */
function layerGraph(model: ModelSpec, cfg: Record<string, unknown>): WorkloadGraph | string {
  const batch = num(cfg.batch) ?? 1;
  const seq = num(cfg.seq) ?? 1;
  const decode = /decode/i.test(String(cfg.phase ?? ""));
  const graph = buildWorkload(
    model,
    decode
      ? { batch, new_tokens: 1, context_tokens: num(cfg.kv_len) ?? seq, phase: "decode", lm_head_tokens: "last", fused_attention: false }
      : { batch, new_tokens: seq, context_tokens: seq, phase: "prefill", lm_head_tokens: "last", fused_attention: false },
    precisionFor(dtypeOf(cfg) ?? "fp16", cfg),
  );
  // The decoder layer block (H6 may replace this name lookup by the block's typed kind).
  const layer = graph.blocks.find(isLayerBlock);
  if (!layer) return `${model.id} has no decoder layer block`;
  const ops = layer.ops.filter((o) => o.role !== "residual").map((o) => (o.kind === "elementwise" && o.epilogue_of ? { ...o, epilogue_of: undefined } : o));
  return { ...graph, blocks: [{ ...layer, repeat: 1, ops: ops as Op[] }] };
}
