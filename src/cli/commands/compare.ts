/**
 * `xpusim compare --model M --chips a,b,c`: one workload across several chips, ranked.
 * Inference (default): LLMs by TTFT, TPOT, throughput, memory, energy per token, $ per million
 * tokens; image and encoder models by latency, images (sequences)/s, energy per image, $ per
 * million images. Training (--training): step time, throughput, MFU, memory, energy.
 * A chip that cannot run it is listed with the reason; one that does not fit alone gets the
 * smallest count that holds it. The ranking, defaults and dtype choice live in the compare job.
 */
import { type Command, Option } from "commander";
import { type CompareRequest, type CompareResult, type CompareRow, compareRecord, JOBS } from "../../core/app/index.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { renderCsv } from "../../core/report/table.js";
import { withFlagNames } from "../flag-errors.js";
import { emit, formatOf, InfeasibleResult, json, nonNegativeInt, positiveInt, UsageError } from "../output.js";
import { renderCompare } from "./compare-render.js";

interface CompareOpts {
  model: string;
  chips: string;
  training?: boolean;
  batch?: number;
  input?: number;
  output?: number;
  seq?: number;
  globalBatch?: number;
  microbatch?: number;
  recompute?: "none" | "selective" | "full";
  dtype?: DType;
  weights?: DType;
  kvCache?: DType;
  image?: number;
  tp?: number;
  system?: string;
  json?: boolean;
  csv?: boolean;
}

/** Request fields → the flags that set them (for usage errors). */
const COMPARE_FLAGS = {
  batch: "--batch",
  input_tokens: "--input",
  output_tokens: "--output",
  seq_len: "--seq",
  global_batch: "--global-batch",
  microbatch: "--microbatch",
  recompute: "--recompute",
  kv_cache: "--kv-cache",
  image_size: "--image",
  tp: "--tp",
  system: "--system",
} as const;

export function registerCompareCommand(program: Command): void {
  program
    .command("compare")
    .description("one workload across several chips, ranked (inference by default, --training for a training step)")
    .requiredOption("--model <id>", "model id, model spec file or Hugging Face config.json")
    .requiredOption("--chips <ids>", "comma-separated chip ids or spec files ('all' for the whole catalog)")
    .option("--training", "compare a single-chip training step instead of inference")
    .option("--batch <n>", "inference batch, or the training global batch (default 1)", positiveInt("--batch"))
    .option("--input <n>", "LLMs and encoders: input (prompt) tokens (default 2048, capped at the model's context)", positiveInt("--input"))
    .option("--output <n>", "LLMs: generated tokens (default 256)", nonNegativeInt("--output"))
    .option("--seq <n>", "training of LLMs and encoders: sequence length (default 2048)", positiveInt("--seq"))
    .option("--global-batch <n>", "training global batch (same as --batch)", positiveInt("--global-batch"))
    .option("--microbatch <n>", "training micro-batch (default: chosen per chip as train does: the fastest that fits)", positiveInt("--microbatch"))
    .addOption(new Option("--recompute <r>", "training: activation recomputation (default: chosen per chip as train does: the lightest that fits)").choices(["none", "selective", "full"]))
    .addOption(new Option("--dtype <dtype>", "dtype of the math on every chip (default: each chip's native: bf16, else fp16, fp8, int8)").choices([...DTYPES]))
    .addOption(new Option("--weights <dtype>", "weight storage dtype").choices([...DTYPES]))
    .addOption(new Option("--kv-cache <dtype>", "LLMs: KV-cache dtype").choices([...DTYPES]))
    .option("--image <px>", "vision models: image size", positiveInt("--image"))
    .option("--tp <n>", "inference: tensor-parallel degree (tp chips of each kind; default 1)", positiveInt("--tp"))
    .option("--system <id>", "inference: system (nodes and links) the tp chips sit in; default: the chip's own default system")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((o: CompareOpts) => {
      const format = formatOf(o);
      const ids = o.chips === "all" ? "all" : o.chips.split(",").map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) throw new UsageError("--chips needs at least one chip id");
      const result = withFlagNames(COMPARE_FLAGS, () => JOBS.compare.run(requestOf(o, ids), nodeCatalog()));
      if (format === "json") emit(json(result.rows.map(compareRecord)));
      else if (format === "csv") emit(renderCsv(result.rows.map(flatRecord)));
      else emit(renderCompare(result, o.system));
      if (!result.feasible) throw new InfeasibleResult(result.infeasible_reason ?? "no chip can run this workload");
    });
}

function requestOf(o: CompareOpts, chips: string[] | "all"): CompareRequest {
  const set = <K extends string, V>(k: K, v: V | undefined) => (v !== undefined ? ({ [k]: v } as Record<K, V>) : {});
  return {
    model: o.model,
    chips,
    ...(o.training ? { training: true } : {}),
    ...set("batch", o.batch),
    ...set("input_tokens", o.input),
    ...set("output_tokens", o.output),
    ...set("seq_len", o.seq),
    ...set("global_batch", o.globalBatch),
    ...set("microbatch", o.microbatch),
    ...set("recompute", o.recompute),
    ...set("dtype", o.dtype),
    ...set("weights", o.weights),
    ...set("kv_cache", o.kvCache),
    ...set("image_size", o.image),
    ...set("tp", o.tp),
    ...set("system", o.system),
  };
}

function flatRecord(r: CompareRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(compareRecord(r))) {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = typeof v2 === "object" ? JSON.stringify(v2) : v2;
    else out[k] = Array.isArray(v) ? v.join("; ") : v;
  }
  return out;
}

export type { CompareResult };
