import type { Slo } from "../serving/metrics.js";

/** max(ttft / SLO, tpot / SLO): ≤ 1 meets the SLO. */
export function sloRatio(slo: Slo, ttft: number, tpot: number): number {
  return Math.max(slo.ttft_s ? ttft / slo.ttft_s : 0, slo.tpot_s ? tpot / slo.tpot_s : 0);
}

/** Seconds as "509 ms" or "1.22 s". */
export function fmtSeconds(s: number): string {
  return s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`;
}

function pct(r: number): string {
  return `${((r - 1) * 100).toFixed(0)}%`;
}

/** An SLO miss: the ratio, "161%", and the metric quoted ("TTFT 509 ms > 500 ms"). */
export interface SloMiss {
  ratio: number;
  text: string;
  detail: string;
}

export function sloMiss(slo: Slo, ttft: number, tpot: number): SloMiss {
  const ratio = sloRatio(slo, ttft, tpot);
  if (!(ratio > 1)) return { ratio, text: pct(ratio), detail: "" };
  const detail = slo.ttft_s && ttft > slo.ttft_s ? `TTFT ${fmtSeconds(ttft)} > ${fmtSeconds(slo.ttft_s)}` : `TPOT ${fmtSeconds(tpot)} > ${fmtSeconds(slo.tpot_s!)}`;
  return { ratio, text: pct(ratio), detail };
}
