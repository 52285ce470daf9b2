/**
 * `xpusim compare --model M --chips a,b,c`: one workload across several chips, ranked.
 * Inference (default): TTFT, TPOT, throughput, memory, energy per token, $ per million tokens.
 * Training (--training): step time, tokens/s, MFU, memory, energy.
 * A chip that cannot run it (dtype unsupported, no compute data) is listed with the reason.
 */
import { type Command, Option } from "commander";
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { estimateInference, type InferenceEstimate } from "../../core/estimate/estimate-inference.js";
import { estimateTraining, type TrainingEstimate } from "../../core/estimate/estimate-training.js";
import { resolvePrecision } from "../../core/workload/precision.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { chipIds, loadChip } from "../../node/chip-catalog.js";
import { loadModel } from "../../node/model-catalog.js";
import { contextFor } from "../../node/resolvers.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { loadSystem } from "../../node/system-catalog.js";
import { emit, formatOf, json, positiveInt, nonNegativeInt, UsageError } from "../output.js";

interface CompareOpts {
  model: string;
  chips: string;
  training?: boolean;
  batch: number;
  input: number;
  output: number;
  seq: number;
  globalBatch?: number;
  microbatch?: number;
  recompute: "none" | "selective" | "full";
  dtype: DType;
  weights?: DType;
  kvCache?: DType;
  image?: number;
  tp: number;
  system?: string;
  json?: boolean;
  csv?: boolean;
}

type Row =
  | { chip: string; ok: true; inference?: InferenceEstimate; training?: TrainingEstimate; usd_per_million_tokens?: number }
  | { chip: string; ok: false; reason: string };

export function registerCompareCommand(program: Command): void {
  program
    .command("compare")
    .description("one workload across several chips, ranked (inference by default, --training for a training step)")
    .requiredOption("--model <id>", "model id, model spec file or Hugging Face config.json")
    .requiredOption("--chips <ids>", "comma-separated chip ids or spec files ('all' for the whole catalog)")
    .option("--training", "compare a training step instead of inference")
    .option("--batch <n>", "inference batch", positiveInt("--batch"), 1)
    .option("--input <n>", "input (prompt) tokens", positiveInt("--input"), 2048)
    .option("--output <n>", "output tokens", nonNegativeInt("--output"), 256)
    .option("--seq <n>", "training sequence length", positiveInt("--seq"), 2048)
    .option("--global-batch <n>", "training global batch (sequences/images)", positiveInt("--global-batch"))
    .option("--microbatch <n>", "training micro-batch", positiveInt("--microbatch"))
    .addOption(new Option("--recompute <r>", "activation recomputation").choices(["none", "selective", "full"]).default("none"))
    .addOption(new Option("--dtype <dtype>", "dtype of the math").choices([...DTYPES]).default("bf16"))
    .addOption(new Option("--weights <dtype>", "weight storage dtype").choices([...DTYPES]))
    .addOption(new Option("--kv-cache <dtype>", "KV-cache dtype").choices([...DTYPES]))
    .option("--image <px>", "image size for vision models", positiveInt("--image"))
    .option("--tp <n>", "tensor-parallel degree for inference (tp chips of each kind)", positiveInt("--tp"), 1)
    .option("--system <id>", "system (nodes and links) the tp chips sit in; default: the chip's own default system")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((o: CompareOpts) => {
      const format = formatOf(o);
      const ids = o.chips === "all" ? chipIds() : o.chips.split(",").map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) throw new UsageError("--chips needs at least one chip id");
      const model = loadModel(o.model);
      const precision = resolvePrecision({ compute: o.dtype, ...(o.weights ? { weights: o.weights } : {}), ...(o.kvCache ? { kv_cache: o.kvCache } : {}) });
      const chips = ids.map((id) => loadChip(id)); // unknown ids fail loudly before any work
      // An explicit --system is the same for every chip: a bad id is a bad flag, not a chip that cannot run.
      const explicitSystem = o.system !== undefined ? loadSystem(o.system) : undefined;
      const rows: Row[] = chips.map((chip) => {
        try {
          const ctx = contextFor(chip);
          if (o.training) {
            const mb = o.microbatch ?? 1;
            const t = estimateTraining(
              { model, precision, global_batch: o.globalBatch ?? mb, seq_len: o.seq, recompute: o.recompute, chips: 1, tp: 1, pp: 1, dp: 1, ep: 1, cp: 1, zero: 0, microbatch: mb, ...(o.image ? { image_size: o.image } : {}) },
              ctx,
            );
            return { chip: chip.id, ok: true, training: t };
          }
          const system = explicitSystem ?? (o.tp > 1 ? nodeCatalog().system(undefined, chip, o.tp) : undefined);
          const inf = estimateInference(
            { model, precision, batch: o.batch, input_tokens: o.input, output_tokens: o.output, chips: o.tp, tp: o.tp, pp: 1, ...(system ? { system } : {}), ...(o.image ? { image_size: o.image } : {}) },
            ctx,
          );
          const row: Row = { chip: chip.id, ok: true, inference: inf };
          if (inf.usd_per_million_tokens !== undefined) row.usd_per_million_tokens = inf.usd_per_million_tokens;
          return row;
        } catch (e) {
          if (e instanceof XpusimError) return { chip: chip.id, ok: false, reason: e.diagnostics.map((d) => d.message).join("; ") };
          throw e;
        }
      });
      rank(rows, !!o.training);
      if (format === "json") return emit(json(rows.map(toRecord)));
      if (format === "csv") return emit(renderCsv(rows.map(flatRecord)));
      emit(o.training ? renderTraining(rows) : renderInference(rows, o));
    });
}

