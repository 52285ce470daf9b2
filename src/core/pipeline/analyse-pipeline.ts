import type { PipelineEstimate, PipelineLinkResult, PipelineStageResult, PricedLink, PricedStage } from "./pipeline-types.js";
import { formatQuantity as q } from "../units/quantity.js";
import { queueWait } from "./queueing.js";

/**
 * A pipeline of stages in series, each stage a server of known rate (Lazowska et al., "Quantitative
 * System Performance", 1984, ch. 5: the bottleneck law): the sustainable throughput is the smallest
 * stage or link rate, X = min(λ, min_i μ_i); each part's utilisation is U_i = X / μ_i (the
 * utilisation law); one item crosses an empty pipeline in Σ service + Σ transfer time; at an arrival
 * rate below capacity the mean latency adds each stage's queueing and batch filling (queueing.ts),
 * and Little's law N = X·R gives the items inside.
 */
export interface PipelineOptions {
  name: string;
  arrival_rate_per_s?: number;
  items?: number;
}

interface Part {
  name: string;
  kind: "stage" | "link";
  rate: number;
  why: string;
}

const linkName = (l: { from: string; to: string }) => `${l.from} → ${l.to}`;
const linkRate = (l: PricedLink) => l.bytes_per_s / l.bytes_per_item;

function slowestPart(stages: readonly PricedStage[], links: readonly PricedLink[]): Part {
  const parts: Part[] = [
    ...stages.map((s): Part => ({ name: s.name, kind: "stage", rate: s.rate_per_s, why: s.fits ? `${s.what}: ${q(s.rate_per_s, "items/s")}` : `${s.what}: ${s.reason ?? "cannot run"}` })),
    ...links.map((l): Part => ({ name: linkName(l), kind: "link", rate: linkRate(l), why: `${l.name}: ${q(l.bytes_per_s, "B/s")} ÷ ${q(l.bytes_per_item, "B")} per item = ${q(linkRate(l), "items/s")}` })),
  ];
  return parts.reduce((a, b) => (b.rate < a.rate ? b : a));
}


function stagePower(s: PricedStage, u: number): number | undefined {
  if (s.active_power_w === undefined) return undefined;
  const idle = s.idle_power_w ?? 0;
  return s.count * (idle + u * (s.active_power_w - idle));
}

function stageResults(stages: readonly PricedStage[], x: number, arrival: number | undefined): PipelineStageResult[] {
  return stages.map((s) => {
    const u = s.rate_per_s > 0 ? Math.min(1, x / s.rate_per_s) : 0;
    const power = stagePower(s, u);
    const wait = arrival !== undefined && s.rate_per_s > 0 ? queueWait(arrival, s.rate_per_s, s.batch) : undefined;
    return {
      name: s.name,
      kind: s.kind,
      what: s.what,
      count: s.count,
      rate_per_s: s.rate_per_s,
      utilisation: u,
      ...(power !== undefined ? { power_w: power } : {}),
      latency_s: s.latency_s,
      ...(wait !== undefined ? { queue_wait_s: wait } : {}),
      ...(s.cost_per_hour !== undefined ? { cost_per_hour: s.cost_per_hour } : {}),
    };
  });
}

function linkResults(links: readonly PricedLink[], x: number): PipelineLinkResult[] {
  return links.map((l) => ({
    from: l.from,
    to: l.to,
    ...(l.id !== undefined ? { id: l.id } : {}),
    name: l.name,
    bytes_per_s: l.bytes_per_s,
    bytes_per_item: l.bytes_per_item,
    items_per_s: linkRate(l),
    utilisation: Math.min(1, (x * l.bytes_per_item) / l.bytes_per_s),
    latency_s: l.latency_s + l.bytes_per_item / l.bytes_per_s,
  }));
}

export function analysePipeline(stages: readonly PricedStage[], links: readonly PricedLink[], o: PipelineOptions): PipelineEstimate {
  const slowest = slowestPart(stages, links);
  const capacity = slowest.rate;
  const arrival = o.arrival_rate_per_s;
  const x = arrival !== undefined ? Math.min(arrival, capacity) : capacity;
  const below = arrival !== undefined && arrival < capacity;
  const stageRows = stageResults(stages, x, below ? arrival : undefined);
  const linkRows = linkResults(links, x);
  const latency = stageRows.reduce((t, s) => t + s.latency_s, 0) + linkRows.reduce((t, l) => t + l.latency_s, 0);
  const mean = below ? latency + stageRows.reduce((t, s) => t + (s.queue_wait_s ?? 0), 0) : undefined;
  const known = stageRows.filter((s) => s.power_w !== undefined);
  const power = known.reduce((t, s) => t + s.power_w!, 0);
  const priced = stages.filter((s) => s.cost_per_hour !== undefined);
  const cost = priced.length === stages.length ? priced.reduce((t, s) => t + s.cost_per_hour!, 0) : undefined;
  const warnings = pipelineWarnings(stages, known.length, arrival, capacity);
  const result: PipelineEstimate = {
    kind: "pipeline",
    name: o.name,
    throughput_items_per_s: x,
    capacity_items_per_s: capacity,
    bottleneck: { name: slowest.name, kind: slowest.kind, why: slowest.why },
    limited_by: below ? "arrival" : slowest.kind,
    latency_s: latency,
    ...(mean !== undefined ? { mean_latency_s: mean } : {}),
    items_in_flight: x * (mean ?? latency),
    stages: stageRows,
    links: linkRows,
    power_w: power,
    energy_per_item_j: x > 0 ? power / x : Number.POSITIVE_INFINITY,
    ...(cost !== undefined ? { cost_per_hour: cost, ...(x > 0 ? { usd_per_million_items: (cost / 3600 / x) * 1e6 } : {}) } : {}),
    fits: stages.every((s) => s.fits),
    ...infeasibility(stages),
    warnings,
    notes: stages.flatMap((s) => s.notes.map((n) => `${s.name}: ${n}`)),
  };
  return o.items !== undefined && x > 0 ? withItems(result, o.items) : result;
}

function infeasibility(stages: readonly PricedStage[]): { infeasible_reason?: string } {
  const stuck = stages.filter((s) => !s.fits);
  return stuck.length ? { infeasible_reason: stuck.map((s) => `stage ${s.name} cannot run: ${s.what}: ${s.reason ?? "infeasible"}`).join("; ") } : {};
}

/** Pushing `items` through: the first leaves after latency_s, the rest one every 1/X. */
function withItems(r: PipelineEstimate, items: number): PipelineEstimate {
  const time = r.latency_s + (items - 1) / r.throughput_items_per_s;
  return { ...r, items, time_s: time, energy_j: r.power_w * time };
}

function pipelineWarnings(stages: readonly PricedStage[], powered: number, arrival: number | undefined, capacity: number): string[] {
  const out: string[] = [];
  if (arrival !== undefined && arrival > capacity) {
    out.push(`items arrive at ${q(arrival, "items/s")} but the pipeline sustains ${q(capacity, "items/s")}: the queue grows without bound (${q(arrival - capacity, "items/s")} are dropped or delayed)`);
  }
  if (powered < stages.length) out.push(`power is not known for ${stages.length - powered} stage(s) (${stages.filter((s) => s.active_power_w === undefined).map((s) => s.name).join(", ")}): power_w and energy_per_item_j count only the others`);
  return out;
}
