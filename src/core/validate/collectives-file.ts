/**
 * Reads measured-results files of two shapes into measured points (measured-point.ts):
 * - the harness's own shape (an array of {id, category, hardware, metric, value, unit, …}), kept as is;
 * - the nccl-tests shape of ../shared/validation/collectives-public.json: {hardware, nodes,
 *   gpus_per_node, collective, message_bytes, algbw_GBps, busbw_GBps, time_us, kind, source}.
 *   Each entry becomes a "collective" point whose metric is the time (us) when the source gives it,
 *   else the bus bandwidth (GB/s), else the algorithm bandwidth. Missing node counts or message sizes
 *   are filled with stated assumptions; entries that are not collective measurements (per-NIC line
 *   tests, copy-engine memcpy) become points that the harness reports as unsupported, with the reason.
 * The shape is detected per entry. Pure; browser-safe.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";

/** Size at which a "peak" bus bandwidth without a message size is evaluated (nccl-tests sweeps end at 8-16 GiB). */
const PEAK_BYTES = 8 * 2 ** 30;
/** Node count assumed for a multi-node statement that does not give one (three or more nodes run NCCL at the NIC rate). */
const ASSUMED_NODES = 4;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const numOrNull = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** True for an entry in the nccl-tests shape of collectives-public.json. */
export function isCollectivesEntry(x: unknown): x is Record<string, unknown> {
  return isObject(x) && "collective" in x && "hardware" in x && ("busbw_GBps" in x || "algbw_GBps" in x || TIME_FIELDS.some(([f]) => f in x)) && !("metric" in x);
}

/** Fields a time may be given in, with their factor to µs (a TPU all-gather stated as `latency_us` is a time, not a missing value). */
const TIME_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ["time_us", 1],
  ["latency_us", 1],
  ["time_µs", 1],
  ["latency_µs", 1],
  ["time_ms", 1e3],
  ["latency_ms", 1e3],
  ["time_s", 1e6],
  ["latency_s", 1e6],
];

/** The entry's time in µs from whichever time field it gives, or null. */
function timeUs(e: Record<string, unknown>): number | null {
  for (const [field, factor] of TIME_FIELDS) {
    const v = numOrNull(e[field]);
    if (v !== null && v > 0) return v * factor;
  }
  return null;
}

const OPS: Record<string, string> = {
  all_reduce: "all_reduce",
  allreduce: "all_reduce",
  reduce_scatter: "reduce_scatter",
  reducescatter: "reduce_scatter",
  all_gather: "all_gather",
  allgather: "all_gather",
  all_to_all: "all_to_all",
  alltoall: "all_to_all",
  broadcast: "broadcast",
  sendrecv: "send_recv",
  send_recv: "send_recv",
};

/** Why an entry is not a collective the harness can predict, or undefined when it is. */
function skipReason(e: Record<string, unknown>, op: string | undefined): string | undefined {
  const coll = String(e.collective);
  if (coll === "per_NIC_throughput") {
    return "per-NIC line-rate figure: it is the source of the NIC efficiency in the system catalog, so predicting it would be circular";
  }
  if (coll === "p2p_copy_unidirectional") {
    return "copy-engine peer-to-peer memcpy (p2pBandwidthLatencyTest), not a collective-library operation";
  }
  if (!op) return `collective "${coll}" is not one of all_reduce, reduce_scatter, all_gather, all_to_all, broadcast, sendrecv`;
  const kind = typeof e.kind === "string" ? e.kind : "measured";
  if (!/measured|statement/.test(kind)) return `kind "${kind}" is not a measurement`;
  return undefined;
}

const slug = (t: string): string =>
  t
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

/** Converts one nccl-tests-shaped entry into a measured point (with `config.skip` when it cannot be predicted). */
export function collectivesEntryToPoint(e: Record<string, unknown>, index: number): Record<string, unknown> {
  const hardware = String(e.hardware ?? "");
  const coll = String(e.collective ?? "");
  const op = OPS[coll.toLowerCase().replace(/[\s-]+/g, "_")] ?? OPS[coll.toLowerCase().replace(/[\s_-]+/g, "")];
  const assumptions: string[] = [];
  const gpn = numOrNull(e.gpus_per_node);
  let nodes = numOrNull(e.nodes);
  if (nodes === null) {
    const multiNode = /\b(ib|infiniband|hdr|ndr|roce|efa|nic)\b|gb\/s\s+(ib|roce)/i.test(hardware);
    nodes = multiNode ? ASSUMED_NODES : 1;
    assumptions.push(multiNode ? `node count not stated: ${ASSUMED_NODES} nodes assumed (with three or more NCCL runs at the NIC rate)` : "node count not stated: one node assumed");
  }
  let bytes = numOrNull(e.message_bytes);
  if (bytes === null) {
    bytes = PEAK_BYTES;
    assumptions.push("message size not stated (a peak figure): evaluated at 8 GiB");
  }
  const time = timeUs(e);
  const bus = numOrNull(e.busbw_GBps);
  const alg = numOrNull(e.algbw_GBps);
  let metric = "latency";
  let value: number;
  let unit = "us";
  if (time !== null && numOrNull(e.message_bytes) !== null) value = time;
  else if (bus !== null) {
    metric = "busbw";
    value = bus;
    unit = "GB/s";
  } else if (alg !== null) {
    metric = "algbw";
    value = alg;
    unit = "GB/s";
  } else {
    metric = "latency";
    value = 0;
  }
  const ranks = Math.max(1, (gpn ?? (op === "send_recv" ? 2 : 1)) * nodes);
  const config: Record<string, unknown> = { op: op ?? coll, bytes, nodes, gpus_per_node: gpn, assumptions };
  const skip = skipReason(e, op) ?? (value === 0 ? "no time, busbw or algbw given" : undefined);
  if (skip) config.skip = skip;
  if (typeof e.algorithm === "string") config.algorithm_reported = e.algorithm;
  return {
    id: `coll-${index + 1}-${slug(hardware)}-${slug(coll)}${numOrNull(e.message_bytes) !== null ? `-${bytes}` : ""}`,
    category: "collective",
    hardware,
    chip_count: ranks,
    model: `${coll} (nccl-tests)`,
    config,
    metric,
    value,
    unit,
    ...(typeof e.source === "string" ? { source: e.source } : {}),
    ...(typeof e.kind === "string" ? { confidence: e.kind } : {}),
  };
}

/**
 * A measured-results document as an array of measured points: entries in the nccl-tests shape are
 * converted, entries already in the harness shape are passed through unchanged.
 */
export function normaliseMeasuredFile(raw: unknown, file?: string): unknown[] {
  const list = isObject(raw) && Array.isArray(raw.points) ? raw.points : raw;
  if (!Array.isArray(list)) {
    throw new XpusimError(
      error("E_SCHEMA", "", "a measured-results file is a JSON array of points", {
        got: raw === null ? "null (an empty file?)" : typeof raw,
        hint: "see ../shared/validation/measured-public.json or collectives-public.json",
        ...(file ? { file } : {}),
      }),
    );
  }
  return list.map((e, i) => (isCollectivesEntry(e) ? collectivesEntryToPoint(e, i) : e));
}
