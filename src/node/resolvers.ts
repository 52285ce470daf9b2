/**
 * Node-side wiring of the engine: catalog and file lookups injected into the browser-safe core
 * (scenario runner, validation harness).
 */
import type { CostContext } from "../core/cost/contract.js";
import type { Chip } from "../core/hardware/chip.js";
import { findChipByAlias } from "./chip-catalog.js";
import { efficiencyFor } from "./family-catalog.js";

const contexts = new WeakMap<Chip, CostContext>();

/** The cost context of a chip: the chip and its family's efficiency parameters with its overrides. */
export function contextFor(chip: Chip): CostContext {
  const cached = contexts.get(chip);
  if (cached) return cached;
  const ctx: CostContext = { chip, efficiency: efficiencyFor(chip) };
  contexts.set(chip, ctx);
  return ctx;
}

export { findChipByAlias };
