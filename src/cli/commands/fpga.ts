/**
 * `xpusim fpga --chip <fpga> --model <cnn> [--dtype int8] [--tm N --tn N] [--clock 200MHz]`: a loop-tiled
 * CNN accelerator on an FPGA (Zhang FPGA'15 roofline): the given design evaluated, or the best design that
 * fits the device; an infeasible design names the resource that ran out (exit 3).
 */
import { type Command, Option } from "commander";
import { JOBS, type FpgaJobRequest, type FpgaJobResult } from "../../core/app/index.js";
import { fmtPct, fmtSi, fmtTime, renderTable } from "../../core/report/table.js";
import { parseQuantity } from "../../core/units/quantity.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json, positiveInt, reportInfeasible, UsageError } from "../output.js";

interface FpgaOpts {
  chip: string;
  model?: string;
  layer?: string[];
  dtype: string;
  tm?: number;
  tn?: number;
  tp?: number;
  tr?: number;
  tc?: number;
  clock?: string;
  bandwidth?: string;
  batch?: number;
  scope: "conv" | "all";
  dspBudget?: number;
  dsp2x?: boolean;
  json?: boolean;
}

function quantityFlag(flag: string, text: string, dimension: "hz" | "bytes_per_s"): number {
  const r = parseQuantity(text, dimension);
  if (!r.ok) throw new UsageError(`${flag}: expected ${r.expected}, got "${text}"`);
  return r.value;
}

export function registerFpgaCommand(program: Command): void {
  program
    .command("fpga")
    .description("an FPGA CNN accelerator (loop-tiled engine, Zhang FPGA'15 roofline): resources, clock, cycles, bandwidth, throughput and power of a design, or the best design that fits the device")
    .requiredOption("--chip <id>", "an FPGA chip with an fpga: section (xpusim chips --kind fpga), or a chip spec file")
    .option("--model <id>", "a CNN model (its conv and FC layers)")
    .option("--layer <spec...>", "explicit layers instead of --model: conv:M=96,N=3,R=55,C=55,K=11,S=4[,repeats=1]")
    .addOption(new Option("--dtype <dtype>", "numeric format").choices(["fp32", "fp16", "int16", "fixed16", "int8", "fixed8", "int4"]).default("int8"))
    .option("--tm <n>", "output maps in parallel (with --tn: evaluate this design; without: search)", positiveInt("--tm"))
    .option("--tn <n>", "input maps in parallel", positiveInt("--tn"))
    .option("--tp <n>", "output pixels in parallel sharing each weight (DPU-style; default 1)", positiveInt("--tp"))
    .option("--tr <n>", "row tile for every layer (with --tc, --tm, --tn; default: the best per layer)", positiveInt("--tr"))
    .option("--tc <n>", "column tile for every layer", positiveInt("--tc"))
    .option("--clock <f>", "design clock, e.g. 200MHz (default: the family ceiling derated by DSP utilisation)")
    .option("--bandwidth <bw>", "off-chip bandwidth, e.g. 10GB/s (default: the chip's main memory × the family's achievable fraction)")
    .option("--batch <n>", "images per run (default 1)", positiveInt("--batch"))
    .addOption(new Option("--scope <scope>", "conv layers only, or conv and FC").choices(["conv", "all"]).default("all"))
    .option("--dsp-budget <n>", "search: use at most this many DSPs", positiveInt("--dsp-budget"))
    .option("--dsp-2x", "DSPs clocked at twice the fabric clock (AMD DPU dpu_2x_clk)")
    .option("--json", "print JSON")
    .action((o: FpgaOpts) => {
      const format = formatOf(o);
      if ((o.model === undefined) === (o.layer === undefined)) throw new UsageError("fpga needs --model or --layer (one of the two)");
      const request: FpgaJobRequest = {
        chip: o.chip,
        ...(o.model ? { model: o.model } : { layers: o.layer! }),
        dtype: o.dtype,
        scope: o.scope,
        ...(o.tm !== undefined ? { tm: o.tm } : {}),
        ...(o.tn !== undefined ? { tn: o.tn } : {}),
        ...(o.tp !== undefined ? { tp: o.tp } : {}),
        ...(o.tr !== undefined ? { tr: o.tr } : {}),
        ...(o.tc !== undefined ? { tc: o.tc } : {}),
        ...(o.clock ? { clock_hz: quantityFlag("--clock", o.clock, "hz") } : {}),
        ...(o.bandwidth ? { bandwidth_bytes_per_s: quantityFlag("--bandwidth", o.bandwidth, "bytes_per_s") } : {}),
        ...(o.batch ? { batch: o.batch } : {}),
        ...(o.dspBudget ? { dsp_budget: o.dspBudget } : {}),
        ...(o.dsp2x ? { dsp_clock_ratio: 2 } : {}),
      };
      const r = JOBS.fpga.run(request, nodeCatalog());
      if (!r.feasible) reportInfeasible();
      emit(format === "json" ? json(r) : renderFpga(r));
    });
}

