/**
 * `xpusim report`: an assessment of chips for a workload as a self-contained HTML page (charts
 * inline, opens offline) and, with --md, Markdown with the SVG charts written beside it: flags → a
 * report request → the report job (core/app/jobs/report-job.ts) → renderReport (core/app/report/).
 */
import { basename, dirname, extname, join, resolve } from "node:path";
import { type Command, Option } from "commander";
import type { ReportRequest } from "../../core/app/jobs/report-job.js";
import { JOBS } from "../../core/app/registry.js";
import { renderReport } from "../../core/app/report/render-report.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, json, positiveInt, UsageError } from "../output.js";
import { addConditionOptions, type ConditionFlags, conditionsOf } from "./assess.js";

interface ReportOpts extends ConditionFlags {
  chips: string;
  model?: string;
  workload?: string;
  mode: "training" | "inference";
  count?: number;
  dtype: DType;
  batch?: number;
  inputTokens?: number;
  outputTokens?: number;
  input?: number;
  output?: number;
  seq?: number;
  globalBatch?: number;
  out?: string;
  md?: string;
  json?: boolean;
}

const specPath = (p: string) => (/\.(ya?ml|json)$/i.test(p) ? resolve(p) : p);

/** `--input-tokens` or its `assess` spelling `--input` (likewise output); both at once is a usage error. */
function tokenCount(which: "input" | "output", long: number | undefined, short: number | undefined): Partial<ReportRequest> {
  if (long !== undefined && short !== undefined) throw new UsageError(`give --${which}-tokens or --${which}, not both`);
  const n = long ?? short;
  return n === undefined ? {} : which === "input" ? { input_tokens: n } : { output_tokens: n };
}

function requestOf(o: ReportOpts): ReportRequest {
  const model = o.model ?? o.workload;
  if (model === undefined) throw new UsageError("a report needs --model <id>", "e.g. --model llama-3-8b");
  if (o.model !== undefined && o.workload !== undefined) throw new UsageError("give --model or --workload, not both");
  const chips = o.chips.split(",").map((c) => c.trim()).filter((c) => c.length > 0);
  if (chips.length === 0) throw new UsageError("--chips needs at least one chip id", "e.g. --chips nvidia-h100-sxm,google-tpu-v5p");
  return {
    chips: chips.map(specPath),
    model: specPath(model),
    mode: o.mode,
    precision: { compute: o.dtype },
    ...(o.count !== undefined ? { count: o.count } : {}),
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    ...tokenCount("input", o.inputTokens, o.input),
    ...tokenCount("output", o.outputTokens, o.output),
    ...(o.seq !== undefined ? { seq_len: o.seq } : {}),
    ...(o.globalBatch !== undefined ? { global_batch: o.globalBatch } : {}),
    ...conditionsOf(o),
  };
}

export function registerReportCommand(program: Command): void {
  const cmd = program
    .command("report")
    .description("an assessment of chips for a workload as a self-contained HTML report (and Markdown + SVG charts with --md)")
    .requiredOption("--chips <ids>", "comma-separated chip ids or chip spec files")
    .option("--model <id>", "model id or model spec file")
    .option("--workload <id>", "same as --model")
    .addOption(new Option("--mode <mode>", "what the chips are judged for").choices(["training", "inference"]).makeOptionMandatory())
    .option("--count <n>", "chips the workload runs on (default 1 for inference, 8 for training)", positiveInt("--count"))
    .addOption(new Option("--dtype <dtype>", "compute dtype").choices([...DTYPES]).default("bf16"))
    .option("--batch <n>", "inference: sequences or images per batch (default 1)", positiveInt("--batch"))
    .option("--input-tokens <n>", "inference: prompt tokens (default 2048, capped at the model's context)", positiveInt("--input-tokens"))
    .option("--output-tokens <n>", "inference: generated tokens (default 256)", positiveInt("--output-tokens"))
    .option("--input <n>", "same as --input-tokens (the name `assess` uses)", positiveInt("--input"))
    .option("--output <n>", "same as --output-tokens (the name `assess` uses)", positiveInt("--output"))
    .option("--seq <n>", "training: sequence length (default 2048)", positiveInt("--seq"))
    .option("--global-batch <n>", "training: sequences per step (default 1024)", positiveInt("--global-batch"))
    .option("--out <file>", "the HTML report to write (e.g. report.html)")
    .option("--md <file>", "also write Markdown, with its SVG charts beside it (<name>-<chart>.svg)")
    .option("--json", "print the report's data (assessment and chart inputs) as JSON");
  addConditionOptions(cmd)
    .action(async (o: ReportOpts) => {
      if (!o.out && !o.md && !o.json) throw new UsageError("say where the report goes: --out report.html, --md report.md or --json");
      const data = JOBS.report.run(requestOf(o), nodeCatalog());
      if (o.json) emit(json(data));
      if (!o.out && !o.md) return;
      const svgPrefix = o.md ? `${basename(o.md, extname(o.md))}-` : "";
      const rendered = await renderReport(data, { svgPrefix });
      const written: string[] = [];
      if (o.out) {
        emit(rendered.html, o.out);
        written.push(o.out);
      }
      if (o.md) {
        for (const [name, svg] of Object.entries(rendered.svgs)) emit(svg, join(dirname(o.md), `${svgPrefix}${name}`));
        emit(rendered.markdown, o.md);
        written.push(o.md, `${Object.keys(rendered.svgs).length} SVG files beside it`);
      }
      const summary = `wrote ${written.join(", ")}: ${data.title.replace(/^xpusim report: /, "")} (${Object.keys(rendered.svgs).length} charts)`;
      if (o.json) process.stderr.write(`${summary}\n`);
      else emit(summary);
    });
}
