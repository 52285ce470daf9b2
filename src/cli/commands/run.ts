/**
 * `xpusim run --model M --chip C`: one forward pass (prefill, decode step or CNN forward) with the
 * per-block and per-op breakdown: time, share, bound, FLOPs, bytes, which cost model answered.
 */
import { type Command, Option } from "commander";
import { type BreakdownRequest, type BreakdownResult, infeasibleReason, JOBS } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { withFlagNames } from "../flag-errors.js";
import { emit, formatOf, InfeasibleResult, json, positiveInt } from "../output.js";

interface RunOpts {
  model: string;
  chip: string;
  batch: number;
  seq?: number;
  context?: number;
  image?: number;
  phase: "prefill" | "decode" | "forward";
  dtype?: DType;
  weights?: DType;
  kvCache?: DType;
  logits?: "all" | "last";
  tp?: number;
  system?: string;
  execution: "graph" | "eager";
  costModel?: string;
  ops?: boolean;
  json?: boolean;
  csv?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("a model's forward pass on one chip: per-layer and per-op breakdown, bound, totals")
    .requiredOption("--model <id>", "model id, model spec file or Hugging Face config.json")
    .requiredOption("--chip <id>", "chip id or chip spec file")
    .option("--batch <n>", "sequences or images", positiveInt("--batch"), 1)
    .option("--seq <n>", "new tokens per sequence (prefill length; default 2048, 1 for decode)", positiveInt("--seq"))
    .option("--context <n>", "tokens attended incl. new ones (default: --seq for prefill)", positiveInt("--context"))
    .option("--image <px>", "image size for vision models", positiveInt("--image"))
    .addOption(new Option("--phase <phase>", "prefill, decode (one step) or forward").choices(["prefill", "decode", "forward"]).default("prefill"))
    .addOption(new Option("--dtype <dtype>", "dtype of the math (default: the chip's native one: bf16, else fp16, fp8, int8)").choices([...DTYPES]))
    .addOption(new Option("--weights <dtype>", "weight storage dtype (default: --dtype)").choices([...DTYPES]))
    .addOption(new Option("--kv-cache <dtype>", "KV-cache dtype (default: activations)").choices([...DTYPES]))
    .addOption(new Option("--execution <mode>", "graph (CUDA graphs/compiled) or eager (per-op dispatch)").choices(["graph", "eager"]).default("graph"))
    .addOption(new Option("--logits <which>", "prefill: LM-head logits for all tokens (FLOP convention) or the last (serving engines; matches estimate's TTFT)").choices(["all", "last"]))
    .option("--tp <n>", "tensor-parallel chips (transformers): ops of one shard, collectives priced on the system", positiveInt("--tp"))
    .option("--system <id>", "system the tp chips sit in (default: the chip's own default system)")
    .option("--cost-model <id>", "force a cost model")
    .option("--ops", "list every op, not just the blocks")
    .option("--json", "print JSON")
    .option("--csv", "print the per-op rows as CSV")
    .action((o: RunOpts) => {
      const format = formatOf(o);
      const request: BreakdownRequest = {
        model: o.model,
        chip: o.chip,
        batch: o.batch,
        ...(o.seq !== undefined ? { seq: o.seq } : {}),
        ...(o.context !== undefined ? { context: o.context } : {}),
        ...(o.image !== undefined ? { image_size: o.image } : {}),
        phase: o.phase,
        dtype_default: "native",
        precision: { ...(o.dtype ? { compute: o.dtype } : {}), ...(o.weights ? { weights: o.weights } : {}), ...(o.kvCache ? { kv_cache: o.kvCache } : {}) },
        ...(o.logits ? { logits: o.logits } : {}),
        ...(o.tp !== undefined ? { tp: o.tp } : {}),
        ...(o.system !== undefined ? { system: o.system } : {}),
        execution: o.execution,
        ...(o.costModel ? { cost_model: o.costModel } : {}),
      };
      const r = withFlagNames(RUN_FLAGS, () => JOBS.breakdown.run(request, nodeCatalog()));
      if (format === "json") emit(json(r));
      else if (format === "csv") emit(renderCsv(r.ops.map((row) => ({ ...row }))));
      else emit(renderRun(r, !!o.ops));
      // Printed as usual; the exit code says it does not fit (README, exit codes).
      const infeasible = infeasibleReason(r);
      if (infeasible) throw new InfeasibleResult(infeasible);
    });
}

/** Request fields → the flags that set them (for usage errors). */
const RUN_FLAGS = { seq: "--seq", context: "--context", image_size: "--image", tp: "--tp" } as const;

function renderRun(s: BreakdownResult, allOps: boolean): string {
  const where = s.tp ? `${s.tp} × ${s.chip} (tp ${s.tp} on ${s.system})` : s.chip;
  const head = [
    s.token_model
      ? `${s.model} on ${where}: ${s.phase}, batch ${s.batch}, ${s.new_tokens} new tokens, context ${s.context_tokens}`
      : `${s.model} on ${where}: forward pass, batch ${s.batch}${s.image_size ? `, ${s.image_size}×${s.image_size} images` : ""}`,
    ...(s.tp ? [`ops of one tensor-parallel shard; TP collectives ${fmtTime(s.comm_s ?? 0)} of the pass`] : []),
    `time ${fmtTime(s.time_s)} · ${fmtSi(s.flops, "FLOP")} · ${fmtBytes(s.bytes)} main-memory traffic · ${fmtSi(s.achieved_flops_per_s, "FLOP/s")} achieved${s.energy_j !== undefined ? ` · ${fmtSi(s.energy_j, "J")}` : ""}`,
    `memory ${fmtBytes(s.memory_per_chip_bytes)} of ${fmtBytes(s.memory_capacity_bytes)} — ${s.fits ? "fits" : `does NOT fit (short by ${fmtBytes(s.shortfall_bytes)})`}`,
    `bound: ${s.bound} (${Object.entries(s.time_by_bound_s).filter(([, t]) => t > 0).map(([k, t]) => `${k} ${fmtPct(t / s.time_s, 0)}`).join(", ")}) · cost models: ${Object.keys(s.cost_models).join(", ")}`,
    "",
  ];
  const blocks = renderTable(s.blocks, [
    { header: "block", value: (b) => b.name },
    { header: "×", value: (b) => b.repeat },
    { header: "time/rep", value: (b) => fmtTime(b.time_s) },
    { header: "total", value: (b) => fmtTime(b.total_time_s) },
    { header: "share", value: (b) => fmtPct(b.total_time_s / s.time_s) },
    { header: "FLOPs", value: (b) => fmtSi(b.flops) },
    { header: "bytes", value: (b) => fmtBytes(b.bytes) },
  ]);
  const ops = allOps ? s.ops : [...s.ops].sort((a, b) => b.total_time_s - a.total_time_s).slice(0, 12);
  const opTable = renderTable(ops, [
    { header: "op", value: (r) => `${r.block}/${r.op}` },
    { header: "×", value: (r) => r.repeat },
    { header: "time", value: (r) => fmtTime(r.time_s) },
    { header: "share", value: (r) => fmtPct(r.share) },
    { header: "util", value: (r) => fmtPct(r.utilization) },
    { header: "bound", value: (r) => r.bound, align: "left" },
    { header: "model", value: (r) => r.cost_model, align: "left" },
    { header: "why", value: (r) => r.notes, align: "left" },
  ]);
  return [...head, blocks, "", allOps ? "ops:" : "top ops by time (--ops for all):", opTable, ...(s.warnings.length ? ["", ...s.warnings.map((w) => `note: ${w}`)] : [])].join("\n");
}
