/**
 * The CLI as a program: the bundled build that bin/xpusim.js runs (built by `npm run build`, which
 * `npm test` runs first), lazy loading, exit codes, closed pipes, failed writes and `-o` targets.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands/index.js";
import { EXIT_CODES_HELP } from "../src/cli/main.js";
import { EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, reportInfeasible, takeResultExitCode } from "../src/cli/output.js";
import { VERSION } from "../src/cli/version.js";
import { runCli } from "./helpers/run-cli.js";

const BIN = join(import.meta.dirname, "..", "bin", "xpusim.js");
const xpusim = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
const GEMM = ["op", "gemm", "--m", "8192", "--n", "8192", "--k", "8192", "--dtype", "bf16", "--chip", "nvidia-h100-sxm"];
const tmp = () => mkdtempSync(join(tmpdir(), "xpusim-cli-"));

interface Meta {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown>; entryPoint?: string }>;
}
const meta = (): Meta => JSON.parse(readFileSync("dist/bundle-meta.json", "utf8")) as Meta;

/** Source files loaded with an output file: it and every chunk it imports statically. */
function staticInputs(m: Meta, start: string): string[] {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const i of m.outputs[f]!.imports) if (i.kind === "import-statement" && !i.external) stack.push(i.path);
  }
  return [...seen].flatMap((f) => Object.keys(m.outputs[f]!.inputs));
}
const outputWith = (m: Meta, input: string) => Object.keys(m.outputs).find((k) => input in m.outputs[k]!.inputs)!;

