import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildCnnBlocks } from "./builders/cnn.js";
import { buildDecoderBlocks } from "./builders/decoder-llm.js";
import { buildEncoderBlocks } from "./builders/encoder.js";
import { buildUnetBlocks } from "./builders/unet.js";
import { buildVitBlocks } from "./builders/vit.js";
import { kvCacheBytes, kvCacheBytesPerToken } from "./kv-cache.js";
import { modelParams } from "./model-params.js";
import type { Block, WorkloadGraph } from "./op.js";
import type { Precision } from "./precision.js";
import { validateShape, type WorkloadShape } from "./workload-shape.js";

/**
 * Model spec + shape + precision → workload graph (the "build" phase of the pipeline):
 *
 *   ModelSpec ──(category)──► builder ──► blocks of ops (identical layers: one block × repeat)
 *             └─► modelParams, kv-cache size ──► WorkloadGraph totals
 *
 * Builders only state shapes; FLOPs, bytes and parameters of each op come from op-metrics.ts.
 * Building is pure arithmetic with a few dozen ops for any decoder size (Llama 3.1 405B included).
 */

export type { WorkloadShape } from "./workload-shape.js";
export { kvCacheBytes, kvCacheBytesPerToken } from "./kv-cache.js";
export { attentionFlopsPerContextToken, flopsPerTokenForwardLinear, modelParams, type ModelParams } from "./model-params.js";

export function buildWorkload(model: ModelSpec, shape: WorkloadShape, precision: Precision): WorkloadGraph {
  validateShape(shape, model.category === "decoder-llm" ? "decoder" : model.category === "encoder" ? "encoder" : "image");
  // Models without a KV cache run one forward pass; "prefill" (process the input) means the same.
  if (model.category !== "decoder-llm" && shape.phase === "decode") {
    throw new XpusimError(
      error("E_UNSUPPORTED", "shape.phase", `a ${model.category} runs a single forward pass; decode steps apply to decoder LLMs`, {
        expected: '"forward" (or "prefill")',
        got: JSON.stringify(shape.phase),
      }),
    );
  }

  let blocks: Block[];
  let tokensPerSequence: number | undefined;
  switch (model.category) {
    case "decoder-llm":
      blocks = buildDecoderBlocks(model, shape, precision);
      tokensPerSequence = shape.new_tokens;
      break;
    case "encoder":
      blocks = buildEncoderBlocks(model, shape, precision);
      tokensPerSequence = shape.new_tokens;
      break;
    case "vision-transformer": {
      const image = shape.image_size ?? model.image_size;
      if (image < model.patch_size) {
        throw new XpusimError(error("E_RANGE", "shape.image_size", `must be at least the patch size (${model.patch_size} px)`, { got: String(image) }));
      }
      blocks = buildVitBlocks(model, shape.batch, image, shape.fused_attention ?? true, precision);
      break;
    }
    case "cnn":
      blocks = buildCnnBlocks(model, shape.batch, shape.image_size ?? model.input.image_size, precision, shape.training === true);
      break;
    case "diffusion-unet": {
      const image = shape.image_size ?? model.sample_size * model.vae_scale_factor;
      if (image % model.vae_scale_factor !== 0) {
        throw new XpusimError(error("E_RANGE", "shape.image_size", `must be a multiple of the VAE factor ${model.vae_scale_factor}`, { got: String(image) }));
      }
      blocks = buildUnetBlocks(model, shape.batch, image / model.vae_scale_factor, precision);
      break;
    }
  }

  const params = modelParams(model);
  const graph: WorkloadGraph = {
    name: model.id,
    category: model.category,
    blocks,
    batch: shape.batch,
    params_total: params.params_total,
    params_active: params.params_active,
    params_embedding: params.params_embedding,
    phase: model.category === "decoder-llm" ? shape.phase : "forward",
  };
  if (tokensPerSequence !== undefined) graph.tokens_per_sequence = tokensPerSequence;
  if (model.category === "decoder-llm") {
    const context = shape.phase === "forward" ? shape.new_tokens : shape.context_tokens;
    graph.context_tokens = context;
    graph.kv_cache_bytes_per_token = kvCacheBytesPerToken(model, precision.kv_cache);
    graph.kv_cache_bytes = shape.phase === "forward" ? 0 : kvCacheBytes(model, context, precision.kv_cache, shape.batch);
  }
  return graph;
}
