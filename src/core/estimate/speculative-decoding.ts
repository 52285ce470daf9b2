import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { ModelSpec } from "../spec/model-spec.js";

/**
 * Speculative decoding (Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via
 * Speculative Decoding", arXiv 2211.17192; Chen et al. 2023, arXiv 2302.01318). Each step a cheap
 * draft proposes k tokens (k draft decode steps), and the target verifies all of them in one pass
 * over k + 1 new tokens. With each draft token accepted independently with probability α, the
 * tokens produced per step (accepted prefix + the target's own next token) have expectation
 *
 *   E[tokens] = (1 − α^(k+1)) / (1 − α)        (Leviathan et al. 2023, eq. 1; = k + 1 at α = 1)
 *
 * and the time per output token is TPOT = (k · t_draft + t_verify) / E[tokens].
 *
 * Without a draft model (self-speculation: Medusa heads, EAGLE, n-gram lookup) the draft cost is
 * taken as 0: the extra heads are a few small GEMMs next to the target pass (Cai et al. 2024,
 * arXiv 2401.10774), and the verify pass over k + 1 tokens already carries the target's cost.
 * The draft runs on the same chips with the same tp/pp as the target; its weights and KV cache
 * add to memory, its prefill of the prompt adds to TTFT.
 */
export interface SpeculativeOptions {
  /** The draft model; absent = self-speculation with draft cost 0. */
  draft?: ModelSpec;
  /** Tokens proposed per step, k ≥ 1. */
  draft_tokens: number;
  /** Probability α that the target accepts one draft token, in [0, 1]. */
  acceptance_rate: number;
}

export interface SpeculativeResult {
  draft_model?: string;
  draft_tokens: number;
  acceptance_rate: number;
  /** E[tokens per target pass] = (1 − α^(k+1)) / (1 − α). */
  expected_tokens_per_step: number;
  /** Target (verify) passes over the decode phase. */
  target_passes: number;
  /** Mean time of one draft decode step, s (0 without a draft model). */
  draft_step_s: number;
  /** Mean time of one target pass verifying k + 1 tokens, s. */
  verify_step_s: number;
  /** TPOT of plain decoding (one token per target pass) for comparison, s. */
  plain_tpot_s: number;
  /** plain_tpot_s / tpot_s. */
  speedup: number;
}

/** Expected tokens per speculative step for acceptance rate α and k draft tokens. */
export function expectedTokensPerStep(alpha: number, k: number): number {
  if (alpha >= 1) return k + 1;
  return (1 - alpha ** (k + 1)) / (1 - alpha);
}

export function checkSpeculative(s: SpeculativeOptions, target: ModelSpec): void {
  const range = (path: string, message: string, hint?: string) => new XpusimError(error("E_RANGE", path, message, hint ? { hint } : {}));
  if (!Number.isInteger(s.draft_tokens) || s.draft_tokens < 1) throw range("inference.speculative.draft_tokens", `draft_tokens must be a positive integer, got ${String(s.draft_tokens)}`, "typical values: 2-8");
  if (!(s.acceptance_rate >= 0 && s.acceptance_rate <= 1)) throw range("inference.speculative.acceptance_rate", `acceptance_rate must lie in [0, 1], got ${String(s.acceptance_rate)}`, "measured α is typically 0.6-0.9 for a same-family draft");
  if (target.category !== "decoder-llm") {
    throw new XpusimError(error("E_UNSUPPORTED", "inference.speculative", `speculative decoding applies to decoder LLMs; ${target.id} is a ${target.category}`));
  }
  if (s.draft && s.draft.category !== "decoder-llm") {
    throw new XpusimError(error("E_SCHEMA", "inference.speculative.draft_model", `the draft model must be a decoder LLM; ${s.draft.id} is a ${s.draft.category}`));
  }
}
