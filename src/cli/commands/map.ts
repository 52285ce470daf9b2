/**
 * `xpusim map --chip my-npu.yaml (--layer conv:... | --model resnet-50) [--seed 1] [--max-evals 2000]
 * [--objective energy|latency|edp] [--mapping mapping.yaml] [--json|--csv]`: mapping search per layer on a
 * custom NPU design, with energy per action, energy by level and component (leakage and clock included), area,
 * TOPS/W and TOPS/mm², and for systolic designs the cycle simulator's count next to the mapper's (src/core/npu). `--mapping` replays a given mapping (one layer) instead of searching.
 */
import type { Command } from "commander";
import type { MapObjective, NpuMapJobRequest, NpuMapJobResult } from "../../core/app/jobs/npu-map-job.js";
import { JOBS } from "../../core/app/registry.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { renderTable } from "../../core/report/table.js";
import { emit, formatOf, json, positiveInt, UsageError } from "../output.js";

interface MapOpts {
  chip: string;
  layer?: string[];
  model?: string;
  batch: number;
  image?: number;
  seed: number;
  maxEvals: number;
  objective: string;
  mapping?: string;
  json?: boolean;
  csv?: boolean;
}

const CSV_FIELDS = ["layer", "repeats", "feasible", "macs", "energy_pj", "pj_per_mac", "cycles", "cycles_systolic_sim", "latency_s", "utilization", "tops_per_w", "evaluations", "valid_evaluations"] as const;

export function registerMapCommand(program: Command): void {
  program
    .command("map")
    .description("search loop-nest mappings of layers on a custom NPU design: energy per action, energy/area breakdown, TOPS/W, TOPS/mm²")
    .requiredOption("--chip <file|id>", "chip spec (with an optional design: block)")
    .option("--layer <spec...>", "conv:h=56,w=56,c=64,m=64,r=3,s=3[,stride=1,pad=1,n=1,groups=1] or gemm:m=512,n=512,k=512")
    .option("--model <id|file>", "map every conv/GEMM layer of a model")
    .option("--batch <n>", "images or sequences (with --model)", positiveInt("--batch"), 1)
    .option("--image <px>", "image size (with --model)", positiveInt("--image"))
    .option("--seed <n>", "PRNG seed of the search", (v) => { const n = Number(v); if (!Number.isSafeInteger(n)) throw new UsageError(`--seed must be an integer, got "${v}"`); return n; }, 1)
    .option("--max-evals <n>", "mappings evaluated per layer", positiveInt("--max-evals"), 2000)
    .option("--objective <o>", "energy, latency or edp", "energy")
    .option("--mapping <file>", "replay this mapping (YAML/JSON, as printed by --json) for a single --layer")
    .option("--json", "print JSON")
    .option("--csv", "print one CSV row per layer")
    .action((o: MapOpts) => {
      const format = formatOf(o);
      const result = JOBS["npu-map"].run(mapRequest(o), nodeCatalog());
      const { model, scope, other_models, design, totals, layers } = result;
      if (format === "json") return emit(json({ design, totals, layers, model, scope, other_models }));
      if (format === "csv") return emit([CSV_FIELDS.join(","), ...layers.map((r) => CSV_FIELDS.map((f) => (r[f] === undefined ? "" : JSON.stringify(r[f]))).join(","))].join("\n"));
      return emit(renderMap(result));
    });
}

/** The flags as an NPU mapping request. */
function mapRequest(o: MapOpts): NpuMapJobRequest {
  if (!["energy", "latency", "edp"].includes(o.objective)) throw new UsageError(`--objective must be energy, latency or edp, got "${o.objective}"`);
  if (!o.layer && !o.model) throw new UsageError("give --layer or --model");
  if (o.layer && o.model) throw new UsageError("give --layer or --model, not both");
  if (o.mapping && o.layer?.length !== 1) throw new UsageError("--mapping replays one layer: give exactly one --layer");
  return {
    chip: o.chip,
    ...(o.layer ? { layers: o.layer } : { model: o.model!, batch: o.batch, ...(o.image ? { image_size: o.image } : {}) }),
    seed: o.seed,
    max_evals: o.maxEvals,
    objective: o.objective as MapObjective,
    ...(o.mapping ? { mapping: { object: readDocument(o.mapping), file: o.mapping } } : {}),
  };
}

/** The design line, one row per layer, the static-power note, the totals and the model used. */
function renderMap(r: NpuMapJobResult): string {
  const { array: a, design: summary, totals, layers: results } = r;
  const lines = [
    `${a.chip_name}: ${a.rows}x${a.cols}x${a.arrays} ${a.dtype} ${a.dataflow} @ ${a.clock_hz / 1e9} GHz, ${a.process_nm} nm; area ${summary.area.total_mm2.toFixed(2)} mm² (${summary.area.components.map((c) => `${c.name} ${c.area_mm2.toFixed(2)}`).join(", ")}); peak ${summary.peak_tops.toFixed(2)} TOPS, ${summary.peak_tops_per_mm2.toFixed(3)} TOPS/mm²`,
    "",
    renderTable(results, [
      { header: "layer", value: (r) => r.layer },
      { header: "x", value: (r) => r.repeats },
      { header: "pJ/MAC", value: (r) => (r.feasible ? r.pj_per_mac!.toFixed(3) : "-") },
      { header: "energy µJ", value: (r) => (r.feasible ? (r.energy_pj! / 1e6).toFixed(3) : "-") },
      { header: "cycles", value: (r) => (r.feasible ? Math.round(r.cycles!) : "-") },
      { header: "sim cycles", value: (r) => (r.cycles_systolic_sim === undefined ? "-" : Math.round(r.cycles_systolic_sim)) },
      { header: "util %", value: (r) => (r.feasible ? (100 * r.utilization!).toFixed(1) : "-") },
      { header: "TOPS/W", value: (r) => (r.feasible ? r.tops_per_w!.toFixed(2) : "-") },
      { header: "note", value: (r) => (r.feasible ? "" : `infeasible: ${r.reasons.join("; ")}`), align: "left" },
    ]),
    `sim cycles: SCALE-Sim-compatible simulator (corrected semantics, no DRAM stalls) for single systolic ws/os/is arrays; static power ${(summary.action_energies.static_power.leakage_w * 1e3).toFixed(3)} mW leakage, clock ${summary.action_energies.static_power.clock_pj_per_cycle.toFixed(1)} pJ/cycle (${summary.action_energies.static_power.clocked_bits} flop bits)`,
    "",
    `total: ${totals.feasible_layers}/${totals.layers} layers mapped, ${(totals.energy_pj / 1e6).toFixed(3)} µJ, ${totals.pj_per_mac.toFixed(3)} pJ/MAC, ${(totals.latency_s * 1e3).toFixed(4)} ms, ${totals.tops_per_w.toFixed(2)} TOPS/W, ${totals.effective_tops.toFixed(3)} TOPS effective, ${totals.tops_per_mm2.toFixed(4)} TOPS/mm²`,
    `energy by component (pJ/MAC): ${Object.entries(totals.energy_by_component_pj).map(([k, v]) => `${k} ${(v / Math.max(1, totals.macs)).toFixed(3)}`).join(", ")}`,
    `model: ${r.model} — ${r.scope}`,
    `other models: ${r.other_models}`,
  ];
  return lines.join("\n");
}
