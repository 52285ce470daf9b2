import type { MeasuredPoint } from "../validate/measured-point.js";
import { validatePoint, type ValidationResolvers, type ValidationResult } from "../validate/run-validation.js";
import { type FamilyValues, resolversWithValues } from "./calibrated-resolvers.js";

export type { FamilyValues } from "./calibrated-resolvers.js";
export { resolversWithValues } from "./calibrated-resolvers.js";

/** log(predicted / measured) of a point (to the nearer bound of a measured range; 0 inside it), or undefined when it cannot be predicted. */
export function logResidual(result: ValidationResult): number | undefined {
  if (result.status !== "ok" || result.error === undefined || !(result.error > -1)) return undefined;
  return Math.log1p(result.error);
}

/** The point's log residual under the given family values. */
export function pointResidual(p: MeasuredPoint, r: ValidationResolvers, values: FamilyValues): number | undefined {
  return logResidual(validatePoint(p, resolversWithValues(r, values)));
}
