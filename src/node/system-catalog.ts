/**
 * The built-in system catalog (catalog/systems/<id>.yaml) and collective-library catalog
 * (catalog/collective-libraries/<id>.yaml), loaded lazily once per process. `loadSystem` takes a
 * catalog id, an alias ("DGX H100") or a path to a system spec (which may `extends:` a catalog
 * system); `defaultSystemFor(chip, count)` gives the system a chip is usually deployed in, or a
 * generic single node built from the chip's own scale-up link. The lookups themselves are
 * src/core/catalog/system-lookup.ts and default-system.ts (shared with the browser).
 */
import type { Chip } from "../core/hardware/chip.js";
import type { CollectiveLibrary, System } from "../core/network/build-system.js";
import { nodeLookups } from "./node-lookups.js";

export { libraryForVendor } from "../core/catalog/default-system.js";

const systems = () => nodeLookups().systems;

export function systemIds(): string[] {
  return systems().ids();
}

export function collectiveLibraryIds(): string[] {
  return systems().libraryIds();
}

/** A catalog collective library by id. */
export function loadCollectiveLibrary(id: string, path = "collective_library", file?: string): CollectiveLibrary {
  return systems().library(id, path, file);
}

/**
 * Validates and builds a raw system document (inline in a scenario, or read from a file). `chip`,
 * when given, is the chip object to place when the document names its id — how a default system
 * carries a user-defined chip (a spec file, not in the catalog) instead of looking it up by id.
 */
export function systemFromObject(raw: unknown, file?: string, chipObject?: Chip): System {
  return systems().fromObject(raw, file, chipObject);
}

/** The catalog system id a free-text description names (exact alias, else the longest alias it contains), or undefined. */
export function resolveSystemAlias(text: string): string | undefined {
  return systems().resolveAlias(text);
}

/** A catalog system by id or alias, or a system spec file by path (YAML/JSON). Unknown names get the closest ids as a hint. */
export function loadSystem(idOrPath: string): System {
  return systems().load(idOrPath);
}

export function loadAllSystems(): System[] {
  return systemIds().map(loadSystem);
}

/**
 * The system a chip is usually deployed in: a catalog system of the chip's own vendor with this
 * chip; else a vendor system whose chips have the same scale-up link, with this chip swapped in;
 * else any catalog system with this chip; else a generic node of up to 8 chips built from the
 * chip's own `interconnect.scale_up` (or its host link when it has none).
 */
export function defaultSystemFor(chip: Chip, count = 1): System {
  return nodeLookups().defaultSystem(chip, count);
}

/** The raw system document behind {@link defaultSystemFor}. Callers may merge overrides into it. */
export function defaultSystemDocument(chip: Chip, count = 1): Record<string, unknown> {
  return nodeLookups().defaultSystemDocument(chip, count);
}

/** A single node of up to 8 chips joined by the chip's own scale-up link (switch), or its host link (PCIe) without one. */
export function genericSystemFor(chip: Chip): System {
  return nodeLookups().genericSystem(chip);
}
