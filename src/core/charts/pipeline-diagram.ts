import { escapeXml } from "./format.js";

/**
 * A heterogeneous pipeline as a stage diagram (hand-built SVG, like the architecture diagram): one
 * box per stage left to right with what runs it (a fixed rate, a chip and its workload, a unit) and
 * its parallel count, an arrow per link labelled with its bandwidth and bytes per item. When an
 * estimate is given, each stage shows its utilisation as a bar and the bottleneck (stage or link)
 * is drawn in vermillion with a thick outline. Deterministic: the same input gives the same bytes.
 */
export interface PipelineDiagramStage {
  name: string;
  /** Lines under the name: "rate 960 items/s", "chip nvidia-l4 × 2", "model yolo…". */
  details: readonly string[];
  /** 0–1, when an estimate exists. */
  utilisation?: number;
  bottleneck?: boolean;
}

export interface PipelineDiagramLink {
  from: string;
  to: string;
  label?: string;
  /** A second line under the arrow when there is no utilisation to show (e.g. "6.22 MB/item"). */
  sublabel?: string;
  utilisation?: number;
  bottleneck?: boolean;
}

export interface PipelineDiagramInput {
  title: string;
  stages: readonly PipelineDiagramStage[];
  links: readonly PipelineDiagramLink[];
  /** A line under the title (e.g. the throughput, or why there is no estimate). */
  subtitle?: string;
}

const BOX = { w: 170, h: 112, gap: 70, top: 64, left: 20 };
const C = { box: "#f4f4f4", edge: "#555555", text: "#222222", bar: "#0072B2", hot: "#D55E00", track: "#dddddd" };
const r1 = (v: number) => Math.round(v * 10) / 10;
const text = (x: number, y: number, s: string, attrs = "") => `<text x="${r1(x)}" y="${r1(y)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(s)}</text>`;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function stageBox(s: PipelineDiagramStage, i: number): string {
  const x = BOX.left + i * (BOX.w + BOX.gap);
  const y = BOX.top;
  const stroke = s.bottleneck ? `stroke="${C.hot}" stroke-width="3"` : `stroke="${C.edge}" stroke-width="1"`;
  const parts = [
    `<g class="stage${s.bottleneck ? " bottleneck" : ""}" data-stage="${escapeXml(s.name)}">`,
    `<rect x="${x}" y="${y}" width="${BOX.w}" height="${BOX.h}" rx="6" fill="${C.box}" ${stroke}/>`,
    text(x + 8, y + 18, clip(s.name, 24), `font-weight="bold" fill="${s.bottleneck ? C.hot : C.text}"`),
    ...s.details.slice(0, 4).map((d, j) => text(x + 8, y + 36 + j * 15, clip(d, 28), `font-size="11" fill="${C.text}"`)),
  ];
  if (s.utilisation !== undefined) {
    const u = Math.max(0, Math.min(1, s.utilisation));
    parts.push(`<rect x="${x + 8}" y="${y + BOX.h - 16}" width="${BOX.w - 16}" height="8" fill="${C.track}"/>`);
    parts.push(`<rect x="${x + 8}" y="${y + BOX.h - 16}" width="${r1((BOX.w - 16) * u)}" height="8" fill="${s.bottleneck ? C.hot : C.bar}"/>`);
    parts.push(text(x + BOX.w - 8, y + BOX.h - 20, `${(u * 100).toFixed(0)} %`, `font-size="10" text-anchor="end" fill="${C.text}"`));
  }
  parts.push("</g>");
  return parts.join("");
}

function linkArrow(l: PipelineDiagramLink, i: number): string {
  const x0 = BOX.left + i * (BOX.w + BOX.gap) + BOX.w;
  const x1 = x0 + BOX.gap - 4;
  const y = BOX.top + BOX.h / 2;
  const colour = l.bottleneck ? C.hot : C.edge;
  const label = l.label ? text((x0 + x1) / 2, y - 8, clip(l.label, 14), `font-size="10" text-anchor="middle" fill="${C.text}"`) : "";
  const below = l.utilisation !== undefined ? `${(l.utilisation * 100).toFixed(0)} %` : l.sublabel;
  const under = below ? text((x0 + x1) / 2, y + 16, clip(below, 14), `font-size="10" text-anchor="middle" fill="${C.text}"`) : "";
  return `<g class="link${l.bottleneck ? " bottleneck" : ""}"><line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="${colour}" stroke-width="${l.bottleneck ? 3 : 1.5}" marker-end="url(#arrow)"/>${label}${under}</g>`;
}

export function pipelineDiagram(input: PipelineDiagramInput): string {
  const n = Math.max(1, input.stages.length);
  const width = BOX.left * 2 + n * BOX.w + (n - 1) * BOX.gap;
  const height = BOX.top + BOX.h + 24;
  const linkAt = (i: number) => input.links.find((l) => l.from === input.stages[i]?.name && l.to === input.stages[i + 1]?.name);
  const arrows = input.stages.slice(0, -1).map((_, i) => linkArrow(linkAt(i) ?? { from: "", to: "" }, i));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(input.title)}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${C.edge}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(BOX.left, 24, input.title, `font-size="15" font-weight="bold" fill="${C.text}"`),
    input.subtitle ? text(BOX.left, 44, input.subtitle, `font-size="11" fill="${C.text}"`) : "",
    ...input.stages.map(stageBox),
    ...arrows,
    "</svg>",
  ].join("");
}
