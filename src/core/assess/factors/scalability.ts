import type { FactorContext, FactorValue } from "../factor.js";
import { unknownFactor } from "../factor.js";
import { BEND_DROP, type ScalingCurvePoint } from "../scaling-curve.js";
import { pct } from "./needs.js";
import { isOperating, operatingOf } from "./operating.js";

/** Efficiency kept before a count counts as scaling well. */
export const SCALES_WELL = 1 - BEND_DROP;

/**
 * Scalability (training): weak-scaling efficiency at 1, 8, 64, 1k and 16k chips on the chip's usual
 * system (assess/scaling-curve.ts). Headline: the largest count of the curve that still runs at
 * ≥ 90 % of the per-chip throughput of the smallest fitting count (with no bend before it), in chips;
 * details: the efficiency at each count, the largest scale-up domain, where the curve bends and why.
 * The curve is at the stock clock: under a power cap or thermal throttling it is not re-run (the note
 * says so; a slower core leaves communication a smaller share, so the stock curve is the conservative one).
 */
export function scalabilityFactor(ctx: FactorContext): FactorValue {
  if (!ctx.shared) return unknownFactor("chips", "higher", ["scaling curve"], "no scaling curve for this chip");
  const c = ctx.shared.scalingCurve();
  const details: NonNullable<FactorValue["details"]> = { max_scale_up_domain: c.max_scale_up_domain, batch_per_chip: c.batch_per_chip };
  for (const p of c.points) {
    details[`efficiency_at_${p.chips}`] = p.efficiency;
    if (p.layout) details[`layout_at_${p.chips}`] = p.layout;
  }
  if (c.bend) Object.assign(details, { bend_at_chips: c.bend.at_chips, bend_from_chips: c.bend.from_chips, bend_drop: c.bend.drop, bend_cause: c.bend.cause });
  if (c.skipped.length) details.skipped_counts = c.skipped.join(", ");
  const fitting = c.points.filter((p) => p.fits);
  if (!fitting.length) return { ...unknownFactor("chips", "higher", ["a layout that fits at any count"], `no layout fits at ${c.points.map((p) => p.chips).join(", ")} chips`), details };
  const upTo = c.bend ? c.bend.at_chips : Infinity;
  const good = fitting.filter((p) => p.chips < upTo && (p.efficiency ?? 0) >= SCALES_WELL);
  const value = good.length ? Math.max(...good.map((p) => p.chips)) : fitting[0]!.chips;
  const last = c.points[c.points.length - 1]!;
  const op = operatingOf(ctx, "chips", "higher");
  const atStock = isOperating(op) && op.point.set_by !== "stock" ? `; at the stock clock (not re-run at the ${op.label} operating point)` : "";
  return {
    value,
    unit: "chips",
    better: "higher",
    rank: null,
    limited_by: c.bend ? `at ${c.bend.at_chips} chips: ${c.bend.cause}` : null,
    note: `weak scaling (${c.batch_per_chip} sequence(s) per chip): efficiency ≥ ${pct(SCALES_WELL, 0)} up to ${value} chips${last.efficiency !== null ? `; ${pct(last.efficiency)} at ${last.chips}${superLinear(last, fitting[0]!)}` : ""}${c.max_scale_up_domain ? `; scale-up domain ${c.max_scale_up_domain} chips${c.scale_up_fabric ? ` (${c.scale_up_fabric})` : ""}` : ""}${c.skipped.length ? `; not searched (time budget): ${c.skipped.join(", ")}` : ""}${atStock}`,
    basis: "derived",
    details,
  };
}

/** Why an efficiency is above 100 %: the larger count found a better layout than the base count's. */
function superLinear(p: ScalingCurvePoint, base: ScalingCurvePoint): string {
  if (p.efficiency === null || p.efficiency <= 1 || p === base) return "";
  return ` (above 100 %: layout ${p.layout ?? "at this count"} beats the ${base.chips}-chip layout ${base.layout ?? ""}, e.g. sharded optimizer state leaves room for a larger micro-batch)`;
}