function renderFpga(r: FpgaJobResult): string {
  const dev = r.device;
  const head = [
    `${dev.name} (${dev.family}): ${dev.dsp_count} ${dev.dsp_type}, ${dev.bram_blocks} ${dev.bram_name}${dev.luts ? `, ${dev.luts} LUTs` : ""}, ${fmtSi(dev.dram_bytes_per_s, "B/s")}`,
    `${r.workload.name}: ${r.workload.layers} layers (${r.workload.scope}), batch ${r.workload.batch}, ${r.dtype} (${r.dsp_per_mac.dsp_per_mac} DSP per MAC${r.dsp_per_mac.estimated ? ", estimated" : ""})`,
  ];
  const d = r.design;
  if (r.search) head.push(`search: ${r.search.candidates} ⟨Tm, Tn⟩ candidates, ${r.search.evaluated} evaluated in full, up to ${r.search.pe_budget} MACs`);
  if (!r.feasible) {
    const s = r.shortfall!;
    head.push(`INFEASIBLE: ${s.resource} needs ${s.needed}, the device has ${s.available} (over by ${s.over_by})`);
    return head.join("\n") + "\n";
  }
  const t = d!.totals;
  head.push(
    `design ⟨Tm, Tn${d!.tp > 1 ? ", Tp" : ""}⟩ = ⟨${d!.tm}, ${d!.tn}${d!.tp > 1 ? `, ${d!.tp}` : ""}⟩: ${d!.macs_per_cycle} MACs at ${fmtSi(d!.clock_hz, "Hz")} (${d!.clock_source})`,
    `resources: DSP ${d!.resources.dsp} (${fmtPct(d!.resources.utilisation.dsp)}), ${dev.bram_name} ${d!.resources.bram_blocks} (${fmtPct(d!.resources.utilisation.bram)})${dev.weight_pool ? `, ${dev.weight_pool.name} ${d!.resources.weight_pool_blocks} for weights (${fmtPct(d!.resources.utilisation.weight_pool)})` : ""}, LUT ≈ ${d!.resources.luts} [${d!.resources.luts_range.join("–")}]`,
    `throughput ${fmtSi(t.throughput_per_s, "img/s")}, latency ${fmtTime(t.latency_s)}, ${fmtSi(t.ops_per_s, "OP/s")} of ${fmtSi(t.peak_ops_per_s, "OP/s")} peak (DSP efficiency ${fmtPct(t.dsp_efficiency)}), DRAM ${fmtSi(t.dram_bytes_per_s, "B/s")}`,
    `power ≈ ${d!.power.total_w.toFixed(1)} W (${d!.power.range_w.map((w) => w.toFixed(1)).join("–")})${d!.power.note ? `; ${d!.power.note}` : ""}`,
  );
  const table = renderTable(d!.layers, [
    { header: "layer", value: (l) => l.name },
    { header: "×", value: (l) => l.repeats },
    { header: "Tr×Tc", value: (l) => `${l.tr}×${l.tc}` },
    { header: "cycles", value: (l) => l.compute_cycles },
    { header: "time", value: (l) => fmtTime(l.time_s) },
    { header: "CTC op/B", value: (l) => l.ctc_ops_per_byte.toFixed(1) },
    { header: "attainable", value: (l) => fmtSi(l.attainable_ops_per_s, "OP/s") },
    { header: "bound", value: (l) => l.bound },
  ]);
  return `${head.join("\n")}\n\n${table}\n${r.notes.map((n) => `note: ${n}`).join("\n")}\n`;
}
