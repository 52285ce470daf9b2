/**
 * `xpusim collective`: size parsing, sweeps, the nccl-tests-like table, JSON and CSV, the system
 * list, and clear errors (exit 1 for bad input, 2 for bad flags).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseBytes, parseSweep } from "../src/cli/commands/collective.js";
import { runCli } from "./helpers/run-cli.js";

const cli = runCli;

afterEach(() => vi.restoreAllMocks());

describe("xpusim collective", () => {
  it("parses sizes with units and sweeps", () => {
    expect(parseBytes("1MiB", "--bytes")).toBe(1048576);
    expect(parseBytes("4096", "--bytes")).toBe(4096);
    expect(parseBytes("1 GB", "--bytes")).toBe(1e9);
    expect(() => parseBytes("1 parsec", "--bytes")).toThrow(/not a positive size/);
    expect(parseSweep("8B:64B")).toEqual([8, 16, 32, 64]);
    expect(parseSweep("1KiB:1MiB:32")).toEqual([1024, 32768, 1048576]);
    expect(parseSweep("8B:16GiB")).toHaveLength(32);
    expect(() => parseSweep("1GiB:1MiB")).toThrow(/below the minimum/);
  });

  it("prints size, time, algbw, busbw and algorithm like nccl-tests", async () => {
    const r = await cli("collective", "--system", "dgx-a100", "--op", "all_reduce", "--bytes", "1MiB,1GiB", "--ranks", "8");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/size \(B\).*time.*algbw \(GB\/s\).*busbw \(GB\/s\).*algorithm/);
    expect(r.out).toMatch(/1073741824 .* ring\/Simple/);
    expect(r.out).toMatch(/largest size: ring\/Simple is fastest/);
  });

  it("JSON carries every result with units in field names; CSV one row per size", async () => {
    const j = JSON.parse((await cli("collective", "--system", "dgx-h100", "--sweep", "1MiB:4MiB", "--json")).out);
    expect(j.results).toHaveLength(3);
    expect(j.ranks).toBe(8);
    expect(j.results[0]).toHaveProperty("busbw_bytes_per_s");
    expect(j.results[2].time_s).toBeGreaterThan(j.results[0].time_s);
    const c = (await cli("collective", "--system", "tpu-v5e-pod", "--op", "all_gather", "--bytes", "1MiB,1GiB", "--ranks", "256", "--csv")).out.trim().split("\n");
    expect(c[0]).toContain("busbw_bytes_per_s");
    expect(c).toHaveLength(3);
  });

  it("lists the systems and uses a chip's default system", async () => {
    const l = await cli("collective", "--list");
    expect(l.out).toMatch(/gb200-nvl72/);
    const d = await cli("collective", "--chip", "nvidia-h200-sxm", "--bytes", "1GiB", "--ranks", "8", "--json");
    expect(JSON.parse(d.out).system.id).toBe("hgx-h200");
  });

  it("bad input: exit 1 with a diagnostic; bad flags: exit 2 with a hint", async () => {
    const u = await cli("collective", "--system", "dgx-h10", "--bytes", "1MiB");
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/unknown system "dgx-h10"[\s\S]*did you mean "dgx-h100"/);
    const r = await cli("collective", "--system", "dgx-h100", "--bytes", "1MiB", "--ranks", "12");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unevenly/);
    expect((await cli("collective", "--system", "dgx-h100", "--op", "allreduce")).code).toBe(2);
    expect((await cli("collective", "--system", "dgx-h100", "--bytes", "-1")).code).toBe(2);
    expect((await cli("collective", "--bytes", "1MiB")).err).toMatch(/--system is required/);
  });
});
