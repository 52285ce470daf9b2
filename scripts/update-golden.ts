/**
 * Writes the golden reports of test/helpers/golden-cases.ts into test/golden/ by running each case
 * through the CLI in-process (as the test does). `npm run golden:update`; review the diff before
 * committing. test/golden-reports.test.ts only compares, and fails when a file is missing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { GOLDEN_CASES, GOLDEN_DIR } from "../test/helpers/golden-cases.js";

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
process.exitCode = failed ? 1 : 0;
