import { XpusimError } from "../diagnostics/diagnostic.js";
import type { Chip } from "../hardware/chip.js";
import type { FamilySpec, ResolvedEfficiency } from "../spec/family-spec.js";
import type { CatalogStore } from "./catalog-store.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

/**
 * The chip-family catalog over a store. `resolveEfficiency(chip)` merges the family chain (generic →
 * … → chip.family) with the chip's own `efficiency:` overrides; for catalog chips the merge was done
 * at build time (`compiledEfficiency`).
 */
export interface FamilyLookup {
  ids(): string[];
  /** A validated family by id (no chain resolution; the chain is checked without the compiled catalog). */
  load(id: string): FamilySpec;
  /** Family parameters merged down the chain, without chip overrides. */
  resolveFamily(id: string): ResolvedEfficiency;
  /** The chip's efficiency parameters: family chain + the chip's overrides, with provenance. */
  resolveEfficiency(chip: Chip): ResolvedEfficiency;
}

export function createFamilyLookup(store: CatalogStore, support: SpecSupportLoader, compiledEfficiency: (chip: Chip) => ResolvedEfficiency | undefined): FamilyLookup {
  const specs = new Map<string, FamilySpec>();
  const resolved = new WeakMap<Chip, ResolvedEfficiency>();
  const ids = (): string[] => store.ids();

  const familySpec = (id: string): FamilySpec | undefined => {
    if (!store.has(id)) return undefined;
    let spec = specs.get(id);
    if (!spec) {
      const file = store.file(id);
      try {
        spec = store.compiled<FamilySpec>(id, "spec") ?? support().parseFamilySpec(store.raw(id), file);
      } catch (e) {
        throw e instanceof XpusimError ? e.withFile(file) : e;
      }
      specs.set(id, spec);
    }
    return spec;
  };
  const chainOf = (id: string): FamilySpec[] => support().resolveFamilyChain(id, familySpec, ids());

  return {
    ids,
    load: (id) => (store.kind === "compiled" ? familySpec(id) : undefined) ?? chainOf(id).at(-1)!,
    resolveFamily: (id) => support().mergeEfficiency(chainOf(id)),
    resolveEfficiency(chip) {
      const cached = resolved.get(chip);
      if (cached) return cached;
      const r = compiledEfficiency(chip) ?? support().mergeEfficiency(chainOf(chip.family), { raw: chip.efficiency_overrides, owner: chip.id, sources: chip.sources });
      resolved.set(chip, r);
      return r;
    },
  };
}
