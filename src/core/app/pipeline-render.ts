import { pipelineDiagram, type PipelineDiagramInput } from "../charts/pipeline-diagram.js";
import type { PipelineEstimate } from "../pipeline/pipeline-types.js";
import { fmtPct, fmtSi, fmtTime, renderTable } from "../report/table.js";

/**
 * A pipeline estimate for people: the stage diagram's input (charts/pipeline-diagram.ts) and the text
 * summary `xpusim pipeline` and `xpusim estimate` print. Shared by every front end.
 */
export function pipelineDiagramFromEstimate(r: PipelineEstimate): PipelineDiagramInput {
  const hot = r.bottleneck.name;
  return {
    title: r.name,
    subtitle: `${fmtSi(r.throughput_items_per_s, "items/s")} · bottleneck ${hot} · latency ${fmtTime(r.latency_s)} · ${fmtSi(r.power_w, "W")}`,
    stages: r.stages.map((s) => ({
      name: s.name,
      details: [...s.what.split(": "), `${fmtSi(s.rate_per_s, "items/s")}`],
      utilisation: s.utilisation,
      bottleneck: s.name === hot,
    })),
    links: r.links.map((l) => ({ from: l.from, to: l.to, label: l.id ?? fmtSi(l.bytes_per_s, "B/s"), utilisation: l.utilisation, bottleneck: `${l.from} → ${l.to}` === hot })),
  };
}

/** The stage diagram as a self-contained SVG string. */
export function pipelineDiagramSvg(r: PipelineEstimate): string {
  return pipelineDiagram(pipelineDiagramFromEstimate(r));
}

export function renderPipelineText(r: PipelineEstimate): string {
  const head = [
    `${r.name}: ${r.stages.length} stages${r.fits ? "" : " — a stage cannot run"}`,
    `  throughput   ${fmtSi(r.throughput_items_per_s, "items/s")}${r.limited_by === "arrival" ? ` (the arrival rate; capacity ${fmtSi(r.capacity_items_per_s, "items/s")})` : ""}`,
    `  bottleneck   ${r.bottleneck.name} (${r.bottleneck.kind}) — ${r.bottleneck.why}`,
    `  latency      ${fmtTime(r.latency_s)} for one item through an empty pipeline${r.mean_latency_s !== undefined ? `; mean ${fmtTime(r.mean_latency_s)} at the arrival rate (queues and batch filling)` : ""}; ${r.items_in_flight.toPrecision(3)} items in flight (Little's law)`,
    `  power        ${fmtSi(r.power_w, "W")} · ${fmtSi(r.energy_per_item_j, "J")} per item${r.cost_per_hour !== undefined ? ` · $${r.cost_per_hour.toFixed(2)}/h ($${r.usd_per_million_items?.toFixed(2)} per million items)` : ""}`,
    ...(r.time_s !== undefined ? [`  ${r.items} items  ${fmtTime(r.time_s)}, ${fmtSi(r.energy_j, "J")}`] : []),
  ];
  const stages = renderTable(r.stages, [
    { header: "stage", value: (s) => `${s.name}${s.name === r.bottleneck.name ? " *" : ""}` },
    { header: "runs", value: (s) => s.what, align: "left" },
    { header: "items/s", value: (s) => fmtSi(s.rate_per_s) },
    { header: "util", value: (s) => fmtPct(s.utilisation) },
    { header: "power", value: (s) => (s.power_w !== undefined ? fmtSi(s.power_w, "W") : undefined) },
    { header: "latency", value: (s) => fmtTime(s.latency_s) },
    { header: "wait", value: (s) => (s.queue_wait_s !== undefined ? fmtTime(s.queue_wait_s) : undefined) },
  ]);
  const links = r.links.length
    ? renderTable(r.links, [
        { header: "link", value: (l) => `${l.from} → ${l.to}${`${l.from} → ${l.to}` === r.bottleneck.name ? " *" : ""}` },
        { header: "via", value: (l) => l.name, align: "left" },
        { header: "bandwidth", value: (l) => fmtSi(l.bytes_per_s, "B/s") },
        { header: "per item", value: (l) => fmtSi(l.bytes_per_item, "B") },
        { header: "items/s", value: (l) => fmtSi(l.items_per_s) },
        { header: "util", value: (l) => fmtPct(l.utilisation) },
      ])
    : "";
  const tail = [...r.warnings.map((w) => `warning: ${w}`), ...r.notes.map((n) => `note: ${n}`)];
  return [...head, "", stages, ...(links ? ["", links] : []), ...(tail.length ? ["", ...tail] : [])].join("\n");
}
