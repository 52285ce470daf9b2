/**
 * `xpusim collective --system <id|file> --op all_reduce --bytes 1MiB[,…] | --sweep 8B:16GiB
 * [--ranks N] [--stride S] [--algorithm auto|ring|…] [--protocol LL|LL128|Simple] [--top-k K --tokens N --ep-mode normal|low_latency] [--json|--csv]`: time, algbw and
 * busbw of a collective per message size, the way nccl-tests prints them, with the algorithm and
 * protocol chosen and why. `--list` prints the system catalog.
 */
import type { Command } from "commander";
import {
  ALGORITHMS,
  type AlgorithmName,
  COLLECTIVE_KINDS,
  type CollectiveJobRequest,
  type CollectiveJobResult,
  type CollectiveKind,
  collectiveJob,
  type SizeSweep,
  sweepSizes,
} from "../../core/app/jobs/collective-job.js";
import { catalogJob } from "../../core/app/jobs/catalog-job.js";
import { fmtSi, fmtTime, renderCsv, renderTable } from "../../core/report/table.js";
import { parseQuantity } from "../../core/units/quantity.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { emit, type Format, formatOf, json, positiveInt, UsageError } from "../output.js";

interface Opts {
  system?: string;
  chip?: string;
  op: string;
  bytes?: string;
  sweep?: string;
  ranks?: number;
  stride?: number;
  algorithm: string;
  protocol?: string;
  topK?: number;
  tokens?: number;
  epMode?: string;
  list?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** "1MiB" / "4096" / "16 GiB" → bytes; a plain number is bytes. */
export function parseBytes(text: string, flag: string): number {
  const t = text.trim();
  const r = parseQuantity(/^\d+(\.\d+)?$/.test(t) ? Number(t) : t, "bytes");
  if (!r.ok || !(r.value > 0) || !Number.isFinite(r.value)) {
    throw new UsageError(`${flag}: "${text}" is not a positive size`, 'write sizes like 8, 4096, 1MiB, 16GiB (binary prefixes) or 1MB (decimal)');
  }
  return Math.round(r.value);
}

/** "8B:16GiB[:factor]" → sizes from the first to the last, multiplied by the factor (default 2) each step. */
export function parseSweep(text: string): number[] {
  return sweepSizes(parseSweepFlag(text));
}

/** "8B:16GiB[:factor]" → the sweep the collective job expands. */
function parseSweepFlag(text: string): SizeSweep {
  const parts = text.split(":");
  if (parts.length < 2 || parts.length > 3) throw new UsageError(`--sweep: "${text}" is not min:max[:factor]`, "e.g. --sweep 8B:16GiB or --sweep 1MiB:1GiB:4");
  const min_bytes = parseBytes(parts[0]!, "--sweep");
  const max_bytes = parseBytes(parts[1]!, "--sweep");
  const factor = parts[2] === undefined ? 2 : Number(parts[2]);
  if (!(factor > 1) || !Number.isFinite(factor)) throw new UsageError(`--sweep: factor must be a number above 1, got "${parts[2]}"`);
  if (max_bytes < min_bytes) throw new UsageError(`--sweep: the maximum ${parts[1]} is below the minimum ${parts[0]}`);
  return { min_bytes, max_bytes, factor };
}

/** The system catalog as JSON, CSV or a table. */
function systemList(format: Format): string {
  const { rows } = catalogJob.run({ list: "systems" }, nodeCatalog());
  if (format === "json") return json(rows);
  if (format === "csv") return renderCsv(rows);
  return (
    renderTable(rows, [
      { header: "id", value: (r) => r.id },
      { header: "chip", value: (r) => r.chip, align: "left" },
      { header: "per node", value: (r) => r.chips_per_node },
      { header: "scale-up", value: (r) => r.scale_up, align: "left" },
      { header: "BW/dir", value: (r) => fmtSi(r.scale_up_bytes_per_s_per_direction, "B/s") },
      { header: "eff", value: (r) => r.scale_up_efficiency },
      { header: "INR", value: (r) => r.in_network_reduction, align: "left" },
      { header: "scale-out/node", value: (r) => r.scale_out, align: "left" },
      { header: "library", value: (r) => r.library, align: "left" },
    ]) + `\n\n${rows.length} systems. \`xpusim collective --system <id> --op all_reduce --sweep 8B:16GiB\` sweeps one.`
  );
}

/** The flags as a collective job request (usage errors for what the flags alone get wrong). */
function collectiveRequest(o: Opts): CollectiveJobRequest {
  if (!(COLLECTIVE_KINDS as readonly string[]).includes(o.op)) {
    throw new UsageError(`--op: unknown collective "${o.op}"`, `use one of ${COLLECTIVE_KINDS.join(", ")}`);
  }
  if (o.algorithm !== "auto" && !(ALGORITHMS as readonly string[]).includes(o.algorithm)) {
    throw new UsageError(`--algorithm: unknown algorithm "${o.algorithm}"`, `use auto or one of ${ALGORITHMS.join(", ")}`);
  }
  if (o.bytes && o.sweep) throw new UsageError("--bytes and --sweep cannot be used together");
  if (o.system && o.chip) throw new UsageError("--system and --chip cannot be used together");
  if (!o.system && !o.chip) throw new UsageError("--system is required", "e.g. --system dgx-h100 (`xpusim collective --list` lists them), or --chip <id> for its default system");
  const sizes = o.bytes ? o.bytes.split(",").filter((x) => x.trim()).map((x) => parseBytes(x, "--bytes")) : undefined;
  if (sizes?.length === 0) throw new UsageError("--bytes: no sizes given");
  return {
    ...(o.system ? { system: o.system } : { chip: o.chip! }),
    op: o.op as CollectiveKind,
    ...(sizes ? { sizes_bytes: sizes } : { sweep: parseSweepFlag(o.sweep ?? "8B:16GiB") }),
    ...(o.ranks ? { ranks: o.ranks } : {}),
    ...(o.stride ? { stride: o.stride } : {}),
    algorithm: o.algorithm as AlgorithmName | "auto",
    ...(o.protocol ? { protocol: o.protocol } : {}),
    ...(o.topK ? { top_k: o.topK } : {}),
    ...(o.tokens ? { tokens_per_rank: o.tokens } : {}),
    ...(o.epMode ? { ep_mode: o.epMode as "normal" | "low_latency" } : {}),
  };
}

/** One flat row per message size (the CSV and the table). */
function flatRows(r: CollectiveJobResult) {
  return r.results.map((c) => ({
    size_bytes: c.bytes,
    time_s: c.time_s,
    algbw_bytes_per_s: c.algbw_bytes_per_s,
    busbw_bytes_per_s: c.busbw_bytes_per_s,
    algorithm: c.algorithm,
    protocol: c.protocol,
    bound: c.bound,
    latency_s: c.latency_s,
    steps: c.steps,
  }));
}

/** The nccl-tests-like table with the placement above and the choice, notes and caveats below. */
export function renderCollective(r: CollectiveJobResult): string {
  const { system, op, ranks } = r;
  const p = r.placement;
  const where = p.domains > 1 ? `${p.domains} scale-up domains × ${p.ranks_per_domain}` : system.scale_up_topology === "none" ? "one node (through the host link)" : `one ${system.scale_up_topology} domain`;
  const header = [`${system.name} (${system.id}), library ${system.library_name}`, `${op} over ${ranks} ranks: ${where}${p.torus_shape ? `, slice ${p.torus_shape.join("×")}` : ""}`, ""];
  const table = renderTable(flatRows(r), [
    { header: "size (B)", value: (x) => x.size_bytes },
    { header: "time", value: (x) => fmtTime(x.time_s) },
    { header: "algbw (GB/s)", value: (x) => (x.algbw_bytes_per_s / 1e9).toFixed(2) },
    { header: "busbw (GB/s)", value: (x) => (x.busbw_bytes_per_s / 1e9).toFixed(2) },
    { header: "algorithm", value: (x) => `${x.algorithm}/${x.protocol}`, align: "left" },
    { header: "bound", value: (x) => x.bound, align: "left" },
  ]);
  const last = r.results[r.results.length - 1]!;
  const notes = [...new Set(r.results.flatMap((c) => c.notes))];
  const footer = ["", `largest size: ${last.why}`, ...notes.map((n) => `note: ${n}`), ...system.caveats.map((c) => `caveat: ${c}`)];
  return [...header, table, ...footer].join("\n");
}

export function registerCollectiveCommand(program: Command): void {
  program
    .command("collective")
    .description("time, algbw and busbw of a collective on a system, per message size (like nccl-tests)")
    .option("--system <id|file>", "catalog system id or alias, or a system spec file")
    .option("--chip <id>", "use the default system of this chip instead of --system")
    .option("--op <op>", `collective: ${COLLECTIVE_KINDS.join(", ")}`, "all_reduce")
    .option("--bytes <sizes>", "message sizes, comma-separated, with units (1MiB,16GiB)")
    .option("--sweep <min:max[:factor]>", "message sizes from min to max, ×factor (default 2) per step")
    .option("--ranks <n>", "ranks (consecutive chips); default: one scale-up domain", positiveInt("--ranks"))
    .option("--stride <n>", "take every n-th chip (1 = consecutive; chips per node = one rank per node)", positiveInt("--stride"))
    .option("--algorithm <name>", `auto or one of ${ALGORITHMS.join(", ")}`, "auto")
    .option("--protocol <name>", "force a library protocol (e.g. LL, Simple)")
    .option("--top-k <k>", "ep_dispatch / ep_combine: experts per token (default 8)", positiveInt("--top-k"))
    .option("--tokens <n>", "ep_dispatch / ep_combine: tokens per rank (up to the library's limit the low-latency kernels run)", positiveInt("--tokens"))
    .option("--ep-mode <mode>", "ep_dispatch / ep_combine: force normal or low_latency kernels")
    .option("--list", "list the system catalog")
    .option("--json", "print JSON")
    .option("--csv", "print CSV")
    .action((o: Opts) => {
      const format = formatOf(o);
      if (o.list) return emit(systemList(format));
      const result = collectiveJob.run(collectiveRequest(o), nodeCatalog());
      if (format === "json") return emit(json(result));
      if (format === "csv") return emit(renderCsv(flatRows(result)));
      emit(renderCollective(result));
    });
}
