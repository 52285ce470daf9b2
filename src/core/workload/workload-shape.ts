import { type Diagnostic, error, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * The shape of one pass through a model.
 *
 * - LLM prefill: `new_tokens` prompt tokens per sequence, `context_tokens` = keys attended by the last
 *   one (the prompt plus any cached prefix), so `context_tokens ≥ new_tokens`.
 * - LLM decode step: `new_tokens` = 1 (or k for speculative verification), `context_tokens` = cached
 *   tokens + new tokens.
 * - Encoders: `new_tokens` = sequence length (bidirectional; context_tokens is ignored).
 * - ViT / CNN / UNet: `batch` images at `image_size` pixels (default: the model's own); token fields
 *   are ignored. For the UNet, `image_size` is the generated image; the latent is image_size / 8.
 * - Models without a KV cache run one forward pass: phase "forward", or "prefill" (same graph).
 */
export interface WorkloadShape {
  batch: number;
  new_tokens: number;
  context_tokens: number;
  phase: "prefill" | "decode" | "forward";
  image_size?: number;
  /** FlashAttention-style fused attention (default true); false materialises the score matrix. */
  fused_attention?: boolean;
  /**
   * Tokens whose logits the LM head computes: "all" (training, HF generate, the FLOP convention of
   * models.md) or "last" (serving engines compute logits only for the last prompt token). Default "all".
   */
  lm_head_tokens?: "all" | "last";
  /**
   * The pass is the forward of a training step (default false). Builders use it where a layer
   * computes differently when training: BatchNorm normalises with the statistics of the batch
   * (an extra reduction over N·H·W per channel) instead of folding running statistics.
   */
  training?: boolean;
}

const isPosInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x > 0;

/** Checks a shape; throws XpusimError with the field path of every problem. */
export function validateShape(shape: WorkloadShape, uses: "decoder" | "encoder" | "image"): void {
  const diags: Diagnostic[] = [];
  const need = (field: keyof WorkloadShape, v: unknown) => {
    if (!isPosInt(v)) {
      diags.push(error(v === undefined ? "E_SCHEMA" : "E_RANGE", `shape.${field}`, "must be a positive integer", { got: JSON.stringify(v) ?? "nothing" }));
    }
  };
  need("batch", shape.batch);
  if (uses !== "image") need("new_tokens", shape.new_tokens);
  if (uses === "decoder" && shape.phase !== "forward") {
    need("context_tokens", shape.context_tokens);
    if (isPosInt(shape.new_tokens) && isPosInt(shape.context_tokens) && shape.context_tokens < shape.new_tokens) {
      diags.push(
        error("E_RANGE", "shape.context_tokens", "context_tokens counts the new tokens too, so it cannot be below new_tokens", {
          got: `context_tokens ${shape.context_tokens}, new_tokens ${shape.new_tokens}`,
          hint: "prefill of a 2048-token prompt: new_tokens 2048, context_tokens 2048; a decode step at 4096 cached tokens: new_tokens 1, context_tokens 4097",
        }),
      );
    }
  }
  if (shape.image_size !== undefined) need("image_size", shape.image_size);
  if (!["prefill", "decode", "forward"].includes(shape.phase)) {
    diags.push(error("E_SCHEMA", "shape.phase", "value not allowed", { expected: 'one of "prefill", "decode", "forward"', got: JSON.stringify(shape.phase) }));
  }
  if (diags.length) throw new XpusimError(diags);
}
