/**
 * Node-side wiring of the engine: catalog and file lookups injected into the browser-safe core
 * (scenario runner, validation harness).
 */
import type { CostContext } from "../core/cost/contract.js";
import type { Chip } from "../core/hardware/chip.js";
import { contextsFrom } from "../core/app/lookup-catalog.js";
import { findChipByAlias } from "./chip-catalog.js";
import { nodeLookups } from "./node-lookups.js";

let contexts: ((chip: Chip) => CostContext) | undefined;

/** The cost context of a chip: the chip and its family's efficiency parameters with its overrides. */
export function contextFor(chip: Chip): CostContext {
  contexts ??= contextsFrom(nodeLookups());
  return contexts(chip);
}

export { findChipByAlias };
