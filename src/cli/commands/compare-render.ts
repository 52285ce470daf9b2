/** The human tables of `xpusim compare`: columns and header fitted to the mode and the model's category. */
import type { CompareResult, CompareRow } from "../../core/app/index.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderTable } from "../../core/report/table.js";

type OkRow = Extract<CompareRow, { ok: true }>;
type Column = Parameters<typeof renderTable<OkRow>>[1][number];

const UNIT = { token: "token", sequence: "sequence", image: "image" } as const;

export function renderCompare(r: CompareResult, systemFlag?: string): string {
  const okRows = r.rows.filter((x): x is OkRow => x.ok);
  const failed = r.rows.filter((x): x is Extract<CompareRow, { ok: false }> => !x.ok).map((x) => `  ${x.chip}: ${x.reason}`);
  const rank: Column = { header: "rank", value: (x) => okRows.indexOf(x) + 1 };
  const chip: Column = { header: "chip", value: (x) => x.chip, align: "left" };
  const dtype: Column[] = r.dtype === "native" ? [{ header: "dtype", value: (x) => x.dtype_choice.dtype, align: "left" }] : [];
  const body = r.workload.mode === "training" ? trainingTable(okRows, [rank, chip, ...dtype], UNIT[r.workload.unit]) : inferenceTable(r, okRows, [rank, chip, ...dtype]);
  return [
    header(r, systemFlag),
    body,
    ...smallestFits(okRows),
    ...(failed.length ? ["", "cannot run:", ...failed] : []),
    "",
    footer(r),
    ...notes(r, okRows),
  ].join("\n");
}

function header(r: CompareResult, systemFlag?: string): string {
  const w = r.workload;
  const dtype = r.dtype === "native" ? "each chip's native dtype" : r.dtype;
  if (w.mode === "training") {
    const shape = w.unit === "image" ? `${w.image_size ? `${w.image_size}×${w.image_size} ` : ""}images` : `sequences of ${w.seq_len} tokens`;
    return `${r.model} training step: global batch ${w.batch} ${shape}, ${w.microbatch !== undefined ? `micro-batch ${w.microbatch}` : "micro-batch and recompute: the fastest that fits each chip"}, ${dtype}, one chip each, ranked by step time (chips that do not fit last)`;
  }
  const shape = w.unit === "token" ? `${w.input_tokens} input + ${w.output_tokens} output tokens` : w.unit === "sequence" ? `${w.input_tokens}-token sequences` : `${w.image_size ? `${w.image_size}×${w.image_size}` : "model-resolution"} images`;
  const layout = w.tp > 1 ? `tp ${w.tp} (${w.tp} chips each${systemFlag ? `, system ${systemFlag}` : ""})` : "one chip each";
  return `${r.model}: batch ${w.batch}, ${shape}, ${dtype}, ${layout}, ranked by throughput (chips that do not fit last)`;
}

function memoryCols(get: (x: OkRow) => { memory_per_chip_bytes: number; memory_capacity_bytes: number; fits: boolean; shortfall_bytes: number }): Column[] {
  return [
    { header: "memory", value: (x) => `${fmtBytes(get(x).memory_per_chip_bytes)} / ${fmtBytes(get(x).memory_capacity_bytes)}` },
    { header: "fits", value: (x) => (get(x).fits ? "yes" : `NO (−${fmtBytes(get(x).shortfall_bytes)})`), align: "left" },
  ];
}

function inferenceTable(r: CompareResult, rows: OkRow[], lead: Column[]): string {
  const inf = (x: OkRow) => x.inference!;
  const bound: Column = { header: "bound", value: (x) => `prefill ${inf(x).phases.prefill.bound}${inf(x).phases.decode ? `, decode ${inf(x).phases.decode!.bound}` : ""}`, align: "left" };
  if (r.workload.unit === "token") {
    return renderTable(rows, [
      ...lead,
      { header: "TTFT", value: (x) => fmtTime(inf(x).ttft_s) },
      { header: "TPOT", value: (x) => fmtTime(inf(x).tpot_s) },
      { header: "E2E", value: (x) => fmtTime(inf(x).e2e_latency_s) },
      { header: "out tok/s", value: (x) => Math.round(inf(x).output_tokens_per_s) },
      ...memoryCols(inf),
      { header: "J/token", value: (x) => (inf(x).energy_per_output_token_j !== undefined ? inf(x).energy_per_output_token_j!.toPrecision(3) : undefined) },
      { header: "$/Mtok", value: (x) => (x.usd_per_million_tokens !== undefined ? x.usd_per_million_tokens.toFixed(2) : undefined) },
      bound,
    ]);
  }
  const unit = UNIT[r.workload.unit];
  return renderTable(rows, [
    ...lead,
    { header: "latency", value: (x) => fmtTime(inf(x).e2e_latency_s) },
    { header: `${unit}s/s`, value: (x) => inf(x).samples_per_s.toFixed(1) },
    ...memoryCols(inf),
    { header: `J/${unit}`, value: (x) => (x.energy_per_sample_j !== undefined ? x.energy_per_sample_j.toPrecision(3) : undefined) },
    { header: `$/M ${unit}s`, value: (x) => (x.usd_per_million_samples !== undefined ? x.usd_per_million_samples.toFixed(2) : undefined) },
    { header: "bound", value: (x) => inf(x).phases.prefill.bound, align: "left" },
  ]);
}

