/**
 * `xpusim systolic`: reads SCALE-Sim files, writes SCALE-Sim's report CSVs with -o, JSON with
 * snake_case keys, and turns bad files into diagnostics naming the file and the line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./helpers/run-cli.js";

const fixture = (p: string): string => new URL(`./fixtures/scalesim/${p}`, import.meta.url).pathname;

/** The CLI in-process (the shared helper), taking the argument list as an array. */
const cli = (args: string[]) => runCli(...args);

afterEach(() => vi.restoreAllMocks());

describe("xpusim systolic", () => {
  const cfg = fixture("resnet50-tpu256-ws/google.cfg");
  const topo = fixture("resnet50-tpu256-ws/Resnet50.csv");

  it("--compat scalesim -o writes SCALE-Sim's three reports, byte-identical", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-systolic-"));
    const r = await cli(["systolic", "-c", cfg, "-t", topo, "--compat", "scalesim", "-o", dir]);
    expect(r.code).toBe(0);
    for (const f of ["COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv"])
      expect(readFileSync(join(dir, f), "utf8")).toBe(readFileSync(fixture(`resnet50-tpu256-ws/scalesim-reports/${f}`), "utf8"));
    expect(r.out).toMatch(/54 layers, 438375 cycles \(0 stall cycles\); semantics: SCALE-Sim v2 compatible/);
  });

  it("--json prints one object per layer with snake_case keys", async () => {
    const r = await cli(["systolic", "-c", cfg, "-t", topo, "--compat", "scalesim", "--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, number | string>[];
    expect(rows).toHaveLength(54);
    expect(rows[0]).toMatchObject({
      layer_id: 0,
      layer_name: "Conv1",
      total_cycles: 12865,
      stall_cycles: 0,
      overall_util_pct: 13.501840021375825,
      mapping_efficiency_pct: 14.35546875,
      compute_util_pct: 13.238409562914413,
    });
    for (const key of ["sram_ifmap_reads", "dram_ofmap_writes", "dram_filter_start_cycle", "sram_ofmap_stop_cycle", "avg_ifmap_dram_bw", "avg_ofmap_sram_bw"]) expect(rows[10]).toHaveProperty(key);
  });

  it("defaults to the corrected semantics (one more cycle per layer for WS) and prints a flat CSV", async () => {
    const r = await cli(["systolic", "-c", cfg, "-t", topo, "--csv"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]!.split(",").slice(0, 8)).toEqual(["layer_id", "layer_name", "gemm_m", "gemm_n", "gemm_k", "macs", "total_cycles", "stall_cycles"]);
    expect(lines[1]!.split(",")[6]).toBe("12866");
  });

  it("reads GEMM topologies (format detected from the M, N, K header) and batch in corrected mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-systolic-"));
    const gemm = join(dir, "gemm.csv");
    writeFileSync(gemm, "Layer, M, N, K,\nTest1, 128, 64, 256,\n");
    const compat = JSON.parse((await cli(["systolic", "-c", fixture("alexnet-sq32-os/scale.cfg"), "-t", gemm, "--compat", "scalesim", "--json"])).out);
    expect(compat[0]).toMatchObject({ total_cycles: 2543, sram_ofmap_writes: 8704, dram_ifmap_start_cycle: -3275 });
    const batched = JSON.parse((await cli(["systolic", "-c", fixture("alexnet-sq32-os/scale.cfg"), "-t", gemm, "--batch", "2", "--json"])).out);
    expect(batched[0]).toMatchObject({ gemm_m: 256, sram_ofmap_writes: 2 * 8192 });
  });

  it("a malformed topology names the file, the line and the column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-systolic-"));
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1,224,224,7,7,3,64,2,\nConv2,56,56,3,3,64,sixty,1,\n");
    const r = await cli(["systolic", "-c", cfg, "-t", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error E_PARSE at ${bad}: line 3.Num filter: line 3, column 7 (Num filter) of layer "Conv2": not an integer`);
  });

  it("a missing file and a bad flag are clear errors", async () => {
    const missing = await cli(["systolic", "-c", "/nonexistent/scale.cfg", "-t", topo]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/E_IO at \/nonexistent\/scale.cfg: file not found/);
    const flag = await cli(["systolic", "-c", cfg, "-t", topo, "--compat", "timeloop"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/--compat must be "scalesim"/);
  });
});
