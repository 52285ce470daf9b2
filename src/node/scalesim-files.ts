/**
 * Files around the systolic-array simulator: reads SCALE-Sim `.cfg` files and topology CSVs as
 * they are (errors carry the file name), runs them, and writes SCALE-Sim's three report CSVs
 * (COMPUTE_REPORT, BANDWIDTH_REPORT, DETAILED_ACCESS_REPORT) or a JSON report.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Diagnostic, error, XpusimError } from "../core/diagnostics/diagnostic.js";
import {
  type LayerSpec,
  parseScaleSimConfig,
  parseTopologyCsv,
  renderScaleSimReports,
  simulateSystolic,
  type SystolicConfig,
  type SystolicLayerResult,
  type SystolicSemantics,
  type TopologyFormat,
} from "../core/systolic/index.js";

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
}

/** Reads the files, applies the semantics' options and simulates every layer. */
export function runSystolicFiles(req: SystolicRunRequest): SystolicRun {
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
  warnings.push(...topo.warnings);
  const cfg: SystolicConfig = { ...config };
  if (req.wordSizeBytes !== undefined) cfg.word_size_bytes = req.wordSizeBytes;
  if (req.semantics === "scalesim") {
    if (cfg.word_size_bytes !== 1)
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "word_size_bytes", message: `SCALE-Sim v2 always uses 1-byte words; word size ${cfg.word_size_bytes} is ignored in --compat scalesim` });
    if (req.batch !== undefined && req.batch !== 1)
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "batch", message: `SCALE-Sim v2 is fixed at batch 1; --batch ${req.batch} is ignored in --compat scalesim` });
    if (topo.layers.some((l) => (l.batch ?? 1) !== 1 || (l.kind === "conv" && (l.groups ?? 1) !== 1)))
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "Batch/Groups", message: "the Batch and Groups columns are ignored in --compat scalesim", file: topologyFile });
    if (topo.layers.some((l) => l.kind === "conv" && (l.pad_h !== undefined || l.pad_w !== undefined)) || req.padding !== undefined)
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "Padding", message: "padding (Padding column, --padding) is ignored in --compat scalesim: SCALE-Sim has none", file: topologyFile });
    if (topo.layers.some((l) => l.op_type !== undefined && l.op_type !== l.kind))
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "Type", message: "the Type column is ignored in --compat scalesim: every row runs on the array as SCALE-Sim does", file: topologyFile });
    if ((req.arrays ?? cfg.array_count ?? 1) !== 1)
      warnings.push({ code: "W_UNKNOWN_FIELD", severity: "warning", path: "array_count", message: "SCALE-Sim v2 simulates one array; ArrayCount / --arrays is ignored in --compat scalesim" });
  }
  const results = simulateSystolic(cfg, topo.layers, {
    semantics: req.semantics,
    batch: req.batch ?? 1,
    ...(req.padding !== undefined ? { padding: req.padding } : {}),
    ...(req.arrays !== undefined ? { arrays: req.arrays } : {}),
  });
  return { config: cfg, topologyFile, format: topo.format, results, warnings };
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
