#!/usr/bin/env node
// xpusim launcher: runs the compiled CLI when present (published package), else the TypeScript
// sources through tsx (a fresh clone needs no build step).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiled = join(root, "dist", "cli", "main.js");
const source = join(root, "src", "cli", "main.ts");
let mod;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  mod = await import(pathToFileURL(source).href);
} else {
  mod = await import(pathToFileURL(compiled).href);
}
process.exitCode = await mod.main(process.argv.slice(2));
