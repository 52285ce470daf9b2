/**
 * Everything that parses or validates spec documents: the YAML parser and the zod schemas. The
 * catalog loaders reach it only through `specSupport()` (spec-support-loader.ts), and only for
 * user files, inline specs or a catalog without its compiled artefact, so the bundled CLI answers
 * catalog ids without loading zod or yaml (scripts/build-cli.ts makes this module a lazily loaded
 * chunk).
 */
export { parse as parseYaml, YAMLParseError } from "yaml";
export { resolveChip } from "../core/hardware/resolve-chip.js";
export { parseModelSpec } from "../core/spec/model-spec.js";
export { importHfConfig, isHfConfig } from "../core/workload/hf-import.js";
export { mergeEfficiency, parseFamilySpec, resolveFamilyChain } from "../core/spec/family-spec.js";
export { energyFileSchema } from "../core/spec/energy-spec.js";
export { moneyFileSchema } from "../core/spec/money-spec.js";
export { collectiveLibrarySpecSchema } from "../core/spec/collective-library-spec.js";
export { systemSpecSchema } from "../core/spec/system-spec.js";
export { parseWith } from "../core/spec/validate.js";
