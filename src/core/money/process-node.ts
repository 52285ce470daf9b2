import { XpusimError, unknownId } from "../diagnostics/diagnostic.js";
import type { ProcessNodeCost, SiliconCostTable } from "../spec/money-spec.js";

/** "5nm", "5 nm", "N5", "TSMC N5", "tsmc 4n" → the catalog's node entry (by id or alias, case- and space-insensitive). */
export function findProcessNode(silicon: SiliconCostTable, name: string): ProcessNodeCost {
  const key = normalise(name);
  const hit = silicon.nodes.find((n) => normalise(n.id) === key || n.aliases.some((a) => normalise(a) === key));
  if (hit) return hit;
  const ids = silicon.nodes.map((n) => n.id);
  throw new XpusimError(unknownId("process node", name, ids, "node"));
}

const normalise = (s: string): string => s.toLowerCase().replace(/\s+/g, "").replace(/^(tsmc|samsung|intel)/, "");
