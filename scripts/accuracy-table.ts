/**
 * `npm run accuracy`: validates every measured file (validation/*.json, and ../shared/validation/*.json
 * when that folder is present) and writes the summary table between the markers of docs/accuracy.md,
 * so the page states the numbers the engine gives today. Measured, not claimed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { JOBS } from "../src/core/app/index.js";
import { nodeCatalog } from "../src/node/node-catalog.js";
import { readDocument } from "../src/node/read-document.js";

const root = join(import.meta.dirname, "..");
const folders = [join(root, "..", "shared", "validation"), join(root, "validation")].filter(existsSync);
const pct = (x: number | undefined) => (x === undefined ? "—" : `${(x * 100).toFixed(1)} %`);
const rows: string[] = ["| file | category | points | predicted | median \\|error\\| | p90 | max |", "|---|---|---:|---:|---:|---:|---:|"];
for (const dir of folders) {
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json")).sort()) {
    const file = join(dir, f);
    const s = JOBS.validation.run({ measured: readDocument(file), file }, nodeCatalog(file));
    const name = relative(root, file);
    for (const c of s.by_category) rows.push(`| ${name} | ${c.category} | ${c.points} | ${c.predicted} | ${pct(c.median_abs_error)} | ${pct(c.p90_abs_error)} | ${pct(c.max_abs_error)} |`);
  }
}
const page = join(root, "docs", "accuracy.md");
const text = readFileSync(page, "utf8");
const start = "<!-- accuracy-table:start -->";
const end = "<!-- accuracy-table:end -->";
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`docs/accuracy.md needs the markers ${start} … ${end}`);
writeFileSync(page, `${text.slice(0, a + start.length)}\n${rows.join("\n")}\n${text.slice(b)}`);
console.log(`wrote the table of docs/accuracy.md (${rows.length - 2} rows)`);
