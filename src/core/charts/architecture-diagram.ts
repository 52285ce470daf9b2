import { escapeXml, fmtSi } from "./format.js";
import { fmtBytes } from "../units/format-bytes.js";

/**
 * An architecture diagram drawn from a chip's normalised spec (hand-built SVG, not a chart): the die
 * as a grid of compute units, each with its matrix engines (drawn by kind: a PE grid for a systolic
 * array, solid tiles for tensor/matrix cores, a cube for Ascend's Cube unit, a tile bar for AMX, a
 * mesh node for dataflow cores) and a vector strip; the memory hierarchy as bars whose length grows
 * with log capacity; main memory below the die; scale-up and host links as arrows with bandwidths.
 * The input is the slice of `Chip` (core/hardware/chip.ts) it reads, so a Chip is passed as is.
 * Deterministic: the same chip gives the same bytes.
 */
export interface ArchitectureMemoryLevel {
  name: string;
  type?: string;
  capacity_bytes: number;
  bandwidth_bytes_per_s?: number;
  scope: "chip" | "unit";
}

export interface ArchitectureLink {
  name: string;
  bandwidth_per_direction_bytes_per_s?: number;
  links?: number;
}

export interface ArchitectureInput {
  id: string;
  name: string;
  vendor: string;
  kind: string;
  clock_hz?: number;
  compute_units: number;
  unit_name: string;
  matrix: { name?: string; kind: string; count?: number; shape?: { rows: number; cols: number; depth?: number }; peak_flops_per_s: Readonly<Partial<Record<string, number>>> };
  vector: { peak_flops_per_s: Readonly<Partial<Record<string, number>>> };
  memory: { main: ArchitectureMemoryLevel; on_chip: readonly ArchitectureMemoryLevel[] };
  interconnect: { scale_up?: ArchitectureLink; host?: ArchitectureLink };
  power?: { tdp_w?: number };
}

const W = 800;
const DIE = { x: 20, y: 64, w: 460, h: 300 };
const MAX_CELLS = 144;
const C = { matrix: "#0072B2", vector: "#E69F00", memory: "#009E73", link: "#555555", die: "#f4f4f4", unit: "#ffffff", text: "#222222" };

const r1 = (v: number) => Math.round(v * 10) / 10;
const rect = (x: number, y: number, w: number, h: number, attrs: string) => `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(w)}" height="${r1(h)}" ${attrs}/>`;
const text = (x: number, y: number, s: string, attrs = "") => `<text x="${r1(x)}" y="${r1(y)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(s)}</text>`;

/**
 * Where the matrix engines sit: `per_unit` in every unit (at most 4 drawn in each), or `shared`
 * engines beside the units when there are fewer engines than units (Gaudi's 2 MMEs and 24 TPCs).
 */
interface EngineLayout {
  per_unit: number;
  drawn_per_unit: number;
  shared: number;
}

function engineLayout(chip: ArchitectureInput): EngineLayout {
  if (chip.matrix.kind === "none") return { per_unit: 0, drawn_per_unit: 0, shared: 0 };
  const units = Math.max(1, chip.compute_units);
  const count = chip.matrix.count;
  if (count !== undefined && count < units) return { per_unit: 0, drawn_per_unit: 0, shared: count };
  const per = count !== undefined ? Math.max(1, Math.round(count / units)) : 1;
  return { per_unit: per, drawn_per_unit: Math.min(4, per), shared: 0 };
}

/** One matrix engine of the given kind in a w×h box. */
function matrixEngine(kind: string, x: number, y: number, w: number, h: number): string {
  const cls = `class="matrix matrix-${escapeXml(kind)}"`;
  const base = rect(x, y, w, h, `${cls} fill="${C.matrix}" rx="1"`);
  if (kind === "systolic") {
    const n = 4;
    const lines: string[] = [];
    for (let i = 1; i < n; i++) {
      lines.push(`<line x1="${r1(x + (w * i) / n)}" y1="${r1(y)}" x2="${r1(x + (w * i) / n)}" y2="${r1(y + h)}"/>`, `<line x1="${r1(x)}" y1="${r1(y + (h * i) / n)}" x2="${r1(x + w)}" y2="${r1(y + (h * i) / n)}"/>`);
    }
    return `${rect(x, y, w, h, `${cls} fill="#cfe3f3" stroke="${C.matrix}" stroke-width="1"`)}<g stroke="${C.matrix}" stroke-width="0.6">${lines.join("")}</g>`;
  }
  if (kind === "cube") {
    const d = Math.min(w, h) * 0.25;
    return `${rect(x + d, y, w - d, h - d, `fill="#9ecae1" stroke="${C.matrix}" stroke-width="0.8"`)}${rect(x, y + d, w - d, h - d, `${cls} fill="${C.matrix}"`)}`;
  }
  if (kind === "amx") return rect(x, y + h * 0.3, w, h * 0.4, `${cls} fill="${C.matrix}"`);
  if (kind === "dataflow") return dataflowMesh(cls, x, y, w, h);
  return base;
}

