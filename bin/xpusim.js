#!/usr/bin/env node
// xpusim launcher: runs the bundled CLI (dist/bundle/main.js, built by `npm run build`, which
// `npm install` runs in a clone). Without it, a development checkout with tsx installed runs the
// TypeScript sources (slow start); otherwise it says how to build.
import { existsSync } from "node:fs";
import module from "node:module";

// Node 22.1+ keeps compiled code between runs (like npm's own launcher); a no-op on Node 20.
module.enableCompileCache?.();

const bundle = new URL("../dist/bundle/main.js", import.meta.url);
if (existsSync(bundle)) {
  await (await import(bundle.href)).cli(process.argv.slice(2));
} else {
  await runFromSources();
}

async function runFromSources() {
  const source = new URL("../src/cli/main.ts", import.meta.url);
  let register;
  if (existsSync(source)) {
    try {
      ({ register } = await import("tsx/esm/api"));
    } catch {
      // tsx is a development dependency: not installed
    }
  }
  if (!register) {
    process.stderr.write("xpusim: the command-line program is not built (dist/bundle/ is missing).\n  Run `npm install` (or `npm run build`) in the xpusim folder first.\n");
    process.exitCode = 70;
    return;
  }
  process.stderr.write("xpusim: running from the TypeScript sources (run `npm run build` for a fast start)\n");
  register();
  await (await import(source.href)).cli(process.argv.slice(2));
}
