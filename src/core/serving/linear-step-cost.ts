import type { StepBatch, StepCostModel } from "./step-batch.js";

export interface LinearStepCostParams {
  /** Fixed time of every step, s. */
  base_s: number;
  /** Per prefill-chunk token, s. */
  per_prefill_token_s?: number;
  /** Per decoding sequence, s. */
  per_decode_seq_s?: number;
  /** Per context token attended by a decoding sequence, s. */
  per_context_token_s?: number;
  /** Power of one chip while a step runs, W (gives the model an energy: busy × step time × chips). */
  busy_power_w?: number;
  /** Power of one chip between steps, W (default 0 when busy_power_w is set). */
  idle_power_w?: number;
  /** Chips per instance (default 1). */
  chips?: number;
}

/** A hand-checkable step cost (tests, what-if studies): base + per-token terms. */
export function linearStepCost(p: LinearStepCostParams): StepCostModel {
  const pt = p.per_prefill_token_s ?? 0;
  const pd = p.per_decode_seq_s ?? 0;
  const pc = p.per_context_token_s ?? 0;
  const chips = p.chips ?? 1;
  const time = (b: StepBatch): number => {
    let tokens = 0;
    for (let i = 0; i < b.chunks; i++) tokens += b.chunk_tokens[i]!;
    return p.base_s + pt * tokens + pd * b.decodes + pc * b.decode_context_sum;
  };
  const model: StepCostModel = {
    id: "linear",
    notes: [`step time = ${p.base_s} s + ${pt} s/prefill token + ${pd} s/decode sequence + ${pc} s/context token`],
    stepTimeS: time,
    chips,
  };
  if (p.busy_power_w === undefined) return model;
  const busy = p.busy_power_w;
  return { ...model, idle_power_w: p.idle_power_w ?? 0, stepEnergyJ: (b: StepBatch) => busy * chips * time(b) };
}
