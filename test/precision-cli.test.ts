/**
 * `xpusim precision`: the exact `--json` shape of cast (NaN/±Infinity as strings), gemm and model
 * results, and bad input (unknown format, a value that is not a number, a bad .npy) → exit 1 with
 * a clear message.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeNpy, parseNpy } from "../src/node/npy.js";
import { runCli } from "./helpers/run-cli.js";

/** The CLI in-process (the shared helper), taking the argument list as an array. */
const cli = (args: string[]) => runCli(...args);

afterEach(() => vi.restoreAllMocks());
const dir = mkdtempSync(join(tmpdir(), "xpusim-precision-"));

describe("xpusim precision cast", () => {
  it("--json prints exactly { format, values: [{ input, output }] }", async () => {
    const r = await cli(["precision", "cast", "--format", "fp8-e4m3", "--values", "1.5,448,500,0.001,-3.3", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      format: "fp8-e4m3",
      values: [
        { input: 1.5, output: 1.5 },
        { input: 448, output: 448 },
        { input: 500, output: 448 },
        { input: 0.001, output: 0.001953125 },
        { input: -3.3, output: -3.25 },
      ],
    });
  });
  it("--no-saturate: E4M3 overflow is NaN, E5M2 overflow Inf, as strings; FP4 still clamps", async () => {
    const e4 = JSON.parse((await cli(["precision", "cast", "--format", "fp8-e4m3", "--values", "465,NaN", "--no-saturate", "--json"])).out);
    expect(e4.values).toEqual([{ input: 465, output: "NaN" }, { input: "NaN", output: "NaN" }]);
    const e5 = JSON.parse((await cli(["precision", "cast", "--format", "fp8-e5m2", "--values", "61440,-Infinity", "--no-saturate", "--json"])).out);
    expect(e5.values).toEqual([{ input: 61440, output: "Infinity" }, { input: "-Infinity", output: "-Infinity" }]);
    const f4 = JSON.parse((await cli(["precision", "cast", "--format", "fp4-e2m1", "--values", "7,2.5", "--no-saturate", "--json"])).out);
    expect(f4.values).toEqual([{ input: 7, output: 6 }, { input: 2.5, output: 2 }]);
  });
  it("stochastic rounding is reproducible with --seed", async () => {
    const args = ["precision", "cast", "--format", "bf16", "--values", "1.001,1.002,1.003,1.004", "--rounding", "stochastic", "--seed", "5", "--json"];
    expect((await cli(args)).out).toBe((await cli(args)).out);
  });
  it("the table names the format", async () => {
    const r = await cli(["precision", "cast", "--format", "mxfp4", "--values", "3,1.1"]);
    expect(r.out).toMatch(/^mxfp4\ninput\s+output/);
  });
  it("an unknown format exits 1 listing the formats with a did-you-mean", async () => {
    const r = await cli(["precision", "cast", "--format", "fp8-e4m2", "--values", "1"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown numeric format "fp8-e4m2"');
    expect(r.err).toContain('did you mean "fp8-e4m3"');
    expect(r.err).toContain("nvfp4");
  });
  it("a value that is not a number exits 1 naming its position", async () => {
    const r = await cli(["precision", "cast", "--format", "bf16", "--values", "1,abc"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('values[1]: "abc" is not a number');
  });
});

describe("xpusim precision gemm", () => {
  it("--json has one row per format with errors and, with --chip, the speed-up (none where the chip lacks the dtype)", async () => {
    const r = await cli(["precision", "gemm", "--formats", "bf16,fp8-e4m3,nvfp4", "--m", "64", "--n", "64", "--k", "256", "--chip", "nvidia-h100-sxm", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ m: 64, n: 64, k: 256, accumulate: "fp32", chip: "nvidia-h100-sxm", baseline_dtype: "bf16" });
    expect(j.rows.map((x: { format: string }) => x.format)).toEqual(["bf16", "fp8-e4m3", "nvfp4"]);
    const [bf16, fp8, nvfp4] = j.rows;
    expect(bf16.speedup_x).toBe(1);
    expect(fp8.native).toBe(true);
    expect(fp8.peak_speedup_x).toBeCloseTo(2, 2);
    expect(fp8.speedup_x).toBeGreaterThan(1);
    expect(nvfp4).toMatchObject({ native: false, speedup_x: null, latency_s: null });
    expect(nvfp4.note).toContain("no fp4 on the nvidia-h100-sxm matrix engine");
    expect(bf16.snr_db).toBeGreaterThan(fp8.snr_db);
    for (const k of ["max_abs_error", "rms_error", "relative_error", "snr_db"]) expect(typeof bf16[k]).toBe("number");
  });
  it("reads A and B from .npy files", async () => {
    const a = join(dir, "a.npy");
    const b = join(dir, "b.npy");
    writeFileSync(a, encodeNpy(2, 3, [1, 2, 3, 4, 5, 6]));
    writeFileSync(b, encodeNpy(3, 2, [1, 0, 0, 1, 1, 1], "<f8"));
    const j = JSON.parse((await cli(["precision", "gemm", "--formats", "fp32,bf16", "--a", a, "--b", b, "--json"])).out);
    expect(j).toMatchObject({ m: 2, n: 2, k: 3, data: "given matrices" });
    // Small integers are exact in fp32 and bf16: C = [[4, 5], [10, 11]] exactly.
    expect(j.rows[0]).toMatchObject({ exact: true, max_abs_error: 0, snr_db: null });
    expect(j.rows[1]).toMatchObject({ exact: true });
  });
  it("a bad .npy exits 1 with what was expected and found", async () => {
    const bad = join(dir, "bad.npy");
    writeFileSync(bad, "not numpy");
    let r = await cli(["precision", "gemm", "--formats", "bf16", "--a", bad, "--b", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("not a .npy file");
    const ints = join(dir, "ints.npy");
    const bytes = encodeNpy(2, 2, [1, 2, 3, 4]);
    const text = new TextDecoder("latin1").decode(bytes).replace("<f4", "<i4");
    writeFileSync(ints, Uint8Array.from(text, (c) => c.charCodeAt(0)));
    r = await cli(["precision", "gemm", "--formats", "bf16", "--a", ints, "--b", ints]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("unsupported dtype <i4");
    expect(r.err).toContain("expected: a 2-D, C-order, little-endian float16/float32/float64 .npy file");
  });
  it("mismatched inner dimensions exit 1", async () => {
    const a = join(dir, "a23.npy");
    writeFileSync(a, encodeNpy(2, 3, [1, 2, 3, 4, 5, 6]));
    const r = await cli(["precision", "gemm", "--formats", "bf16", "--a", a, "--b", a]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("B needs 3 rows (K)");
  });
  it("without --a/--b the shape flags are needed (usage, exit 2)", async () => {
    expect((await cli(["precision", "gemm", "--formats", "bf16"])).code).toBe(2);
  });
});

describe("xpusim precision model", () => {
  it("one layer of llama-3.1-8b: GEMM shapes from the spec, SNR per GEMM, layer speed-up", async () => {
    const r = await cli(["precision", "model", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--formats", "bf16,fp8-e4m3,int4", "--tokens", "256", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // Llama 3.1 8B: hidden 4096, 32 heads, 8 KV heads, head_dim 128, SwiGLU intermediate 14336.
    expect(j.gemms.map((g: { name: string; m: number; n: number; k: number }) => [g.name, g.m, g.n, g.k])).toEqual([
      ["qkv", 256, (32 + 2 * 8) * 128, 4096],
      ["attn_out", 256, 4096, 4096],
      ["ffn_up", 256, 2 * 14336, 4096],
      ["ffn_down", 256, 4096, 14336],
    ]);
    const [bf16, fp8, int4] = j.rows;
    expect(bf16.worst_snr_db).toBeGreaterThan(fp8.worst_snr_db);
    expect(fp8.worst_snr_db).toBeGreaterThan(int4.worst_snr_db);
    expect(fp8.speedup_x).toBeGreaterThan(1);
    expect(int4.speedup_x).toBeNull();
  });
  it("a CNN is refused with a reason (exit 1)", async () => {
    const r = await cli(["precision", "model", "--model", "resnet-50"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("precision model takes transformer layers");
  });
});

describe(".npy reader", () => {
  it("reads float16 and rejects Fortran order and 3-D shapes", () => {
    const f4 = encodeNpy(1, 2, [1, 2]);
    const text = new TextDecoder("latin1").decode(f4);
    const asBytes = (t: string) => Uint8Array.from(t, (c) => c.charCodeAt(0));
    expect(() => parseNpy(asBytes(text.replace("False", "True ")), "x.npy")).toThrow(/Fortran-order/);
    expect(() => parseNpy(asBytes(text.replace("(1, 2)", "(1,2,1)")), "x.npy")).toThrow(/2-D matrix/);
    // float16: 1.0 = 0x3c00, -2.0 = 0xc000
    const half = asBytes(text.replace("<f4", "<f2"));
    const body = half.length - 8;
    half.set([0x00, 0x3c, 0x00, 0xc0], body);
    expect(Array.from(parseNpy(half.subarray(0, body + 4), "h.npy").data)).toEqual([1, -2]);
  });
});
