/**
 * Writes the JSON Schemas of the spec formats to docs/schema/ from their zod definitions
 * (one source of truth). `npm run schema`; a test checks the committed files are current.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { schemaDocuments } from "../src/node/schemas.js";

const out = join(import.meta.dirname, "..", "docs", "schema");
mkdirSync(out, { recursive: true });
for (const [name, doc] of Object.entries(schemaDocuments())) {
  writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote docs/schema/${name}.schema.json`);
}
