/**
 * Start-up benchmark: spawns `node -e 0`, `xpusim --version` and one `xpusim op gemm` N times
 * each, interleaved so machine load hits all three alike, and reports median wall times and the
 * ratio to bare Node. Target (issue #8): both commands within 2× of `node -e 0`.
 * Runs bin/xpusim.js, i.e. the bundled CLI (`npm run build` first). `npx tsx bench/startup.bench.ts [N]`
 * runs it alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface StartupRow {
  name: string;
  median_ms: number;
  min_ms: number;
  ratio_to_node: number;
}

/** The launcher to time (XPUSIM_BENCH_BIN: another checkout's, e.g. to measure a baseline). */
const BIN = process.env.XPUSIM_BENCH_BIN ?? join(import.meta.dirname, "..", "bin", "xpusim.js");
export const STARTUP_COMMANDS: Array<{ name: string; args: string[] }> = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "xpusim --version", args: [BIN, "--version"] },
  { name: "xpusim op gemm 8192³ bf16 --chip nvidia-h100-sxm", args: [BIN, "op", "gemm", "--m", "8192", "--n", "8192", "--k", "8192", "--dtype", "bf16", "--chip", "nvidia-h100-sxm"] },
];

function timeOnce(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function startupBench(runs = 15): StartupRow[] {
  if (!process.env.XPUSIM_BENCH_BIN && !existsSync(join(import.meta.dirname, "..", "dist", "bundle", "main.js"))) {
    console.warn("start-up: dist/bundle is missing, so this times the TypeScript sources; run `npm run build` first");
  }
  for (const c of STARTUP_COMMANDS) timeOnce(c.args); // warm the file cache
  const times = STARTUP_COMMANDS.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) STARTUP_COMMANDS.forEach((c, j) => times[j]!.push(timeOnce(c.args)));
  const base = median(times[0]!);
  return STARTUP_COMMANDS.map((c, j) => ({ name: c.name, median_ms: median(times[j]!), min_ms: Math.min(...times[j]!), ratio_to_node: median(times[j]!) / base }));
}

export function printStartupBench(rows: StartupRow[], runs: number): void {
  console.log(`start-up (${runs} runs each, interleaved; median and min wall time)`);
  for (const r of rows) console.log(`  ${r.name.padEnd(50)} ${r.median_ms.toFixed(1).padStart(7)} ms  (min ${r.min_ms.toFixed(1)})  ×${r.ratio_to_node.toFixed(2)} node -e 0`);
  const worst = Math.max(...rows.slice(1).map((r) => r.ratio_to_node));
  console.log(`  worst ratio ×${worst.toFixed(2)} (target: within ×2 of node -e 0)`);
}

if (process.argv[1]?.endsWith("startup.bench.ts")) {
  const runs = Number(process.argv[2] ?? 15);
  printStartupBench(startupBench(runs), runs);
}
