/**
 * The built-in system catalog (catalog/systems/<id>.yaml) and collective-library catalog
 * (catalog/collective-libraries/<id>.yaml), loaded lazily once per process. `loadSystem` takes a
 * catalog id, an alias ("DGX H100") or a path to a system spec (which may `extends:` a catalog
 * system); `defaultSystemFor(chip, count)` gives the system a chip is usually deployed in, or a
 * generic single node built from the chip's own scale-up link.
 */
import { existsSync } from "node:fs";
import { closest, error, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { Chip } from "../core/hardware/chip.js";
import { buildCollectiveLibrary, buildSystem, type CollectiveLibrary, type System } from "../core/network/build-system.js";
import type { CollectiveLibrarySpec } from "../core/spec/collective-library-spec.js";
import { resolveExtendsChain } from "../core/spec/merge.js";
import { loadChip } from "./chip-catalog.js";
import { readDocument } from "./read-document.js";
import { catalogStore, type CatalogStore } from "./catalog-folder.js";
import { specSupport } from "./spec-support-loader.js";

let libraries: Map<string, { spec: CollectiveLibrarySpec; lib: CollectiveLibrary; file: string }> | undefined;
const built = new Map<string, System>();

/** The systems folder: compiled (validated and built at build time) when current, else the files. */
const systemStore = (): CatalogStore => catalogStore("systems");

function libraryCatalog() {
  if (libraries) return libraries;
  libraries = new Map();
  const store = catalogStore("collective-libraries");
  for (const id of store.ids()) {
    const file = store.file(id);
    const spec = store.compiled<CollectiveLibrarySpec>(id, "spec") ?? specSupport().parseWith(specSupport().collectiveLibrarySpecSchema, store.raw(id), file);
    libraries.set(id, { spec, lib: buildCollectiveLibrary(spec), file });
  }
  return libraries;
}

export function systemIds(): string[] {
  return systemStore().ids();
}

export function collectiveLibraryIds(): string[] {
  return [...libraryCatalog().keys()];
}

function unknown(kind: string, id: string, known: readonly string[], path: string, file?: string, listing?: string): XpusimError {
  const near = closest(id, known);
  return new XpusimError(
    error("E_UNKNOWN_ID", path, `unknown ${kind} "${id}"`, {
      got: id,
      ...(file ? { file } : {}),
      hint: `${near.length ? `did you mean ${near.map((x) => `"${x}"`).join(", ")}? ` : ""}(${listing ?? `known: ${known.join(", ")}`})`,
    }),
  );
}

/** A catalog collective library by id. */
export function loadCollectiveLibrary(id: string, path = "collective_library", file?: string): CollectiveLibrary {
  const entry = libraryCatalog().get(id);
  if (!entry) throw unknown("collective library", id, collectiveLibraryIds(), path, file);
  return entry.lib;
}

function librarySpec(id: string): CollectiveLibrarySpec {
  loadCollectiveLibrary(id);
  return libraryCatalog().get(id)!.spec;
}

/** Merges `extends:` chains (catalog system ids) into a raw system document. */
function resolveExtends(raw: unknown, file: string | undefined, seen: string[]): Record<string, unknown> {
  return resolveExtendsChain(raw, "system", (id) => (systemStore().has(id) ? systemStore().raw(id) : undefined), systemIds, { file, seen, figures: specSupport().systemSpecSchema });
}

/**
 * Validates and builds a raw system document (inline in a scenario, or read from a file). `chip`,
 * when given, is the chip object to place when the document names its id — how a default system
 * carries a user-defined chip (a spec file, not in the catalog) instead of looking it up by id.
 */
export function systemFromObject(raw: unknown, file?: string, chipObject?: Chip): System {
  const merged = resolveExtends(raw, file, []);
  const spec = specSupport().parseWith(specSupport().systemSpecSchema, merged, file);
  let chip: Chip;
  try {
    chip = chipObject !== undefined && spec.chip === chipObject.id ? chipObject : loadChip(spec.chip);
  } catch (e) {
    if (e instanceof XpusimError) {
      throw new XpusimError(e.diagnostics.map((d) => ({ ...d, path: d.path || "chip", ...(file && !d.file ? { file } : {}) })));
    }
    throw e;
  }
  return buildSystem(spec, chip, loadCollectiveLibrary(spec.collective_library, "collective_library", file), file);
}

/** Lower case, whitespace collapsed: the form aliases are compared in. */
const norm = (t: string): string => t.trim().replace(/\s+/g, " ").toLowerCase();

function aliasIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const id of systemIds()) {
    index.set(norm(id), id);
    const list = systemStore().aliases(id);
    if (Array.isArray(list)) for (const a of list) if (typeof a === "string") index.set(norm(a), id);
  }
  return index;
}

const wordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);
function containsWords(hay: string, needle: string): boolean {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    if (!wordChar(hay[at - 1]) && !wordChar(hay[at + needle.length])) return true;
  }
  return false;
}

/** The catalog system id a free-text description names (exact alias, else the longest alias it contains), or undefined. */
export function resolveSystemAlias(text: string): string | undefined {
  const index = aliasIndex();
  const t = norm(text);
  const exact = index.get(t);
  if (exact) return exact;
  let best: { len: number; id: string; ambiguous: boolean } | undefined;
  for (const [key, id] of index) {
    if (key.length > t.length || !containsWords(t, key)) continue;
    if (!best || key.length > best.len) best = { len: key.length, id, ambiguous: false };
    else if (key.length === best.len && best.id !== id) best.ambiguous = true;
  }
  return best && !best.ambiguous ? best.id : undefined;
}

/**
 * A catalog system by id or alias, or a system spec file by path (YAML/JSON). Unknown names get
 * the closest ids as a hint.
 */
