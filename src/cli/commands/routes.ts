/**
 * `xpusim routes --workload <model>`: the same workload on a catalog GPU, the best FPGA design on a
 * catalog FPGA and a custom ASIC/NPU design, side by side, with NRE, unit cost at a volume and the
 * break-even volumes (docs/routes.md).
 */
import type { Command } from "commander";
import { definedFields } from "../../core/app/defined-fields.js";
import { routesJob, type RouteResult, type RoutesRequest, type RoutesResult } from "../../core/app/jobs/routes-job.js";
import { fmtSi, fmtTime, renderTable } from "../../core/report/table.js";
import { nodeCatalog } from "../../node/node-catalog.js";
import { DTYPES, type DType } from "../../core/units/dtype.js";
import { emit, formatOf, json, positiveInt, positiveNumber, UsageError } from "../output.js";

interface RoutesFlags {
  workload: string;
  batch?: number;
  dtype?: string;
  volume?: number;
  throughput?: number;
  gpu?: string;
  fpga?: string;
  asic?: string;
  gpuPrice?: number;
  fpgaPrice?: number;
  fpgaNre?: number;
  asicNre?: number;
  asicComplexity?: number;
  json?: boolean;
  out?: string;
}

export function registerRoutesCommand(program: Command): void {
  program
    .command("routes")
    .description("GPU vs FPGA design vs custom ASIC/NPU for one workload: throughput, latency, perf/W, flexibility, NRE, cost at a volume, break-even, time to market")
    .requiredOption("--workload <model>", "catalog model id or model spec file (CNNs run on every route)")
    .option("--batch <n>", "items per device call", positiveInt("--batch"))
    .option("--dtype <dtype>", "math dtype of the GPU and FPGA routes (default int8, as the ASIC's array)")
    .option("--volume <n>", "systems to build (default 10000)", positiveInt("--volume"))
    .option("--throughput <items/s>", "items per second one system must deliver (default: one GPU's)", positiveNumber("--throughput"))
    .option("--gpu <chip>", "the GPU route's chip (default nvidia-l4)")
    .option("--fpga <chip>", "the FPGA route's device (default amd-alveo-u250)")
    .option("--asic <design.yaml>", "the ASIC route's NPU design (a chip spec with design:, docs/npu.md)")
    .option("--gpu-price <usd>", "GPU unit price", positiveNumber("--gpu-price"))
    .option("--fpga-price <usd>", "FPGA card price (no public list price for most cards)", positiveNumber("--fpga-price"))
    .option("--fpga-nre <usd>", "FPGA design NRE", positiveNumber("--fpga-nre"))
    .option("--asic-nre <usd>", "ASIC NRE (default: design cost × complexity + masks at the design's node)", positiveNumber("--asic-nre"))
    .option("--asic-complexity <f>", "share of the full-chip design cost the ASIC spends (default 0.1)", positiveNumber("--asic-complexity"))
    .option("--json", "print the result object as JSON")
    .option("-o, --out <file>", "write the output to a file (atomically) instead of stdout")
    .action((o: RoutesFlags) => {
      const req: RoutesRequest = {
        model: o.workload,
        ...definedFields({
          batch: o.batch,
          dtype: o.dtype === undefined ? undefined : dtypeFlag(o.dtype),
          volume: o.volume,
          required_items_per_s: o.throughput,
          gpu: o.gpu,
          fpga: o.fpga,
          asic: o.asic,
          gpu_price_usd: o.gpuPrice,
          fpga_price_usd: o.fpgaPrice,
          fpga_nre_usd: o.fpgaNre,
          asic_nre_usd: o.asicNre,
          asic_design_complexity: o.asicComplexity,
        }),
      };
      const r = routesJob.run(req, nodeCatalog());
      emit(formatOf(o) === "json" ? json(r) : renderRoutes(r), o.out);
    });
}

const usd = (v: number | null | undefined) => (v === null || v === undefined ? undefined : `$${fmtSi(v)}`);

function renderRoutes(r: RoutesResult): string {
  const table = renderTable(r.routes, [
    { header: "route", value: (x: RouteResult) => x.route },
    { header: "device", value: (x) => x.device, align: "left" },
    { header: "items/s", value: (x) => (x.available ? fmtSi(x.throughput_items_per_s) : "cannot run") },
    { header: "latency", value: (x) => (x.latency_s !== undefined ? fmtTime(x.latency_s) : undefined) },
    { header: "power", value: (x) => (x.power_w !== undefined ? fmtSi(x.power_w, "W") : undefined) },
    { header: "items/J", value: (x) => (x.items_per_j !== undefined ? fmtSi(x.items_per_j) : undefined) },
    { header: "devices", value: (x) => x.devices_per_system },
    { header: "unit", value: (x) => usd(x.unit_cost_usd) ?? "not published" },
    { header: "NRE", value: (x) => usd(x.nre_usd) },
    { header: `per system at ${r.volume}`, value: (x) => usd(x.usd_per_system_at_volume) },
    { header: "to market", value: (x) => `${x.time_to_market_months} mo` },
    { header: "reprogrammed by", value: (x) => x.flexibility.reprogrammed_by, align: "left" },
  ]);
  const lines = [
    `${r.model}: three routes, batch ${r.batch}, ${fmtSi(r.required_items_per_s)} items/s per system, ${r.volume.toLocaleString("en-US")} systems`,
    "",
    table,
    "",
    ...r.break_even.map((b) => `break-even ${b.a} vs ${b.b}: ${b.meaning}`),
    ...(r.cheapest_at_volume ? [`cheapest at ${r.volume.toLocaleString("en-US")} systems: ${r.cheapest_at_volume}`] : []),
    ...r.routes.filter((x) => x.market_window_factor > 1.0001).map((x) => `market window: ${x.route} arrives ${x.time_to_market_months} months in and needs ${x.market_window_factor.toFixed(2)}× the performance per dollar of the earliest route`),
    "",
    ...r.routes.flatMap((x) => [`${x.route}: ${x.device_name} — unit cost: ${x.unit_cost_basis}; NRE: ${x.nre_basis}${x.reason ? `; cannot run: ${x.reason}` : ""}`, ...x.notes.map((n) => `  ${n}`)]),
  ];
  return lines.join("\n");
}

function dtypeFlag(v: string): DType {
  if (!(DTYPES as readonly string[]).includes(v)) throw new UsageError(`--dtype: expected one of ${DTYPES.join(", ")}, got "${v}"`);
  return v as DType;
}
