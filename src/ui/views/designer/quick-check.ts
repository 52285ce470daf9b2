/** The designer's quick check of a variant: the same inference on base and variant. */
import type { Chip, InferenceJobRequest, SpecRef } from "../../../core/app/index.js";

export const CHECK_MODEL = "llama-3.1-8b";
const PREFERRED = ["bf16", "fp16", "fp8", "int8"] as const;
export type CheckDtype = (typeof PREFERRED)[number];

/** The compute dtype of the check: the first of bf16, fp16, fp8, int8 the base chip's matrix engine runs (none: the job's default). */
export function quickCheckDtype(base: Chip): CheckDtype | undefined {
  return PREFERRED.find((d) => base.matrix.peak_flops_per_s[d] !== undefined);
}

/** Decode of 128 tokens after a 512-token prompt, batch 1, one chip, in `dtype` when given. */
export function quickCheckRequest(chip: SpecRef, dtype?: CheckDtype): InferenceJobRequest {
  return { chip, model: CHECK_MODEL, batch: 1, input_tokens: 512, output_tokens: 128, chips: 1, tp: 1, pp: 1, ...(dtype ? { precision: { compute: dtype } } : {}) };
}
