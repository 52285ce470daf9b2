import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { XpusimError } from "../core/diagnostics/diagnostic.js";
import type { Chip } from "../core/hardware/chip.js";
import { mergeEfficiency, parseFamilySpec, resolveFamilyChain, type EfficiencyParams, type FamilySpec, type ResolvedEfficiency } from "../core/spec/family-spec.js";
import { catalogDir } from "./paths.js";
import { readDocument } from "./read-document.js";

/**
 * The built-in chip-family catalog: catalog/families/<id>.yaml, validated once per process.
 * `resolveEfficiency(chip)` merges the family chain (generic → … → chip.family) with the chip's
 * own `efficiency:` overrides; the merge itself is pure (src/core/spec/family-spec.ts).
 */
let byId: Map<string, { spec: FamilySpec; file: string }> | undefined;
const resolvedCache = new WeakMap<Chip, ResolvedEfficiency>();

function catalog(): Map<string, { spec: FamilySpec; file: string }> {
  if (byId) return byId;
  const map = new Map<string, { spec: FamilySpec; file: string }>();
  const dir = catalogDir("families");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(ya?ml|json)$/.test(f)) continue;
      const file = join(dir, f);
      let spec: FamilySpec;
      try {
        spec = parseFamilySpec(readDocument(file), file);
      } catch (e) {
        throw e instanceof XpusimError ? e.withFile(file) : e;
      }
      map.set(spec.id, { spec, file });
    }
  }
  byId = map;
  return map;
}

export function familyIds(): string[] {
  return [...catalog().keys()];
}

/** A validated family file by id (no chain resolution). */
export function loadFamily(id: string): FamilySpec {
  return resolveFamilyChain(id, (x) => catalog().get(x)?.spec, familyIds()).at(-1)!;
}

/** Family parameters merged down the chain, without chip overrides. */
export function resolveFamily(id: string): ResolvedEfficiency {
  return mergeEfficiency(resolveFamilyChain(id, (x) => catalog().get(x)?.spec, familyIds()));
}

/** The chip's efficiency parameters: family chain + the chip's overrides, with provenance. */
export function resolveEfficiency(chip: Chip): ResolvedEfficiency {
  const cached = resolvedCache.get(chip);
  if (cached) return cached;
  const chain = resolveFamilyChain(chip.family, (x) => catalog().get(x)?.spec, familyIds());
  const r = mergeEfficiency(chain, { raw: chip.efficiency_overrides, owner: chip.id, sources: chip.sources });
  resolvedCache.set(chip, r);
  return r;
}

/** Just the parameter values (what CostContext.efficiency takes). */
export function efficiencyFor(chip: Chip): EfficiencyParams {
  return resolveEfficiency(chip).params;
}
