import { closest, error, XpusimError } from "../diagnostics/diagnostic.js";
import type { LinkFamilySpec } from "../spec/link-spec.js";
import type { PipelineUnitSpec } from "../spec/pipeline-unit-spec.js";
import type { CatalogStore } from "./catalog-store.js";
import type { SpecSupportLoader } from "./spec-support-type.js";

/**
 * The catalog's pipeline parts: fixed-function units (catalog/units) by id or alias, and links
 * (catalog/links) by the id a family's pattern spells ("pcie-gen4-x16" → family pcie, variant gen4,
 * 16 lanes).
 */
export interface ResolvedLink {
  id: string;
  family: string;
  name: string;
  variant: string;
  lanes: number;
  /** Raw signalling rate of the lanes after line coding, one direction. */
  raw_bytes_per_s: number;
  efficiency: number;
  /** What payload reaches, one direction: raw × efficiency. */
  bytes_per_s: number;
  latency_s: number;
  energy_pj_per_bit?: number;
}

export interface PipelinePartsLookup {
  unitIds(): string[];
  unit(id: string): PipelineUnitSpec;
  linkFamilyIds(): string[];
  linkFamily(id: string): LinkFamilySpec;
  /** Example ids of every family (its variants at its default or largest lane count). */
  linkExamples(): string[];
  link(id: string): ResolvedLink;
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");

function matchFamily(f: LinkFamilySpec, id: string): { variant: string; lanes?: number } | undefined {
  const variants = Object.keys(f.variants).map(escape).join("|");
  const source = escape(f.pattern).replace("{variant}", `(${variants})`).replace("{lanes}", "(\\d+)");
  const m = new RegExp(`^${source}$`).exec(id);
  if (!m) return undefined;
  const lanesFirst = f.pattern.indexOf("{lanes}") >= 0 && f.pattern.indexOf("{lanes}") < f.pattern.indexOf("{variant}");
  const [variant, lanes] = lanesFirst ? [m[2]!, m[1]] : [m[1]!, m[2]];
  return { variant, ...(lanes !== undefined ? { lanes: Number(lanes) } : {}) };
}

function resolveLink(f: LinkFamilySpec, id: string, variant: string, lanesGiven: number | undefined): ResolvedLink {
  const lanes = lanesGiven ?? f.default_lanes ?? 1;
  if (lanesGiven !== undefined && f.lanes && !f.lanes.includes(lanesGiven)) {
    throw new XpusimError(error("E_RANGE", "link.id", `link "${id}": ${f.name} has no ×${lanesGiven} width`, { expected: f.lanes.map((l) => `x${l}`).join(", "), got: `x${lanesGiven}` }));
  }
  const v = f.variants[variant]!;
  const raw = v.bytes_per_s_per_lane.value * lanes;
  const efficiency = v.efficiency?.value ?? f.efficiency.value;
  return {
    id,
    family: f.id,
    name: `${f.name} ${variant}${f.pattern.includes("{lanes}") ? ` ×${lanes}` : ""}`,
    variant,
    lanes,
    raw_bytes_per_s: raw,
    efficiency,
    bytes_per_s: raw * efficiency,
    latency_s: v.latency_s?.value ?? f.latency_s.value,
    ...(f.energy_pj_per_bit ? { energy_pj_per_bit: f.energy_pj_per_bit.value } : {}),
  };
}

export function createPipelinePartsLookup(units: CatalogStore, links: CatalogStore, support: SpecSupportLoader): PipelinePartsLookup {
  const unitSpecs = new Map<string, PipelineUnitSpec>();
  const familySpecs = new Map<string, LinkFamilySpec>();
  let aliasIndex: Map<string, string> | undefined;
  const parse = <T>(store: CatalogStore, id: string, schema: "unit" | "link"): T => {
    const s = support();
    return (store.compiled<T>(id, "spec") ??
      (schema === "unit" ? s.parseWith(s.pipelineUnitSpecSchema, store.raw(id), store.file(id)) : s.parseWith(s.linkFamilySpecSchema, store.raw(id), store.file(id)))) as T;
  };
  const unitId = (ref: string): string | undefined => {
    if (units.has(ref)) return ref;
    aliasIndex ??= new Map(units.ids().flatMap((id) => ((units.aliases(id) as string[] | undefined) ?? []).map((a) => [a.toLowerCase(), id] as const)));
    return aliasIndex.get(ref.toLowerCase());
  };
  const family = (id: string): LinkFamilySpec => {
    let f = familySpecs.get(id);
    if (!f) familySpecs.set(id, (f = parse<LinkFamilySpec>(links, id, "link")));
    return f;
  };
  const examples = (): string[] =>
    links.ids().flatMap((fid) => {
      const f = family(fid);
      const lanes = f.default_lanes ?? (f.lanes ? Math.max(...f.lanes) : undefined);
      return Object.keys(f.variants).map((v) => f.pattern.replace("{variant}", v).replace("{lanes}", String(lanes ?? 1)));
    });
  return {
    unitIds: () => units.ids(),
    unit(ref) {
      const id = unitId(ref);
      if (id === undefined) throw new XpusimError(error("E_UNKNOWN_ID", "unit", `no fixed-function unit "${ref}" in the catalog`, { hint: `did you mean ${closest(ref, units.ids()).join(", ")}? (\`xpusim catalog units\` lists them)` }));
      let spec = unitSpecs.get(id);
      if (!spec) unitSpecs.set(id, (spec = parse<PipelineUnitSpec>(units, id, "unit")));
      return spec;
    },
    linkFamilyIds: () => links.ids(),
    linkFamily: family,
    linkExamples: examples,
    link(id) {
      for (const fid of links.ids()) {
        const f = family(fid);
        const m = matchFamily(f, id);
        if (m) return resolveLink(f, id, m.variant, m.lanes);
      }
      throw new XpusimError(error("E_UNKNOWN_ID", "link.id", `no link "${id}" in the catalog`, { hint: `did you mean ${closest(id, examples()).join(", ")}? Or give bandwidth_bytes_per_s instead of id` }));
    },
  };
}
