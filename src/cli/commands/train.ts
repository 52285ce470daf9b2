/**
 * `xpusim train`: one training layout's step time, throughput, MFU/HFU, memory, time-to-train,
 * chip-hours, energy and cost (flags, or a `kind: training` scenario file), or `--search`: every
 * valid (tp, pp, dp, microbatch, interleave, ZeRO, recompute) layout ranked by step time or cost,
 * with the rejected ones counted by reason.
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { infeasibleReason, JOBS, parseScenario, searchInfeasibleReason, type TrainingOverrides, type TrainingRequest, trainingRequest, trainingSearchRequest } from "../../core/app/index.js";
import { renderCsv } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readDocument } from "../../node/read-document.js";
import { emit, formatOf, InfeasibleResult, json, nonNegativeInt, parseCount, positiveInt, positiveNumber, UsageError } from "../output.js";
import { flatRow, flatten, renderEstimate, renderSearch } from "./train-render.js";

interface TrainOpts {
  model?: string;
  chip?: string;
  chips?: number;
  system?: string;
  globalBatch?: number;
  seq?: number;
  tp?: number;
  pp?: number;
  dp?: number;
  ep?: number;
  cp?: number;
  microbatch?: number;
  interleave?: number;
  zero?: number;
  recompute?: TrainingRequest["recompute"];
  sp?: boolean;
  tokens?: number;
  dtype?: DType;
  usdPerHour?: number;
  execution?: "graph" | "eager";
  software?: string;
  search?: boolean;
  top: number;
  rank: "time" | "cost";
  maxMicrobatch: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

/** A spec file path given as a flag is read from the working directory (the scenario's own refs from its folder). */
function flagRef(ref: string | undefined): string | undefined {
  return ref !== undefined && /\.(ya?ml|json)$/i.test(ref) ? resolve(ref) : ref;
}

/** The flags as overrides of the training request (each one given overrides the scenario's field). */
function overridesOf(o: TrainOpts): TrainingOverrides {
  const all: TrainingOverrides = {
    model: flagRef(o.model),
    chip: flagRef(o.chip),
    system: flagRef(o.system),
    chips: o.chips,
    global_batch: o.globalBatch,
    seq_len: o.seq,
    tp: o.tp,
    pp: o.pp,
    dp: o.dp,
    ep: o.ep,
    cp: o.cp,
    microbatch: o.microbatch,
    interleave: o.interleave,
    zero: o.zero,
    recompute: o.recompute,
    sp: o.sp,
    tokens: o.tokens,
    dtype: o.dtype,
    usd_per_chip_hour: o.usdPerHour,
    execution: o.execution,
    software: o.software,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as TrainingOverrides;
}

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("training step time, MFU, memory, time-to-train and cost of a layout; --search ranks every valid layout")
    .argument("[scenario]", "a kind: training scenario file (flags override its fields)")
    .option("--model <id>", "model id or model spec file")
    .option("--chip <id>", "chip id or chip spec file")
    .option("--chips <n>", "number of chips (default 1, or the scenario's hardware.count)", positiveInt("--chips"))
    .option("--system <id>", "system id, alias or file (default: the chip's usual system)")
    .option("--global-batch <n>", "sequences per optimizer step (default 1024)", positiveInt("--global-batch"))
    .option("--seq <n>", "sequence length in tokens (default 2048)", positiveInt("--seq"))
    .option("--tp <n>", "tensor-parallel degree (default 1)", positiveInt("--tp"))
    .option("--pp <n>", "pipeline-parallel degree (default 1)", positiveInt("--pp"))
    .option("--dp <n>", "data-parallel degree (default: chips / (tp·pp·cp))", positiveInt("--dp"))
    .option("--ep <n>", "expert-parallel degree, inside dp (MoE models; default 1)", positiveInt("--ep"))
    .option("--cp <n>", "context-parallel degree: the sequence split over cp ranks (default 1)", positiveInt("--cp"))
    .option("--microbatch <n>", "micro-batch size (default: the best that fits, chosen and reported)", positiveInt("--microbatch"))
    .option("--interleave <n>", "virtual pipeline chunks per rank (default: the best feasible, chosen and reported)", positiveInt("--interleave"))
    .option("--zero <stage>", "ZeRO stage 0-3 (default: unset, the best feasible is chosen and reported, as in a scenario)", nonNegativeInt("--zero"))
    .addOption(new Option("--recompute <mode>", "activation recomputation (default: unset, the lightest that fits the best layout is chosen and reported)").choices(["none", "selective", "full"]))
    .option("--sp", "sequence parallelism (default: the faster of on and off with tp > 1)")
    .option("--no-sp", "turn sequence parallelism off")
    .option("--tokens <n>", "token budget for time-to-train, e.g. 15T", parseCount("--tokens"))
    .addOption(new Option("--dtype <dtype>", "compute dtype (default bf16)").choices([...DTYPES]))
    .option("--usd-per-hour <usd>", "price of one chip-hour (default: the chip's cloud price)", positiveNumber("--usd-per-hour"))
    .addOption(new Option("--execution <mode>", "graph or eager (per-op dispatch); default: the software stack's").choices(["graph", "eager"]))
    .option("--software <id>", "software-stack preset or alias (xpusim software; default: the modern stack for the chip and model)")
    .option("--search", "rank every valid layout instead of pricing one")
    .option("--top <n>", "layouts to show with --search", positiveInt("--top"), 10)
    .addOption(new Option("--rank <by>", "rank --search results by step time or cost").choices(["time", "cost"]).default("time"))
    .option("--max-microbatch <n>", "largest micro-batch --search tries", positiveInt("--max-microbatch"), 16)
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .option("-o, --out <file>", "write the output to a file (atomically)")
    .action((file: string | undefined, o: TrainOpts) => {
      const format = formatOf(o);
      if (o.zero !== undefined && o.zero > 3) throw new UsageError(`--zero must be 0, 1, 2 or 3, got ${o.zero}`);
      const scenario = file ? parseScenario(readDocument(file), file) : undefined;
      if (scenario && scenario.kind !== "training") throw new UsageError(`${file} is not a training scenario`, "it needs kind: training, workload: { model }, and a training section");
      if (!scenario && (!o.model || !o.chip)) throw new UsageError("give --model and --chip (or a training scenario file)", "e.g. xpusim train --model llama-3.1-70b --chip nvidia-h100-sxm --chips 64 --search");
      const request = trainingRequest(scenario, overridesOf(o));
      const catalog = nodeCatalog(file);
      if (o.search) {
        const r = JOBS["training-search"].run(trainingSearchRequest(request, { top: o.top, rank_by: o.rank, max_microbatch: o.maxMicrobatch }), catalog);
        if (format === "json") emit(json(r), o.out);
        else if (format === "csv") emit(renderCsv(r.top.map(flatRow)), o.out);
        else emit(renderSearch(r), o.out);
        // Printed as usual; the exit code says no layout fits (README, exit codes).
        const none = searchInfeasibleReason(r);
        if (none) throw new InfeasibleResult(none);
        return;
      }
      const e = JOBS.training.run(request, catalog);
      if (format === "json") emit(json(e), o.out);
      else if (format === "csv") emit(renderCsv([flatten(e as unknown as Record<string, unknown>)]), o.out);
      else emit(renderEstimate(e), o.out);
      const infeasible = infeasibleReason(e);
      if (infeasible) throw new InfeasibleResult(infeasible);
    });
}
