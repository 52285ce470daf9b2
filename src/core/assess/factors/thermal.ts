import { type FactorContext, type FactorValue, unknownFactor } from "../factor.js";

/** Placeholder: replaced by the thermal model (issue #9). */
export function thermalFactor(_ctx: FactorContext): FactorValue {
  return unknownFactor("", "higher", ["thermal model"], "not computed yet");
}
