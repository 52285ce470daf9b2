import type { CompareRow } from "./jobs/compare-job.js";
import type { ScenarioEstimate } from "./run-scenario.js";

/**
 * The JSON records of the product's contracts, the same for every front end (`--json`, the web UI,
 * the library): a job's result less its large internal detail, under the field names tools rely on.
 */

/** The result object of the scenario contract (docs/scenario.md): an inference result without its per-op prefill detail. */
export function publicScenarioResult(r: ScenarioEstimate): Record<string, unknown> {
  if (r.kind === "inference") {
    const { prefill_detail, ...rest } = r;
    return rest;
  }
  return { ...r };
}

/** One comparison row as a record: the estimate's fields with the row's own (cost, dtype choice, smallest fit). */
export function compareRecord(r: CompareRow): Record<string, unknown> {
  if (!r.ok) return { chip: r.chip, ok: false, reason: r.reason, ...(r.dtype_choice ? { dtype_choice: r.dtype_choice } : {}) };
  const { chip, ok, inference, training, ...extra } = r;
  if (training) return { ok: true, ...training, ...extra };
  const { prefill_detail, ...inf } = inference!;
  const { usd_per_million_tokens, ...rest } = extra;
  return { ok: true, ...inf, ...(usd_per_million_tokens !== undefined ? { usd_per_million_tokens } : {}), ...rest };
}
