import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";

describe("xpusim map", () => {
  it("maps a layer on an example design and reports energy per MAC, TOPS/W and the breakdown", async () => {
    const r = await runCli("map", "--chip", "examples/eyeriss-like.yaml", "--layer", "conv:h=56,w=56,c=64,m=64,r=3,s=3,pad=1", "--max-evals", "200", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const text = JSON.stringify(j);
    expect(text).toMatch(/pj_per_mac/);
    const layer = (j.layers ?? j.results ?? [j])[0];
    expect(layer.pj_per_mac).toBeGreaterThan(0);
    // 56·56·64·64·9 MACs; energy must be at least the MACs' own energy.
    expect(layer.energy_pj).toBeGreaterThan(56 * 56 * 64 * 64 * 9 * 0.01);
  });

  it("is deterministic for a seed and rejects a malformed layer with the expected form", async () => {
    const args = ["map", "--chip", "examples/npu-128x128.yaml", "--layer", "gemm:m=256,n=256,k=256", "--max-evals", "150", "--seed", "7", "--json"];
    const a = await runCli(...args);
    const b = await runCli(...args);
    expect(a.out).toBe(b.out);
    const bad = await runCli("map", "--chip", "examples/npu-128x128.yaml", "--layer", "conv:w=3");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/expected: conv:h=/);
  });
});
