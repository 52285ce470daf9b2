import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The reference figures the catalog tests check, as committed copies under test/fixtures/reference
 * (CI has no ../shared). Each copy keeps only the fields the tests read; `trimChips` / `trimModels`
 * make the copy from ../shared/reference, and the tests compare the copy with a fresh trim whenever
 * ../shared is present, so a stale copy fails. Refresh: `node --import tsx scripts/refresh-reference-fixtures.ts`.
 */
export const FIXTURE_DIR = join(import.meta.dirname, "..", "fixtures", "reference");
export const SHARED_REFERENCE_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "reference");

/** chips.json fields read by test/chip-catalog.test.ts. */
const CHIP_FIELDS = [
  "id", "fp64Tflops", "fp64MatrixTflops", "fp32Tflops", "tf32Tflops", "bf16Tflops", "fp16Tflops", "fp8Tflops", "int8Tops", "int4Tops", "fp4Tflops",
  "memoryBandwidthGBs", "memoryCapacity", "memoryCapacityUnit", "tdpW", "caveats",
] as const;

/** models.json fields read by test/workload-params.test.ts. */
const MODEL_FIELDS = [
  "id", "params_total", "params_active", "params_embedding_input", "params_lm_head_untied", "params_non_embedding",
  "flops_per_token_forward_linear", "flops_per_token_forward_attention_per_context_token", "kv_cache_bytes_per_token_bf16",
  "weights_bytes_bf16", "macs_per_image", "macs_per_unet_eval_64x64_batch1",
] as const;

type Row = Record<string, unknown>;

function pick(row: Row, fields: readonly string[]): Row {
  return Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]));
}

export function trimChips(chips: readonly Row[]): Row[] {
  return chips.map((c) => ({
    ...pick(c, CHIP_FIELDS),
    sources: (c.sources as Array<{ ref: number; url?: string }>).map((s) => ({ ref: s.ref, ...(s.url !== undefined ? { url: s.url } : {}) })),
  }));
}

export function trimModels(models: readonly Row[]): Row[] {
  return models.map((m) => {
    const mtp = (m.params_breakdown as Row | undefined)?.mtp_module_unique_computed;
    return { ...pick(m, MODEL_FIELDS), ...(mtp !== undefined ? { params_breakdown: { mtp_module_unique_computed: mtp } } : {}) };
  });
}

export const REFERENCE_FIXTURES = {
  "chips.json": trimChips,
  "models.json": trimModels,
} as const;

const read = (file: string): Row[] => JSON.parse(readFileSync(file, "utf8")) as Row[];

/** The committed copy of a reference file. */
export function referenceFixture(name: keyof typeof REFERENCE_FIXTURES): Row[] {
  return read(join(FIXTURE_DIR, name));
}

/** A fresh trim of ../shared/reference/<name>, or undefined where ../shared is absent (CI). */
export function sharedReferenceTrimmed(name: keyof typeof REFERENCE_FIXTURES): Row[] | undefined {
  const file = join(SHARED_REFERENCE_DIR, name);
  return existsSync(file) ? REFERENCE_FIXTURES[name](read(file)) : undefined;
}
