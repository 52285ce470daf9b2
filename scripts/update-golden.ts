/**
 * Writes the golden reports of test/helpers/golden-cases.ts into test/golden/ by running each case
 * through the CLI in-process (as the test does). `npm run golden:update`; review the diff before
 * committing; also the golden HTML/Markdown report of test/helpers/report-fixture.ts (test/golden/report/).
 * test/golden-reports.test.ts and test/report.test.ts only compare, and fail when a file is missing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { renderReport } from "../src/core/app/report/render-report.js";
import { GOLDEN_CASES, GOLDEN_DIR, GOLDEN_REPORT_DIR, GOLDEN_REPORT_FILES, GOLDEN_REPORT_SVG_PREFIX } from "../test/helpers/golden-cases.js";
import { reportFixture } from "../test/helpers/report-fixture.js";

async function capture(argv: readonly string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  try {
    return { code: await main([...argv]), out };
  } finally {
    process.stdout.write = write;
  }
}

mkdirSync(GOLDEN_DIR, { recursive: true });
let failed = 0;
for (const { file, argv } of GOLDEN_CASES) {
  const r = await capture(argv);
  if (r.code !== 0) {
    console.error(`xpusim ${argv.join(" ")} exited ${r.code}; test/golden/${file} not written`);
    failed++;
    continue;
  }
  writeFileSync(join(GOLDEN_DIR, file), r.out);
  console.log(`wrote test/golden/${file}`);
}
const report = await renderReport(reportFixture(), { svgPrefix: GOLDEN_REPORT_SVG_PREFIX });
mkdirSync(GOLDEN_REPORT_DIR, { recursive: true });
for (const [key, file] of Object.entries(GOLDEN_REPORT_FILES)) {
  writeFileSync(join(GOLDEN_REPORT_DIR, file), report[key as keyof typeof GOLDEN_REPORT_FILES]);
  console.log(`wrote test/golden/report/${file}`);
}
process.exitCode = failed ? 1 : 0;
