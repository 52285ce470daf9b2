import { fmtBytes } from "../report/table.js";
import type { TrainingSearchResult } from "../search/training-search.js";

/** The memory verdict every sized result carries (inference, training, a forward-pass breakdown). */
export interface MemoryVerdict {
  fits: boolean;
  memory_per_chip_bytes: number;
  memory_capacity_bytes: number;
  shortfall_bytes: number;
}

/**
 * Why a result is infeasible, or undefined when it is feasible: the one verdict every front end
 * shows the same way (the CLI exits 3 with it, the web UI flags the answer). A result without a
 * memory verdict (an op, a collective) is always feasible.
 */
export function infeasibleReason(r: object): string | undefined {
  // A serving run or a pipeline says why itself (no room for a KV cache; a stage that cannot run).
  if ("kind" in r && r.kind === "serving") return "feasible" in r && r.feasible === false ? String((r as { infeasible_reason?: string }).infeasible_reason ?? "infeasible") : undefined;
  if (!("fits" in r) || r.fits !== false) return undefined;
  if ("infeasible_reason" in r && typeof r.infeasible_reason === "string") return r.infeasible_reason;
  const m = r as MemoryVerdict;
  return `does not fit in memory: needs ${fmtBytes(m.memory_per_chip_bytes)} per chip, has ${fmtBytes(m.memory_capacity_bytes)} (short by ${fmtBytes(m.shortfall_bytes)})`;
}

/** Why a layout search found nothing, or undefined when some layout is feasible: its commonest rejection. */
export function searchInfeasibleReason(r: TrainingSearchResult): string | undefined {
  if (r.feasible > 0) return undefined;
  const commonest = [...r.rejections].sort((a, b) => b.count - a.count)[0];
  return `no layout is feasible: ${r.evaluated} priced, none fits${commonest ? ` (most rejected: ${commonest.reason}, ${commonest.count}×)` : ""}`;
}
