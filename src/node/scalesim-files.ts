/**
 * Files around the systolic-array simulator: reads SCALE-Sim `.cfg` files and topology CSVs as
 * they are (errors carry the file name), runs them, and writes SCALE-Sim's three report CSVs
 * (COMPUTE_REPORT, BANDWIDTH_REPORT, DETAILED_ACCESS_REPORT) or a JSON report.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { systolicJob, type SystolicJobRequest, type SystolicJobResult } from "../core/app/jobs/systolic-job.js";
import { type Diagnostic, error, XpusimError } from "../core/diagnostics/diagnostic.js";
import {
  type LayerSpec,
  parseScaleSimConfig,
  parseTopologyCsv,
  renderScaleSimReports,
  type SystolicConfig,
  type SystolicLayerResult,
  type SystolicSemantics,
  type TopologyFormat,
} from "../core/systolic/index.js";
import { nodeCatalog } from "./node-catalog.js";

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(
      error("E_IO", "", code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(e)})`, {
        file,
        hint: code === "ENOENT" ? "check the path; relative paths are resolved from the current directory" : undefined,
      }),
    );
  }
}

function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof XpusimError) throw e.withFile(file);
    throw e;
  }
}

export function readScaleSimConfig(file: string): { config: SystolicConfig; warnings: Diagnostic[] } {
  const text = readText(file);
  const parsed = withFile(file, () => parseScaleSimConfig(text));
  return { config: parsed.config, warnings: parsed.warnings.map((w) => ({ ...w, file })) };
}

/** Guesses the topology format from the header (`M, N, K` columns) or the first row's width. */
export function detectTopologyFormat(text: string): TopologyFormat {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  if (header.length >= 4 && header[1] === "m" && header[2] === "n" && header[3] === "k") return "gemm";
  const first = (lines[1] ?? "").split(",").filter((f) => f.trim() !== "");
  return first.length === 4 ? "gemm" : "conv";
}

export function readTopology(file: string, format: TopologyFormat | "auto" = "auto"): { layers: LayerSpec[]; format: TopologyFormat; warnings: Diagnostic[] } {
  const text = readText(file);
  const fmt = format === "auto" ? detectTopologyFormat(text) : format;
  const parsed = withFile(file, () => parseTopologyCsv(text, fmt));
  return { layers: parsed.layers, format: fmt, warnings: parsed.warnings.map((w) => ({ ...w, file })) };
}

export interface SystolicRunRequest {
  configFile: string;
  /** Topology file; defaults to the config's TopologyCsvLoc (relative to the config's folder). */
  topologyFile?: string;
  format?: TopologyFormat | "auto";
  semantics: SystolicSemantics;
  batch?: number;
  wordSizeBytes?: number;
  /** Zero padding (each side) for conv layers without a Padding column (corrected semantics only). */
  padding?: number;
  /** Number of arrays, overriding the config's ArrayCount (corrected semantics only). */
  arrays?: number;
}

export interface SystolicRun {
  config: SystolicConfig;
  topologyFile: string;
  format: TopologyFormat;
  results: SystolicLayerResult[];
  warnings: Diagnostic[];
  /** The systolic job's whole result (model, scope, totals). */
  job: SystolicJobResult;
}

/** The files read into a systolic job request, with the parsers' warnings and where the topology came from. */
export interface SystolicFilesRequest {
  request: SystolicJobRequest;
  topologyFile: string;
  format: TopologyFormat;
  warnings: Diagnostic[];
}

/** Reads the config and the topology (default: the config's TopologyCsvLoc) into a systolic job request. */
export function systolicRequestFromFiles(req: SystolicRunRequest): SystolicFilesRequest {
  const { config, warnings } = readScaleSimConfig(req.configFile);
  let topologyFile = req.topologyFile;
  if (!topologyFile) {
    if (!config.topology_path)
      throw new XpusimError(
        error("E_SCHEMA", "network_presets.TopologyCsvLoc", "no topology given", {
          file: req.configFile,
          hint: "pass -t <layers.csv>, or set TopologyCsvLoc under [network_presets]",
        }),
      );
    topologyFile = resolve(dirname(req.configFile), config.topology_path);
  }
  const topo = readTopology(topologyFile, req.format ?? "auto");
  const request: SystolicJobRequest = {
    config,
    layers: topo.layers,
    semantics: req.semantics,
    topology_file: topologyFile,
    ...(req.batch !== undefined ? { batch: req.batch } : {}),
    ...(req.wordSizeBytes !== undefined ? { word_size_bytes: req.wordSizeBytes } : {}),
    ...(req.padding !== undefined ? { padding: req.padding } : {}),
    ...(req.arrays !== undefined ? { arrays: req.arrays } : {}),
  };
  return { request, topologyFile, format: topo.format, warnings: [...warnings, ...topo.warnings] };
}

/** Reads the files and simulates every layer through the systolic job. */
export function runSystolicFiles(req: SystolicRunRequest): SystolicRun {
  const files = systolicRequestFromFiles(req);
  const job = systolicJob.run(files.request, nodeCatalog());
  return { config: job.config, topologyFile: files.topologyFile, format: files.format, results: job.results, warnings: [...files.warnings, ...job.warnings], job };
}

/** Temp file + rename; a path that cannot be written is an E_IO diagnostic naming it, not an internal error. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temp file was never created (its folder could not be made).
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(error("E_IO", "", `cannot write the report (${code === "ENOTDIR" ? "a parent of it is a file, not a folder" : code ?? String(e)})`, { file, hint: "check the -o folder" }));
  }
}

/** Writes COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv; returns their paths. */
export function writeScaleSimReports(outDir: string, results: readonly SystolicLayerResult[]): string[] {
  const files = renderScaleSimReports(results);
  return Object.entries(files).map(([name, text]) => {
    const path = join(outDir, name);
    writeAtomic(path, text);
    return path;
  });
}

/** Writes the per-layer results as JSON (snake_case keys); returns the path. */
export function writeSystolicJson(file: string, results: readonly SystolicLayerResult[]): string {
  writeAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
