import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";

/**
 * Golden files for the human reports that depend only on catalog data (not on cost-model tuning):
 * a change in their text is a visible change in a user-facing report and must be reviewed.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden-reports.test.ts.
 */
const GOLDEN = join(import.meta.dirname, "golden");
const cases: Array<[string, string[]]> = [
  ["chips-nvidia-h100-sxm.txt", ["chips", "nvidia-h100-sxm"]],
  ["chips-google-tpu-v5p.txt", ["chips", "google-tpu-v5p"]],
  ["models-deepseek-v3.txt", ["models", "deepseek-v3"]],
  ["models-llama-3.1-405b.txt", ["models", "llama-3.1-405b"]],
  ["models-cnn.txt", ["models", "--category", "cnn"]],
];

describe("golden reports", () => {
  for (const [file, argv] of cases) {
    it(`xpusim ${argv.join(" ")}`, async () => {
      const r = await runCli(...argv);
      expect(r.code).toBe(0);
      const path = join(GOLDEN, file);
      if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, r.out);
      }
      expect(r.out).toBe(readFileSync(path, "utf8"));
    });
  }
});
