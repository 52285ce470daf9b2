/**
 * `xpusim run --model M --chip C`: one forward pass (prefill, decode step or CNN forward) with the
 * per-block and per-op breakdown: time, share, bound, FLOPs, bytes, which cost model answered.
 */
import { type Command, Option } from "commander";
import { type EvaluateOptions, evaluateGraph, type GraphCost } from "../../core/estimate/evaluate-graph.js";
import { resolvePrecision } from "../../core/workload/precision.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { buildWorkload, modelParams } from "../../core/workload/build-workload.js";
import { loadChip } from "../../node/chip-catalog.js";
import { loadModel } from "../../node/model-catalog.js";
import { contextFor } from "../../node/resolvers.js";
import { emit, formatOf, json, positiveInt, UsageError } from "../output.js";

interface RunOpts {
  model: string;
  chip: string;
  batch: number;
  seq?: number;
  context?: number;
  image?: number;
  phase: "prefill" | "decode" | "forward";
  dtype: DType;
  weights?: DType;
  kvCache?: DType;
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
    .addOption(new Option("--dtype <dtype>", "dtype of the math").choices([...DTYPES]).default("bf16"))
    .addOption(new Option("--weights <dtype>", "weight storage dtype (default: --dtype)").choices([...DTYPES]))
    .addOption(new Option("--kv-cache <dtype>", "KV-cache dtype (default: activations)").choices([...DTYPES]))
    .addOption(new Option("--execution <mode>", "graph (CUDA graphs/compiled) or eager (per-op dispatch)").choices(["graph", "eager"]).default("graph"))
    .option("--cost-model <id>", "force a cost model")
    .option("--ops", "list every op, not just the blocks")
    .option("--json", "print JSON")
    .option("--csv", "print the per-op rows as CSV")
    .action((o: RunOpts) => {
      const format = formatOf(o);
      const chip = loadChip(o.chip);
      const model = loadModel(o.model);
      const precision = resolvePrecision({ compute: o.dtype, ...(o.weights ? { weights: o.weights } : {}), ...(o.kvCache ? { kv_cache: o.kvCache } : {}) });
      const tokenModel = model.category === "decoder-llm" || model.category === "encoder";
      const newTokens = o.seq ?? (o.phase === "decode" ? 1 : tokenModel ? Math.min(2048, model.max_context) : 2048);
      const context = o.context ?? newTokens;
      if (tokenModel && context > model.max_context) {
        throw new UsageError(`${o.context ? "--context" : "--seq"} ${context} exceeds the maximum context of ${model.id} (${model.max_context} tokens)`, `use at most ${model.max_context}`);
      }
      if (!tokenModel && (o.seq !== undefined || o.context !== undefined)) {
        throw new UsageError(`--seq/--context do not apply to ${model.id} (${model.category}); use --image for the input size`);
      }
      if (tokenModel && o.image !== undefined) throw new UsageError(`--image does not apply to ${model.id} (${model.category}); use --seq`);
      const graph = buildWorkload(model, { batch: o.batch, new_tokens: newTokens, context_tokens: context, phase: o.phase, ...(o.image ? { image_size: o.image } : {}) }, precision);
      const opts: EvaluateOptions = { execution: o.execution, ...(o.costModel ? { costModel: o.costModel } : {}) };
      const cost = evaluateGraph(graph, contextFor(chip), opts);
      const params = modelParams(model);
      const opRows = cost.blocks.flatMap((b) =>
        b.ops.map((r) => ({
          block: b.name,
          op: r.op.name,
          kind: r.op.kind,
          repeat: b.repeat,
          time_s: r.time_s,
          total_time_s: r.time_s * b.repeat,
          share: r.time_s * b.repeat / cost.time_s,
          flops: r.cost.flops,
          bytes: r.cost.bytes,
          utilization: r.cost.utilization,
          bound: r.time_s > r.cost.time_s ? "overhead" : r.cost.bound,
          cost_model: r.cost.model,
          notes: (r.cost.notes ?? []).join("; "),
        })),
      );
      const summary = {
        model: graph.name,
        token_model: tokenModel,
        ...(o.image ? { image_size: o.image } : {}),
        chip: chip.id,
        phase: o.phase,
        batch: o.batch,
        new_tokens: newTokens,
        context_tokens: context,
        precision,
        params_total: params.params_total,
        time_s: cost.time_s,
        flops: cost.flops,
        bytes: cost.bytes,
        achieved_flops_per_s: cost.flops / cost.time_s,
        energy_j: cost.energy_j,
        bound: cost.bound,
        time_by_bound_s: cost.time_by_bound_s,
        cost_models: cost.models_used,
      };
      if (format === "json") return emit(json({ ...summary, blocks: cost.blocks.map(({ ops, ...b }) => b), ops: opRows }));
      if (format === "csv") return emit(renderCsv(opRows));
      emit(renderRun(summary, cost, opRows, !!o.ops));
    });
}

function renderRun(
  s: { model: string; chip: string; phase: string; token_model: boolean; image_size?: number; batch: number; new_tokens: number; context_tokens: number; params_total: number; time_s: number; flops: number; bytes: number; achieved_flops_per_s: number; energy_j?: number; bound: string; time_by_bound_s: Record<string, number>; cost_models: Record<string, number> },
  cost: GraphCost,
  opRows: Array<{ block: string; op: string; repeat: number; time_s: number; total_time_s: number; share: number; flops: number; bytes: number; utilization: number; bound: string; cost_model: string; notes: string }>,
  allOps: boolean,
): string {
  const head = [
    s.token_model
      ? `${s.model} on ${s.chip}: ${s.phase}, batch ${s.batch}, ${s.new_tokens} new tokens, context ${s.context_tokens}`
      : `${s.model} on ${s.chip}: forward pass, batch ${s.batch}${s.image_size ? `, ${s.image_size}×${s.image_size} images` : ""}`,
    `time ${fmtTime(s.time_s)} · ${fmtSi(s.flops, "FLOP")} · ${fmtBytes(s.bytes)} main-memory traffic · ${fmtSi(s.achieved_flops_per_s, "FLOP/s")} achieved${s.energy_j !== undefined ? ` · ${fmtSi(s.energy_j, "J")}` : ""}`,
    `bound: ${s.bound} (${Object.entries(s.time_by_bound_s).filter(([, t]) => t > 0).map(([k, t]) => `${k} ${fmtPct(t / s.time_s, 0)}`).join(", ")}) · cost models: ${Object.keys(s.cost_models).join(", ")}`,
    "",
  ];
  const blocks = renderTable(cost.blocks, [
    { header: "block", value: (b) => b.name },
    { header: "×", value: (b) => b.repeat },
    { header: "time/rep", value: (b) => fmtTime(b.time_s) },
    { header: "total", value: (b) => fmtTime(b.total_time_s) },
    { header: "share", value: (b) => fmtPct(b.total_time_s / s.time_s) },
    { header: "FLOPs", value: (b) => fmtSi(b.flops) },
    { header: "bytes", value: (b) => fmtBytes(b.bytes) },
  ]);
  const ops = allOps ? opRows : [...opRows].sort((a, b) => b.total_time_s - a.total_time_s).slice(0, 12);
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
  return [...head, blocks, "", allOps ? "ops:" : "top ops by time (--ops for all):", opTable].join("\n");
}