/** A dataflow engine: a mesh of processing nodes (one node when the cell is small). */
function dataflowMesh(cls: string, x: number, y: number, w: number, h: number): string {
  const n = Math.min(w, h) > 40 ? 5 : 1;
  const r = Math.min(w, h) / (n * 3);
  const at = (i: number, span: number, origin: number) => origin + (span * (i + 0.5)) / n;
  const links: string[] = [];
  const nodes: string[] = [];
  for (let i = 0; i < n; i++) {
    if (n > 1) links.push(`<line x1="${r1(at(0, w, x))}" y1="${r1(at(i, h, y))}" x2="${r1(at(n - 1, w, x))}" y2="${r1(at(i, h, y))}"/>`, `<line x1="${r1(at(i, w, x))}" y1="${r1(at(0, h, y))}" x2="${r1(at(i, w, x))}" y2="${r1(at(n - 1, h, y))}"/>`);
    for (let j = 0; j < n; j++) nodes.push(`<circle ${cls} cx="${r1(at(j, w, x))}" cy="${r1(at(i, h, y))}" r="${r1(r)}" fill="${C.matrix}"/>`);
  }
  return `<g stroke="#9ecae1" stroke-width="1">${links.join("")}</g>${nodes.join("")}`;
}

/** One compute unit: matrix engines on top, a vector strip below. */
function unitCell(chip: ArchitectureInput, x: number, y: number, w: number, h: number, engines: number, vector: boolean): string {
  const parts = [rect(x, y, w, h, `class="unit" fill="${C.unit}" stroke="#999999" stroke-width="0.6"`)];
  const pad = Math.max(1, Math.min(w, h) * 0.08);
  const vh = vector ? Math.max(2, h * 0.22) : 0;
  if (engines > 0) {
    const cols = engines === 4 ? 2 : engines;
    const rows = Math.ceil(engines / cols);
    const gw = (w - 2 * pad - (cols - 1) * pad) / cols;
    const gh = (h - 2 * pad - vh - (vector ? pad : 0) - (rows - 1) * pad) / rows;
    for (let i = 0; i < engines; i++) parts.push(matrixEngine(chip.matrix.kind, x + pad + (i % cols) * (gw + pad), y + pad + Math.floor(i / cols) * (gh + pad), gw, gh));
  }
  if (vector) {
    const vy = engines > 0 ? y + h - pad - vh : y + pad;
    parts.push(rect(x + pad, vy, w - 2 * pad, engines > 0 ? vh : h - 2 * pad, `class="vector" fill="${C.vector}"`));
  }
  return parts.join("");
}

/** Shared matrix engines in a band at the top of the die (at most 8 drawn). */
function sharedEngines(chip: ArchitectureInput, count: number, y: number, h: number): string {
  const drawn = Math.min(8, count);
  const w = Math.min(h * 1.6, (DIE.w - 20 - (drawn - 1) * 8) / drawn);
  const parts: string[] = [];
  for (let i = 0; i < drawn; i++) parts.push(matrixEngine(chip.matrix.kind, DIE.x + 10 + i * (w + 8), y, w, h));
  return parts.join("");
}

