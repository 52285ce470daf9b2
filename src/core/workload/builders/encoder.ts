import type { EncoderSpec } from "../../spec/model-spec.js";
import { normParams } from "../../spec/norm-params.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import type { WorkloadShape } from "../workload-shape.js";
import { actFlops, elementwise, embedding, linear, norm } from "./op-factory.js";
import { layerOps } from "./transformer-layer.js";

/**
 * BERT-style bidirectional encoder over `new_tokens` tokens per sequence:
 *
 *   word + position (+ segment) embeddings → LayerNorm → [layer × L] → (pooler on the first token)
 *
 * No KV cache: every token attends to every token of its sequence. Pre-training heads (MLM/NSP)
 * are not part of the model (models.md §7).
 */
export function buildEncoderBlocks(spec: EncoderSpec, shape: WorkloadShape, p: Precision): Block[] {
  const d = spec.hidden_size;
  const B = shape.batch;
  const s = shape.new_tokens;
  const T = B * s;

  const embed: Op[] = [embedding("embed.tokens", T, spec.vocab_size, d, spec.vocab_size * d, p)];
  let summed = 1;
  if (spec.position.type === "learned") {
    const rows = spec.position.learned_rows ?? spec.max_context;
    embed.push(embedding("embed.positions", T, rows, d, rows * d, p));
    summed++;
  }
  if (spec.type_vocab_size > 0) {
    embed.push(embedding("embed.token_types", T, spec.type_vocab_size, d, spec.type_vocab_size * d, p));
    summed++;
  }
  if (summed > 1) embed.push(elementwise("embed.add", "pointwise", "add", T * d, summed, summed - 1, p));
  if (spec.embedding_norm) embed.push(norm("embed.norm", spec.norm.type, T, d, normParams(spec.norm, d), p));
  const blocks: Block[] = [{ name: "embedding", kind: "embedding", repeat: 1, ops: embed }];

  const ops = layerOps(
    { attention: spec.attention, ffn: spec.ffn, norm: spec.norm, parallel: false, ffn_width: spec.ffn.intermediate_size },
    { d, batch: B, seq_q: s, seq_kv: s, causal: false, fused: shape.fused_attention ?? true, rope: spec.position.type === "rope", kv_cache: false, mla_absorbed: false, p },
  );
  blocks.push({ name: "encoder_layer", kind: "layer", repeat: spec.layers, ops });

  const tail: Op[] = [];
  if (spec.norm.final) tail.push(norm("final_norm", spec.norm.type, T, d, normParams(spec.norm, d), p));
  if (spec.pooler) {
    tail.push(linear("pooler.dense", "replicated", B, d, d, p, { bias: true }));
    tail.push(elementwise("pooler.act", "pointwise", "tanh", B * d, 1, actFlops("tanh"), p, { epilogue_of: "pooler.dense" }));
  }
  if (tail.length) blocks.push({ name: "head", kind: "head", repeat: 1, ops: tail });
  return blocks;
}
