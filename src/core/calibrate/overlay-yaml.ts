import type { CalibrationOverlay } from "../spec/calibration-overlay.js";

/**
 * The overlay as YAML text (block style, strings double-quoted, numbers to 6 significant digits)
 * with a header saying what it is. A tiny emitter for plain JSON data, so writing an overlay loads
 * no YAML library.
 */
export function overlayYaml(o: CalibrationOverlay): string {
  const header = [
    "# xpusim calibration overlay (written by `xpusim calibrate`): family efficiency parameters fitted to",
    `# ${(o.measured_file ?? "measured results").replace(/\s+/g, " ")}. Use it with any command: xpusim --calibration <this file> <command> ...`,
    "# It is applied on top of the built-in catalog; the catalog files are never changed. docs/calibrate.md",
  ];
  return `${header.join("\n")}\n${block(o as unknown as Record<string, unknown>, 0)}`;
}

const isScalar = (v: unknown) => v === null || typeof v !== "object";

function scalar(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : ".nan";
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined || v === null) return "null";
  return String(v);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(k) ? k : JSON.stringify(k);
}

function value(v: unknown, indent: number): string {
  if (isScalar(v)) return ` ${scalar(v)}\n`;
  if (Array.isArray(v)) {
    if (v.length === 0) return " []\n";
    if (v.every(isScalar)) return ` [${v.map(scalar).join(", ")}]\n`;
    return `\n${v.map((x) => `${" ".repeat(indent)}-${isScalar(x) || Array.isArray(x) ? value(x, indent + 2) : ` ${block(x as Record<string, unknown>, indent + 2).trimStart()}`}`).join("")}`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return " {}\n";
  return `\n${block(v as Record<string, unknown>, indent + 2)}`;
}

function block(o: Record<string, unknown>, indent: number): string {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${" ".repeat(indent)}${key(k)}:${value(v, indent)}`)
    .join("");
}
