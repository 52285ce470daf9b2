/**
 * A `Catalog` for a browser (or any front end without files): the compiled catalog artefact's bytes
 * (dist/catalog.pack) and spec support, the same lookups as the Node catalog. String references that
 * look like files are refused with a clear error; inline objects (user chips with `extends:`, model
 * specs, Hugging Face config.json objects, systems) work as in Node.
 *
 *   const bytes = new Uint8Array(await (await fetch("catalog.pack")).arrayBuffer());
 *   const catalog = packedCatalog(bytes, specSupportFromCore);
 */
import { createCatalogLookups } from "../catalog/catalog-lookups.js";
import { openPackedCatalog, packedSource } from "../catalog/packed-catalog-file.js";
import type { SpecSupport, SpecSupportLoader } from "../catalog/spec-support-type.js";
import type { Catalog } from "./catalog.js";
import { catalogFromLookups } from "./lookup-catalog.js";

/** `support`: the spec-support object (`specSupportFromCore`), or a function returning it on first need. */
export function packedCatalog(bytes: Uint8Array, support: SpecSupport | SpecSupportLoader): Catalog {
  const loader: SpecSupportLoader = typeof support === "function" ? support : () => support;
  return catalogFromLookups(createCatalogLookups(packedSource(openPackedCatalog(bytes)), loader));
}
