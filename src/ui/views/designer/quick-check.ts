/** The designer's quick check of a variant: the same inference on base and variant. */
import type { InferenceJobRequest, SpecRef } from "../../../core/app/index.js";

export const CHECK_MODEL = "llama-3.1-8b";

/** Decode of 128 tokens after a 512-token prompt, batch 1, one chip. */
export function quickCheckRequest(chip: SpecRef): InferenceJobRequest {
  return { chip, model: CHECK_MODEL, batch: 1, input_tokens: 512, output_tokens: 128, chips: 1, tp: 1, pp: 1 };
}
