/**
 * Scalar formats against their specifications: every code round-trips, ties go to even, and the
 * largest finite value, smallest subnormal and first overflowing value match IEEE 754, OCP OFP8 v1.0
 * (Tab.1–2) and OCP MX v1.0 (§5.3).
 */
import { describe, expect, it } from "vitest";
import { convertScalar, decodeCode, encodeValue, resolveFormat, SCALAR_FORMATS, SeededRng, type ScalarFormatId } from "../src/core/numerics/index.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";

const SMALL: ScalarFormatId[] = ["tf32", "bf16", "fp16", "fp8-e4m3", "fp8-e5m2", "fp8-e4m3fnuz", "fp8-e5m2fnuz", "fp6-e3m2", "fp6-e2m3", "fp4-e2m1"];

/** Positive finite values of a format in increasing order, with their codes. */
function positiveGrid(id: ScalarFormatId): Array<{ v: number; code: number }> {
  const f = SCALAR_FORMATS[id];
  const out: Array<{ v: number; code: number }> = [];
  for (let code = 0; code < 2 ** (f.bits - 1); code++) {
    const v = decodeCode(code, f);
    if (Number.isFinite(v)) out.push({ v, code });
  }
  return out;
}

describe("every code of every format of at most 19 bits round-trips", () => {
  for (const id of SMALL) {
    it(id, () => {
      const f = SCALAR_FORMATS[id];
      let nans = 0;
      for (let code = 0; code < 2 ** f.bits; code++) {
        const v = decodeCode(code, f);
        if (Number.isNaN(v)) {
          nans++;
          if (!Number.isNaN(convertScalar(v, f))) throw new Error(`${id} code ${code}: NaN did not stay NaN`);
          continue;
        }
        const back = convertScalar(v, f, "rne", false);
        if (!Object.is(back, v)) throw new Error(`${id} code ${code}: ${v} converts to ${back}`);
        if (encodeValue(v, f) !== code) throw new Error(`${id} code ${code}: ${v} encodes as ${encodeValue(v, f)}`);
        if (!Object.is(convertScalar(v, f, "truncate", false), v)) throw new Error(`${id} code ${code}: truncation moved ${v}`);
      }
      const expectedNaNs: Record<string, number> = { "fp8-e4m3": 2, "fp8-e5m2": 6, "fp8-e4m3fnuz": 1, "fp8-e5m2fnuz": 1, "fp6-e3m2": 0, "fp6-e2m3": 0, "fp4-e2m1": 0, fp16: 2 * 1023, bf16: 2 * 127, tf32: 2 * 1023 };
      expect(nans).toBe(expectedNaNs[id]);
    });
  }

  it("fp32 round-trips through Math.fround-representable values (sampled codes)", () => {
    const f = SCALAR_FORMATS.fp32;
    const u = new Uint32Array(1);
    const fl = new Float32Array(u.buffer);
    for (let code = 0; code < 2 ** 32; code += 65521) {
      u[0] = code;
      const v = fl[0]!;
      if (Number.isNaN(v)) continue;
      expect(Object.is(decodeCode(code, f), v)).toBe(true);
      expect(Object.is(convertScalar(v, f, "rne", false), v)).toBe(true);
    }
  });

  it("FNUZ: the negative-zero code 0x80 is the only NaN, −0 converts to +0, 0x7F is the max", () => {
    const f = SCALAR_FORMATS["fp8-e4m3fnuz"];
    expect(Number.isNaN(decodeCode(0x80, f))).toBe(true);
    expect(decodeCode(0x7f, f)).toBe(240);
    expect(decodeCode(0xff, f)).toBe(-240);
    expect(Object.is(convertScalar(-0, f), 0)).toBe(true);
    expect(encodeValue(Number.NaN, f)).toBe(0x80);
    expect(convertScalar(Infinity, f, "rne", false)).toBeNaN();
  });

  it("E4M3 has NaN only at S.1111.111 (0x7F, 0xFF) and no infinity", () => {
    const f = SCALAR_FORMATS["fp8-e4m3"];
    expect(Number.isNaN(decodeCode(0x7f, f))).toBe(true);
    expect(Number.isNaN(decodeCode(0xff, f))).toBe(true);
    expect(decodeCode(0x7e, f)).toBe(448);
    expect(decodeCode(0x78, f)).toBe(256);
  });
});

