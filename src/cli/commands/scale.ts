/**
 * `xpusim scale`: strong- or weak-scaling curve of training a model on growing chip counts. Each
 * count gets the best layout of the layout search (`xpusim train --search`); scaling efficiency is
 * the per-chip throughput relative to the smallest count that has a fitting layout:
 *   efficiency(N) = (tokens_per_s(N) / N) / (tokens_per_s(N0) / N0)
 * (for strong scaling, with a fixed global batch, this is T(N0)·N0 / (T(N)·N)).
 */
import { type Command, Option } from "commander";
import { resolvePrecision } from "../../core/workload/precision.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { layoutLabel, searchTrainingLayouts, type TrainingSearchResult } from "../../core/search/training-search.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { loadChip } from "../../node/chip-catalog.js";
import { loadModel } from "../../node/model-catalog.js";
import { contextFor } from "../../node/resolvers.js";
import { emit, formatOf, json, positiveInt, UsageError } from "../output.js";
import { parseCount, positiveNumber, systemFor } from "./train.js";

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

export interface ScalePoint {
  chips: number;
  global_batch: number;
  fits: boolean;
  layout?: string;
  step_time_s?: number;
  tokens_per_s?: number;
  tokens_per_s_per_chip?: number;
  model_flops_per_s_per_chip?: number;
  mfu?: number;
  memory_per_chip_bytes?: number;
  scaling_efficiency?: number;
  time_to_train_s?: number;
  chip_hours?: number;
  cost_usd?: number;
  energy_j?: number;
  layouts_priced: number;
  layouts_fitting: number;
  /** Why no layout was chosen. */
  reason?: string;
}

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
      const counts = parseChipCounts(o.chips);
      const chip = loadChip(o.chip);
      const ctx = contextFor(chip);
      const model = loadModel(o.model);
      const precision = resolvePrecision({ compute: o.dtype });
      const points: ScalePoint[] = [];
      for (const n of counts) {
        const gb = weak ? (o.batchPerChip ?? 1) * n : (o.globalBatch ?? 1024);
        if (!Number.isInteger(gb)) {
          points.push({ chips: n, global_batch: gb, fits: false, layouts_priced: 0, layouts_fitting: 0, reason: `batch per chip ${o.batchPerChip} × ${n} chips is not a whole number of sequences` });
          continue;
        }
        const system = systemFor(o.system, chip, n);
        const r = searchTrainingLayouts(
          {
            model,
            precision,
            seq_len: o.seq,
            chips: n,
            global_batch: gb,
            top: 1,
            rank_by: o.rank,
            max_microbatch: o.maxMicrobatch,
            ...(system ? { system } : {}),
            ...(o.tokens !== undefined ? { tokens: o.tokens } : {}),
            ...(o.usdPerHour !== undefined ? { usd_per_chip_hour: o.usdPerHour } : {}),
          },
          ctx,
        );
        points.push(pointOf(n, gb, r));
      }
      const base = points.find((p) => p.fits);
      if (base) for (const p of points) if (p.fits) p.scaling_efficiency = p.tokens_per_s! / p.chips / (base.tokens_per_s! / base.chips);
      const result = { model: model.id ?? o.model, chip: chip.id, mode: weak ? "weak" : "strong", seq_len: o.seq, points };
      if (format === "json") return emit(json(result), o.out);
      if (format === "csv") return emit(renderCsv(points as unknown as Record<string, unknown>[]), o.out);
      emit(
        [
          `${weak ? "weak" : "strong"} scaling of ${result.model} on ${chip.id}: ${weak ? `${o.batchPerChip ?? 1} sequence(s) per chip` : `global batch ${o.globalBatch ?? 1024}`} × ${o.seq} tokens`,
          "",
          renderTable(points, [
            { header: "chips", value: (p) => p.chips },
            { header: "batch", value: (p) => p.global_batch },
            { header: "best layout", value: (p) => p.layout ?? `— ${p.reason ?? ""}`, align: "left" },
            { header: "step", value: (p) => fmtTime(p.step_time_s) },
            { header: "tokens/s", value: (p) => fmtSi(p.tokens_per_s) },
            { header: "tokens/s/chip", value: (p) => fmtSi(p.tokens_per_s_per_chip) },
            { header: "MFU", value: (p) => fmtPct(p.mfu) },
            { header: "efficiency", value: (p) => fmtPct(p.scaling_efficiency) },
            { header: "memory/chip", value: (p) => fmtBytes(p.memory_per_chip_bytes) },
            ...(o.tokens !== undefined ? [{ header: "time to train", value: (p: ScalePoint) => fmtTime(p.time_to_train_s) }, { header: "cost", value: (p: ScalePoint) => (p.cost_usd !== undefined ? `$${fmtSi(p.cost_usd)}` : undefined) }] : []),
          ]),
        ].join("\n"),
        o.out,
      );
    });
}

function pointOf(chips: number, gb: number, r: TrainingSearchResult): ScalePoint {
  const e = r.best;
  const p: ScalePoint = { chips, global_batch: gb, fits: !!e, layouts_priced: r.evaluated, layouts_fitting: r.feasible };
  if (!e) {
    p.reason = r.notes.find((n) => n.startsWith("no layout")) ?? r.rejections[0]?.reason ?? "no layout";
    if (r.closest) p.reason = `no layout fits (closest ${layoutLabel(r.closest.layout)} short by ${fmtBytes(r.closest.shortfall_bytes)})`;
    else if (r.rejections[0]) p.reason = `no valid layout: ${r.rejections[0].reason}`;
    return p;
  }
  p.layout = layoutLabel(e.layout);
  p.step_time_s = e.step_time_s;
  p.tokens_per_s = e.tokens_per_s;
  p.tokens_per_s_per_chip = e.tokens_per_s / chips;
  p.model_flops_per_s_per_chip = e.model_flops_per_s_per_chip;
  p.mfu = e.mfu;
  p.memory_per_chip_bytes = e.memory_per_chip_bytes;
  if (e.time_to_train_s !== undefined) p.time_to_train_s = e.time_to_train_s;
  if (e.chip_hours !== undefined) p.chip_hours = e.chip_hours;
  if (e.cost_usd !== undefined) p.cost_usd = e.cost_usd;
  if (e.energy_j !== undefined) p.energy_j = e.energy_j;
  return p;
}
