import type { VitSpec } from "../../spec/model-spec.js";
import { normParams } from "../../spec/norm-params.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import { conv, elementwise, embedding, linear, norm } from "./op-factory.js";
import { layerOps } from "./transformer-layer.js";

/** Tokens of a ViT at `imageSize`: (image / patch)² patches + the class token. */
export function vitTokens(spec: VitSpec, imageSize: number = spec.image_size): number {
  const side = Math.floor(imageSize / spec.patch_size);
  return side * side + (spec.class_token ? 1 : 0);
}

/**
 * Vision Transformer (Dosovitskiy et al. 2021) on `batch` images of `imageSize` pixels:
 *
 *   patch embedding (p×p stride-p conv) → prepend class token → + positions → [layer × L]
 *   → final LayerNorm → classifier on the class token
 *
 * At an image size other than the spec's, the position table (spec size) is interpolated to the
 * new token count; its parameter count stays that of the spec.
 */
export function buildVitBlocks(spec: VitSpec, batch: number, imageSize: number, fused: boolean, p: Precision): Block[] {
  const d = spec.hidden_size;
  const tokens = vitTokens(spec, imageSize);
  const T = batch * tokens;
  const rows = vitTokens(spec);

  const embed: Op[] = [
    conv("patch_embed", { n: batch, h: imageSize, w: imageSize, c_in: spec.channels, c_out: d, k: spec.patch_size, stride: spec.patch_size, padding: 0, groups: 1, bias: true }, p),
  ];
  if (spec.class_token) embed.push(elementwise("embed.class_token", "pointwise", "concat", T * d, 1, 0, p, { params: d }));
  embed.push(embedding("embed.positions", T, rows, d, rows * d, p));
  embed.push(elementwise("embed.add", "pointwise", "add", T * d, 2, 1, p));
  const blocks: Block[] = [{ name: "embedding", kind: "embedding", repeat: 1, ops: embed }];

  const ops = layerOps(
    { attention: spec.attention, ffn: spec.ffn, norm: spec.norm, parallel: false, ffn_width: spec.ffn.intermediate_size },
    { d, batch, seq_q: tokens, seq_kv: tokens, causal: false, fused, rope: false, kv_cache: false, mla_absorbed: false, p },
  );
  blocks.push({ name: "encoder_layer", kind: "layer", repeat: spec.layers, ops });

  const tail: Op[] = [];
  if (spec.norm.final) tail.push(norm("final_norm", spec.norm.type, T, d, normParams(spec.norm, d), p));
  if (spec.num_classes > 0) tail.push(linear("head", "replicated", batch, d, spec.num_classes, p, { bias: true }));
  if (tail.length) blocks.push({ name: "head", kind: "head", repeat: 1, ops: tail });
  return blocks;
}
