import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SHARED_VALIDATION_DIR, VALIDATION_FILES, VALIDATION_FIXTURE_DIR } from "./helpers/validation-fixtures.js";

describe("test/fixtures/validation (copies of ../shared/validation)", () => {
  for (const file of VALIDATION_FILES) {
    it(`has ${file}, a list of measured points with sources`, () => {
      const points = JSON.parse(readFileSync(join(VALIDATION_FIXTURE_DIR, file), "utf8")) as Array<Record<string, unknown>>;
      expect(points.length).toBeGreaterThanOrEqual(file === "measured-public.json" ? 40 : 16);
      for (const p of points) expect(typeof p.source === "string" || typeof p.sources === "object", JSON.stringify(p).slice(0, 80)).toBe(true);
    });

    const shared = join(SHARED_VALIDATION_DIR, file);
    it.skipIf(!existsSync(shared))(`keeps ${file} byte-identical to ../shared/validation/${file}`, () => {
      expect(readFileSync(join(VALIDATION_FIXTURE_DIR, file), "utf8"), `refresh: cp ${shared} test/fixtures/validation/`).toBe(readFileSync(shared, "utf8"));
    });
  }
});
