import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The package root (holds catalog/), found from this file whether run from src/, dist/ or the CLI bundle. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "catalog")) && existsSync(join(dir, "package.json"))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error("xpusim: cannot find the package root (catalog/ folder missing)");
}

export const catalogDir = (...parts: string[]): string => join(packageRoot(), "catalog", ...parts);

/** The compiled catalog (`npm run build` writes it from catalog/; see scripts/build-catalog.ts). */
export const compiledCatalogFile = (): string => join(packageRoot(), "dist", "catalog.pack");
