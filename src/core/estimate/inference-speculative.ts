import type { CostContext } from "../cost/contract.js";
import type { ModelSpec } from "../spec/model-spec.js";
import { buildWorkload, kvCacheBytes } from "../workload/build-workload.js";
import type { Precision } from "../workload/precision.js";
import { type DecodeEstimate, decodePhaseOf, type DecodeSetup, simpson } from "./inference-decode.js";
import type { InferenceLayout } from "./inference-layout.js";
import { kvShareTp, weightsPerChipBytes } from "./inference-memory.js";
import { hiddenSize, type InferencePasses } from "./inference-pass.js";
import type { ShardedPassCost } from "./sharded-pass.js";
import { expectedTokensPerStep, type SpeculativeOptions } from "./speculative-decoding.js";

/**
 * Speculative decoding (speculative-decoding.ts): per step, k draft decode steps + one target pass
 * verifying k + 1 tokens (Leviathan et al. 2023); TPOT = (k·t_draft + t_verify) / E[tokens].
 */
export function speculativeDecode(s: DecodeSetup, spec: SpeculativeOptions): DecodeEstimate {
  const { passes, ctx, model, points } = s;
  const k = spec.draft_tokens;
  const hidden = hiddenSize(model);
  const ctxCap = model.category === "decoder-llm" ? Math.max(model.max_context, k + 1) : Infinity;
  const e = expectedTokensPerStep(spec.acceptance_rate, k);
  const draft = spec.draft;
  const draftHidden = draft ? hiddenSize(draft, hidden) : hidden;
  const draftContext = (c: number) => (draft && draft.category === "decoder-llm" ? Math.min(c, draft.max_context) : c);
  const verify = points.map((c) => passes.decodeStep(ctx, model, Math.min(c + k, ctxCap), k + 1, hidden));
  const drafts = draft ? points.map((c) => passes.decodeStep(ctx, draft, draftContext(c), 1, draftHidden)) : undefined;
  const plain = points.map((c) => passes.decodeStep(ctx, model, c, 1, hidden));
  const stepOf = (f: (g: ShardedPassCost) => number, i: number) => f(verify[i]!) + (drafts ? k * f(drafts[i]!) : 0);
  const perToken = (f: (g: ShardedPassCost) => number) => simpson(points.map((_, i) => stepOf(f, i))) / e;
  const { tpot_s, phase } = decodePhaseOf(s.steps, perToken, (verify[1] ?? verify[0]!).bound, verify[0]!.energy_j !== undefined);
  const plainS = simpson(plain.map((g) => g.time_s));
  const out: DecodeEstimate = {
    phase,
    tpot_s,
    speculative: {
      ...(draft ? { draft_model: draft.id } : {}),
      draft_tokens: k,
      acceptance_rate: spec.acceptance_rate,
      expected_tokens_per_step: e,
      target_passes: Math.ceil(s.steps / e),
      draft_step_s: drafts ? simpson(drafts.map((g) => g.time_s)) : 0,
      verify_step_s: simpson(verify.map((g) => g.time_s)),
      plain_tpot_s: plainS,
      speedup: tpot_s > 0 ? plainS / tpot_s : 0,
    },
  };
  const noDq = s.noDequantCtx;
  if (noDq) {
    const nv = simpson(points.map((c) => passes.decodeStep(noDq, model, Math.min(c + k, ctxCap), k + 1, hidden).time_s));
    const nd = draft ? simpson(points.map((c) => passes.decodeStep(noDq, draft, c, 1, draftHidden).time_s)) : 0;
    out.no_dequant_tpot_s = (nv + k * nd) / e;
  }
  return out;
}

/** A draft model holds its own weights and KV cache, and prefills the prompt before the first step. */
export function draftModelCost(
  passes: InferencePasses,
  ctx: CostContext,
  draft: ModelSpec,
  target: { hidden: number; input_tokens: number; output_tokens: number; draft_tokens: number },
  precision: Precision,
  l: InferenceLayout,
): { prefill: ShardedPassCost; memory_bytes: number } {
  const b = l.batchPerReplica;
  const graph = buildWorkload(draft, passes.prefillShape(b, target.input_tokens), precision);
  const prefill = passes.run(ctx, graph, b * target.input_tokens, hiddenSize(draft, target.hidden));
  const kv = kvCacheBytes(draft, target.input_tokens + target.output_tokens + target.draft_tokens, precision.kv_cache, b);
  return { prefill, memory_bytes: weightsPerChipBytes(draft, precision, l.tp, l.pp) + kv * kvShareTp(draft, l.tp) / l.pp };
}
