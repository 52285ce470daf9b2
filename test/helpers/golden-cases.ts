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

/**
 * The golden report: the fixed report input of test/helpers/report-fixture.ts rendered to HTML and
 * Markdown (the HTML holds every chart's SVG inline). test/report.test.ts compares; `npm run
 * golden:update` writes them into test/golden/report/.
 */
export const GOLDEN_REPORT_DIR = join(GOLDEN_DIR, "report");
export const GOLDEN_REPORT_FILES = { html: "fixture-report.html", markdown: "fixture-report.md" } as const;
export const GOLDEN_REPORT_SVG_PREFIX = "fixture-report-";
