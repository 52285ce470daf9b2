import { llmActivations, normalMatrix, type ActivationShape } from "./data.js";
import type { FormatId } from "./formats.js";
import { emulateGemm, type EmulatedGemm, type GemmRunOptions } from "./gemm.js";
import { SeededRng } from "./rng.js";

/**
 * A seeded GEMM too large to emulate whole (emulation runs in plain JS, one rounding per
 * multiply-add): all of K (the accumulation and the block structure along it are what the error
 * depends on) but only a sample of rows of A and columns of B, sized so each format costs about
 * `budget_macs` multiply-adds. The errors are statistics of the sampled outputs; per-tensor scales
 * see only the sampled operands.
 */
export interface SampledGemmSpec {
  m: number;
  n: number;
  k: number;
  seed: number;
  /** A holds LLM-like activations with outlier channels (along K) instead of N(0, 1). */
  activations?: "normal" | "llm";
  outliers?: ActivationShape;
  budget_macs?: number;
}

export const DEFAULT_BUDGET_MACS = 2 ** 23;

export interface SampledGemm {
  /** The shape emulated (rows and columns sampled, K whole). */
  emulated: { m: number; n: number; k: number };
  outlier_channels: number[];
  results: EmulatedGemm[];
}

export function sampledShape(m: number, n: number, k: number, budget = DEFAULT_BUDGET_MACS): { m: number; n: number } {
  const side = Math.max(8, Math.floor(Math.sqrt(budget / k)));
  return { m: Math.min(m, side), n: Math.min(n, side) };
}

export function emulateSampledGemm(s: SampledGemmSpec, formats: readonly FormatId[], o: GemmRunOptions = {}): SampledGemm {
  const { m, n } = sampledShape(s.m, s.n, s.k, s.budget_macs);
  const rng = new SeededRng(s.seed);
  let outlier_channels: number[] = [];
  let a: Float64Array;
  if (s.activations === "llm") {
    const act = llmActivations(m, s.k, rng, s.outliers);
    a = act.data;
    outlier_channels = act.outlier_channels;
  } else {
    a = normalMatrix(m, s.k, rng);
  }
  // Weights N(0, 1/K): outputs of unit scale (Glorot-style), the same for every format.
  const b = normalMatrix(s.k, n, rng, 1 / Math.sqrt(s.k));
  return { emulated: { m, n, k: s.k }, outlier_channels, results: emulateGemm({ m, n, k: s.k, a, b }, formats, { ...o, seed: o.seed ?? s.seed }) };
}

/**
 * The standard GEMM the precision factor quotes: 64×64×1024, LLM-like activations (seed 9), fp32
 * accumulation, default scales. Computed once per format per process and cached.
 */
const STANDARD_CACHE = new Map<FormatId, EmulatedGemm>();
export const STANDARD_GEMM = { m: 64, n: 64, k: 1024, seed: 9, activations: "llm" } as const;

export function standardGemmError(format: FormatId): EmulatedGemm {
  let hit = STANDARD_CACHE.get(format);
  if (!hit) {
    hit = emulateSampledGemm(STANDARD_GEMM, [format]).results[0]!;
    STANDARD_CACHE.set(format, hit);
  }
  return hit;
}
