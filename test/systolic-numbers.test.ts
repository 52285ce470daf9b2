/** Python-compatible number printing and division, which make the report files byte-identical to SCALE-Sim's. */
import { describe, expect, it } from "vitest";
import { exactRatio, formatPythonFloat } from "../src/core/systolic/python-numbers.js";

describe("formatPythonFloat = Python repr(float)", () => {
  it.each([
    [1e-5, "1e-05"],
    [1e16, "1e+16"],
    [123, "123.0"],
    [0.0001, "0.0001"],
    [1.5e-7, "1.5e-07"],
    [2.5e20, "2.5e+20"],
    [1234567890123456, "1234567890123456.0"],
    [0.1, "0.1"],
    [-3275, "-3275.0"],
    [80.5348014156508, "80.5348014156508"],
    [0, "0.0"],
  ])("%s → %s", (x, want) => expect(formatPythonFloat(x)).toBe(want));
});

describe("exactRatio = Python int / int (correctly rounded)", () => {
  it("matches Python beyond 2^53", () => {
    // Values printed by CPython 3.11: repr((2**60+1)/3), repr((10**20+7)/(3*10**9+1)), repr(12345678901234567891/98765432109876543)
    expect(exactRatio(2n ** 60n + 1n, 3)).toBe(3.843071682022823e17);
    expect(exactRatio(10n ** 20n + 7n, 3_000_000_001)).toBe(33333333322.22222);
    expect(exactRatio(12345678901234567891n, 98765432109876543n)).toBe(124.9999988609375);
  });
  it("is plain division for exact doubles", () => expect(exactRatio(65536, 2543)).toBe(65536 / 2543));
});