describe("ties go to even", () => {
  for (const id of SMALL.filter((x) => SCALAR_FORMATS[x].bits <= 16)) {
    it(id, () => {
      const f = SCALAR_FORMATS[id];
      const grid = positiveGrid(id);
      for (let i = 0; i + 1 < grid.length; i++) {
        const lo = grid[i]!;
        const hi = grid[i + 1]!;
        const mid = (lo.v + hi.v) / 2;
        const even = lo.code % 2 === 0 ? lo.v : hi.v;
        expect(convertScalar(mid, f)).toBe(even);
        expect(convertScalar(-mid, f)).toBe(f.specials === "fnuz" && even === 0 ? 0 : -even);
        // Just off the midpoint, nearest wins; truncation goes toward zero.
        expect(convertScalar(mid + (hi.v - lo.v) / 8, f)).toBe(hi.v);
        expect(convertScalar(mid - (hi.v - lo.v) / 8, f)).toBe(lo.v);
        expect(convertScalar(mid, f, "truncate")).toBe(lo.v);
      }
    });
  }
  it("fp32 ties to even like Math.fround", () => {
    const f = SCALAR_FORMATS.fp32;
    const ulp = 2 ** -23;
    expect(convertScalar(1 + ulp / 2, f)).toBe(1);
    expect(convertScalar(1 + 1.5 * ulp, f)).toBe(1 + 2 * ulp);
    const rng = new SeededRng(3);
    for (let i = 0; i < 2000; i++) {
      const x = (rng.next() - 0.5) * 2 ** Math.floor(rng.next() * 60 - 30);
      expect(convertScalar(x, f)).toBe(Math.fround(x));
    }
  });
});

/** [max finite, min subnormal, first value that overflows (non-saturating, RNE), what it becomes]. */
const LIMITS: Record<ScalarFormatId, [number, number, number, number]> = {
  fp32: [(2 - 2 ** -23) * 2 ** 127, 2 ** -149, (2 - 2 ** -24) * 2 ** 127, Infinity],
  tf32: [(2 - 2 ** -10) * 2 ** 127, 2 ** -136, (2 - 2 ** -11) * 2 ** 127, Infinity],
  bf16: [(2 - 2 ** -7) * 2 ** 127, 2 ** -133, (2 - 2 ** -8) * 2 ** 127, Infinity],
  fp16: [65504, 2 ** -24, 65520, Infinity],
  // OCP: 464 (midpoint of 448 and the missing 480) ties to the even 448; anything above is NaN.
  "fp8-e4m3": [448, 2 ** -9, 464 + 2 ** -20, Number.NaN],
  "fp8-e5m2": [57344, 2 ** -16, 61440, Infinity],
  // AMD FNUZ (MI300X): bias 8 / 16, no Inf; 248 (midpoint of 240 and 256) ties to the even 256 and overflows.
  "fp8-e4m3fnuz": [240, 2 ** -10, 248, Number.NaN],
  "fp8-e5m2fnuz": [57344, 2 ** -17, 61440, Number.NaN],
  // MX FP6/FP4: no Inf/NaN; out of range clamps to ±max even without saturation.
  "fp6-e3m2": [28, 0.0625, 30, 28],
  "fp6-e2m3": [7.5, 0.125, 7.75, 7.5],
  "fp4-e2m1": [6, 0.5, 7, 6],
};

