/**
 * Spec support for a browser (or any front end without a loader of its own): the zod validators and
 * the YAML parser, loaded with this module. Import it lazily (`await import(...)`) to keep zod out of
 * a page's first load; pass it to `packedCatalog(bytes, specSupportFromCore)`.
 */
import * as support from "./spec-support.js";
import type { SpecSupport } from "./spec-support-type.js";

export const specSupportFromCore: SpecSupport = support;
