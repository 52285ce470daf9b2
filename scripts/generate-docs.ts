/** Writes the generated reference pages to docs/ (`npm run docs`); a test checks they are current. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { referencePages } from "../src/node/reference-docs.js";

for (const [name, text] of Object.entries(referencePages())) {
  writeFileSync(join(import.meta.dirname, "..", "docs", name), text);
  console.log(`wrote docs/${name}`);
}