function dieCaption(chip: ArchitectureInput, units: number, shown: number, layout: EngineLayout, vector: boolean): string {
  const plural = (n: number, word: string) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} ${word}${n === 1 ? "" : "s"}`;
  const engine = `${chip.matrix.name ?? chip.matrix.kind}${chip.matrix.shape ? ` ${chip.matrix.shape.rows}×${chip.matrix.shape.cols}` : ""}`;
  const count = `${plural(units, chip.unit_name)}${shown < units ? ` (${shown} drawn)` : ""}`;
  if (layout.shared > 0) return `${layout.shared} × ${engine} shared by ${count}${vector ? " (vector)" : ""}`;
  if (layout.per_unit === 0) return `${count} · vector units only`;
  const drawn = layout.drawn_per_unit < layout.per_unit ? ` (${layout.drawn_per_unit} drawn)` : "";
  return `${count} · each: ${layout.per_unit === 1 ? "" : `${layout.per_unit} × `}${engine}${drawn}${vector ? " + vector" : ""}`;
}

/** The die: shared matrix engines (if any), the grid of units (at most MAX_CELLS drawn) and a caption saying how many there are. */
function die(chip: ArchitectureInput): string {
  const units = Math.max(1, chip.compute_units);
  const shown = Math.min(units, MAX_CELLS);
  const layout = engineLayout(chip);
  const band = layout.shared > 0 ? 70 : 0;
  const gridTop = DIE.y + 10 + band;
  const gridH = DIE.h - 50 - band;
  const cols = Math.max(1, Math.ceil(Math.sqrt((shown * (DIE.w - 20)) / gridH)));
  const rows = Math.ceil(shown / cols);
  const gap = shown > 64 ? 2 : 6;
  const cw = (DIE.w - 20 - (cols - 1) * gap) / cols;
  const ch = (gridH - (rows - 1) * gap) / rows;
  const vector = Object.keys(chip.vector.peak_flops_per_s).length > 0 || layout.per_unit === 0;
  const cells: string[] = [];
  for (let i = 0; i < shown; i++) cells.push(unitCell(chip, DIE.x + 10 + (i % cols) * (cw + gap), gridTop + Math.floor(i / cols) * (ch + gap), cw, ch, layout.drawn_per_unit, vector));
  const wafer = chip.kind === "wafer-scale";
  const frame = rect(DIE.x, DIE.y, DIE.w, DIE.h, `class="die${wafer ? " wafer" : ""}" fill="${C.die}" stroke="#666666" stroke-width="${wafer ? 3 : 1.5}" rx="${wafer ? 24 : 6}"`);
  const shared = layout.shared > 0 ? sharedEngines(chip, layout.shared, DIE.y + 10, band - 12) : "";
  return `<g class="die-grid">${frame}${shared}${cells.join("")}</g>${text(DIE.x + 10, DIE.y + DIE.h - 12, dieCaption(chip, units, shown, layout, vector), `font-size="12"`)}`;
}

/** Two lines: name and capacity; type and bandwidth (each cut to fit the panel). */
function levelLabel(l: ArchitectureMemoryLevel, unitName: string): [string, string] {
  const second = [l.type, l.bandwidth_bytes_per_s !== undefined ? fmtSi(l.bandwidth_bytes_per_s, "B/s") : undefined].filter((s) => s !== undefined).join(" · ");
  return [cut(`${l.name}: ${fmtBytes(l.capacity_bytes)}${l.scope === "unit" ? ` per ${unitName}` : ""}`, 44), cut(second, 44)];
}

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** Memory hierarchy beside the die: one bar per level, nearest the units first, length ∝ log capacity (1 kB … 1 TB). */
function hierarchy(chip: ArchitectureInput): string {
  const x = 500;
  const levels = [...chip.memory.on_chip, chip.memory.main];
  const out = [text(x, DIE.y + 4, "memory hierarchy (bar ∝ log capacity)", `font-size="12" font-weight="bold"`)];
  levels.forEach((l, i) => {
    const y = DIE.y + 18 + i * 52;
    const [first, second] = levelLabel(l, chip.unit_name);
    const frac = Math.min(1, Math.max(0.04, (Math.log10(Math.max(1, l.capacity_bytes)) - 3) / 9));
    out.push(rect(x, y, 240 * frac, 14, `class="memory-level" fill="${C.memory}" opacity="${r1(0.45 + 0.55 * (i / Math.max(1, levels.length - 1)))}"`));
    out.push(text(x, y + 27, first, `font-size="11"`));
    if (second) out.push(text(x, y + 40, second, `font-size="11" fill="#555555"`));
  });
  return `<g class="hierarchy">${out.join("")}</g>`;
}

function linkLabel(l: ArchitectureLink): string {
  const bw = l.bandwidth_per_direction_bytes_per_s !== undefined ? `${fmtSi(l.bandwidth_per_direction_bytes_per_s, "B/s")} per direction` : "bandwidth not given";
  return `${l.name}: ${bw}${l.links !== undefined ? `, ${l.links} links` : ""}`;
}

/** Main memory under the die, and the scale-up and host links as arrows. */
function memoryAndLinks(chip: ArchitectureInput, id: string): { svg: string; bottom: number } {
  const y = DIE.y + DIE.h + 26;
  const main = chip.memory.main;
  const parts = [
    `<line x1="${DIE.x + DIE.w / 2}" y1="${DIE.y + DIE.h}" x2="${DIE.x + DIE.w / 2}" y2="${y}" stroke="${C.memory}" stroke-width="3" marker-end="url(#${id}-arrow-mem)" marker-start="url(#${id}-arrow-mem)"/>`,
    rect(DIE.x, y, DIE.w, 30, `class="main-memory" fill="${C.memory}" rx="4"`),
    text(DIE.x + 10, y + 20, `main memory${main.type ? ` ${cut(main.type, 30)}` : ""}: ${fmtBytes(main.capacity_bytes)}${main.bandwidth_bytes_per_s !== undefined ? ` · ${fmtSi(main.bandwidth_bytes_per_s, "B/s")}` : ""}`, `font-size="12" fill="white" font-weight="bold"`),
  ];
  let ly = y + 58;
  const links: Array<[string, ArchitectureLink | undefined]> = [["scale-up", chip.interconnect.scale_up], ["host", chip.interconnect.host]];
  for (const [role, l] of links) {
    if (!l) continue;
    parts.push(`<line class="link link-${role}" x1="${DIE.x}" y1="${ly}" x2="${DIE.x + 60}" y2="${ly}" stroke="${C.link}" stroke-width="2.5" marker-end="url(#${id}-arrow-link)" marker-start="url(#${id}-arrow-link)"/>`);
    parts.push(text(DIE.x + 72, ly + 4, cut(`${role}: ${linkLabel(l)}`, 100), `font-size="12"`));
    ly += 24;
  }
  if (!chip.interconnect.scale_up && !chip.interconnect.host) {
    parts.push(text(DIE.x, ly + 4, "no scale-up or host link in its sources", `font-size="12" fill="#777777"`));
    ly += 24;
  }
  return { svg: parts.join(""), bottom: ly };
}

function header(chip: ArchitectureInput): string {
  const facts = [chip.vendor, chip.kind, chip.clock_hz !== undefined ? `${(chip.clock_hz / 1e9).toFixed(2)} GHz` : undefined, chip.power?.tdp_w !== undefined ? `${chip.power.tdp_w} W` : undefined];
  const keys: Array<[string, string, number]> = [["matrix engine", C.matrix, 500], ["vector", C.vector, 610], ["memory", C.memory, 680]];
  const legend = keys.map(([name, c, x]) => `${rect(x, 36, 10, 10, `fill="${c}"`)}${text(x + 14, 45, name, `font-size="11"`)}`);
  return `${text(20, 26, chip.name, `font-size="17" font-weight="bold"`)}${text(20, 46, facts.filter((f) => f !== undefined).join(" · "), `font-size="12" fill="#555555"`)}${legend.join("")}`;
}

export function architectureDiagram(chip: ArchitectureInput): string {
  const id = `arch-${chip.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const links = memoryAndLinks(chip, id);
  const h = Math.max(links.bottom + 10, DIE.y + 18 + (chip.memory.on_chip.length + 1) * 52);
  const marker = (name: string, colour: string) =>
    `<marker id="${id}-${name}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="architecture kind-${escapeXml(chip.kind)}" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="Helvetica, Arial, sans-serif" fill="${C.text}" role="img" aria-label="${escapeXml(`architecture of ${chip.name}`)}">`,
    `<title>${escapeXml(`Architecture of ${chip.name}`)}</title>`,
    `<defs>${marker("arrow-mem", C.memory)}${marker("arrow-link", C.link)}</defs>`,
    rect(0, 0, W, h, `fill="white"`),
    header(chip),
    die(chip),
    hierarchy(chip),
    links.svg,
    "</svg>",
  ].join("");
}
