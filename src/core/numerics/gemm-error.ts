/**
 * Error of an emulated GEMM output C against the fp64 reference R (same shape):
 *   max_abs = max |C − R|; rms = sqrt(mean (C − R)²); relative = ‖C − R‖_F / ‖R‖_F;
 *   snr_db = 10·log10(‖R‖² / ‖C − R‖²) = −20·log10(relative) (the QSNR of the INT-vs-FP study, on
 *   the GEMM output). An exact result (zero error) has snr_db null and exact true; a result with
 *   non-finite entries (overflow without saturation) has every metric null and says how many.
 */
export interface GemmErrors {
  max_abs_error: number | null;
  rms_error: number | null;
  relative_error: number | null;
  snr_db: number | null;
  exact: boolean;
  nonfinite_outputs: number;
}

export function gemmErrors(c: ArrayLike<number>, ref: ArrayLike<number>): GemmErrors {
  let maxAbs = 0;
  let errSq = 0;
  let refSq = 0;
  let nonfinite = 0;
  for (let i = 0; i < ref.length; i++) {
    const ci = c[i]!;
    if (!Number.isFinite(ci)) {
      nonfinite++;
      continue;
    }
    const d = Math.abs(ci - ref[i]!);
    if (d > maxAbs) maxAbs = d;
    errSq += d * d;
    refSq += ref[i]! * ref[i]!;
  }
  if (nonfinite > 0) return { max_abs_error: null, rms_error: null, relative_error: null, snr_db: null, exact: false, nonfinite_outputs: nonfinite };
  const relative = refSq > 0 ? Math.sqrt(errSq / refSq) : errSq > 0 ? Infinity : 0;
  return {
    max_abs_error: maxAbs,
    rms_error: Math.sqrt(errSq / Math.max(1, ref.length)),
    relative_error: Number.isFinite(relative) ? relative : null,
    snr_db: errSq > 0 && refSq > 0 ? 10 * Math.log10(refSq / errSq) : null,
    exact: errSq === 0,
    nonfinite_outputs: 0,
  };
}