function trainingTable(rows: OkRow[], lead: Column[], unit: string): string {
  const t = (x: OkRow) => x.training!;
  const tokens = rows.some((x) => t(x).tokens_per_s !== t(x).samples_per_s);
  return renderTable(rows, [
    ...lead,
    ...(rows.some((x) => x.microbatch_chosen !== undefined) ? [{ header: "micro-batch", value: (x: OkRow) => x.microbatch_chosen ?? t(x).layout.microbatch }] : []),
    { header: "step", value: (x) => fmtTime(t(x).step_time_s) },
    tokens ? { header: "tokens/s", value: (x) => Math.round(t(x).tokens_per_s) } : { header: `${unit}s/s`, value: (x) => t(x).samples_per_s.toFixed(1) },
    { header: "MFU", value: (x) => fmtPct(t(x).mfu) },
    { header: "model FLOP/s", value: (x) => fmtSi(t(x).model_flops_per_s_per_chip, "FLOP/s") },
    ...memoryCols(t),
    { header: "J/step", value: (x) => (t(x).energy_per_step_j !== undefined ? fmtSi(t(x).energy_per_step_j!, "J") : undefined) },
    { header: "bound", value: (x) => t(x).bound, align: "left" },
  ]);
}

function smallestFits(rows: OkRow[]): string[] {
  const lines = rows
    .filter((x) => x.inference && !x.inference.fits)
    .map((x) => {
      const f = x.smallest_fit;
      if (!f) return `  ${x.chip}: none found — ${x.smallest_fit_none ?? "no layout holds it"}`;
      const rate = f.output_tokens_per_s > 0 ? `${Math.round(f.output_tokens_per_s)} out tok/s` : `${f.samples_per_s.toFixed(1)} samples/s`;
      return `  ${x.chip}: ${f.chips} chips, tp ${f.tp}${f.pp > 1 ? ` · pp ${f.pp}` : ""} on ${f.system} — ${fmtBytes(f.memory_per_chip_bytes)} of ${fmtBytes(f.memory_capacity_bytes)} per chip, TTFT ${fmtTime(f.ttft_s)}, ${rate}`;
    });
  return lines.length ? ["", "does not fit as asked — the fewest chips of that kind that hold it:", ...lines] : [];
}

function footer(r: CompareResult): string {
  if (r.workload.mode === "training") return "Single-chip training step; multi-chip layouts: `xpusim train` and `xpusim scale`.";
  const per = r.workload.unit === "token" ? "$/Mtok uses the chips' cloud $/hour; J/token is the energy of all chips per output token." : `$/M ${UNIT[r.workload.unit]}s uses the chips' cloud $/hour; J/${UNIT[r.workload.unit]} is the energy of all chips per ${UNIT[r.workload.unit]}.`;
  return `Static-batch estimates${r.workload.tp > 1 ? " (memory per chip)" : ""}; queueing and continuous batching: \`xpusim serve\`/\`xpusim plan\`. ${per}`;
}

function notes(r: CompareResult, rows: OkRow[]): string[] {
  const dtypeNotes = rows.filter((x) => x.dtype_choice.note).map((x) => `note: ${x.dtype_choice.note}`);
  const fallback = rows.filter((x) => x.inference?.precision.fallback).map((x) => `note: ${x.inference!.warnings[0] ?? ""}`);
  const order = r.workload.mode === "training" ? "bf16, else fp16" : "bf16, else fp16, fp8, int8";
  const native = r.dtype === "native" ? [`note: no --dtype given: each chip runs its native math dtype (${order}); --dtype forces one`] : [];
  const all = [...native, ...dtypeNotes, ...fallback];
  return all.length ? ["", ...all] : [];
}