function rank(rows: Row[], training: boolean): void {
  const key = (r: Row): number => {
    if (!r.ok) return Number.POSITIVE_INFINITY;
    if (training) return r.training!.fits ? r.training!.step_time_s : 1e30 + r.training!.step_time_s;
    const inf = r.inference!;
    return inf.fits ? -(inf.output_tokens_per_s || inf.samples_per_s) : 1e30 - (inf.output_tokens_per_s || inf.samples_per_s);
  };
  rows.sort((a, b) => key(a) - key(b));
}

function toRecord(r: Row): Record<string, unknown> {
  if (!r.ok) return { chip: r.chip, ok: false, reason: r.reason };
  if (r.training) return { ok: true, ...r.training };
  const { prefill_detail, ...inf } = r.inference!;
  return { ok: true, ...inf, ...(r.usd_per_million_tokens !== undefined ? { usd_per_million_tokens: r.usd_per_million_tokens } : {}) };
}

function flatRecord(r: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(toRecord(r))) {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = typeof v2 === "object" ? JSON.stringify(v2) : v2;
    else out[k] = Array.isArray(v) ? v.join("; ") : v;
  }
  return out;
}

function renderInference(rows: Row[], o: CompareOpts): string {
  const okRows = rows.filter((r): r is Extract<Row, { ok: true }> => r.ok);
  const token = okRows.some((r) => r.inference!.output_tokens_per_s > 0);
  const t = renderTable(okRows, [
    { header: "rank", value: (r) => okRows.indexOf(r) + 1 },
    { header: "chip", value: (r) => r.chip, align: "left" },
    { header: token ? "TTFT" : "latency", value: (r) => fmtTime(token ? r.inference!.ttft_s : r.inference!.e2e_latency_s) },
    ...(token
      ? [
          { header: "TPOT", value: (r: (typeof okRows)[number]) => fmtTime(r.inference!.tpot_s) },
          { header: "E2E", value: (r: (typeof okRows)[number]) => fmtTime(r.inference!.e2e_latency_s) },
          { header: "out tok/s", value: (r: (typeof okRows)[number]) => Math.round(r.inference!.output_tokens_per_s) },
        ]
      : [{ header: "samples/s", value: (r: (typeof okRows)[number]) => r.inference!.samples_per_s.toFixed(1) }]),
    { header: "memory", value: (r) => `${fmtBytes(r.inference!.memory_per_chip_bytes)} / ${fmtBytes(r.inference!.memory_capacity_bytes)}` },
    { header: "fits", value: (r) => (r.inference!.fits ? "yes" : `NO (−${fmtBytes(r.inference!.shortfall_bytes)})`), align: "left" },
    { header: "J/token", value: (r) => (r.inference!.energy_per_output_token_j !== undefined ? r.inference!.energy_per_output_token_j.toPrecision(3) : undefined) },
    { header: "$/Mtok", value: (r) => (r.usd_per_million_tokens !== undefined ? r.usd_per_million_tokens.toFixed(2) : undefined) },
    { header: "bound", value: (r) => `prefill ${r.inference!.phases.prefill.bound}${r.inference!.phases.decode ? `, decode ${r.inference!.phases.decode.bound}` : ""}`, align: "left" },
  ]);
  const failed = rows.filter((r): r is Extract<Row, { ok: false }> => !r.ok).map((r) => `  ${r.chip}: ${r.reason}`);
  const first = okRows[0]?.inference;
  return [
    `${first?.model ?? o.model}: batch ${o.batch}, ${o.input} input + ${o.output} output tokens, ${o.tp > 1 ? `tp ${o.tp} (${o.tp} chips each${o.system ? `, system ${o.system}` : ""})` : "one chip each"}, ranked by throughput (chips that do not fit last)`,
    t,
    ...(failed.length ? ["", "cannot run:", ...failed] : []),
    "",
    `Static-batch estimates${o.tp > 1 ? " (memory per chip)" : ""}; queueing and continuous batching: \`xpusim serve\`/\`xpusim plan\`. $/Mtok uses the chips' cloud $/hour; J/token is the energy of all chips per output token.`,
    ...(okRows.some((r) => r.inference!.precision.fallback) ? ["", ...okRows.filter((r) => r.inference!.precision.fallback).map((r) => `note: ${r.inference!.warnings[0] ?? ""}`)] : []),
  ].join("\n");
}

function renderTraining(rows: Row[]): string {
  const okRows = rows.filter((r): r is Extract<Row, { ok: true }> => r.ok);
  const t = renderTable(okRows, [
    { header: "rank", value: (r) => okRows.indexOf(r) + 1 },
    { header: "chip", value: (r) => r.chip, align: "left" },
    { header: "step", value: (r) => fmtTime(r.training!.step_time_s) },
    { header: "tokens/s", value: (r) => Math.round(r.training!.tokens_per_s) },
    { header: "MFU", value: (r) => fmtPct(r.training!.mfu) },
    { header: "model FLOP/s", value: (r) => fmtSi(r.training!.model_flops_per_s_per_chip, "FLOP/s") },
    { header: "memory", value: (r) => `${fmtBytes(r.training!.memory_per_chip_bytes)} / ${fmtBytes(r.training!.memory_capacity_bytes)}` },
    { header: "fits", value: (r) => (r.training!.fits ? "yes" : `NO (−${fmtBytes(r.training!.shortfall_bytes)})`), align: "left" },
    { header: "bound", value: (r) => r.training!.bound, align: "left" },
  ]);
  const failed = rows.filter((r): r is Extract<Row, { ok: false }> => !r.ok).map((r) => `  ${r.chip}: ${r.reason}`);
  return [t, ...(failed.length ? ["", "cannot run:", ...failed] : []), "", "Single-chip training step; multi-chip parallelism comes with issue #3."].join("\n");
}
