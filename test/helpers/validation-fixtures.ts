import { join } from "node:path";

/**
 * The shared measured-results files (../shared/validation beside the repository, absent in a clean
 * clone and in CI) as committed, unchanged copies under test/fixtures/validation, so the accuracy
 * guard and the hardware-name checks that read them run on every clone. Where ../shared exists,
 * test/validation-fixtures.test.ts fails if a copy differs from it.
 */
export const VALIDATION_FIXTURE_DIR = join(import.meta.dirname, "..", "fixtures", "validation");
export const SHARED_VALIDATION_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "validation");
export const VALIDATION_FILES = ["measured-public.json", "collectives-public.json"] as const;

export const MEASURED_PUBLIC_JSON = join(VALIDATION_FIXTURE_DIR, "measured-public.json");
export const COLLECTIVES_PUBLIC_JSON = join(VALIDATION_FIXTURE_DIR, "collectives-public.json");
