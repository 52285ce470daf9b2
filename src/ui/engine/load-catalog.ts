/**
 * The catalog the page's engine looks things up in: the compiled catalog artefact (dist/catalog.pack,
 * the same file the CLI reads) fetched once — index.html preloads it beside the script — and decoded
 * lazily, entry by entry, by core's `packedCatalog`: the same lookups as the Node catalog (aliases,
 * `extends:`, default systems, inline specs validated by the same schemas). Files cannot be named in
 * a page; the user's own specs come inline from the workspace.
 */
import packUrl from "xpusim-catalog.pack?url"; // dist/catalog.pack (vite.config.ts alias), emitted with a content hash
import { type Catalog, packedCatalog } from "../../core/app/index.js";
import { specSupportFromCore } from "../../core/catalog/spec-support-from-core.js";

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
  return packedCatalog(await fetchCatalogBytes(), specSupportFromCore);
}
