import type { Bound, CostContext } from "../cost/contract.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { PhaseResult } from "./inference-request.js";
import { hiddenSize, type InferencePasses, passCommS } from "./inference-pass.js";
import type { ShardedPassCost } from "./sharded-pass.js";
import type { SpeculativeResult } from "./speculative-decoding.js";

/**
 * The decode phase: `steps` = output_tokens − 1 steps after the prefill's first token, step i
 * attending input + i tokens. Its mean is integrated with Simpson's rule over the context length
 * (first, middle, last step): a step's cost is linear in context (KV reads, attention FLOPs) plus
 * constant terms, for which Simpson is exact; tile quantisation makes it very nearly so.
 */
export type DecodePhase = PhaseResult & { steps: number };

export interface DecodeEstimate {
  phase: DecodePhase;
  /** Mean time per output token of one sequence. */
  tpot_s: number;
  /** The same with weight dequantisation switched off (set when dequantisation applies). */
  no_dequant_tpot_s?: number;
  speculative?: SpeculativeResult;
}

/** What a decode estimator reads: the passes, the chip with and without dequantisation, the context points. */
export interface DecodeSetup {
  passes: InferencePasses;
  ctx: CostContext;
  /** The chip with dequantisation off; set only when weights are stored narrower than the math. */
  noDequantCtx?: CostContext;
  model: ModelSpec;
  steps: number;
  /** Context lengths of the sampled steps (decodeContextPoints). */
  points: number[];
}

/** The context lengths Simpson's rule samples: the first, middle and last decode step. */
export function decodeContextPoints(inputTokens: number, steps: number): number[] {
  const first = inputTokens + 1;
  const last = inputTokens + steps;
  return steps > 2 ? [first, Math.round((first + last) / 2), last] : steps > 1 ? [first, last] : [first];
}

/** The mean of a quantity sampled at decodeContextPoints (Simpson; trapezoid for two points). */
export function simpson(v: number[]): number {
  return v.length === 3 ? (v[0]! + 4 * v[1]! + v[2]!) / 6 : v.length === 2 ? (v[0]! + v[1]!) / 2 : v[0]!;
}

/**
 * The phase from a per-output-token mean of any pass quantity (`perToken(f)`), over `steps` tokens.
 * Returns the TPOT and the phase totals.
 */
export function decodePhaseOf(steps: number, perToken: (f: (g: ShardedPassCost) => number) => number, bound: Bound, withEnergy: boolean): { tpot_s: number; phase: DecodePhase } {
  const tpot = perToken((g) => g.time_s);
  const phase: DecodePhase = { steps, time_s: tpot * steps, flops: perToken((g) => g.compute.flops) * steps, bytes: perToken((g) => g.compute.bytes) * steps, bound };
  const comm = perToken(passCommS);
  if (comm > 0) phase.comm_s = comm * steps;
  if (withEnergy) phase.energy_j = perToken((g) => g.energy_j ?? 0) * steps;
  return { tpot_s: tpot, phase };
}

/** Plain decoding: one target pass per output token. */
export function plainDecode(s: DecodeSetup): DecodeEstimate {
  const hidden = hiddenSize(s.model);
  const gs = s.points.map((c) => s.passes.decodeStep(s.ctx, s.model, c, 1, hidden));
  const { tpot_s, phase } = decodePhaseOf(s.steps, (f) => simpson(gs.map(f)), (gs[1] ?? gs[0]!).bound, gs[0]!.energy_j !== undefined);
  const out: DecodeEstimate = { phase, tpot_s };
  const noDq = s.noDequantCtx;
  if (noDq) out.no_dequant_tpot_s = simpson(s.points.map((c) => s.passes.decodeStep(noDq, s.model, c, 1, hidden).time_s));
  return out;
}
