import type { Chip } from "../hardware/chip.js";
import type { ValidationResolvers } from "../validate/validation-result.js";
import { withParamValues } from "./parameters.js";

/** Parameter values by family id, then key (`matrix_efficiency`, `matrix_efficiency_by_dtype.fp8`). */
export type FamilyValues = ReadonlyMap<string, Readonly<Record<string, number>>>;

/**
 * The resolvers with every chip of a family in `values` given those parameter values (all other
 * parameters as resolved). Each call builds new cost contexts, so caches keyed by a context never
 * mix parameter sets.
 */
export function resolversWithValues(r: ValidationResolvers, values: FamilyValues): ValidationResolvers {
  const contexts = new WeakMap<Chip, ReturnType<ValidationResolvers["context"]>>();
  return {
    ...r,
    context(chip) {
      const base = r.context(chip);
      const v = values.get(chip.family);
      if (!v) return base;
      let ctx = contexts.get(chip);
      if (!ctx) contexts.set(chip, (ctx = { ...base, efficiency: withParamValues(base.efficiency, v) }));
      return ctx;
    },
  };
}
