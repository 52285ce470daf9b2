import type { Slo } from "../serving/metrics.js";

/** max(ttft / SLO, tpot / SLO): ≤ 1 meets the SLO. */
export function sloRatio(slo: Slo, ttft: number, tpot: number): number {
  return Math.max(slo.ttft_s ? ttft / slo.ttft_s : 0, slo.tpot_s ? tpot / slo.tpot_s : 0);
}

/** Seconds as "509 ms" or "1.22 s". */
export function fmtSeconds(s: number): string {
  return s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`;
}

/** How far a ratio is over 1, in percent: "1.8%" below 10 %, "161%" above. */
export function fmtOver(ratio: number): string {
  const p = (ratio - 1) * 100;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

/** An SLO miss: the worst ratio, its percentage and the metrics quoted, the one that sets the ratio first. */
export interface SloMiss {
  ratio: number;
  /** "161%": how far the binding metric is over its SLO. */
  text: string;
  /** "TPOT 131 ms > 50.0 ms, TTFT 509 ms > 500 ms": every metric with an SLO, the binding one first. */
  detail: string;
}

export function sloMiss(slo: Slo, ttft: number, tpot: number, prefix = ""): SloMiss {
  const terms: Array<{ name: string; value: number; limit: number; ratio: number }> = [];
  if (slo.ttft_s) terms.push({ name: "TTFT", value: ttft, limit: slo.ttft_s, ratio: ttft / slo.ttft_s });
  if (slo.tpot_s) terms.push({ name: "TPOT", value: tpot, limit: slo.tpot_s, ratio: tpot / slo.tpot_s });
  // Stable: on a tie TTFT stays first.
  terms.sort((a, b) => b.ratio - a.ratio);
  const ratio = sloRatio(slo, ttft, tpot);
  const detail = terms.map((t) => `${prefix}${t.name} ${fmtSeconds(t.value)} ${t.value > t.limit ? ">" : "≤"} ${fmtSeconds(t.limit)}`).join(", ");
  return { ratio, text: fmtOver(ratio), detail };
}