describe("largest finite, smallest subnormal and first overflow, per the specs", () => {
  for (const [id, [max, minSub, overflow, becomes]] of Object.entries(LIMITS) as Array<[ScalarFormatId, [number, number, number, number]]>) {
    it(id, () => {
      const f = SCALAR_FORMATS[id];
      expect(f.max_finite).toBe(max);
      expect(f.min_subnormal).toBe(minSub);
      expect(convertScalar(max, f, "rne", false)).toBe(max);
      expect(convertScalar(minSub, f)).toBe(minSub);
      // Half the smallest subnormal ties to even zero; a little more rounds up to it.
      expect(convertScalar(minSub / 2, f)).toBe(0);
      expect(convertScalar(minSub * 0.5000001, f)).toBe(minSub);
      // A signed zero, except in FNUZ formats, which have no −0.
      expect(Object.is(convertScalar(-minSub / 4, f), f.specials === "fnuz" ? 0 : -0)).toBe(true);
      const just = overflow - (overflow - max) / 1e6;
      expect(convertScalar(just, f, "rne", false)).toBe(max);
      const got = convertScalar(overflow, f, "rne", false);
      if (Number.isNaN(becomes)) expect(got).toBeNaN();
      else expect(got).toBe(becomes);
      expect(convertScalar(-overflow, f, "rne", false)).toBe(Number.isNaN(becomes) ? Number.NaN : -becomes);
      // Saturating (default): ±max for overflow and for ±Inf.
      expect(convertScalar(overflow, f)).toBe(max);
      expect(convertScalar(-Infinity, f)).toBe(-max);
      expect(convertScalar(overflow * 4, f, "truncate", false)).toBe(max);
    });
  }
  it("±Inf without saturation: Inf where the format has it, NaN for E4M3, ±max for FP6/FP4", () => {
    expect(convertScalar(Infinity, SCALAR_FORMATS["fp8-e5m2"], "rne", false)).toBe(Infinity);
    expect(convertScalar(Infinity, SCALAR_FORMATS["fp8-e4m3"], "rne", false)).toBeNaN();
    expect(convertScalar(-Infinity, SCALAR_FORMATS["fp4-e2m1"], "rne", false)).toBe(-6);
  });
  it("FP4 E2M1 represents exactly 0, ±0.5, ±1, ±1.5, ±2, ±3, ±4, ±6", () => {
    expect(positiveGrid("fp4-e2m1").map((g) => g.v)).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 6]);
  });
});

describe("stochastic rounding", () => {
  it("is unbiased on average (seeded) and lands on one of the two neighbours", () => {
    const f = SCALAR_FORMATS.bf16;
    const x = 1 + 0.3 * 2 ** -7;
    const rng = new SeededRng(42);
    const n = 40000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const q = convertScalar(x, f, "stochastic", true, rng);
      expect(q === 1 || q === 1 + 2 ** -7).toBe(true);
      sum += q;
    }
    // σ of the mean = ulp·sqrt(0.3·0.7/n) ≈ 1.8e-5; allow 4σ.
    expect(Math.abs(sum / n - x)).toBeLessThan(4 * 2 ** -7 * Math.sqrt(0.21 / n));
    // Nearest rounding is biased here: it always gives 1.
    expect(convertScalar(x, f)).toBe(1);
  });
  it("is deterministic per seed and differs across seeds", () => {
    const f = SCALAR_FORMATS["fp8-e4m3"];
    const run = (seed: number) => {
      const rng = new SeededRng(seed);
      return Array.from({ length: 64 }, (_, i) => convertScalar(1 + i / 100, f, "stochastic", true, rng));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});

describe("format names", () => {
  it("an unknown format lists the formats with a did-you-mean", () => {
    try {
      resolveFormat("fp8-e4m2");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XpusimError);
      const d = (e as XpusimError).diagnostics[0]!;
      expect(d.code).toBe("E_UNKNOWN_ID");
      expect(d.hint).toContain('"fp8-e4m3"');
      expect(d.expected).toContain("mxfp4");
    }
    expect(resolveFormat("E4M3")).toBe("fp8-e4m3");
  });
});
