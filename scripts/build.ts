/**
 * `npm run build` after `tsc -b` (and `npm install` in a clone, through `prepare`): compiles the
 * catalog into dist/catalog.pack and bundles the CLI into dist/bundle/.
 */
await import("./prune-dist.js");
await import("./build-catalog.js");
await import("./build-cli.js");
export {};
