/**
 * A small seeded pseudo-random generator for reproducible workloads: xoshiro128** (Blackman &
 * Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021) seeded through
 * splitmix32, with the samplers the workload generator needs. Same seed → same sequence on every
 * platform (32-bit integer arithmetic only, via Math.imul).
 *
 *   exponential: inverse CDF, −ln(1 − u) / λ
 *   normal:      Box–Muller (Box & Muller 1958), one value per call
 *   gamma:       Marsaglia & Tsang 2000 ("A simple method for generating gamma variables"),
 *                with the u^(1/k) boost for shape k < 1
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** Standard normal. */
  normal(): number;
  /** Gamma with shape k and scale θ (mean kθ, variance kθ²). */
  gamma(shape: number, scale: number): number;
  /** Integer uniform in [min, max] inclusive. */
  int(min: number, max: number): number;
}

export function createRng(seed: number): Rng {
  // splitmix32 expands the seed into four non-zero state words.
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  if ((a | b | c | d) === 0) a = 1;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
  const next = (): number => nextU32() / 4294967296;

  const normal = (): number => {
    let u = next();
    while (u === 0) u = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };

  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) {
      let u = next();
      while (u === 0) u = next();
      return gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return dd * v * scale;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v * scale;
    }
  };

  return {
    next,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    normal,
    gamma,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
