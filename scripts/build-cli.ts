/**
 * Bundles the CLI into dist/bundle/ (esbuild, ES modules, code splitting): main.js holds only the
 * command-line plumbing; each command is its own chunk, loaded when the command line names it;
 * commander, zod and yaml are bundled in (vega and vega-lite are not: the charts import them on first use), zod and yaml only into the spec-support chunk
 * (src/node/spec-support.ts), which src/node/spec-support-loader.ts loads on first use in the
 * bundle (this script swaps that file for the version below). bin/xpusim.js runs dist/bundle/main.js.
 * Writes dist/bundle-meta.json (esbuild's metafile; a test checks which chunks load zod).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";

const root = join(import.meta.dirname, "..");
const outdir = join(root, "dist", "bundle");

/** spec-support-loader.ts in the bundle: spec-support.js is a separate entry, loaded on first use. */
const LAZY_SPEC_SUPPORT = `
import { createRequire } from "node:module";
let loaded;
export function specSupport() {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)("./spec-support.js");
  } catch (e) {
    if (e && e.code === "ERR_REQUIRE_ESM") throw new Error("reading this file needs Node.js 20.19 or newer, which loads the spec parsers on demand");
    throw e;
  }
  return loaded;
}
export async function preloadSpecSupport() {
  loaded ??= await import(new URL("./spec-support.js", import.meta.url).href);
}
`;

const lazySpecSupport: Plugin = {
  name: "lazy-spec-support",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]node[\\/]spec-support-loader\.ts$/ }, () => ({ contents: LAZY_SPEC_SUPPORT, loader: "js" }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts", "spec-support": "src/node/spec-support.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled CommonJS packages (yaml) call require() for Node built-ins.
  banner: { js: 'import { createRequire as __xpusimCreateRequire } from "node:module"; const require = __xpusimCreateRequire(import.meta.url);' },
  minifySyntax: true,
  minifyWhitespace: true,
  metafile: true,
  plugins: [lazySpecSupport],
  // vega and vega-lite (~2 MB, ~0.3 s to load) stay in node_modules: src/core/charts imports them
  // dynamically on the first chart, so only \`xpusim report\` ever loads them.
  external: ["vega", "vega-lite"],
  logLevel: "warning",
});
writeFileSync(join(root, "dist", "bundle-meta.json"), JSON.stringify(result.metafile));
console.log(`bundled the CLI into dist/bundle/ (${Object.keys(result.metafile.outputs).length} files)`);
