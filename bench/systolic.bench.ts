/**
 * Systolic-array simulator speed: ResNet-50 (SCALE-Sim's mlperf topology, 54 layers) on a 256×256
 * weight-stationary array (SCALE-Sim's google.cfg: 6 MiB IFMAP/filter, 2 MiB OFMAP SRAM, CALC),
 * in SCALE-Sim compatibility mode. Checks that the three reports are byte-identical to SCALE-Sim's,
 * then compares the time with SCALE-Sim: measured now when SCALESIM_DIR points to a scale-sim-v2
 * checkout (runs `python3 scalesim/scale.py`, or $SCALESIM_PYTHON, for minutes), otherwise the figure recorded in
 * systolic-baseline.json (date and machine of that measurement). Target: ≥ 1000× faster.
 *
 * Run: node --import tsx bench/systolic.bench.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseScaleSimConfig, parseTopologyCsv, renderScaleSimReports, simulateSystolic } from "../src/core/systolic/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const fixtureDir = join(here, "../test/fixtures/scalesim/resnet50-tpu256-ws");

interface Baseline {
  scalesim_seconds: number;
  scalesim_peak_rss_bytes: number;
  measured_on: string;
  machine: string;
  command: string;
  scalesim_commit: string;
}

export interface SystolicBenchResult {
  cold_ms: number;
  warm_median_ms: number;
  identical_to_scalesim: boolean;
  scalesim_seconds: number;
  scalesim_source: string;
  speedup_cold: number;
  speedup_warm: number;
}

function timeScaleSim(dir: string, cfg: string, topo: string): { seconds: number; reports: Record<string, string> } {
  const out = mkdtempSync(join(tmpdir(), "scalesim-"));
  try {
    const t0 = performance.now();
    const p = spawnSync(process.env.SCALESIM_PYTHON ?? "python3", ["scalesim/scale.py", "-c", cfg, "-t", topo, "-p", out], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: dir },
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`SCALE-Sim failed: ${p.stderr.slice(-500)}`);
    const runDir = join(out, "GoogleTPU_v1_ws");
    const reports: Record<string, string> = {};
    for (const f of ["COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv"]) reports[f] = readFileSync(join(runDir, f), "utf8");
    return { seconds, reports };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function systolicBench(): SystolicBenchResult {
  const cfgFile = join(fixtureDir, "google.cfg");
  const topoFile = join(fixtureDir, "Resnet50.csv");
  const run = () => {
    // Parsing is part of the measured work, as in SCALE-Sim's run.
    const { config } = parseScaleSimConfig(readFileSync(cfgFile, "utf8"));
    const { layers } = parseTopologyCsv(readFileSync(topoFile, "utf8"), "conv");
    return simulateSystolic(config, layers, { semantics: "scalesim" });
  };
  let t0 = performance.now();
  const results = run();
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const warm = times[times.length >> 1]!;

  const ours = renderScaleSimReports(results);
  let reference: Record<string, string> = {};
  let scalesimSeconds: number;
  let source: string;
  const dir = process.env.SCALESIM_DIR;
  if (dir) {
    const measured = timeScaleSim(dir, cfgFile, topoFile);
    scalesimSeconds = measured.seconds;
    reference = measured.reports;
    source = `measured now (${dir})`;
  } else {
    const baseline = JSON.parse(readFileSync(join(here, "systolic-baseline.json"), "utf8")) as Baseline;
    scalesimSeconds = baseline.scalesim_seconds;
    source = `recorded ${baseline.measured_on} on ${baseline.machine}`;
    for (const f of Object.keys(ours)) reference[f] = readFileSync(join(fixtureDir, "scalesim-reports", f), "utf8");
  }
  const identical = Object.keys(ours).every((f) => ours[f] === reference[f]);
  return {
    cold_ms: cold,
    warm_median_ms: warm,
    identical_to_scalesim: identical,
    scalesim_seconds: scalesimSeconds,
    scalesim_source: source,
    speedup_cold: (scalesimSeconds * 1000) / cold,
    speedup_warm: (scalesimSeconds * 1000) / warm,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = systolicBench();
  console.log("systolic: ResNet-50 on a 256×256 WS array (SCALE-Sim google.cfg, CALC), --compat scalesim");
  console.log(`  xpusim   first run ${r.cold_ms.toFixed(1)} ms, warm median ${r.warm_median_ms.toFixed(2)} ms`);
  console.log(`  SCALE-Sim ${r.scalesim_seconds.toFixed(1)} s (${r.scalesim_source})`);
  console.log(`  reports identical to SCALE-Sim: ${r.identical_to_scalesim ? "yes" : "NO"}`);
  console.log(`  speed-up: ×${Math.round(r.speedup_cold)} (first run), ×${Math.round(r.speedup_warm)} (warm); target ×1000`);
  if (!r.identical_to_scalesim) process.exitCode = 1;
}
