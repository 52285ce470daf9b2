/**
 * `xpusim systolic -c scale.cfg -t layers.csv [--compat scalesim] [--json|--csv] [-o outdir]`:
 * simulates a systolic array on a SCALE-Sim config and topology. `--compat scalesim` reproduces
 * SCALE-Sim v2 exactly; without it the corrected semantics apply (docs/systolic.md).
 * With -o, SCALE-Sim's three report CSVs are written to the folder (and SYSTOLIC_REPORT.json with
 * --json); without -o the results go to stdout as a table, JSON or one flat CSV.
 */
import type { Command } from "commander";
import { formatDiagnostic } from "../../core/diagnostics/diagnostic.js";
import type { SystolicLayerResult, SystolicSemantics } from "../../core/app/jobs/systolic-job.js";
import { JOBS } from "../../core/app/registry.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { systolicRequestFromFiles, writeScaleSimReports, writeSystolicJson } from "../../node/scalesim-files.js";
import { emit, formatOf, json, nonNegativeInt, positiveInt, UsageError } from "../output.js";
import { join } from "node:path";

interface SystolicOpts {
  config: string;
  topology?: string;
  compat?: string;
  format: string;
  batch?: number;
  wordSize?: number;
  padding?: number;
  arrays?: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

const FIELDS: (keyof SystolicLayerResult)[] = [
  "layer_id",
  "layer_name",
  "gemm_m",
  "gemm_n",
  "gemm_k",
  "macs",
  "total_cycles",
  "stall_cycles",
  "overall_util_pct",
  "mapping_efficiency_pct",
  "compute_util_pct",
  "sram_ifmap_reads",
  "sram_filter_reads",
  "sram_ofmap_writes",
  "dram_ifmap_reads",
  "dram_filter_reads",
  "dram_ofmap_writes",
  "sram_ifmap_start_cycle",
  "sram_ifmap_stop_cycle",
  "sram_filter_start_cycle",
  "sram_filter_stop_cycle",
  "sram_ofmap_start_cycle",
  "sram_ofmap_stop_cycle",
  "dram_ifmap_start_cycle",
  "dram_ifmap_stop_cycle",
  "dram_filter_start_cycle",
  "dram_filter_stop_cycle",
  "dram_ofmap_start_cycle",
  "dram_ofmap_stop_cycle",
  "avg_ifmap_sram_bw",
  "avg_filter_sram_bw",
  "avg_ofmap_sram_bw",
  "avg_ifmap_dram_bw",
  "avg_filter_dram_bw",
  "avg_ofmap_dram_bw",
];

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Fields only the corrected semantics' extensions produce; a column appears when some layer has it. */
const OPTIONAL_FIELDS: (keyof SystolicLayerResult)[] = ["arrays_used", "unit", "vector_ops"];

/** One flat CSV: a header of snake_case field names, one row per layer. */
export function systolicFlatCsv(results: readonly SystolicLayerResult[]): string {
  const fields = [...FIELDS, ...OPTIONAL_FIELDS.filter((f) => results.some((r) => r[f] !== undefined))];
  return [fields.join(","), ...results.map((r) => fields.map((f) => csvCell(r[f] ?? "")).join(","))].join("\n");
}

function pad(s: string, n: number, right = true): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** A human-readable table of the key fields. */
export function systolicTable(results: readonly SystolicLayerResult[], semantics: SystolicSemantics): string {
  const cols: [string, (r: SystolicLayerResult) => string][] = [
    ["layer", (r) => r.layer_name],
    ["M×N×K", (r) => (r.unit === "vector" ? `vector ${r.vector_ops} ops` : `${r.gemm_m}×${r.gemm_n}×${r.gemm_k}`)],
    ["cycles", (r) => String(r.total_cycles)],
    ["stalls", (r) => String(r.stall_cycles)],
    ["util %", (r) => r.overall_util_pct.toFixed(2)],
    ["map eff %", (r) => r.mapping_efficiency_pct.toFixed(2)],
    ["DRAM ifmap rd", (r) => String(r.dram_ifmap_reads)],
    ["DRAM filter rd", (r) => String(r.dram_filter_reads)],
    ["DRAM ofmap wr", (r) => String(r.dram_ofmap_writes)],
    ["ifmap DRAM bw", (r) => r.avg_ifmap_dram_bw.toFixed(3)],
    ["filter DRAM bw", (r) => r.avg_filter_dram_bw.toFixed(3)],
    ["ofmap DRAM bw", (r) => r.avg_ofmap_dram_bw.toFixed(3)],
  ];
  const cells = results.map((r) => cols.map(([, f]) => f(r)));
  const widths = cols.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((s, i) => pad(s, widths[i]!, i > 0)).join("  ");
  const total = results.reduce((s, r) => s + r.total_cycles, 0);
  const stalls = results.reduce((s, r) => s + r.stall_cycles, 0);
  return [
    line(cols.map(([h]) => h)),
    ...cells.map(line),
    "",
    `${results.length} layers, ${total} cycles (${stalls} stall cycles); semantics: ${semantics === "scalesim" ? "SCALE-Sim v2 compatible" : "corrected"}; counts in words, bandwidths in words/cycle`,
  ].join("\n");
}

export function registerSystolicCommand(program: Command): void {
  program
    .command("systolic")
    .description("simulate a systolic array (SCALE-Sim v2 config and topology files): cycles, utilisation, SRAM/DRAM traffic")
    .requiredOption("-c, --config <file>", "SCALE-Sim .cfg file")
    .option("-t, --topology <file>", "topology CSV (default: the config's TopologyCsvLoc)")
    .option("--compat <tool>", "reproduce another simulator exactly: scalesim (SCALE-Sim v2, commit 22f88b1)")
    .option("--format <format>", "topology format: conv, gemm (M,N,K rows; SCALE-Sim's -i gemm) or auto", "auto")
    .option("--batch <n>", "images per layer, for layers without a Batch column (corrected semantics only)", positiveInt("--batch"))
    .option("--word-size <bytes>", "bytes per word, overriding WordSizeBytes (corrected semantics only)", positiveInt("--word-size"))
    .option("--padding <p>", "zero padding on each side for conv layers without a Padding column (corrected semantics only)", nonNegativeInt("--padding"))
    .option("--arrays <n>", "identical arrays sharing the DRAM port, overriding ArrayCount (corrected semantics only)", positiveInt("--arrays"))
    .option("--json", "print JSON (one object per layer; with -o also write SYSTOLIC_REPORT.json)")
    .option("--csv", "print one flat CSV (one row per layer)")
    .option("-o, --out <dir>", "write COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv to this folder")
    .action((opts: SystolicOpts) => {
      const format = formatOf(opts);
      if (opts.compat !== undefined && opts.compat !== "scalesim")
        throw new UsageError(`--compat must be "scalesim", got "${opts.compat}"`, "omit --compat for the corrected semantics");
      if (!["auto", "conv", "gemm"].includes(opts.format)) throw new UsageError(`--format must be auto, conv or gemm, got "${opts.format}"`);
      const semantics: SystolicSemantics = opts.compat === "scalesim" ? "scalesim" : "corrected";
      const files = systolicRequestFromFiles({
        configFile: opts.config,
        topologyFile: opts.topology,
        format: opts.format as "auto" | "conv" | "gemm",
        semantics,
        batch: opts.batch,
        wordSizeBytes: opts.wordSize,
        padding: opts.padding,
        arrays: opts.arrays,
      });
      const run = JOBS.systolic.run(files.request, nodeCatalog());
      for (const w of [...files.warnings, ...run.warnings]) process.stderr.write(`${formatDiagnostic(w)}\n`);
      if (opts.out) {
        const written = writeScaleSimReports(opts.out, run.results);
        if (format === "json") written.push(writeSystolicJson(join(opts.out, "SYSTOLIC_REPORT.json"), run.results));
        process.stderr.write(`wrote ${written.join(", ")}\n`);
      }
      if (format === "json") return emit(json(run.results));
      if (format === "csv") return emit(systolicFlatCsv(run.results));
      return emit([systolicTable(run.results, semantics), `model: ${run.model} — ${run.scope}`, `other models: ${run.other_models}`].join("\n"));
    });
}
