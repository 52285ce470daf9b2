import type { Chip } from "../core/hardware/chip.js";
import type { EfficiencyParams, FamilySpec, ResolvedEfficiency } from "../core/spec/family-spec.js";
import { XpusimError } from "../core/diagnostics/diagnostic.js";
import { catalogStore, type CatalogStore } from "./catalog-folder.js";
import { compiledEfficiency } from "./chip-catalog.js";
import { specSupport } from "./spec-support-loader.js";

/**
 * The built-in chip-family catalog: catalog/families/<id>.yaml, from the compiled catalog when it
 * is current (validated at build time, each family parsed on first use), else validated from the
 * files once per process. `resolveEfficiency(chip)` merges the family chain (generic → … →
 * chip.family) with the chip's own `efficiency:` overrides; for catalog chips the merge was done at
 * build time. The merge itself is pure (src/core/spec/family-spec.ts).
 */
const specs = new Map<string, FamilySpec>();
const resolvedCache = new WeakMap<Chip, ResolvedEfficiency>();

const store = (): CatalogStore => catalogStore("families");

/** A validated family file by id (undefined for unknown ids). */
function familySpec(id: string): FamilySpec | undefined {
  if (!store().has(id)) return undefined;
  let spec = specs.get(id);
  if (!spec) {
    const file = store().file(id);
    try {
      spec = store().compiled<FamilySpec>(id, "spec") ?? specSupport().parseFamilySpec(store().raw(id), file);
    } catch (e) {
      throw e instanceof XpusimError ? e.withFile(file) : e;
    }
    specs.set(id, spec);
  }
  return spec;
}

export function familyIds(): string[] {
  return store().ids();
}

const chainOf = (id: string): FamilySpec[] => specSupport().resolveFamilyChain(id, familySpec, familyIds());

/** A validated family file by id (no chain resolution). */
export function loadFamily(id: string): FamilySpec {
  // Without the compiled catalog (whose build checked every chain) the chain is checked here.
  return (store().kind === "compiled" ? familySpec(id) : undefined) ?? chainOf(id).at(-1)!;
}

/** Family parameters merged down the chain, without chip overrides. */
export function resolveFamily(id: string): ResolvedEfficiency {
  return specSupport().mergeEfficiency(chainOf(id));
}

/** The chip's efficiency parameters: family chain + the chip's overrides, with provenance. */
export function resolveEfficiency(chip: Chip): ResolvedEfficiency {
  const cached = resolvedCache.get(chip);
  if (cached) return cached;
  const r =
    compiledEfficiency(chip) ??
    specSupport().mergeEfficiency(chainOf(chip.family), { raw: chip.efficiency_overrides, owner: chip.id, sources: chip.sources });
  resolvedCache.set(chip, r);
  return r;
}

/** Just the parameter values (what CostContext.efficiency takes). */
export function efficiencyFor(chip: Chip): EfficiencyParams {
  return resolveEfficiency(chip).params;
}
