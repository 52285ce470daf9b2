import type { FactorContext, FactorValue } from "../factor.js";
import { unknownFactor } from "../factor.js";
import { pct, si } from "./needs.js";

/**
 * Memory: capacity and bandwidth. Headline: capacity headroom per chip as a fraction of capacity
 * (negative when the workload does not fit: the shortfall as a fraction). Inference: 1 − bytes per
 * chip / capacity at the batch. Training: 1 − model state (weights + gradients + optimizer state at the
 * chosen ZeRO stage) / capacity — the share left for activations, since the training chooser spends
 * whatever is left on a larger micro-batch (total use is in the details). Details: bytes per chip for
 * weights, gradients, optimizer state, activations and KV cache; the largest batch and context that
 * fit (inference); and bandwidth: main-memory bytes/s the workload's ops demand while they run on the
 * chip (bytes / time of the op profile, or of the inference phases) against the chip's peak.
 */
export function memoryFactor(ctx: FactorContext): FactorValue {
  const e = ctx.mode === "training" ? ctx.training : ctx.inference;
  const cap = ctx.chip.memory.main.capacity_bytes;
  if (!e) return unknownFactor("fraction", "higher", ["estimate of memory per chip"], ctx.estimate_issue ?? "no estimate for this chip");
  const tb = ctx.mode === "training" ? ctx.training?.memory_breakdown_bytes : undefined;
  const used = tb ? tb.weights + tb.gradients + tb.optimizer : e.memory_per_chip_bytes;
  const headroom = e.fits ? 1 - used / cap : -e.shortfall_bytes / cap;
  const peakBw = ctx.chip.memory.main.bandwidth_bytes_per_s;
  const need = bandwidthNeed(ctx);
  const bwUse = need !== null && peakBw ? need / peakBw : null;
  const bd = e.memory_breakdown_bytes as Record<string, number | undefined>;
  const details: NonNullable<FactorValue["details"]> = {
    memory_per_chip_bytes: e.memory_per_chip_bytes,
    capacity_bytes: cap,
    fits: e.fits,
    shortfall_bytes: e.shortfall_bytes,
    weights_bytes: bd.weights ?? null,
    gradients_bytes: bd.gradients ?? null,
    optimizer_bytes: bd.optimizer ?? null,
    activations_bytes: bd.activations ?? null,
    kv_cache_bytes: bd.kv_cache ?? null,
    bandwidth_peak_bytes_per_s: peakBw ?? null,
    bandwidth_needed_bytes_per_s: need,
    bandwidth_utilisation: bwUse,
  };
  if (ctx.inference?.max_batch_that_fits !== undefined) details.max_batch_that_fits = ctx.inference.max_batch_that_fits;
  if (ctx.inference?.max_context_that_fits !== undefined) details.max_context_that_fits = ctx.inference.max_context_that_fits;
  const limited = !e.fits ? `capacity: short by ${si(e.shortfall_bytes, "B")} per chip` : bwUse !== null && bwUse > 0.5 && headroom > 0.2 ? `bandwidth (${pct(bwUse)} of peak in use)` : `capacity (${pct(e.memory_per_chip_bytes / cap)} used)`;
  return {
    value: headroom,
    unit: "fraction",
    better: "higher",
    rank: null,
    limited_by: limited,
    note: `${tb ? `model state ${si(used, "B")} (${si(e.memory_per_chip_bytes, "B")} with activations)` : si(used, "B")} of ${si(cap, "B")} per chip${need !== null && peakBw ? `; ops demand ${si(need, "B/s")} of ${si(peakBw, "B/s")} while running` : ""}`,
    basis: "derived",
    details,
  };
}

/** Main-memory bytes/s the ops demand while they run (inference phases, else the op profile). */
function bandwidthNeed(ctx: FactorContext): number | null {
  const inf = ctx.inference;
  if (inf) {
    const bytes = inf.phases.prefill.bytes + (inf.phases.decode?.bytes ?? 0);
    const time = inf.phases.prefill.time_s + (inf.phases.decode?.time_s ?? 0);
    return time > 0 ? bytes / time : null;
  }
  if (!ctx.shared) return null;
  const p = ctx.shared.opProfile();
  const t = p.time_s_matrix + p.time_s_vector;
  return t > 0 ? p.bytes_native / t : null;
}