describe("bundled CLI", () => {
  it("says how to build when the bundle is missing (no sources, no tsx)", () => {
    const dir = tmp();
    mkdirSync(join(dir, "bin"));
    copyFileSync(BIN, join(dir, "bin", "xpusim.js"));
    const r = spawnSync(process.execPath, [join(dir, "bin", "xpusim.js"), "--version"], { encoding: "utf8" });
    expect(r.status).toBe(EXIT_INTERNAL);
    expect(r.stderr).toMatch(/not built.*\n.*Run `npm install` \(or `npm run build`\)/);
  });

  it("--version prints the version without loading commander or the engine", () => {
    const r = xpusim("--version");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
    const m = meta();
    const main = staticInputs(m, outputWith(m, "src/cli/main.ts"));
    expect(main.filter((f) => f.includes("node_modules"))).toEqual([]);
    expect(main.some((f) => f.startsWith("src/core/estimate") || f.startsWith("src/core/cost") || f.startsWith("src/cli/commands/op"))).toBe(false);
  });

  it("op loads its own chunk and no zod or yaml; those live in the spec-support chunk", () => {
    const m = meta();
    const op = [...staticInputs(m, outputWith(m, "src/cli/main.ts")), ...staticInputs(m, outputWith(m, "src/cli/commands/op.ts"))];
    expect(op).toContain("src/core/estimate/estimate-op.ts");
    expect(op.filter((f) => /node_modules\/(zod|yaml)\//.test(f))).toEqual([]);
    expect(op.some((f) => f.startsWith("src/cli/commands/") && !f.endsWith("op.ts") && !f.endsWith("index.ts"))).toBe(false);
    const spec = staticInputs(m, outputWith(m, "src/node/spec-support.ts"));
    expect(spec.some((f) => f.includes("node_modules/zod/"))).toBe(true);
    expect(spec.some((f) => f.includes("node_modules/yaml/"))).toBe(true);
  });

  it("chips and models list the catalog (the catalog job) without loading zod or yaml", () => {
    const m = meta();
    for (const name of ["chips", "models"]) {
      const inputs = [...staticInputs(m, outputWith(m, "src/cli/main.ts")), ...staticInputs(m, outputWith(m, `src/cli/commands/${name}.ts`))];
      expect(inputs, name).toContain("src/core/app/jobs/catalog-job.ts");
      expect(inputs.filter((f) => /node_modules\/(zod|yaml)\//.test(f)), name).toEqual([]);
    }
  });

  it("loads every command's chunk", () => {
    for (const { name } of COMMANDS) {
      const r = xpusim(name, "--help");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(EXIT_OK);
      expect(r.stdout).toContain(`Usage: xpusim ${name}`);
    }
  }, 120_000);

  it("answers op gemm exactly as the sources do", async () => {
    const r = xpusim(...GEMM, "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const inProcess = await runCli(...GEMM, "--json");
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(inProcess.out));
    expect(JSON.parse(r.stdout).latency_s).toBeGreaterThan(1e-3);
  });

  it("loads the spec parsers on demand for a chip file, and reports bad YAML as bad input", () => {
    const dir = tmp();
    const chip = join(dir, "my-h100.yaml");
    writeFileSync(chip, "id: my-h100\nextends: nvidia-h100-sxm\nname: My H100\n");
    const r = xpusim("op", "gemm", "--m", "4096", "--n", "4096", "--k", "4096", "--chip", `nvidia-h100-sxm,${chip}`, "--json");
    expect(r.stderr).toBe("");
    const [catalog, mine] = JSON.parse(r.stdout) as { chip: string; latency_s: number }[];
    expect(mine!.chip).toBe("my-h100");
    expect(mine!.latency_s).toBe(catalog!.latency_s);
    writeFileSync(chip, "id: [unclosed\n");
    const bad = xpusim("op", "gemm", "--m", "64", "--n", "64", "--k", "64", "--chip", chip);
    expect(bad.status).toBe(EXIT_BAD_INPUT);
    expect(bad.stderr).toMatch(/malformed YAML/);
    expect(bad.stderr).not.toMatch(/internal error|\bat .*\.js:\d+/);
  });

  it("ends quietly with 0 when the reader closes the pipe early", async () => {
    const child = spawn(process.execPath, [BIN, "chips", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before xpusim writes
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    const code = await new Promise<number | null>((res) => child.on("close", res));
    expect(err).toBe("");
    expect(code).toBe(EXIT_OK);
  });

  it.skipIf(!existsSync("/dev/full"))("exits non-zero with a message when stdout cannot be written", () => {
    const fd = openSync("/dev/full", "w");
    const r = spawnSync(process.execPath, [BIN, "chips", "nvidia-t4", "--json"], { stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
    expect(r.status).toBe(EXIT_BAD_INPUT);
    expect(r.stderr).toMatch(/cannot write to standard output \(no space left on the device, ENOSPC\)/);
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});

describe("-o FILE", () => {
  const estimate = (out: string) => runCli("estimate", "examples/gemm-h100.yaml", "--json", "-o", out);

  it.skipIf(!existsSync("/dev/full"))("reports a full device and never replaces it", async () => {
    const r = await estimate("/dev/full");
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/cannot write the output file \(no space left on the device, ENOSPC\)/);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("writes through a symlink, keeping the link", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "target.json"), "old");
    symlinkSync(join(dir, "target.json"), join(dir, "link.json"));
    expect((await estimate(join(dir, "link.json"))).code).toBe(EXIT_OK);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "target.json"), "utf8")).kind).toBe("op");
  });

  it("writes into a named pipe, keeping the pipe", async () => {
    const dir = tmp();
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "ignore"] });
    let got = "";
    reader.stdout.on("data", (d) => (got += String(d)));
    const done = new Promise((res) => reader.on("close", res));
    expect((await estimate(fifo)).code).toBe(EXIT_OK);
    await done;
    expect(JSON.parse(got).kind).toBe("op");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("replaces a regular file atomically, keeping its mode and leaving no temp file", async () => {
    const dir = tmp();
    const file = join(dir, "out.json");
    writeFileSync(file, "old");
    chmodSync(file, 0o640);
    expect((await estimate(file)).code).toBe(EXIT_OK);
    expect(JSON.parse(readFileSync(file, "utf8")).kind).toBe("op");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });
});

describe("exit codes", () => {
  it("are the documented values, in --help and in the README", async () => {
    expect([EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INFEASIBLE, EXIT_INTERNAL]).toEqual([0, 1, 2, 3, 70]);
    const help = await runCli("--help");
    expect(help.code).toBe(EXIT_OK);
    expect(help.out).toContain(EXIT_CODES_HELP.trim());
    const readme = readFileSync("README.md", "utf8");
    for (const code of [0, 1, 2, 3, 70]) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
  });

  it("usage errors exit 2, bad input 1, an infeasible answer 3", async () => {
    expect((await runCli("op", "gemm", "--m", "8", "--bogus")).code).toBe(EXIT_USAGE);
    expect((await runCli("nope")).code).toBe(EXIT_USAGE);
    expect((await runCli("op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--chip", "no-such-chip")).code).toBe(EXIT_BAD_INPUT);
    reportInfeasible();
    expect(takeResultExitCode()).toBe(EXIT_INFEASIBLE);
    expect(takeResultExitCode()).toBe(EXIT_OK);
  });
});
