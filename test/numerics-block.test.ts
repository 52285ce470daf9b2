/** Block and integer formats on hand-computed blocks: OCP MX v1.0 §6.3 scales, NVFP4, int8/int4 scales. */
import { describe, expect, it } from "vitest";
import { mxScaleExponent, quantizeRows, SCALAR_FORMATS } from "../src/core/numerics/index.js";

const row = (xs: number[]) => Float64Array.from(xs);

describe("MX block scales (E8M0 per 32 values, X = 2^(floor(log2 amax) − emax_elem))", () => {
  it("mxfp4: amax 3 → X = 2^(1−2) = 0.5; 3 → 6·0.5, 3.0001 clamps to 6·0.5, 1.1 → 2·0.5", () => {
    expect(mxScaleExponent([3, 1.1], SCALAR_FORMATS["fp4-e2m1"])).toBe(-1);
    expect(Array.from(quantizeRows(row([3, 1.1, -0.3, 0.1]), 1, 4, "mxfp4"))).toEqual([3, 1, -0.25, 0]);
    expect(Array.from(quantizeRows(row([3.0001, 0.76]), 1, 2, "mxfp4"))).toEqual([3, 0.75]);
  });
  it("mxfp4: amax 1 → X = 0.25; 0.3 → 1.2 → 1 → 0.25, −0.26 → −0.25", () => {
    expect(Array.from(quantizeRows(row([1, 0.3, -0.26]), 1, 3, "mxfp4"))).toEqual([1, 0.25, -0.25]);
  });
  it("mxfp8-e4m3: amax 100 → X = 2^(6−8) = 0.25; 100/X = 400 ties between 384 and 416 to the even 384 → 96", () => {
    expect(mxScaleExponent([100], SCALAR_FORMATS["fp8-e4m3"])).toBe(-2);
    expect(Array.from(quantizeRows(row([100, 1]), 1, 2, "mxfp8-e4m3"))).toEqual([96, 1]);
  });
  it("mxfp8-e5m2 (emax 15) and mxfp6 (emax 4 / 2) scales", () => {
    expect(mxScaleExponent([100], SCALAR_FORMATS["fp8-e5m2"])).toBe(6 - 15);
    expect(mxScaleExponent([100], SCALAR_FORMATS["fp6-e3m2"])).toBe(6 - 4);
    expect(mxScaleExponent([100], SCALAR_FORMATS["fp6-e2m3"])).toBe(6 - 2);
  });
  it("each block of 32 has its own scale; an all-zero block stays zero", () => {
    const xs = new Float64Array(96);
    xs[0] = 1;
    xs[1] = 0.3; // block 1, amax 1: 0.3 → 0.25
    xs[32] = 64;
    xs[33] = 0.3; // block 2, amax 64: X = 16, 0.3/16 → 0
    const q = quantizeRows(xs, 1, 96, "mxfp4");
    expect([q[0], q[1], q[32], q[33]]).toEqual([1, 0.25, 64, 0]);
    expect(Array.from(q.subarray(64)).every((v) => v === 0)).toBe(true);
  });
  it("blocks run along rows: two rows of 4 get separate scales (row 2: amax 0.6 → X = 2^(−1−2); 4.8 → 4, 0.8 → 1)", () => {
    expect(Array.from(quantizeRows(row([6, 1, 0, 0, 0.6, 0.1, 0, 0]), 2, 4, "mxfp4"))).toEqual([6, 1, 0, 0, 0.5, 0.125, 0, 0]);
  });
});

describe("NVFP4 (E2M1, UE4M3 scale per 16, fp32 per-tensor scale)", () => {
  it("amax 2688 = 6·448 → s2 = 1; block scale e4m3(448) = 448; 1000/448 → 2 → 896", () => {
    const xs = new Float64Array(32);
    xs[0] = 2688;
    xs[1] = 1000;
    xs[16] = 3; // block 2: scale e4m3(3/6) = 0.5 → 3 = 6·0.5
    xs[17] = 1.1; // 1.1/0.5 = 2.2 → 2 → 1.0
    const q = quantizeRows(xs, 1, 32, "nvfp4");
    expect([q[0], q[1], q[16], q[17]]).toEqual([2688, 896, 3, 1]);
  });
  it("an all-zero tensor stays zero", () => {
    expect(Array.from(quantizeRows(new Float64Array(20), 1, 20, "nvfp4")).every((v) => v === 0)).toBe(true);
  });
});

describe("symmetric integers", () => {
  it("int8 per-tensor: scale = amax/127; −0.5 ties to even 0", () => {
    expect(Array.from(quantizeRows(row([127, 1, -0.5, 2.5]), 1, 4, "int8", { int_granularity: "per-tensor" }))).toEqual([127, 1, -0, 2]);
  });
  it("int8 per-channel (default) uses one scale per row (row 2: scale 2; 3/2 = 1.5 → 2 → 4, 1/2 ties to 0)", () => {
    const q = quantizeRows(row([127, 1, 0, 254, 3, 1]), 2, 3, "int8");
    expect(Array.from(q)).toEqual([127, 1, 0, 254, 4, 0]);
  });
  it("int4 per-group: groups of 2 with scale amax/7", () => {
    const q = quantizeRows(row([7, 3.5, 1, 0.1]), 1, 4, "int4", { group_size: 2 });
    expect(q[0]).toBe(7);
    expect(q[1]).toBe(4);
    expect(q[2]).toBeCloseTo(1, 6);
    expect(q[3]).toBe(Math.fround(1 / 7));
  });
  it("int4 per-tensor clips nothing but loses small values next to an outlier", () => {
    const q = quantizeRows(row([70, 1, 4]), 1, 3, "int4", { int_granularity: "per-tensor" });
    expect(Array.from(q)).toEqual([70, 0, 0]);
  });
});

describe("per-tensor scaling of narrow scalar formats", () => {
  it("maps amax onto the format's max (fp4-e2m1: 60 → 6·10)", () => {
    const plain = quantizeRows(row([60, 10]), 1, 2, "fp4-e2m1");
    const scaled = quantizeRows(row([60, 10]), 1, 2, "fp4-e2m1", { tensor_scale: true });
    expect(Array.from(plain)).toEqual([6, 6]);
    expect(Array.from(scaled)).toEqual([60, 10]);
  });
});
