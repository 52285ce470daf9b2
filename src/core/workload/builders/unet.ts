import { error, XpusimError } from "../../diagnostics/diagnostic.js";
import type { UnetSpec } from "../../spec/model-spec.js";
import { convOutputSize } from "../op-metrics.js";
import type { Block, Op } from "../op.js";
import type { Precision } from "../precision.js";
import { actFlops, elementwise, linear, norm } from "./op-factory.js";
import { pushResnet, pushTransformer, type UnetBuild, unetConv } from "./unet-layers.js";

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
  const C0 = spec.block_out_channels[0]!;
  const u: UnetBuild = { spec, B: batch, temb: spec.time_embedding_dim ?? 4 * C0, p };
  const down = downBlocks(u, latent);
  return [stemBlock(u, latent), ...down.blocks, midBlock(u, down.hw), ...upBlocks(u, down.hw, down.skips), outBlock(u, latent)];
}

/** Time embedding (sinusoidal, two linears with SiLU) and conv_in. */
function stemBlock(u: UnetBuild, latent: number): Block {
  const { spec, B, temb, p } = u;
  const C0 = spec.block_out_channels[0]!;
  const ops: Op[] = [
    elementwise("time_proj", "pointwise", "sinusoidal", B * C0, 1, 4, p),
    linear("time_embedding.linear_1", "replicated", B, C0, temb, p, { bias: true }),
    elementwise("time_embedding.silu", "pointwise", "silu", B * temb, 1, actFlops("silu"), p, { epilogue_of: "time_embedding.linear_1" }),
    linear("time_embedding.linear_2", "replicated", B, temb, temb, p, { bias: true }),
    // Every ResNet applies SiLU to the time embedding before its projection.
    elementwise("time_embedding.silu_out", "pointwise", "silu", B * temb, 1, actFlops("silu"), p, { epilogue_of: "time_embedding.linear_2" }),
    unetConv(u, "conv_in", latent, spec.in_channels, C0, 3),
  ];
  return { name: "stem", kind: "stage", repeat: 1, ops };
}

/** The down blocks, the latent size they end at and the channels of every skip connection they leave (in push order). */
function downBlocks(u: UnetBuild, latent: number): { blocks: Block[]; hw: number; skips: number[] } {
  const { spec } = u;
  const levels = spec.block_out_channels.length;
  const blocks: Block[] = [];
  let hw = latent;
  let cin = spec.block_out_channels[0]!;
  const skips: number[] = [cin];
  spec.down_block_types.forEach((type, i) => {
    const c = spec.block_out_channels[i]!;
    const ops: Op[] = [];
    for (let j = 0; j < spec.layers_per_block; j++) {
      pushResnet(u, ops, `down_blocks.${i}.resnets.${j}`, cin, c, hw);
      cin = c;
      if (type === "CrossAttnDownBlock2D") pushTransformer(u, ops, `down_blocks.${i}.attentions.${j}`, c, hw);
      skips.push(c);
    }
    if (i < levels - 1) {
      ops.push(unetConv(u, `down_blocks.${i}.downsamplers.0.conv`, hw, c, c, 3, 2));
      hw = convOutputSize(hw, 3, 2, 1);
      skips.push(c);
    }
    blocks.push({ name: `down_blocks.${i}`, kind: "stage", repeat: 1, ops });
  });
  return { blocks, hw, skips };
}

/** ResNet, transformer, ResNet at the lowest resolution. */
function midBlock(u: UnetBuild, hw: number): Block {
  const top = u.spec.block_out_channels.at(-1)!;
  const ops: Op[] = [];
  pushResnet(u, ops, "mid_block.resnets.0", top, top, hw);
  pushTransformer(u, ops, "mid_block.attentions.0", top, hw);
  pushResnet(u, ops, "mid_block.resnets.1", top, top, hw);
  return { name: "mid_block", kind: "stage", repeat: 1, ops };
}

/** The up blocks: each ResNet takes a skip connection (concatenated), then an upsample (nearest + conv). */
function upBlocks(u: UnetBuild, lowest: number, skips: number[]): Block[] {
  const { spec, B, p } = u;
  const levels = spec.block_out_channels.length;
  const reversed = [...spec.block_out_channels].reverse();
  const blocks: Block[] = [];
  let hw = lowest;
  let prev = reversed[0]!;
  spec.up_block_types.forEach((type, i) => {
    const c = reversed[i]!;
    const ops: Op[] = [];
    for (let j = 0; j <= spec.layers_per_block; j++) {
      const skip = skips.pop()!;
      const rin = j === 0 ? prev : c;
      ops.push(elementwise(`up_blocks.${i}.concat.${j}`, "pointwise", "concat", B * (rin + skip) * hw * hw, 1, 0, p));
      pushResnet(u, ops, `up_blocks.${i}.resnets.${j}`, rin + skip, c, hw);
      if (type === "CrossAttnUpBlock2D") pushTransformer(u, ops, `up_blocks.${i}.attentions.${j}`, c, hw);
    }
    prev = c;
    if (i < levels - 1) {
      hw *= 2;
      ops.push(elementwise(`up_blocks.${i}.upsamplers.0.nearest`, "pointwise", "upsample_nearest", B * c * hw * hw, 1, 0, p));
      ops.push(unetConv(u, `up_blocks.${i}.upsamplers.0.conv`, hw, c, c, 3));
    }
    blocks.push({ name: `up_blocks.${i}`, kind: "stage", repeat: 1, ops });
  });
  return blocks;
}

/** GroupNorm, SiLU and conv_out back to the latent channels. */
function outBlock(u: UnetBuild, latent: number): Block {
  const { spec, B, p } = u;
  const C0 = spec.block_out_channels[0]!;
  return {
    name: "out",
    kind: "head",
    repeat: 1,
    ops: [
      norm("conv_norm_out", "groupnorm", B * latent * latent, C0, 2 * C0, p),
      elementwise("conv_act", "pointwise", "silu", B * latent * latent * C0, 1, actFlops("silu"), p, { epilogue_of: "conv_norm_out" }),
      unetConv(u, "conv_out", latent, C0, spec.out_channels, 3),
    ],
  };
}
