/**
 * Everything that parses or validates spec documents: the YAML parser and the zod schemas, as one
 * module. The catalog lookups (this folder) reach it only through an injected, lazily called
 * `() => SpecSupport`, and only for user files, inline specs or catalog entries without compiled
 * values: so the bundled CLI answers catalog ids without loading zod or yaml (src/node/spec-support.ts
 * re-exports this module as a chunk loaded on first use; scripts/build-cli.ts). Browser-safe: a web
 * page passes `specSupportFromCore` (spec-support-from-core.ts), possibly imported lazily.
 */
export { parse as parseYaml, YAMLParseError } from "yaml";
export { resolveChip } from "../hardware/resolve-chip.js";
export { parseModelSpec } from "../spec/model-spec.js";
export { importHfConfig, isHfConfig } from "../workload/hf-import.js";
export { mergeEfficiency, parseFamilySpec, resolveFamilyChain } from "../spec/family-spec.js";
export { energyFileSchema } from "../spec/energy-spec.js";
export { moneyFileSchema } from "../spec/money-spec.js";
export { collectiveLibrarySpecSchema } from "../spec/collective-library-spec.js";
export { systemSpecSchema } from "../spec/system-spec.js";
export { pipelineUnitSpecSchema } from "../spec/pipeline-unit-spec.js";
export { linkFamilySpecSchema } from "../spec/link-spec.js";
export { softwareSpecSchema } from "../spec/software-spec.js";
export { parseWith } from "../spec/validate.js";
export { parseCalibrationOverlay } from "../spec/calibration-overlay.js";
