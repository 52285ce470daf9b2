/**
 * Compiles catalog/ into dist/catalog.pack (see src/node/compiled-catalog.ts). Part of
 * `npm run build`. With --check it writes nothing and exits 1 when dist/catalog.pack (or the file
 * given with --out) is missing or differs from what catalog/ compiles to now (a test runs this).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

process.env.XPUSIM_CATALOG = "source"; // compile from the YAML files, never from a previous artefact
const { compileCatalog } = await import("../src/node/compile-catalog.js");
const { packCatalog } = await import("../src/node/compiled-catalog.js");

const outFlag = process.argv.indexOf("--out");
const out = outFlag > 0 ? process.argv[outFlag + 1]! : join(import.meta.dirname, "..", "dist", "catalog.pack");
const compiled = packCatalog(compileCatalog());

if (process.argv.includes("--check")) {
  let current: Buffer | undefined;
  try {
    current = readFileSync(out);
  } catch {
    // missing: stale
  }
  if (!current?.equals(compiled)) {
    console.error(`${out} is ${current ? "out of date with" : "missing for"} catalog/; run \`npm run build\``);
    process.exit(1);
  }
  console.log(`${out} is current`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, compiled);
  console.log(`wrote dist/catalog.pack (${(compiled.length / 1024).toFixed(0)} KiB)`);
}
