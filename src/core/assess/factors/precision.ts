import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Placeholder: replaced by the precision model (issue #9). */
export function precisionFactor(_ctx: FactorContext): FactorValue {
  return unknownFactor("", "higher", ["precision model"], "not computed yet");
}
