/**
 * `xpusim precision cast|gemm|model`: numeric-format emulation (fp32 … fp4, OCP MX, NVFP4,
 * int8/int4): values after conversion, GEMM error vs fp64 per format beside the speed-up each format
 * buys on a chip, and the same for one transformer layer of a catalog model.
 */
import { type Command, Option } from "commander";
import {
  ACCUMULATES,
  FORMAT_IDS,
  INT_GRANULARITIES,
  type IntGranularity,
  JOBS,
  type Matrix2D,
  type PrecisionGemmResult,
  type PrecisionModelResult,
  ROUNDINGS,
  type Rounding,
  type Accumulate,
} from "../../core/app/index.js";
import { fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { readNpy } from "../../node/npy.js";
import { emit, formatOf, json, positiveInt, UsageError } from "../output.js";

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const db = (x: number | null) => (x === null ? "—" : x.toFixed(1));
const sci = (x: number | null) => (x === null ? "—" : x.toExponential(2));
const times = (x: number | null) => (x === null ? "—" : `${x.toFixed(2)}×`);

function seedOf(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new UsageError(`${flag} must be an integer, got "${v}"`);
    return n;
  };
}

interface ScaleOpts {
  rounding?: Rounding;
  seed?: number;
  intScale?: IntGranularity;
  groupSize?: number;
  json?: boolean;
  csv?: boolean;
}

function scaleOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--rounding <mode>", "rne (default), stochastic (seeded), truncate").choices([...ROUNDINGS]))
    .option("--seed <n>", "seed of data and stochastic rounding", seedOf("--seed"))
    .addOption(new Option("--int-scale <granularity>", "int8/int4 scales (default: int8 per-channel, int4 per-group)").choices([...INT_GRANULARITIES]))
    .option("--group-size <n>", "int per-group size (default 128)", positiveInt("--group-size"))
    .option("--json", "print JSON")
    .option("--csv", "print CSV (one row per value or format)");
}

function common(o: ScaleOpts) {
  return { ...(o.rounding ? { rounding: o.rounding } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.intScale ? { int_granularity: o.intScale } : {}), ...(o.groupSize ? { group_size: o.groupSize } : {}) };
}

function runCast(o: ScaleOpts & { format: string; values: string; saturate: boolean }): void {
  const result = JOBS["precision-cast"].run({ format: o.format, values: o.values.split(","), saturate: o.saturate, ...common(o) }, nodeCatalog());
  const format = formatOf(o);
  if (format === "json") return emit(json(result));
  if (format === "csv") return emit(renderCsv(result.values));
  emit([`${result.format}${o.saturate ? "" : " (no saturation)"}`, renderTable(result.values, [
    { header: "input", value: (r) => String(r.input) },
    { header: "output", value: (r) => String(r.output) },
  ])].join("\n"));
}

function matrix(file: string): Matrix2D {
  const m = readNpy(file);
  return { rows: m.rows, cols: m.cols, data: m.data };
}

function runGemm(o: ScaleOpts & { formats: string; m?: number; n?: number; k?: number; a?: string; b?: string; accumulate?: Accumulate; chip?: string; data?: "normal" | "llm" }): void {
  if (!o.a !== !o.b) throw new UsageError("--a and --b go together", "give both matrices as .npy files, or neither for seeded data");
  if (!o.a && (o.m === undefined || o.n === undefined || o.k === undefined)) throw new UsageError("--m, --n and --k are needed without --a/--b", "e.g. --m 256 --n 256 --k 4096");
  const files = o.a && o.b ? { a: matrix(o.a), b: matrix(o.b) } : {};
  const result = JOBS["precision-gemm"].run(
    { formats: list(o.formats), ...(o.m ? { m: o.m } : {}), ...(o.n ? { n: o.n } : {}), ...(o.k ? { k: o.k } : {}), ...files, ...(o.accumulate ? { accumulate: o.accumulate } : {}), ...(o.chip ? { chip: o.chip } : {}), ...(o.data ? { data: o.data } : {}), ...common(o) },
    nodeCatalog(),
  );
  const format = formatOf(o);
  emit(format === "json" ? json(result) : format === "csv" ? renderCsv(result.rows as unknown as Record<string, unknown>[]) : renderGemm(result));
}

export function renderGemm(r: PrecisionGemmResult): string {
  const head = `GEMM ${r.m}×${r.n}×${r.k}, ${r.accumulate} accumulation, ${r.rounding}; ${r.data}${r.chip ? `; speed-up on ${r.chip} vs ${r.baseline_dtype ?? "—"} (${fmtTime(r.baseline_latency_s ?? undefined)})` : ""}`;
  const table = renderTable(r.rows, [
    { header: "format", value: (x) => x.format },
    { header: "bits", value: (x) => String(x.bits_per_value) },
    { header: "SNR dB", value: (x) => (x.exact ? "exact" : db(x.snr_db)) },
    { header: "rel err", value: (x) => sci(x.relative_error) },
    { header: "max abs", value: (x) => sci(x.max_abs_error) },
    { header: "rms", value: (x) => sci(x.rms_error) },
    ...(r.chip
      ? [
          { header: "chip dtype", value: (x: PrecisionGemmResult["rows"][number]) => x.chip_dtype ?? "—" },
          { header: "latency", value: (x: PrecisionGemmResult["rows"][number]) => fmtTime(x.latency_s ?? undefined) },
          { header: "speed-up", value: (x: PrecisionGemmResult["rows"][number]) => times(x.speedup_x) },
          { header: "peak", value: (x: PrecisionGemmResult["rows"][number]) => times(x.peak_speedup_x) },
        ]
      : []),
  ]);
  const why = r.rows.filter((x) => x.note).map((x) => `  ${x.format}: ${x.note}`);
  return [head, table, ...(why.length ? ["", "why:", ...why] : []), "", ...r.notes.map((n) => `note: ${n}`)].join("\n");
}

