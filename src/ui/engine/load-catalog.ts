/**
 * The catalog the page's engine looks things up in: the compiled catalog artefact (dist/catalog.pack,
 * the same file the CLI reads) fetched once and decoded lazily, entry by entry.
 *
 * INTERIM: a minimal reader of compiled values only (catalog ids); replaced by core's packedCatalog
 * (inline specs, aliases, default systems) when that lands.
 */
import packUrl from "xpusim-catalog.pack?url"; // dist/catalog.pack (vite.config.ts alias), emitted with a content hash
import type { Catalog } from "../../core/app/index.js";
import { XpusimError, error } from "../../core/diagnostics/diagnostic.js";

type Ref = [number, number];
interface Header {
  folders: Record<string, Array<{ id: string; values: Record<string, Ref> }>>;
  energy: Ref;
  money: Ref;
}

let pending: Promise<Uint8Array> | undefined;

/** The artefact's bytes (fetched once per page or worker). */
export function fetchCatalogBytes(): Promise<Uint8Array> {
  pending ??= fetch(packUrl).then(async (r) => {
    if (!r.ok) throw new Error(`catalog.pack: HTTP ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    performance.mark("xpusim:catalog-fetched");
    return bytes;
  });
  return pending;
}

export async function loadCatalog(): Promise<Catalog> {
  return interimCatalog(await fetchCatalogBytes());
}

function interimCatalog(bytes: Uint8Array): Catalog {
  const decoder = new TextDecoder();
  const headerLength = Number(decoder.decode(bytes.subarray(0, 10)));
  const header = JSON.parse(decoder.decode(bytes.subarray(11, 11 + headerLength))) as Header;
  const body = 11 + headerLength;
  const cache = new Map<string, unknown>();
  const text = ([o, n]: Ref): unknown => JSON.parse(decoder.decode(bytes.subarray(body + o, body + o + n)));
  const value = <T,>(folder: string, id: string, key: string): T => {
    const k = `${folder}/${id}/${key}`;
    if (!cache.has(k)) {
      const e = header.folders[folder]?.find((x) => x.id === id);
      if (!e) throw new XpusimError(error("E_UNKNOWN_ID", folder, `unknown ${folder.replace(/s$/, "")} "${id}"`));
      cache.set(k, text(e.values[key]!));
    }
    return cache.get(k) as T;
  };
  const ids = (folder: string) => (header.folders[folder] ?? []).map((e) => e.id);
  const onlyIds = (ref: unknown) => {
    if (typeof ref !== "string") throw new XpusimError(error("E_SCHEMA", "", "inline specs are not supported yet in the browser"));
    return ref;
  };
  const catalog: Catalog = {
    chip: (ref) => value("chips", onlyIds(ref), "chip"),
    model: (ref) => value("models", onlyIds(ref), "spec"),
    system: (ref, chip, count = 1) => {
      if (ref !== undefined) return value("systems", onlyIds(ref), "system");
      if (count <= 1) return undefined;
      const id = ids("systems").find((s) => (value("systems", s, "system") as { chip_id: string }).chip_id === chip?.id);
      if (!id) throw new XpusimError(error("E_SCHEMA", "system", `no catalog system for ${chip?.id}`));
      return value("systems", id, "system");
    },
    context: (chip) => ({ chip, efficiency: value<{ params: never }>("chips", chip.id, "efficiency").params }),
    energy: () => text(header.energy) as never,
    money: () => text(header.money) as never,
    chipIds: () => ids("chips"),
    modelIds: () => ids("models"),
    systemIds: () => ids("systems"),
  };
  return catalog;
}
