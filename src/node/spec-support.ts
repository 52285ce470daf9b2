/**
 * Everything that parses or validates spec documents: the YAML parser and the zod schemas
 * (src/core/catalog/spec-support.ts). The catalog loaders reach it only through `specSupport()`
 * (spec-support-loader.ts), and only for user files, inline specs or a catalog without its compiled
 * artefact, so the bundled CLI answers catalog ids without loading zod or yaml (scripts/build-cli.ts
 * makes this module a lazily loaded chunk).
 */
export * from "../core/catalog/spec-support.js";
