/**
 * The request/result glue for pipeline estimates. Issue #12 adds a `kind: pipeline` scenario job to
 * the engine; until it lands `pipelineJobAvailable()` is false and the view draws the file only.
 * When it lands, `runPipeline` passes the file through the engine's own scenario path and the
 * result (fields as issue #12 names them) fills the table and the diagram; nothing is computed here.
 */
import { JOBS, parseAnyScenario, runScenario } from "../../../core/app/index.js";
import type { PipelineDiagramInput } from "../../../core/charts/index.js";
import type { Catalog } from "../../../core/app/index.js";
import { fmtSi } from "../../../core/report/table.js";
import type { PipelineFile, PipelineStageSpec } from "./pipeline-file.js";

export interface PipelineEstimate {
  throughput_items_per_s: number;
  bottleneck: { name: string; why?: string } | string;
  latency_s: number;
  stages: Array<{ name: string; rate_per_s: number; utilisation: number; power_w?: number }>;
  links: Array<{ from: string; to: string; bytes_per_s: number; utilisation: number }>;
  power_w?: number;
  energy_per_item_j?: number;
  cost_per_hour?: number;
}

export const pipelineJobAvailable = (): boolean => "pipeline" in JOBS;

export function runPipeline(file: PipelineFile, catalog: Catalog): PipelineEstimate {
  return runScenario(parseAnyScenario(file), catalog) as unknown as PipelineEstimate;
}

export const bottleneckName = (r: PipelineEstimate): string => (typeof r.bottleneck === "string" ? r.bottleneck : r.bottleneck.name);

export interface PipelineRow {
  name: string;
  kind: "stage" | "link";
  rate_per_s: number;
  utilisation: number;
  power_w?: number;
  bottleneck: boolean;
}

/** One row per stage and link, in pipeline order, the bottleneck flagged. */
export function pipelineResultTable(r: PipelineEstimate): PipelineRow[] {
  const hot = bottleneckName(r);
  const rows: PipelineRow[] = [];
  r.stages.forEach((s, i) => {
    rows.push({ name: s.name, kind: "stage", rate_per_s: s.rate_per_s, utilisation: s.utilisation, ...(s.power_w !== undefined ? { power_w: s.power_w } : {}), bottleneck: s.name === hot });
    const l = r.links.find((x) => x.from === s.name && x.to === r.stages[i + 1]?.name);
    if (l) rows.push({ name: `${l.from} → ${l.to}`, kind: "link", rate_per_s: l.bytes_per_s, utilisation: l.utilisation, bottleneck: hot === `${l.from} → ${l.to}` || hot === `${l.from}->${l.to}` });
  });
  return rows;
}

/** What a stage box says about the stage as the file gives it. */
export function stageDetails(s: PipelineStageSpec): string[] {
  const out: string[] = [];
  if (s.rate_per_s !== undefined) out.push(`fixed rate ${s.rate_per_s} items/s`);
  if (s.unit !== undefined) out.push(`unit ${s.unit}`);
  if (s.chip !== undefined) out.push(`chip ${typeof s.chip === "string" ? s.chip : String(s.chip.id ?? "inline spec")}`);
  if (s.workload) out.push(Object.entries(s.workload).map(([k, v]) => `${k} ${typeof v === "string" ? v : "…"}`).join(", "));
  if (s.batch !== undefined) out.push(`batch ${s.batch}`);
  if (s.count !== undefined && s.count > 1) out.push(`× ${s.count} in parallel`);
  return out;
}

function linkLabel(l: NonNullable<PipelineStageSpec["link"]>): string {
  const bw = l.bandwidth_bytes_per_s;
  return l.id ?? (typeof bw === "number" ? fmtSi(bw, "B/s") : (bw ?? ""));
}

export function pipelineDiagramInput(file: PipelineFile, result?: PipelineEstimate): PipelineDiagramInput {
  const hot = result ? bottleneckName(result) : undefined;
  const stages = file.stages.map((s) => {
    const est = result?.stages.find((x) => x.name === s.name);
    return { name: s.name, details: stageDetails(s), ...(est ? { utilisation: est.utilisation } : {}), bottleneck: hot === s.name };
  });
  const links = file.stages.slice(0, -1).flatMap((s, i) => {
    const to = file.stages[i + 1]!.name;
    const est = result?.links.find((l) => l.from === s.name && l.to === to);
    const perItem = s.link?.bytes_per_item;
    const sublabel = perItem === undefined ? undefined : `${typeof perItem === "number" ? fmtSi(perItem, "B") : perItem}/item`;
    return s.link || est ? [{ from: s.name, to, ...(s.link ? { label: linkLabel(s.link) } : {}), ...(sublabel ? { sublabel } : {}), ...(est ? { utilisation: est.utilisation } : {}), bottleneck: hot === `${s.name} → ${to}` }] : [];
  });
  const subtitle = result ? `${result.throughput_items_per_s.toFixed(1)} items/s; bottleneck ${hot}` : "stages as the file gives them (no estimate: pipeline estimation is issue #12)";
  return { title: file.name ?? "pipeline", stages, links, subtitle };
}

/** The stages as the file gives them, one row each (the CSV download before an estimate exists). */
export function stagesCsv(file: PipelineFile): { header: string[]; rows: string[][] } {
  const header = ["name", "rate_per_s", "chip", "unit", "workload", "batch", "count", "link_to_next", "link_bytes_per_item"];
  const text = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
  return {
    header,
    rows: file.stages.map((s) => [s.name, text(s.rate_per_s), text(s.chip), text(s.unit), text(s.workload), text(s.batch), text(s.count), text(s.link?.id ?? s.link?.bandwidth_bytes_per_s), text(s.link?.bytes_per_item)]),
  };
}
