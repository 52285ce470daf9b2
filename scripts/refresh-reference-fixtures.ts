/**
 * Refreshes test/fixtures/reference/ from ../shared/reference (or the folder given): keeps only the
 * fields the catalog tests read (test/helpers/reference-fixtures.ts). Run after shared/reference changes:
 *   node --import tsx scripts/refresh-reference-fixtures.ts [path/to/shared/reference]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FIXTURE_DIR, REFERENCE_FIXTURES, SHARED_REFERENCE_DIR } from "../test/helpers/reference-fixtures.js";

const from = resolve(process.argv[2] ?? SHARED_REFERENCE_DIR);
for (const [name, trim] of Object.entries(REFERENCE_FIXTURES)) {
  const rows = JSON.parse(readFileSync(join(from, name), "utf8")) as Array<Record<string, unknown>>;
  writeFileSync(join(FIXTURE_DIR, name), `${JSON.stringify(trim(rows), null, 1)}\n`);
  console.log(`wrote test/fixtures/reference/${name} (${rows.length} entries) from ${join(from, name)}`);
}
