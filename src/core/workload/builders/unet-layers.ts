import type { UnetSpec } from "../../spec/model-spec.js";
import type { Op } from "../op.js";
import type { Precision } from "../precision.js";
import { actFlops, attention, conv, elementwise, linear, norm, residualAdd } from "./op-factory.js";

/** What every U-Net layer builder needs: the spec, the batch, the time-embedding width and the precision. */
export interface UnetBuild {
  spec: UnetSpec;
  /** Latents per evaluation. */
  B: number;
  /** Time-embedding width. */
  temb: number;
  p: Precision;
}

/** A 3×3 (or 1×1) same-size convolution with bias over `hw` × `hw` pixels of the batch. */
export function unetConv(u: UnetBuild, name: string, hw: number, cin: number, cout: number, k: 1 | 3, stride = 1) {
  return conv(name, { n: u.B, h: hw, w: hw, c_in: cin, c_out: cout, k, stride, padding: k === 3 ? 1 : 0, groups: 1, bias: true }, u.p);
}

/** ResNet block: GroupNorm, SiLU, 3×3 conv, + time projection, GroupNorm, SiLU, 3×3 conv, 1×1 shortcut when channels change. */
export function pushResnet(u: UnetBuild, ops: Op[], name: string, cin: number, cout: number, hw: number): void {
  const { B, p } = u;
  const px = B * hw * hw;
  ops.push(norm(`${name}.norm1`, "groupnorm", px, cin, 2 * cin, p));
  ops.push(elementwise(`${name}.silu1`, "pointwise", "silu", px * cin, 1, actFlops("silu"), p, { epilogue_of: `${name}.norm1` }));
  ops.push(unetConv(u, `${name}.conv1`, hw, cin, cout, 3));
  ops.push(linear(`${name}.time_emb_proj`, "replicated", B, u.temb, cout, p, { bias: true }));
  ops.push(elementwise(`${name}.time_add`, "pointwise", "add", px * cout, 2, 1, p, { epilogue_of: `${name}.conv1` }));
  ops.push(norm(`${name}.norm2`, "groupnorm", px, cout, 2 * cout, p));
  ops.push(elementwise(`${name}.silu2`, "pointwise", "silu", px * cout, 1, actFlops("silu"), p, { epilogue_of: `${name}.norm2` }));
  ops.push(unetConv(u, `${name}.conv2`, hw, cout, cout, 3));
  if (cin !== cout) ops.push(unetConv(u, `${name}.conv_shortcut`, hw, cin, cout, 1));
  ops.push(residualAdd(`${name}.residual`, px * cout, p, `${name}.conv2`));
}

/** Spatial transformer: GroupNorm, proj_in, transformer_layers_per_block layers, proj_out, residual. */
export function pushTransformer(u: UnetBuild, ops: Op[], name: string, c: number, hw: number): void {
  const { spec, B, p } = u;
  const rows = B * hw * hw;
  const proj = (pn: string) => (spec.use_linear_projection ? linear(pn, "replicated", rows, c, c, p, { bias: true }) : unetConv(u, pn, hw, c, c, 1));
  ops.push(norm(`${name}.norm`, "groupnorm", rows, c, 2 * c, p));
  ops.push(proj(`${name}.proj_in`));
  for (let t = 0; t < spec.transformer_layers_per_block; t++) pushTransformerLayer(u, ops, `${name}.transformer_blocks.${t}`, c, hw);
  ops.push(proj(`${name}.proj_out`));
  ops.push(residualAdd(`${name}.residual`, rows * c, p, `${name}.proj_out`));
}

/** One transformer layer: LN, self-attention, LN, cross-attention to the text, LN, GEGLU feed-forward (each with a residual). */
function pushTransformerLayer(u: UnetBuild, ops: Op[], b: string, c: number, hw: number): void {
  const { spec, B, p } = u;
  const n = hw * hw;
  const rows = B * n;
  const heads = spec.attention_heads;
  const hd = c / heads;
  const core = { batch: B, heads, kv_heads: heads, head_dim_qk: hd, head_dim_v: hd, seq_q: n, causal: false, fused: true };
  ops.push(norm(`${b}.norm1`, "layernorm", rows, c, 2 * c, p));
  ops.push(linear(`${b}.attn1.to_qkv`, "column_parallel", rows, c, 3 * c, p));
  ops.push(attention(`${b}.attn1.core`, { ...core, seq_kv: n }, p, false));
  ops.push(linear(`${b}.attn1.to_out`, "row_parallel", rows, c, c, p, { bias: true }));
  ops.push(residualAdd(`${b}.attn1.residual`, rows * c, p, `${b}.attn1.to_out`));
  ops.push(norm(`${b}.norm2`, "layernorm", rows, c, 2 * c, p));
  ops.push(linear(`${b}.attn2.to_q`, "column_parallel", rows, c, c, p));
  ops.push(linear(`${b}.attn2.to_kv`, "column_parallel", B * spec.text_tokens, spec.cross_attention_dim, 2 * c, p));
  ops.push(attention(`${b}.attn2.core`, { ...core, seq_kv: spec.text_tokens }, p, false));
  ops.push(linear(`${b}.attn2.to_out`, "row_parallel", rows, c, c, p, { bias: true }));
  ops.push(residualAdd(`${b}.attn2.residual`, rows * c, p, `${b}.attn2.to_out`));
  const inner = spec.ff_mult * c;
  ops.push(norm(`${b}.norm3`, "layernorm", rows, c, 2 * c, p));
  ops.push(linear(`${b}.ff.proj`, "column_parallel", rows, c, 2 * inner, p, { bias: true }));
  ops.push(elementwise(`${b}.ff.geglu`, "split_elementwise", "gelu*mul", rows * inner, 2, actFlops("gelu") + 1, p, { epilogue_of: `${b}.ff.proj` }));
  ops.push(linear(`${b}.ff.out`, "row_parallel", rows, inner, c, p, { bias: true }));
  ops.push(residualAdd(`${b}.ff.residual`, rows * c, p, `${b}.ff.out`));
}
