/**
 * View state → the job requests of the Roofline view (pure; `ref` maps an id to what a job takes).
 * A prefill prices `tokens` new tokens per sequence; a decode step one new token with `tokens` in
 * the context, as `xpusim run --phase decode --context` does.
 */
import type { BreakdownRequest, OpRequest } from "../../../core/app/index.js";
import type { DType } from "../../../core/units/dtype.js";
import { byId, numberOf, type RefOf } from "../shared/typed-number.js";
import type { RooflineState } from "./roofline-state.js";

export function breakdownRequest(s: RooflineState, ref: RefOf = byId): BreakdownRequest {
  const phase = s.phase === "decode" ? "decode" : "prefill";
  const tokens = numberOf(s.tokens);
  const batch = numberOf(s.batch);
  return {
    model: ref(s.model),
    chip: ref(s.chip),
    phase,
    ...(batch !== undefined ? { batch } : {}),
    ...(tokens !== undefined ? (phase === "decode" ? { context: tokens } : { seq: tokens }) : {}),
    precision: { compute: s.dtype as DType },
  };
}

export function gemmRequest(s: RooflineState, ref: RefOf = byId): OpRequest {
  const dims = Object.fromEntries((["m", "n", "k", "batch"] as const).flatMap((k) => (numberOf(s[k]) !== undefined ? [[k, numberOf(s[k])!]] : [])));
  return { op: { type: "gemm", ...dims, dtype: s.dtype }, chip: ref(s.chip) };
}
