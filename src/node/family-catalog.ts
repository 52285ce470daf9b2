/**
 * The built-in chip-family catalog: catalog/families/<id>.yaml, from the compiled catalog when it
 * is current (validated at build time, each family parsed on first use), else validated from the
 * files once per process. `resolveEfficiency(chip)` merges the family chain (generic → … →
 * chip.family) with the chip's own `efficiency:` overrides; for catalog chips the merge was done at
 * build time. The lookups are src/core/catalog/family-lookup.ts; the merge is src/core/spec/family-spec.ts.
 */
import type { Chip } from "../core/hardware/chip.js";
import type { EfficiencyParams, FamilySpec, ResolvedEfficiency } from "../core/spec/family-spec.js";
import { nodeLookups } from "./node-lookups.js";

const families = () => nodeLookups().families;

export function familyIds(): string[] {
  return families().ids();
}

/** A validated family file by id (no chain resolution). */
export function loadFamily(id: string): FamilySpec {
  return families().load(id);
}

/** Family parameters merged down the chain, without chip overrides. */
export function resolveFamily(id: string): ResolvedEfficiency {
  return families().resolveFamily(id);
}

/** The chip's efficiency parameters: family chain + the chip's overrides, with provenance. */
export function resolveEfficiency(chip: Chip): ResolvedEfficiency {
  return families().resolveEfficiency(chip);
}

/** Just the parameter values (what CostContext.efficiency takes). */
export function efficiencyFor(chip: Chip): EfficiencyParams {
  return resolveEfficiency(chip).params;
}
