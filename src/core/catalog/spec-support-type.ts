/**
 * The type of the spec-support module (zod schemas, validators, the YAML parser). A type only: the
 * lookups import it without loading zod or yaml; the value comes from the front end, lazily.
 */
export type SpecSupport = typeof import("./spec-support.js");

/** How the lookups reach spec support: called on first need only. */
export type SpecSupportLoader = () => SpecSupport;
