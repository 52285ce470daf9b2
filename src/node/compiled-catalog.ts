/**
 * The compiled catalog: every document under catalog/ validated and normalised at build time
 * (scripts/build-catalog.ts, run by `npm run build` and `npm install` in a clone) into one file,
 * dist/catalog.pack: a small JSON index, then each entry's values as JSON text. Opening it reads
 * the index only; an entry's text is read and parsed when that entry is asked for, so one chip or
 * model is resolved without reading, parsing or validating the rest.
 *
 * In a development checkout the artefact is used only while it is current: when any catalog file
 * is newer than it, or files were added or removed since it was built, the loaders read catalog/
 * directly (slower, same results). An installed package uses it as shipped. XPUSIM_CATALOG=source
 * forces reading catalog/.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { CATALOG_FOLDERS, type CatalogFolder } from "../core/catalog/catalog-store.js";
import { catalogDir, compiledCatalogFile, packageRoot } from "./paths.js";

export const COMPILED_CATALOG_FORMAT = 2;

/** Catalog folders with one document per id, and the values compiled for each entry. */
export const COMPILED_FOLDERS = CATALOG_FOLDERS;
export type { CatalogFolder };

/** Every folder the artefact is compiled from (for the freshness check). */
export const SOURCE_FOLDERS = [...COMPILED_FOLDERS, "energy", "money", "validation"] as const;

/** One catalog entry with its texts: what the build compiles (see compile-catalog.ts). */
export interface CompiledEntry<Text = string> {
  id: string;
  /** The source file, relative to catalog/ ("chips/nvidia-h100-sxm.yaml"). */
  file: string;
  /** The document's `aliases` field as written (absent when it has none). */
  aliases?: unknown;
  /** The raw document (for `extends:` from user files), as JSON text. */
  raw: Text;
  /** Compiled values by name (chips: chip, efficiency; models: spec; systems: system; ...), as JSON text. */
  values: Record<string, Text>;
}

/** The content of the artefact, every value as JSON text. */
export interface CompiledCatalogData<Text = string> {
  format: number;
  /** Every source document, relative to catalog/, sorted. */
  sources: string[];
  folders: Record<CatalogFolder, CompiledEntry<Text>[]>;
  /** The validated energy catalog (catalog/energy). */
  energy: Text;
  /** The validated money catalog (catalog/money); absent in artefacts built before it existed. */
  money?: Text;
  /** Other catalog documents read by the runtime (validation name maps), by path under catalog/. */
  documents: Record<string, Text>;
}

/** Where one JSON text lies in the artefact's body: [byte offset, byte length]. */
type TextRef = [number, number];

/**
 * The artefact's layout: a 10-digit header length, a newline, the header (the data with every text
 * replaced by a {@link TextRef}) and the body (the texts, identical ones stored once). Opening it
 * reads only the header; each text is read from the file when asked for.
 */
export function packCatalog(data: CompiledCatalogData): Buffer {
  const parts: Buffer[] = [];
  const refs = new Map<string, TextRef>();
  let size = 0;
  const ref = (text: string): TextRef => {
    let r = refs.get(text);
    if (!r) {
      const bytes = Buffer.from(text, "utf8");
      r = [size, bytes.length];
      parts.push(bytes);
      size += bytes.length;
      refs.set(text, r);
    }
    return r;
  };
  const folders = Object.fromEntries(
    Object.entries(data.folders).map(([k, list]) => [k, list.map((e) => ({ ...e, raw: ref(e.raw), values: mapValues(e.values, ref) }))]),
  );
  const header = Buffer.from(JSON.stringify({ ...data, folders, energy: ref(data.energy), ...(data.money !== undefined ? { money: ref(data.money) } : {}), documents: mapValues(data.documents, ref) }), "utf8");
  return Buffer.concat([Buffer.from(`${String(header.length).padStart(10, "0")}\n`), header, ...parts]);
}

const mapValues = <A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** The opened artefact: the header, and the texts read on demand. */
export interface CompiledCatalog extends CompiledCatalogData<TextRef> {
  text(ref: TextRef): string;
}

/** The documents of the source folders, relative to catalog/, sorted (missing folders are empty). */
export function catalogSourceFiles(): string[] {
  const out: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    let names: string[];
    try {
      names = readdirSync(catalogDir(folder));
    } catch {
      continue;
    }
    for (const n of names) if (DOC.test(n)) out.push(`${folder}/${n}`);
  }
  return out.sort();
}

const DOC = /\.(ya?ml|json)$/i;

let state: CompiledCatalog | null | undefined;

/** The compiled catalog when it exists and is current, else undefined (read catalog/ instead). */
export function compiledCatalog(): CompiledCatalog | undefined {
  if (state !== undefined) return state ?? undefined;
  state = null;
  if (process.env.XPUSIM_CATALOG === "source") return undefined;
  const opened = openCatalog(compiledCatalogFile());
  if (!opened || opened.format !== COMPILED_CATALOG_FORMAT) return undefined;
  // In a development checkout catalog/ may have changed since the build; an installed package
  // (no src/) is used as shipped: npm does not keep file dates, so they prove nothing there.
  if (existsSync(join(packageRoot(), "src")) && !isCurrent(opened.sources, statSync(compiledCatalogFile()).mtimeMs)) return undefined;
  state = opened;
  return opened;
}

/** Reads the header of an artefact file (undefined when there is none). */
export function openCatalog(file: string): CompiledCatalog | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const head = readRange(fd, 0, 11);
    const headerLength = Number(head.toString("latin1", 0, 10));
    if (!Number.isSafeInteger(headerLength) || head[10] !== 0x0a) return undefined;
    const header = JSON.parse(readRange(fd, 11, headerLength).toString("utf8")) as CompiledCatalogData<TextRef>;
    const bodyStart = 11 + headerLength;
    return { ...header, text: ([offset, length]) => readText(file, bodyStart + offset, length) };
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new Error("xpusim: the compiled catalog is truncated; run `npm run build`");
    got += n;
  }
  return buf;
}

function readText(file: string, position: number, length: number): string {
  const fd = openSync(file, "r");
  try {
    return readRange(fd, position, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * True when catalog/ holds exactly the files an artefact built at `builtAt` (ms since the epoch) was
 * compiled from and none changed after it.
 */
export function isCurrent(sources: readonly string[], builtAt: number): boolean {
  const now = catalogSourceFiles();
  if (now.length !== sources.length || now.some((f, i) => f !== sources[i])) return false;
  const root = catalogDir();
  for (const f of now) if (statSync(`${root}/${f}`).mtimeMs > builtAt) return false; // (no path.join: this runs on every start)
  return true;
}

/** Which catalog the loaders read in this process: the compiled artefact or the catalog/ folders. */
export function catalogMode(): "compiled" | "source" {
  return compiledCatalog() ? "compiled" : "source";
}

/** An absolute catalog path from a path relative to catalog/. */
export const catalogPath = (relative: string): string => join(catalogDir(), ...relative.split("/"));
