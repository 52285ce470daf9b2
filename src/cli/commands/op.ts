/**
 * `xpusim op gemm|conv2d|attention --chip <id[,id...]> ...`: one operator on one or more chips,
 * with the bound, the cost model that answered, and achieved vs peak.
 */
import { type Command, Option } from "commander";
import { type OpEstimate, opJob, type OpSpec } from "../../core/app/jobs/op-job.js";
import { fmtBytes, fmtPct, fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { DTYPES } from "../../core/units/dtype.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, formatOf, json, nonNegativeInt, positiveInt, UsageError } from "../output.js";

interface CommonOpts {
  chip: string;
  dtype?: string;
  costModel?: string;
  json?: boolean;
  csv?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption("--chip <ids>", "chip id(s), comma-separated, or a chip spec file")
    .addOption(new Option("--dtype <dtype>", "dtype of the math (default: each chip's native one: bf16, else fp16, fp8, int8)").choices([...DTYPES]))
    .option("--cost-model <id>", "force a cost model (default: the best that supports the op)")
    .option("--json", "print JSON")
    .option("--csv", "print CSV");
}

function runOp(raw: Record<string, unknown>, opts: CommonOpts): void {
  const format = formatOf(opts);
  const ids = opts.chip
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError("--chip needs at least one chip id", "e.g. --chip nvidia-h100-sxm,amd-mi300x");
  const result = opJob.run({ op: raw as OpSpec, chip: ids.length === 1 ? ids[0]! : ids, source: "command line", dtype_default: "native", ...(opts.costModel ? { cost_model: opts.costModel } : {}) }, nodeCatalog());
  if (format === "json") return emit(json(result));
  const rows = Array.isArray(result) ? result : [result];
  if (format === "csv") return emit(renderCsv(rows.map(({ refused, notes, bytes_by_level, ...r }) => ({ ...r, notes: notes.join("; ") }))));
  emit(renderOpTable(rows));
}

export function renderOpTable(rows: OpEstimate[]): string {
  const table = renderTable(rows, [
    { header: "chip", value: (r) => r.chip },
    { header: "latency", value: (r) => fmtTime(r.latency_s) },
    { header: "achieved", value: (r) => fmtSi(r.achieved_flops_per_s, "FLOP/s") },
    { header: "peak", value: (r) => fmtSi(r.peak_flops_per_s, "FLOP/s") },
    { header: "util", value: (r) => fmtPct(r.utilization) },
    { header: "bound", value: (r) => r.bound, align: "left" },
    { header: "main-mem bytes", value: (r) => fmtBytes(r.bytes) },
    { header: "energy", value: (r) => (r.energy_j !== undefined ? fmtSi(r.energy_j, "J") : undefined) },
    { header: "model", value: (r) => r.cost_model, align: "left" },
  ]);
  const notes = rows.filter((r) => r.notes.length).map((r) => `  ${r.chip}: ${r.notes.join("; ")}`);
  return [`${rows[0]?.op ?? ""}`, table, ...(notes.length ? ["", "why:", ...notes] : [])].join("\n");
}

export function registerOpCommand(program: Command): void {
  const op = program.command("op").description("estimate one operator (gemm, conv2d, attention) on one or more chips");
  common(
    op
      .command("gemm")
      .description("C[m,n] = A[m,k] × B[k,n] (× batch)")
      .requiredOption("--m <m>", "rows of A and C", positiveInt("--m"))
      .requiredOption("--n <n>", "columns of B and C", positiveInt("--n"))
      .requiredOption("--k <k>", "inner dimension", positiveInt("--k"))
      .option("--batch <b>", "batched GEMM count", positiveInt("--batch"), 1),
  ).action((o: CommonOpts & { m: number; n: number; k: number; batch: number }) =>
    runOp({ type: "gemm", m: o.m, n: o.n, k: o.k, batch: o.batch, dtype: o.dtype }, o),
  );
  common(
    op
      .command("conv2d")
      .description("2-D convolution (NCHW), grouped/depthwise with --groups")
      .requiredOption("--n <n>", "batch", positiveInt("--n"))
      .requiredOption("--h <h>", "input height", positiveInt("--h"))
      .requiredOption("--w <w>", "input width", positiveInt("--w"))
      .requiredOption("--c-in <c>", "input channels", positiveInt("--c-in"))
      .requiredOption("--c-out <c>", "output channels", positiveInt("--c-out"))
      .requiredOption("--kh <k>", "kernel height", positiveInt("--kh"))
      .requiredOption("--kw <k>", "kernel width", positiveInt("--kw"))
      .option("--stride <s>", "stride", positiveInt("--stride"), 1)
      .option("--padding <p>", "padding", nonNegativeInt("--padding"), 0)
      .option("--groups <g>", "groups (c_in for depthwise)", positiveInt("--groups"), 1),
  ).action((o: CommonOpts & Record<string, number>) =>
    runOp(
      { type: "conv2d", n: o.n, h: o.h, w: o.w, c_in: o.cIn, c_out: o.cOut, kh: o.kh, kw: o.kw, stride: o.stride, padding: o.padding, groups: o.groups, dtype: o.dtype },
      o,
    ),
  );
  common(
    op
      .command("attention")
      .description("softmax(QKᵀ/√d)V for all heads; GQA with --kv-heads, decode with --phase decode")
      .requiredOption("--batch <b>", "sequences", positiveInt("--batch"))
      .requiredOption("--heads <h>", "query heads", positiveInt("--heads"))
      .option("--kv-heads <h>", "key/value heads (GQA/MQA)", positiveInt("--kv-heads"))
      .requiredOption("--head-dim <d>", "head dimension", positiveInt("--head-dim"))
      .requiredOption("--seq-kv <s>", "keys attended (context length)", positiveInt("--seq-kv"))
      .option("--seq-q <s>", "queries (default: seq-kv for prefill, 1 for decode)", positiveInt("--seq-q"))
      .addOption(new Option("--phase <phase>", "prefill or decode").choices(["prefill", "decode"]).default("prefill"))
      .option("--no-causal", "full (bidirectional) attention")
      .option("--unfused", "materialise the score matrix (no FlashAttention)")
      .option("--window <w>", "sliding-window size", positiveInt("--window")),
  ).action((o: CommonOpts & { batch: number; heads: number; kvHeads?: number; headDim: number; seqKv: number; seqQ?: number; phase: string; causal: boolean; unfused?: boolean; window?: number }) =>
    runOp(
      {
        type: "attention",
        batch: o.batch,
        heads: o.heads,
        ...(o.kvHeads ? { kv_heads: o.kvHeads } : {}),
        head_dim: o.headDim,
        seq_kv: o.seqKv,
        ...(o.seqQ ? { seq_q: o.seqQ } : {}),
        phase: o.phase,
        causal: o.causal,
        fused: !o.unfused,
        ...(o.window ? { window: o.window } : {}),
        dtype: o.dtype,
      },
      o,
    ),
  );
}
