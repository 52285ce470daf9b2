import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { modelIds } from "../src/node/model-catalog.js";
import { runCli } from "./helpers/run-cli.js";

const cli = runCli;

afterEach(() => vi.restoreAllMocks());

describe("xpusim CLI", () => {
  it("chips --json prints an array of objects with id", async () => {
    const r = await cli("chips", "--json");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<{ id: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(48);
    expect(rows.map((x) => x.id)).toContain("google-tpu-v5p");
  });

  it("models --json prints ids and params_total", async () => {
    const r = await cli("models", "--json");
    const rows = JSON.parse(r.out) as Array<{ id: string; params_total: number }>;
    expect(rows.find((m) => m.id === "llama-3.1-405b")!.params_total).toBe(405_853_388_800);
    expect(rows.map((m) => m.id).sort()).toEqual(modelIds().sort());
    expect(rows.find((m) => m.id === "bloom-176b")!.params_total).toBe(176_247_271_424);
  });

  it("op gemm gives latency, bound and the cost model, in table, JSON and CSV", async () => {
    const args = ["op", "gemm", "--m", "4096", "--n", "4096", "--k", "4096", "--dtype", "bf16", "--chip", "nvidia-h100-sxm"];
    const t = await cli(...args);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/compute/);
    const j = JSON.parse((await cli(...args, "--json")).out);
    expect(j.flops).toBe(2 * 4096 ** 3);
    expect(j.latency_s).toBeGreaterThan(j.flops / 989.4e12);
    expect(j.bound).toBe("compute");
    const c = (await cli(...args, "--csv")).out.split("\n");
    expect(c[0]).toContain("latency_s");
    expect(c).toHaveLength(3);
  });

  it("run prints a per-block breakdown whose totals add up", async () => {
    const r = await cli("run", "--model", "llama-3.1-8b", "--chip", "nvidia-h100-sxm", "--seq", "1024", "--json");
    const j = JSON.parse(r.out);
    const sum = j.blocks.reduce((s: number, b: { total_time_s: number }) => s + b.total_time_s, 0);
    expect(sum).toBeCloseTo(j.time_s, 12);
    expect(j.blocks.find((b: { repeat: number }) => b.repeat === 32)).toBeDefined();
  });

  it("compare ranks chips and says which do not fit", async () => {
    const r = await cli("compare", "--model", "llama-3.1-70b", "--chips", "nvidia-h100-sxm,amd-mi300x", "--json");
    const rows = JSON.parse(r.out) as Array<{ chip: string; fits: boolean; shortfall_bytes: number }>;
    expect(rows[0]!.chip).toBe("amd-mi300x");
    expect(rows[1]!.fits).toBe(false);
    expect(rows[1]!.shortfall_bytes).toBeGreaterThan(50e9);
  });

  it("estimate --json prints the scenario contract fields", async () => {
    const inf = JSON.parse((await cli("estimate", "examples/llama-inference.yaml", "--json")).out);
    for (const k of ["ttft_s", "tpot_s", "e2e_latency_s", "output_tokens_per_s", "samples_per_s", "memory_per_chip_bytes", "fits", "energy_j", "bound"]) expect(inf).toHaveProperty(k);
    const tr = JSON.parse((await cli("estimate", "examples/resnet-training.yaml", "--json")).out);
    for (const k of ["step_time_s", "tokens_per_s", "samples_per_s", "model_flops_per_s_per_chip", "hardware_flops_per_s_per_chip", "mfu", "memory_per_chip_bytes", "fits", "energy_j"]) expect(tr).toHaveProperty(k);
    expect(Object.keys(tr.memory_breakdown_bytes).sort()).toEqual(["activations", "gradients", "kv_cache", "optimizer", "other", "weights"]);
    const op = JSON.parse((await cli("estimate", "examples/gemm-h100.yaml", "--json")).out);
    for (const k of ["latency_s", "flops", "bytes", "achieved_flops_per_s", "bound"]) expect(op).toHaveProperty(k);
  });

  it("bad input: unknown ids suggest the closest, wrong units name the field, exit codes are non-zero", async () => {
    const u = await cli("op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--chip", "nvidia-h100-sx");
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/unknown chip "nvidia-h100-sx"/);
    expect(u.err).toMatch(/did you mean "nvidia-h100-sxm"/);
    const z = await cli("op", "gemm", "--m", "0", "--n", "8", "--k", "8", "--chip", "nvidia-h100-sxm");
    expect(z.code).toBe(2);
    expect(z.err).toMatch(/--m must be a positive integer/);
    const dir = mkdtempSync(join(tmpdir(), "xpusim-"));
    const chip = join(dir, "chip.yaml");
    writeFileSync(chip, "id: mine\nextends: nvidia-h100-sxm\nmemory:\n  main:\n    bandwidth: 3.35 GHz\n");
    const w = await cli("chips", chip);
    expect(w.code).toBe(1);
    expect(w.err).toContain(`${chip}: memory.main.bandwidth`);
    expect(w.err).toMatch(/hint:.*TB\/s/);
    writeFileSync(chip, "id: [unclosed\n");
    const p = await cli("chips", chip);
    expect(p.err).toMatch(/malformed YAML \(line \d+, column \d+\)/);
    const m = await cli("models", "llama-3.1-7b");
    expect(m.err).toMatch(/did you mean/);
  });

  it("refuses a dtype the chip lacks and lists the ones it has", async () => {
    const r = await cli("op", "gemm", "--m", "1024", "--n", "1024", "--k", "1024", "--dtype", "fp8", "--chip", "nvidia-a100-sxm-80gb");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/fp8/);
    expect(r.err).toMatch(/bf16/);
  });

  it("writes no partial output file when a scenario fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xpusim-"));
    const scen = join(dir, "s.yaml");
    writeFileSync(scen, "kind: inference\nhardware: { chip: nvidia-h100-sxm }\nworkload: { model: no-such-model }\n");
    const out = join(dir, "out.json");
    const r = await cli("estimate", scen, "--json", "-o", out);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    writeFileSync(scen, "kind: inference\nhardware: { chip: nvidia-h100-sxm }\nworkload: { model: llama-3.1-8b }\ninference: { batch: 2, input_tokens: 128, output_tokens: 8 }\n");
    expect((await cli("estimate", scen, "--json", "-o", out)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).kind).toBe("inference");
  });

  it("the installed binary runs and fails cleanly without a stack trace", () => {
    const ok = execFileSync(process.execPath, ["bin/xpusim.js", "chips", "nvidia-t4", "--json"], { encoding: "utf8" });
    expect(JSON.parse(ok).id).toBe("nvidia-t4");
    const bad = spawnSync(process.execPath, ["bin/xpusim.js", "run", "--model", "gpt2-124m", "--chip", "nope"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown chip "nope"/);
    expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