export function loadSystem(idOrPath: string): System {
  const cached = built.get(idOrPath);
  if (cached) return cached;
  let system: System;
  if (systemStore().has(idOrPath)) system = systemStore().compiled<System>(idOrPath, "system") ?? systemFromObject(systemStore().raw(idOrPath), systemStore().file(idOrPath));
  else if (/\.(ya?ml|json)$/i.test(idOrPath) || (existsSync(idOrPath) && !aliasIndex().has(norm(idOrPath)))) system = systemFromObject(readDocument(idOrPath), idOrPath);
  else {
    const id = aliasIndex().get(norm(idOrPath));
    if (!id) throw unknown("system", idOrPath, systemIds(), "system", undefined, "`xpusim collective --list` lists the systems");
    system = loadSystem(id);
  }
  built.set(idOrPath, system);
  return system;
}

export function loadAllSystems(): System[] {
  return systemIds().map(loadSystem);
}

/** The library a chip's vendor ships (NCCL for NVIDIA, RCCL for AMD, XLA for Google), else generic. */
export function libraryForVendor(vendor: string): string {
  const v = vendor.toLowerCase();
  if (v.includes("nvidia")) return "nccl";
  if (v.includes("amd")) return "rccl";
  return "generic";
}

/**
 * The system a chip is usually deployed in: a catalog system of the chip's own vendor with this
 * chip; else a vendor system whose chips have the same scale-up link (same name and bandwidth),
 * with this chip swapped in; else any catalog system with this chip; else a generic node of up to
 * 8 chips built from the chip's own `interconnect.scale_up` (or its host link when it has none).
 * Among several, one that can hold `count` chips and has a scale-out network is preferred.
 */
export function defaultSystemFor(chip: Chip, count = 1): System {
  return systemFromObject(defaultSystemDocument(chip, count), undefined, chip);
}

/**
 * The raw system document behind {@link defaultSystemFor}: `{ extends: <catalog id> }` (plus the
 * chip when it is swapped in), or a complete generic document. Callers may merge overrides into it.
 */
export function defaultSystemDocument(chip: Chip, count = 1): Record<string, unknown> {
  const all = loadAllSystems();
  const vendorOf = (s: System) => (s.vendor ?? "").toLowerCase();
  const chipVendor = chip.vendor.toLowerCase().split(/\s+/)[0] ?? "";
  const rank = (s: System) => (s.scale_out ? 2 : 0) + (s.max_chips === undefined || s.max_chips >= count ? 1 : 0) + s.scale_up.domain_size / 1e4;
  const best = (list: System[]) => [...list].sort((a, b) => rank(b) - rank(a))[0];

  const own = best(all.filter((s) => s.chip_id === chip.id && vendorOf(s).includes(chipVendor)));
  if (own) return { extends: own.id, id: own.id };
  const link = chip.interconnect.scale_up;
  if (link?.bandwidth_per_direction_bytes_per_s !== undefined) {
    const pick = best(
      all.filter((s) => {
        const other = loadChip(s.chip_id).interconnect.scale_up;
        return vendorOf(s).includes(chipVendor) && other?.name === link.name && other.bandwidth_per_direction_bytes_per_s === link.bandwidth_per_direction_bytes_per_s;
      }),
    );
    if (pick) {
      return {
        extends: pick.id,
        id: `${pick.id}-${chip.id}`,
        name: `${pick.name} with ${chip.name}`,
        chip: chip.id,
        caveats: [`${chip.id} placed in ${pick.id} (same ${link.name} fabric)`],
      };
    }
  }
  const any = best(all.filter((s) => s.chip_id === chip.id));
  if (any) return { extends: any.id, id: any.id };
  return genericSystemDocument(chip);
}

/** A single node of up to 8 chips joined by the chip's own scale-up link (switch), or its host link (PCIe) without one. */
export function genericSystemFor(chip: Chip): System {
  return systemFromObject(genericSystemDocument(chip), undefined, chip);
}

/** " (6 links, 300 GB/s per direction)": what the chip file states about its link. */
function linkFigures(link: NonNullable<Chip["interconnect"]["scale_up"]>): string {
  const parts = [link.links !== undefined ? `${link.links} links` : undefined, link.bandwidth_per_direction_bytes_per_s !== undefined ? `${link.bandwidth_per_direction_bytes_per_s / 1e9} GB/s per direction` : undefined].filter((x) => x !== undefined);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function genericSystemDocument(chip: Chip): Record<string, unknown> {
  const libId = libraryForVendor(chip.vendor);
  const lib = librarySpec(libId);
  const su = chip.interconnect.scale_up;
  const hasLink = su?.bandwidth_per_direction_bytes_per_s !== undefined;
  const d = lib.default_scale_up;
  const raw = {
    id: `generic-${chip.id}`,
    name: `${chip.name}, generic node of up to 8 (${hasLink ? su!.name : "host link"})`,
    chip: chip.id,
    chips_per_node: 8,
    scale_up: {
      name: hasLink ? su!.name : (chip.interconnect.host?.name ?? "host link"),
      topology: hasLink ? "switch" : "none",
      domain_size: 8,
      latency: { value: d.latency.value, derived: `collective library ${libId}: default_scale_up.latency`, estimated: true },
      efficiency: { value: d.efficiency.value, derived: `collective library ${libId}: default_scale_up.efficiency`, estimated: true },
    },
    collective_library: libId,
    caveats: [
      `generic system: no catalog system uses ${chip.id}; assumed: up to 8 chips ${hasLink ? `fully connected through ${su!.name}${linkFigures(su!)} as if switched` : "talking through the host link"}, no scale-out network (a system file with NICs, --system, goes beyond 8)`,
    ],
  };
  return raw;
}
