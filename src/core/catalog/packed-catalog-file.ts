/**
 * A browser-safe reader of the compiled catalog artefact (dist/catalog.pack, written by
 * src/node/compiled-catalog.ts `packCatalog`): a 10-digit header length, a newline, the JSON header
 * (every text replaced by a [byte offset, byte length] reference into the body) and the body. Opening
 * it decodes the header only; each entry's text is decoded and parsed when asked for.
 */
import { error, XpusimError } from "../diagnostics/diagnostic.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { MoneyCatalog } from "../spec/money-spec.js";
import { type CatalogFolder, type CatalogSource, type CatalogStore, CATALOG_FOLDERS, type SpecFiles } from "./catalog-store.js";

/** Where one JSON text lies in the artefact's body: [byte offset, byte length]. */
export type TextRef = [number, number];

/** One catalog entry of the artefact (values as text references). */
export interface PackedEntry {
  id: string;
  /** The source file, relative to catalog/ ("chips/nvidia-h100-sxm.yaml"). */
  file: string;
  aliases?: unknown;
  raw: TextRef;
  values: Record<string, TextRef>;
}

/** The artefact's header, and its texts decoded on demand. */
export interface PackedCatalog {
  format: number;
  sources: string[];
  folders: Record<CatalogFolder, PackedEntry[]>;
  energy: TextRef;
  money?: TextRef;
  documents: Record<string, TextRef>;
  /** The JSON text at a reference, decoded from the body. */
  text(ref: TextRef): string;
}

const HEAD = 11;

/** The WHATWG decoder every browser and Node ≥ 11 has (core's tsconfig carries no DOM or Node types). */
declare const TextDecoder: new (label?: string) => { decode(input?: Uint8Array): string };

/** Decodes the header of an artefact held in memory (XpusimError when the bytes are not one). */
export function openPackedCatalog(bytes: Uint8Array): PackedCatalog {
  const decoder = new TextDecoder("utf-8");
  const bad = (why: string) => new XpusimError(error("E_PARSE", "", `not a compiled catalog (catalog.pack): ${why}`, { hint: "serve the dist/catalog.pack that `npm run build` writes" }));
  if (bytes.length < HEAD || bytes[10] !== 0x0a) throw bad("no header");
  const headerLength = Number(decoder.decode(bytes.subarray(0, 10)));
  if (!Number.isSafeInteger(headerLength) || HEAD + headerLength > bytes.length) throw bad("bad header length");
  let header: Omit<PackedCatalog, "text">;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(HEAD, HEAD + headerLength))) as Omit<PackedCatalog, "text">;
  } catch (e) {
    throw bad(`malformed header (${(e as Error).message})`);
  }
  const body = HEAD + headerLength;
  return {
    ...header,
    text([offset, length]) {
      if (body + offset + length > bytes.length) throw bad("truncated");
      return decoder.decode(bytes.subarray(body + offset, body + offset + length));
    },
  };
}

/** One folder of a packed catalog as a store: each entry's raw document and values parsed on first use. */
export function packedStore(packed: PackedCatalog, folder: CatalogFolder): CatalogStore {
  const byId = new Map(packed.folders[folder].map((e) => [e.id, e]));
  const raws = new Map<string, unknown>();
  const entry = (id: string): PackedEntry => {
    const e = byId.get(id);
    if (!e) throw new Error(`xpusim: no compiled catalog entry "${id}"`);
    return e;
  };
  return {
    kind: "compiled",
    ids: () => [...byId.keys()],
    has: (id) => byId.has(id),
    file: (id) => entry(id).file,
    raw(id) {
      if (!raws.has(id)) raws.set(id, JSON.parse(packed.text(entry(id).raw)));
      return raws.get(id);
    },
    aliases: (id) => entry(id).aliases,
    compiled<T>(id: string, key: string): T | undefined {
      const ref = byId.get(id)?.values[key];
      return ref === undefined ? undefined : (JSON.parse(packed.text(ref)) as T);
    },
  };
}

/**
 * Spec files where none can be read (a browser): a string reference that is not a catalog id or alias
 * and looks like a file (a .yaml/.yml/.json name, or a path with a slash) gets a clear error.
 */
export const browserFiles: SpecFiles = {
  read(path) {
    throw new XpusimError(
      error("E_IO", "", `"${path}" looks like a file, and files cannot be read in the browser`, {
        got: path,
        hint: "upload the file (its parsed content is passed as an inline object), or name a catalog id",
      }),
    );
  },
  exists: (path) => /[\\/]/.test(path),
};

/** Everything the lookups read, from a packed catalog (energy and money parsed once). */
export function packedSource(packed: PackedCatalog, files: SpecFiles = browserFiles): CatalogSource {
  const stores = new Map(CATALOG_FOLDERS.map((f) => [f, packedStore(packed, f)]));
  let energy: EnergyCatalog | undefined;
  let money: MoneyCatalog | undefined;
  return {
    store: (folder) => stores.get(folder)!,
    energy: () => (energy ??= JSON.parse(packed.text(packed.energy)) as EnergyCatalog),
    money() {
      if (!packed.money) throw new XpusimError(error("E_IO", "", "this compiled catalog has no money tables", { hint: "rebuild it with `npm run build`" }));
      return (money ??= JSON.parse(packed.text(packed.money)) as MoneyCatalog);
    },
    files,
  };
}
