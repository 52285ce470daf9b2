import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { UnetSpec } from "../../spec/model-spec.js";
import { convOutputSize } from "../op-metrics.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import { actFlops, attention, conv, elementwise, linear, norm, residualAdd } from "./op-factory.js";

/**
 * One evaluation of a diffusers UNet2DConditionModel (Stable Diffusion 1.x layout; Rombach et al.
 * 2022) on `batch` latents of `latent` × `latent` pixels with `text_tokens` text embeddings:
 *
 *   time embedding, conv_in → down blocks (ResNets [+ transformers], downsample) → mid block
 *   (ResNet, transformer, ResNet) → up blocks (skip concat, ResNets [+ transformers], upsample)
 *   → GroupNorm, SiLU, conv_out
 *
 * ResNet: GroupNorm, SiLU, 3×3 conv, + time projection, GroupNorm, SiLU, 3×3 conv, 1×1 shortcut
 * when channels change. Transformer: GroupNorm, proj_in, [LN, self-attention, LN, cross-attention
 * to the text, LN, GEGLU feed-forward] × transformer_layers_per_block, proj_out, residual.
 * Built this way the SD 1.5 UNet has exactly 859,520,964 parameters and 401,636,720,640 MACs per
 * 64×64 latent (models.md §9). Classifier-free guidance doubles the batch; steps repeat the graph.
 *
 * Roles: the transformer blocks' projections are column / row parallel as in Megatron; ResNets,
 * convolutions and the time embedding are replicated. The estimators do not split a U-Net over
 * chips today (tensor parallelism is refused for this category); the roles say what would split.
 */
