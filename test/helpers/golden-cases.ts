import { join } from "node:path";

/**
 * The golden reports: human reports that depend only on catalog data (not on cost-model tuning), so a
 * change in their text is a visible change in a user-facing report and must be reviewed.
 * test/golden-reports.test.ts compares against them and never writes; `npm run golden:update`
 * (scripts/update-golden.ts) writes them.
 */
export const GOLDEN_DIR = join(import.meta.dirname, "..", "golden");
export const GOLDEN_UPDATE_COMMAND = "npm run golden:update";

export const GOLDEN_CASES: ReadonlyArray<{ file: string; argv: readonly string[] }> = [
  { file: "chips-nvidia-h100-sxm.txt", argv: ["chips", "nvidia-h100-sxm"] },
  { file: "chips-google-tpu-v5p.txt", argv: ["chips", "google-tpu-v5p"] },
  { file: "models-deepseek-v3.txt", argv: ["models", "deepseek-v3"] },
  { file: "models-llama-3.1-405b.txt", argv: ["models", "llama-3.1-405b"] },
  { file: "models-cnn.txt", argv: ["models", "--category", "cnn"] },
];
