import { z } from "zod";
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { parseWith } from "../spec/validate.js";
import { createRng, type Rng } from "./random.js";
import type { ServingRequest } from "./request.js";

/**
 * Synthetic serving workloads, seeded and reproducible:
 *
 * Arrivals (mean rate λ requests/s):
 *   - poisson: exponential gaps with mean 1/λ (vLLM benchmark_serving's default, burstiness 1).
 *   - gamma:   gamma-distributed gaps with mean 1/λ and coefficient of variation cv (shape 1/cv²,
 *              scale cv²/λ). cv = 1 is Poisson; cv > 1 is bursty. vLLM's `--burstiness` factor b is
 *              the shape, i.e. cv = 1/√b.
 *   - on-off:  Poisson at rate λ·(on+off)/on during `on_s` windows, silence for `off_s`; the long-run
 *              mean rate stays λ.
 *   - constant: evenly spaced, one every 1/λ s (a paced load generator).
 *   - rate Infinity: every request arrives at t = 0 (offline throughput benchmark, vLLM `--request-rate inf`).
 *   Closed-loop clients (a fixed concurrency) are not an arrival process: the simulator releases the
 *   next request when one finishes (SimulationSetup.closed_loop).
 *
 * Lengths (tokens, at least 1):
 *   - fixed, uniform [min, max], normal (mean, std) or lognormal (mean, cv); normal and lognormal
 *     are rounded and clamped to [min, max] (min defaults to 1).
 */

const posInt = z.number().int().positive();

export const lengthDistSchema = z.union([
  posInt,
  z.strictObject({ kind: z.literal("fixed"), tokens: posInt }),
  z.strictObject({ kind: z.literal("uniform"), min: posInt, max: posInt }),
  z.strictObject({ kind: z.literal("lognormal"), mean: z.number().positive(), cv: z.number().positive(), min: posInt.optional(), max: posInt.optional() }),
  z.strictObject({ kind: z.literal("normal"), mean: z.number().positive(), std: z.number().min(0), min: posInt.optional(), max: posInt.optional() }),
]);

export const arrivalSchema = z.union([
  z.strictObject({ kind: z.literal("poisson") }),
  z.strictObject({ kind: z.literal("constant") }),
  // cv ≤ 100 (gamma shape ≥ 1e-4): beyond that the shape underflows and the gaps turn into NaN.
  z.strictObject({ kind: z.literal("gamma"), cv: z.number().positive().max(100) }),
  z.strictObject({ kind: z.literal("on-off"), on_s: z.number().positive(), off_s: z.number().min(0) }),
]);

export const workloadSpecSchema = z.strictObject({
  requests: posInt,
  /** Mean arrival rate, requests per second; Infinity sends everything at t = 0. */
  rate_per_s: z.union([z.number().positive(), z.custom<number>((v) => v === Number.POSITIVE_INFINITY, { message: "expected a positive rate or Infinity" })]),
  arrival: arrivalSchema.default({ kind: "poisson" }),
  input: lengthDistSchema,
  output: lengthDistSchema,
  seed: z.number().int().default(1),
});

export type LengthDist = z.output<typeof lengthDistSchema>;
export type ArrivalProcess = z.output<typeof arrivalSchema>;
export type WorkloadSpec = z.output<typeof workloadSpecSchema>;
export type WorkloadSpecInput = z.input<typeof workloadSpecSchema>;

/** Validates a workload spec (throws XpusimError with field paths). */
export function parseWorkloadSpec(input: unknown): WorkloadSpec {
  const spec = parseWith(workloadSpecSchema, input);
  for (const [key, d] of [["input", spec.input], ["output", spec.output]] as const) {
    if (typeof d === "object" && d.kind === "uniform" && d.min > d.max) {
      throw new XpusimError(error("E_RANGE", `${key}.min`, `min ${d.min} is above max ${d.max}`));
    }
  }
  return spec;
}

function sampleLength(d: LengthDist, rng: Rng): number {
  if (typeof d === "number") return d;
  switch (d.kind) {
    case "fixed":
      return d.tokens;
    case "uniform":
      return rng.int(d.min, d.max);
    case "lognormal": {
      // ln X ~ N(μ, σ²) with E[X] = mean, CV[X] = cv: σ² = ln(1 + cv²), μ = ln(mean) − σ²/2.
      const s2 = Math.log(1 + d.cv * d.cv);
      const x = Math.exp(Math.log(d.mean) - s2 / 2 + Math.sqrt(s2) * rng.normal());
      return Math.min(d.max ?? Infinity, Math.max(d.min ?? 1, Math.round(x)));
    }
    case "normal":
      return Math.min(d.max ?? Infinity, Math.max(d.min ?? 1, Math.round(d.mean + d.std * rng.normal())));
  }
}

/** Generates `spec.requests` requests, sorted by arrival time, from `spec.seed`. */
export function generateWorkload(input: WorkloadSpecInput | WorkloadSpec): ServingRequest[] {
  const spec = parseWorkloadSpec(input);
  const rng = createRng(spec.seed);
  // Separate streams for arrivals and lengths, so changing the rate keeps the same lengths.
  const lengths = createRng(spec.seed ^ 0x5bd1e995);
  const out: ServingRequest[] = new Array(spec.requests);
  const rate = spec.rate_per_s;
  const a = spec.arrival;
  let t = 0;
  // on-off: time is measured in "on" seconds, then mapped onto the on/off calendar.
  const onRate = a.kind === "on-off" ? (rate * (a.on_s + a.off_s)) / a.on_s : rate;
  for (let i = 0; i < spec.requests; i++) {
    let arrival = 0;
    if (Number.isFinite(rate)) {
      // The first request goes out at t = 0, as in vLLM's benchmark client; then one gap per request.
      if (i > 0) {
        if (a.kind === "gamma") t += rng.gamma(1 / (a.cv * a.cv), (a.cv * a.cv) / rate);
        else if (a.kind === "on-off") t += rng.exponential(onRate);
        else if (a.kind === "constant") t += 1 / rate;
        else t += rng.exponential(rate);
      }
      arrival = a.kind === "on-off" ? Math.floor(t / a.on_s) * (a.on_s + a.off_s) + (t % a.on_s) : t;
    }
    out[i] = { arrival_s: arrival, input_len: sampleLength(spec.input, lengths), output_len: sampleLength(spec.output, lengths) };
  }
  return out;
}