function runModel(o: ScaleOpts & { model: string; chip?: string; formats?: string; tokens?: number; accumulate?: Accumulate }): void {
  const result = JOBS["precision-model"].run(
    { model: o.model, ...(o.chip ? { chip: o.chip } : {}), ...(o.formats ? { formats: list(o.formats) } : {}), ...(o.tokens ? { tokens: o.tokens } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.accumulate ? { accumulate: o.accumulate } : {}) },
    nodeCatalog(),
  );
  const format = formatOf(o);
  const flat = () => result.rows.map(({ snr_db_by_gemm, ...r }) => ({ ...r, ...Object.fromEntries(Object.entries(snr_db_by_gemm).map(([g, v]) => [`snr_db_${g}`, v])) }));
  emit(format === "json" ? json(result) : format === "csv" ? renderCsv(flat()) : renderModel(result));
}

export function renderModel(r: PrecisionModelResult): string {
  type Row = PrecisionModelResult["rows"][number];
  const head = `${r.model}: one layer, ${r.tokens} tokens, ${r.accumulate} accumulation (seed ${r.seed})${r.chip ? `; speed-up on ${r.chip} vs ${r.baseline_dtype ?? "—"} (${fmtTime(r.baseline_latency_s ?? undefined)} per layer)` : ""}`;
  const shapes = r.gemms.map((g) => `  ${g.name}: ${g.m}×${g.n}×${g.k} (${g.input}; emulated ${g.emulated.m}×${g.emulated.n}×${g.emulated.k})`);
  const table = renderTable(r.rows, [
    { header: "format", value: (x: Row) => x.format },
    { header: "bits", value: (x: Row) => String(x.bits_per_value) },
    ...r.gemms.map((g) => ({ header: `${g.name} dB`, value: (x: Row) => db(x.snr_db_by_gemm[g.name] ?? null) })),
    { header: "worst dB", value: (x: Row) => db(x.worst_snr_db) },
    ...(r.chip ? [{ header: "speed-up", value: (x: Row) => times(x.speedup_x) }, { header: "peak", value: (x: Row) => times(x.peak_speedup_x) }] : []),
  ]);
  const why = r.rows.filter((x) => x.note).map((x) => `  ${x.format}: ${x.note}`);
  return [head, "GEMMs:", ...shapes, "", table, ...(why.length ? ["", "why:", ...why] : []), "", ...r.notes.map((n) => `note: ${n}`)].join("\n");
}

export function registerPrecisionCommand(program: Command): void {
  const precision = program.command("precision").description(`numeric formats: conversion, GEMM error vs fp64 and speed-up per format (${FORMAT_IDS.join(", ")})`);
  scaleOptions(
    precision
      .command("cast")
      .description("convert values to a format: the exact value it represents (JSON: NaN and ±Infinity as strings)")
      .requiredOption("--format <format>", "numeric format")
      .requiredOption("--values <v1,v2,...>", "comma-separated numbers (NaN, Infinity, -Infinity accepted)")
      .option("--no-saturate", "overflow to Inf/NaN as the format defines (FP6/FP4 still clamp: they have neither)"),
  ).action(runCast);
  scaleOptions(
    precision
      .command("gemm")
      .description("one GEMM in each format: error vs fp64 (max abs, RMS, relative, SNR) and the speed-up on a chip")
      .requiredOption("--formats <f1,f2,...>", "formats, comma-separated")
      .option("--m <m>", "rows of A and C", positiveInt("--m"))
      .option("--n <n>", "columns of B and C", positiveInt("--n"))
      .option("--k <k>", "inner dimension", positiveInt("--k"))
      .option("--a <file.npy>", "A (M×K) from a .npy file (2-D, C order, little-endian float16/32/64)")
      .option("--b <file.npy>", "B (K×N) from a .npy file")
      .addOption(new Option("--accumulate <width>", "accumulator width (default fp32)").choices([...ACCUMULATES]))
      .addOption(new Option("--data <kind>", "seeded A: normal (default) or llm (activations with outlier channels)").choices(["normal", "llm"]))
      .option("--chip <id>", "chip whose speed-up per format is shown"),
  ).action(runGemm);
  scaleOptions(
    precision
      .command("model")
      .description("one transformer layer of a catalog model in each format: SNR per GEMM and the layer speed-up on a chip")
      .requiredOption("--model <id>", "catalog model id or spec file")
      .option("--chip <id>", "chip whose speed-up per format is shown")
      .option("--formats <f1,f2,...>", "formats (default: bf16, fp16, fp8-e4m3, fp8-e5m2, mxfp8-e4m3, mxfp6-e2m3, mxfp4, nvfp4, int8, int4)")
      .option("--tokens <n>", "tokens (rows of every GEMM; default 1024)", positiveInt("--tokens"))
      .addOption(new Option("--accumulate <width>", "accumulator width (default fp32)").choices([...ACCUMULATES])),
  ).action(runModel);
}
