import { SeededRng } from "./rng.js";

/**
 * Seeded test data for the GEMM emulation.
 *
 * LLM-like activations: N(0, 1) values with a few "outlier feature" channels (columns) scaled up.
 * LLM.int8() (Dettmers et al. 2022, arXiv:2208.07339 §4) reports systematic outlier features in a
 * handful of hidden dimensions (about 6 in 6.7B-parameter models) with magnitudes up to ~20× the
 * others; SmoothQuant (Xiao et al. 2022, arXiv:2211.10438 §3) reports activation outliers ~100×
 * larger than most values, in fixed channels. Defaults: 6 outlier channels per 4096 (at least 1),
 * scale 20; both are options (recalled figures, not re-read: see docs/precision.md).
 */
export interface ActivationShape {
  /** Outlier channels per 4096 hidden dimensions (default 6), at least one. */
  outliers_per_4096?: number;
  /** Multiplier of the outlier channels (default 20). */
  outlier_scale?: number;
}

export const OUTLIER_DEFAULTS = { outliers_per_4096: 6, outlier_scale: 20 } as const;

export function normalMatrix(rows: number, cols: number, rng: SeededRng, std = 1): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  return out;
}

/** tokens×hidden activations with outlier channels; returns the data and which channels. */
export function llmActivations(tokens: number, hidden: number, rng: SeededRng, s: ActivationShape = {}): { data: Float64Array; outlier_channels: number[] } {
  const data = normalMatrix(tokens, hidden, rng);
  const count = Math.min(hidden, Math.max(1, Math.round((hidden * (s.outliers_per_4096 ?? OUTLIER_DEFAULTS.outliers_per_4096)) / 4096)));
  const scale = s.outlier_scale ?? OUTLIER_DEFAULTS.outlier_scale;
  const channels = new Set<number>();
  while (channels.size < count) channels.add(Math.floor(rng.next() * hidden));
  const outlier_channels = [...channels].sort((x, y) => x - y);
  for (const c of outlier_channels) for (let t = 0; t < tokens; t++) data[t * hidden + c]! *= scale;
  return { data, outlier_channels };
}

export { SeededRng };
