import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Placeholder: replaced by the power model (issue #9). */
export function powerFactor(_ctx: FactorContext): FactorValue {
  return unknownFactor("", "higher", ["power model"], "not computed yet");
}
