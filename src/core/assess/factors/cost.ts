import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Placeholder: replaced by the cost model (issue #9). */
export function costFactor(_ctx: FactorContext): FactorValue {
  return unknownFactor("", "higher", ["cost model"], "not computed yet");
}
