import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Placeholder: replaced by the security model (issue #9). */
export function securityFactor(_ctx: FactorContext): FactorValue {
  return unknownFactor("", "higher", ["security model"], "not computed yet");
}
