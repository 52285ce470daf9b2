/**
 * `xpusim scale`: strong- or weak-scaling curve of training a model on growing chip counts: flags →
 * a scaling request → the scaling job (core/app/jobs/scaling-job.ts, where the sweep and the
 * efficiency are computed) → a table.
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { type ScalePoint, type ScalingRequest, type ScalingResult, STRONG_SCALING_GLOBAL_BATCH } from "../../core/app/jobs/scaling-job.js";
import { JOBS } from "../../core/app/registry.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, InfeasibleResult, json, parseCount, positiveInt, positiveNumber, UsageError } from "../output.js";

interface ScaleOpts {
  model: string;
  chip: string;
  system?: string;
  chips: string;
  weak?: boolean;
  strong?: boolean;
  globalBatch?: number;
  batchPerChip?: number;
  seq: number;
  tokens?: number;
  dtype: DType;
  usdPerHour?: number;
  rank: "time" | "cost";
  maxMicrobatch: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

export type { ScalePoint } from "../../core/app/jobs/scaling-job.js";

/** "8:16384" (powers of two), "8,64,512" or "64". */
export function parseChipCounts(raw: string): number[] {
  const range = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(raw);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo < 1 || hi < lo || !Number.isSafeInteger(hi)) throw new UsageError(`--chips range "${raw}" must be low:high with 1 ≤ low ≤ high ≤ ${Number.MAX_SAFE_INTEGER}`, "e.g. --chips 8:16384");
    const out: number[] = [];
    for (let n = lo; n <= hi; n *= 2) out.push(n);
    return out;
  }
  const list = raw.split(",").map((x) => Number(x.trim()));
  if (!list.length || list.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new UsageError(`--chips must be low:high or a comma list of positive integers, got "${raw}"`, "e.g. --chips 8:16384");
  return [...new Set(list)].sort((a, b) => a - b);
}

export function registerScaleCommand(program: Command): void {
  program
    .command("scale")
    .description("strong/weak scaling of training over chip counts: best layout, step time, tokens/s and efficiency per count")
    .requiredOption("--model <id>", "model id or model spec file")
    .requiredOption("--chip <id>", "chip id or chip spec file")
    .option("--system <id>", "system id, alias or file (default: the chip's usual system)")
    .option("--chips <range>", "low:high (powers of two) or a comma list", "8:16384")
    .option("--strong", "fixed global batch (default)")
    .option("--weak", "global batch grows with the chips (--batch-per-chip)")
    .option("--global-batch <n>", "sequences per step for strong scaling (default 1024)", positiveInt("--global-batch"))
    .option("--batch-per-chip <b>", "sequences per chip per step for weak scaling (default 1; may be a fraction)", positiveNumber("--batch-per-chip"))
    .option("--seq <n>", "sequence length in tokens", positiveInt("--seq"), 2048)
    .option("--tokens <n>", "token budget for time-to-train, e.g. 15T", parseCount("--tokens"))
    .addOption(new Option("--dtype <dtype>", "compute dtype").choices([...DTYPES]).default("bf16"))
    .option("--usd-per-hour <usd>", "price of one chip-hour (default: the chip's cloud price)", positiveNumber("--usd-per-hour"))
    .addOption(new Option("--rank <by>", "choose each count's layout by step time or cost").choices(["time", "cost"]).default("time"))
    .option("--max-microbatch <n>", "largest micro-batch tried", positiveInt("--max-microbatch"), 16)
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .option("-o, --out <file>", "write the output to a file (atomically)")
    .action((o: ScaleOpts) => {
      const format = formatOf(o);
      if (o.weak && o.strong) throw new UsageError("--weak and --strong cannot be used together");
      const weak = !!o.weak;
      if (weak && o.globalBatch !== undefined) throw new UsageError("--global-batch fixes the batch (strong scaling); weak scaling takes --batch-per-chip");
      if (!weak && o.batchPerChip !== undefined) throw new UsageError("--batch-per-chip is for weak scaling", "add --weak");
      const path = (p: string | undefined) => (p !== undefined && /\.(ya?ml|json)$/i.test(p) ? resolve(p) : p);
      const request: ScalingRequest = {
        chip: path(o.chip)!,
        model: path(o.model)!,
        ...(o.system !== undefined ? { system: path(o.system)! } : {}),
        chip_counts: parseChipCounts(o.chips),
        mode: weak ? "weak" : "strong",
        ...(o.globalBatch !== undefined ? { global_batch: o.globalBatch } : {}),
        ...(o.batchPerChip !== undefined ? { batch_per_chip: o.batchPerChip } : {}),
        seq_len: o.seq,
        precision: { compute: o.dtype },
        rank_by: o.rank,
        max_microbatch: o.maxMicrobatch,
        ...(o.tokens !== undefined ? { tokens: o.tokens } : {}),
        ...(o.usdPerHour !== undefined ? { usd_per_chip_hour: o.usdPerHour } : {}),
      };
      const result = JOBS.scaling.run(request, nodeCatalog());
      if (format === "json") emit(json(result), o.out);
      else if (format === "csv") emit(renderCsv(result.points as unknown as Record<string, unknown>[]), o.out);
      else emit(renderScaling(result, request), o.out);
      // Printed as usual; the exit code says no count has a layout that fits (README, exit codes).
      if (!result.feasible) throw new InfeasibleResult(result.infeasible_reason ?? "no layout fits at any chip count");
    });
}

export function renderScaling(result: ScalingResult, req: ScalingRequest): string {
  const weak = result.mode === "weak";
  return [
    `${result.mode} scaling of ${result.model} on ${result.chip}: ${weak ? `${req.batch_per_chip ?? 1} sequence(s) per chip` : `global batch ${req.global_batch ?? STRONG_SCALING_GLOBAL_BATCH}`} × ${result.seq_len} tokens`,
    "",
    renderTable(result.points, [
      { header: "chips", value: (p) => p.chips },
      { header: "batch", value: (p) => p.global_batch },
      { header: "best layout", value: (p) => p.layout ?? `— ${p.reason ?? ""}`, align: "left" },
      { header: "step", value: (p) => fmtTime(p.step_time_s) },
      { header: "tokens/s", value: (p) => fmtSi(p.tokens_per_s) },
      { header: "tokens/s/chip", value: (p) => fmtSi(p.tokens_per_s_per_chip) },
      { header: "MFU", value: (p) => fmtPct(p.mfu) },
      { header: "efficiency", value: (p) => fmtPct(p.scaling_efficiency) },
      { header: "memory/chip", value: (p) => fmtBytes(p.memory_per_chip_bytes) },
      ...(req.tokens !== undefined ? [{ header: "time to train", value: (p: ScalePoint) => fmtTime(p.time_to_train_s) }, { header: "cost", value: (p: ScalePoint) => (p.cost_usd !== undefined ? `$${fmtSi(p.cost_usd)}` : undefined) }] : []),
    ]),
  ].join("\n");
}
