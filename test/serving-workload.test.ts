import { describe, expect, it } from "vitest";
import { createRng } from "../src/core/serving/random.js";
import { generateWorkload } from "../src/core/serving/workload-gen.js";

/** Seeded workloads: reproducible, with the requested rates and length distributions. */
function gaps(arrivals: number[]): number[] {
  return arrivals.slice(1).map((a, i) => a - arrivals[i]!);
}
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const cv = (x: number[]) => {
  const m = mean(x);
  return Math.sqrt(mean(x.map((v) => (v - m) ** 2))) / m;
};

describe("seeded PRNG", () => {
  it("same seed, same sequence; different seed, different sequence; uniform in [0, 1)", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.03);
  });

  it("gamma samples have mean kθ and variance kθ² (Marsaglia–Tsang), also for k < 1", () => {
    const r = createRng(5);
    for (const k of [0.25, 1, 4]) {
      const xs = Array.from({ length: 40000 }, () => r.gamma(k, 2));
      expect(Math.abs(mean(xs) / (2 * k) - 1)).toBeLessThan(0.03);
      expect(Math.abs(cv(xs) / (1 / Math.sqrt(k)) - 1)).toBeLessThan(0.04);
    }
  });
});

describe("workload generator", () => {
  it("Poisson: first request at t = 0, mean gap 1/λ, CV of gaps ≈ 1, deterministic", () => {
    const w = generateWorkload({ requests: 20000, rate_per_s: 8, input: 512, output: 128, seed: 1 });
    expect(w[0]!.arrival_s).toBe(0);
    const g = gaps(w.map((r) => r.arrival_s));
    expect(Math.abs(mean(g) * 8 - 1)).toBeLessThan(0.02);
    expect(Math.abs(cv(g) - 1)).toBeLessThan(0.03);
    expect(w.every((r) => r.input_len === 512 && r.output_len === 128)).toBe(true);
    expect(generateWorkload({ requests: 20000, rate_per_s: 8, input: 512, output: 128, seed: 1 })).toEqual(w);
  });

  it("bursty gamma arrivals keep the mean rate and raise the CV", () => {
    const w = generateWorkload({ requests: 20000, rate_per_s: 5, arrival: { kind: "gamma", cv: 3 }, input: 100, output: 10, seed: 2 });
    const g = gaps(w.map((r) => r.arrival_s));
    expect(Math.abs(mean(g) * 5 - 1)).toBeLessThan(0.06);
    expect(Math.abs(cv(g) / 3 - 1)).toBeLessThan(0.1);
  });

  it("on-off arrivals: nothing during off windows, the long-run rate is λ", () => {
    const w = generateWorkload({ requests: 5000, rate_per_s: 10, arrival: { kind: "on-off", on_s: 1, off_s: 3 }, input: 100, output: 10, seed: 3 });
    for (const r of w) expect(r.arrival_s % 4).toBeLessThan(1);
    const last = w[w.length - 1]!.arrival_s;
    expect(Math.abs(w.length / last / 10 - 1)).toBeLessThan(0.05);
  });

  it("rate Infinity sends everything at t = 0; lengths: uniform bounds and lognormal mean", () => {
    const w = generateWorkload({ requests: 20000, rate_per_s: Infinity, input: { kind: "uniform", min: 10, max: 20 }, output: { kind: "lognormal", mean: 300, cv: 0.5 }, seed: 4 });
    expect(w.every((r) => r.arrival_s === 0)).toBe(true);
    const ins = w.map((r) => r.input_len);
    expect(Math.min(...ins)).toBe(10);
    expect(Math.max(...ins)).toBe(20);
    const outs = w.map((r) => r.output_len);
    expect(Math.abs(mean(outs) / 300 - 1)).toBeLessThan(0.02);
    expect(Math.abs(cv(outs) / 0.5 - 1)).toBeLessThan(0.05);
  });

  it("the same seed gives the same lengths at a different rate", () => {
    const a = generateWorkload({ requests: 50, rate_per_s: 1, input: { kind: "uniform", min: 1, max: 1000 }, output: 5, seed: 9 });
    const b = generateWorkload({ requests: 50, rate_per_s: 7, input: { kind: "uniform", min: 1, max: 1000 }, output: 5, seed: 9 });
    expect(b.map((r) => r.input_len)).toEqual(a.map((r) => r.input_len));
  });

  it("bad specs are clear errors with field paths", () => {
    expect(() => generateWorkload({ requests: 0, rate_per_s: 1, input: 1, output: 1 })).toThrow(/requests/);
    expect(() => generateWorkload({ requests: 1, rate_per_s: -1, input: 1, output: 1 })).toThrow(/rate_per_s/);
    expect(() => generateWorkload({ requests: 1, rate_per_s: 1, input: { kind: "uniform", min: 5, max: 2 }, output: 1 })).toThrow(/input\.min/);
    expect(() => generateWorkload({ requests: 1, rate_per_s: 1, input: 1.5, output: 1 })).toThrow(/input/);
  });
});
