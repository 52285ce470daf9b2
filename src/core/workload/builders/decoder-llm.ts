import type { DecoderSpec } from "../../spec/model-spec.js";
import { normParams } from "../../spec/norm-params.js";
import { decoderLayerGroups } from "../layer-groups.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import type { WorkloadShape } from "../workload-shape.js";
import { elementwise, embedding, linear, norm } from "./op-factory.js";
import { type LayerContext, layerOps } from "./transformer-layer.js";

/**
 * Decoder-only LLM graph for one prefill or decode step:
 *
 *   embedding → [decoder layer × L, one block per distinct layer kind] → final norm → LM head
 *
 * Layers of the same kind are one block with `repeat` (Llama 3.1 405B: one block × 126); Gemma 2
 * gives a local and a global block, DeepSeek-V3 a dense and an MoE block. MLA decode steps use the
 * absorbed form (attention over the cached latent); prefill up-projects the latent (see
 * transformer-layer.ts).
 */
export function buildDecoderBlocks(spec: DecoderSpec, shape: WorkloadShape, p: Precision): Block[] {
  const d = spec.hidden_size;
  const B = shape.batch;
  const q = shape.new_tokens;
  const T = B * q;
  const ctx = shape.phase === "forward" ? q : shape.context_tokens;

  const embed: Op[] = [embedding("embed.tokens", T, spec.vocab_size, d, spec.vocab_size * d, p)];
  if (spec.position.type === "learned") {
    const rows = spec.position.learned_rows ?? spec.max_context;
    embed.push(embedding("embed.positions", T, rows, d, rows * d, p));
    embed.push(elementwise("embed.add", "pointwise", "add", T * d, 2, 1, p));
  }
  if (spec.embedding_norm) embed.push(norm("embed.norm", spec.norm.type, T, d, normParams(spec.norm, d), p));
  const blocks: Block[] = [{ name: "embedding", kind: "embedding", repeat: 1, ops: embed }];

  const moe = spec.moe
    ? {
        experts: spec.moe.experts,
        top_k: spec.moe.top_k,
        shared_experts: spec.moe.shared_experts,
        expert_intermediate_size: spec.moe.expert_intermediate_size,
        shared_expert_intermediate_size: spec.moe.shared_expert_intermediate_size ?? spec.moe.expert_intermediate_size,
        router_bias: spec.moe.router_bias,
      }
    : undefined;

  for (const g of decoderLayerGroups(spec)) {
    const c: LayerContext = {
      d, batch: B, seq_q: q, seq_kv: ctx, causal: true, fused: shape.fused_attention ?? true,
      rope: spec.position.type === "rope", kv_cache: shape.phase !== "forward",
      mla_absorbed: shape.phase === "decode", p,
      ...(g.window !== undefined ? { window: g.window } : {}),
    };
    const ops = layerOps(
      { attention: spec.attention, ffn: spec.ffn, norm: spec.norm, parallel: spec.parallel_attn_mlp, ffn_width: spec.ffn.intermediate_size, ...(g.moe && moe ? { moe } : {}) },
      c,
    );
    blocks.push({ name: g.kind ? `decoder_layer.${g.kind}` : "decoder_layer", kind: "layer", repeat: g.layers, ops });
  }

  const headRows = shape.lm_head_tokens === "last" ? B : T;
  const final: Op[] = [];
  if (spec.norm.final) final.push(norm("final_norm", spec.norm.type, headRows, d, normParams(spec.norm, d), p));
  final.push(linear("lm_head", "lm_head", headRows, d, spec.vocab_size, p, spec.tied_embeddings ? { weight_shared_with: "embed.tokens" } : {}));
  blocks.push({ name: "final", kind: "head", repeat: 1, ops: final });
  return blocks;
}
