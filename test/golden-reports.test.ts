import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_CASES, GOLDEN_DIR, GOLDEN_UPDATE_COMMAND } from "./helpers/golden-cases.js";
import { runCli } from "./helpers/run-cli.js";

/**
 * Each golden report (test/helpers/golden-cases.ts) against its committed file. The test never
 * writes: a missing or different file fails, and `npm run golden:update` rewrites them for review.
 */
describe("golden reports", () => {
  for (const { file, argv } of GOLDEN_CASES) {
    it(`xpusim ${argv.join(" ")}`, async () => {
      const path = join(GOLDEN_DIR, file);
      expect(existsSync(path), `golden file test/golden/${file} is missing: run \`${GOLDEN_UPDATE_COMMAND}\` and review it`).toBe(true);
      const r = await runCli(...argv);
      expect(r.code).toBe(0);
      expect(r.out, `differs from test/golden/${file}; if the change is intended, run \`${GOLDEN_UPDATE_COMMAND}\``).toBe(readFileSync(path, "utf8"));
    });
  }

  it("has a golden file for every case and no stray ones", () => {
    const files = GOLDEN_CASES.map((c) => c.file).sort();
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) expect(existsSync(join(GOLDEN_DIR, f)), f).toBe(true);
    // A file no case produces is never checked: remove it or add its case.
    expect(readdirSync(GOLDEN_DIR).filter((f) => f.endsWith(".txt")).sort()).toEqual(files);
  });
});