export function buildUnetBlocks(spec: UnetSpec, batch: number, latent: number, p: Precision): Block[] {
  const levels = spec.block_out_channels.length;
  const factor = 2 ** (levels - 1);
  if (latent % factor !== 0) {
    throw new XpusimError(
      error("E_RANGE", "shape.image_size", `the latent (${latent}×${latent}) must be a multiple of ${factor} so skip connections line up`, {
        hint: `use an image size that is a multiple of ${factor * spec.vae_scale_factor} pixels`,
      }),
    );
  }
  const B = batch;
  const C0 = spec.block_out_channels[0]!;
  const temb = spec.time_embedding_dim ?? 4 * C0;
  const heads = spec.attention_heads;
  const X = spec.cross_attention_dim;
  const L = spec.text_tokens;

  const resnet = (ops: Op[], name: string, cin: number, cout: number, hw: number) => {
    const px = B * hw * hw;
    ops.push(norm(`${name}.norm1`, "groupnorm", px, cin, 2 * cin, p));
    ops.push(elementwise(`${name}.silu1`, "pointwise", "silu", px * cin, 1, actFlops("silu"), p, { epilogue_of: `${name}.norm1` }));
    ops.push(conv(`${name}.conv1`, { n: B, h: hw, w: hw, c_in: cin, c_out: cout, k: 3, stride: 1, padding: 1, groups: 1, bias: true }, p));
    ops.push(linear(`${name}.time_emb_proj`, "replicated", B, temb, cout, p, { bias: true }));
    ops.push(elementwise(`${name}.time_add`, "pointwise", "add", px * cout, 2, 1, p, { epilogue_of: `${name}.conv1` }));
    ops.push(norm(`${name}.norm2`, "groupnorm", px, cout, 2 * cout, p));
    ops.push(elementwise(`${name}.silu2`, "pointwise", "silu", px * cout, 1, actFlops("silu"), p, { epilogue_of: `${name}.norm2` }));
    ops.push(conv(`${name}.conv2`, { n: B, h: hw, w: hw, c_in: cout, c_out: cout, k: 3, stride: 1, padding: 1, groups: 1, bias: true }, p));
    if (cin !== cout) ops.push(conv(`${name}.conv_shortcut`, { n: B, h: hw, w: hw, c_in: cin, c_out: cout, k: 1, stride: 1, padding: 0, groups: 1, bias: true }, p));
    ops.push(residualAdd(`${name}.residual`, px * cout, p, `${name}.conv2`));
  };

  const transformer = (ops: Op[], name: string, c: number, hw: number) => {
    const n = hw * hw;
    const rows = B * n;
    const hd = c / heads;
    const proj = (pn: string) =>
      spec.use_linear_projection
        ? linear(pn, "replicated", rows, c, c, p, { bias: true })
        : conv(pn, { n: B, h: hw, w: hw, c_in: c, c_out: c, k: 1, stride: 1, padding: 0, groups: 1, bias: true }, p);
    ops.push(norm(`${name}.norm`, "groupnorm", rows, c, 2 * c, p));
    ops.push(proj(`${name}.proj_in`));
    for (let t = 0; t < spec.transformer_layers_per_block; t++) {
      const b = `${name}.transformer_blocks.${t}`;
      const core = { batch: B, heads, kv_heads: heads, head_dim_qk: hd, head_dim_v: hd, seq_q: n, causal: false, fused: true };
      ops.push(norm(`${b}.norm1`, "layernorm", rows, c, 2 * c, p));
      ops.push(linear(`${b}.attn1.to_qkv`, "column_parallel", rows, c, 3 * c, p));
      ops.push(attention(`${b}.attn1.core`, { ...core, seq_kv: n }, p, false));
      ops.push(linear(`${b}.attn1.to_out`, "row_parallel", rows, c, c, p, { bias: true }));
      ops.push(residualAdd(`${b}.attn1.residual`, rows * c, p, `${b}.attn1.to_out`));
      ops.push(norm(`${b}.norm2`, "layernorm", rows, c, 2 * c, p));
      ops.push(linear(`${b}.attn2.to_q`, "column_parallel", rows, c, c, p));
      ops.push(linear(`${b}.attn2.to_kv`, "column_parallel", B * L, X, 2 * c, p));
      ops.push(attention(`${b}.attn2.core`, { ...core, seq_kv: L }, p, false));
      ops.push(linear(`${b}.attn2.to_out`, "row_parallel", rows, c, c, p, { bias: true }));
      ops.push(residualAdd(`${b}.attn2.residual`, rows * c, p, `${b}.attn2.to_out`));
      const inner = spec.ff_mult * c;
      ops.push(norm(`${b}.norm3`, "layernorm", rows, c, 2 * c, p));
      ops.push(linear(`${b}.ff.proj`, "column_parallel", rows, c, 2 * inner, p, { bias: true }));
      ops.push(elementwise(`${b}.ff.geglu`, "split_elementwise", "gelu*mul", rows * inner, 2, actFlops("gelu") + 1, p, { epilogue_of: `${b}.ff.proj` }));
      ops.push(linear(`${b}.ff.out`, "row_parallel", rows, inner, c, p, { bias: true }));
      ops.push(residualAdd(`${b}.ff.residual`, rows * c, p, `${b}.ff.out`));
    }
    ops.push(proj(`${name}.proj_out`));
    ops.push(residualAdd(`${name}.residual`, rows * c, p, `${name}.proj_out`));
  };

  const blocks: Block[] = [];
  const stem: Op[] = [
    elementwise("time_proj", "pointwise", "sinusoidal", B * C0, 1, 4, p),
    linear("time_embedding.linear_1", "replicated", B, C0, temb, p, { bias: true }),
    elementwise("time_embedding.silu", "pointwise", "silu", B * temb, 1, actFlops("silu"), p, { epilogue_of: "time_embedding.linear_1" }),
    linear("time_embedding.linear_2", "replicated", B, temb, temb, p, { bias: true }),
    // Every ResNet applies SiLU to the time embedding before its projection.
    elementwise("time_embedding.silu_out", "pointwise", "silu", B * temb, 1, actFlops("silu"), p, { epilogue_of: "time_embedding.linear_2" }),
    conv("conv_in", { n: B, h: latent, w: latent, c_in: spec.in_channels, c_out: C0, k: 3, stride: 1, padding: 1, groups: 1, bias: true }, p),
  ];
  blocks.push({ name: "stem", kind: "stage", repeat: 1, ops: stem });

  let hw = latent;
  let cin = C0;
  const skips: number[] = [C0];
  spec.down_block_types.forEach((type, i) => {
    const c = spec.block_out_channels[i]!;
    const ops: Op[] = [];
    for (let j = 0; j < spec.layers_per_block; j++) {
      resnet(ops, `down_blocks.${i}.resnets.${j}`, cin, c, hw);
      cin = c;
      if (type === "CrossAttnDownBlock2D") transformer(ops, `down_blocks.${i}.attentions.${j}`, c, hw);
      skips.push(c);
    }
    if (i < levels - 1) {
      ops.push(conv(`down_blocks.${i}.downsamplers.0.conv`, { n: B, h: hw, w: hw, c_in: c, c_out: c, k: 3, stride: 2, padding: 1, groups: 1, bias: true }, p));
      hw = convOutputSize(hw, 3, 2, 1);
      skips.push(c);
    }
    blocks.push({ name: `down_blocks.${i}`, kind: "stage", repeat: 1, ops });
  });

  const top = spec.block_out_channels[levels - 1]!;
  const mid: Op[] = [];
  resnet(mid, "mid_block.resnets.0", top, top, hw);
  transformer(mid, "mid_block.attentions.0", top, hw);
  resnet(mid, "mid_block.resnets.1", top, top, hw);
  blocks.push({ name: "mid_block", kind: "stage", repeat: 1, ops: mid });

  const reversed = [...spec.block_out_channels].reverse();
  let prev = top;
  spec.up_block_types.forEach((type, i) => {
    const c = reversed[i]!;
    const ops: Op[] = [];
    for (let j = 0; j <= spec.layers_per_block; j++) {
      const skip = skips.pop()!;
      const rin = j === 0 ? prev : c;
      ops.push(elementwise(`up_blocks.${i}.concat.${j}`, "pointwise", "concat", B * (rin + skip) * hw * hw, 1, 0, p));
      resnet(ops, `up_blocks.${i}.resnets.${j}`, rin + skip, c, hw);
      if (type === "CrossAttnUpBlock2D") transformer(ops, `up_blocks.${i}.attentions.${j}`, c, hw);
    }
    prev = c;
    if (i < levels - 1) {
      hw *= 2;
      ops.push(elementwise(`up_blocks.${i}.upsamplers.0.nearest`, "pointwise", "upsample_nearest", B * c * hw * hw, 1, 0, p));
      ops.push(conv(`up_blocks.${i}.upsamplers.0.conv`, { n: B, h: hw, w: hw, c_in: c, c_out: c, k: 3, stride: 1, padding: 1, groups: 1, bias: true }, p));
    }
    blocks.push({ name: `up_blocks.${i}`, kind: "stage", repeat: 1, ops });
  });

  blocks.push({
    name: "out",
    kind: "head",
    repeat: 1,
    ops: [
      norm("conv_norm_out", "groupnorm", B * latent * latent, C0, 2 * C0, p),
      elementwise("conv_act", "pointwise", "silu", B * latent * latent * C0, 1, actFlops("silu"), p, { epilogue_of: "conv_norm_out" }),
      conv("conv_out", { n: B, h: latent, w: latent, c_in: C0, c_out: spec.out_channels, k: 3, stride: 1, padding: 1, groups: 1, bias: true }, p),
    ],
  });
  return blocks;
}
