/**
 * Removes compiled files whose source is gone (a renamed or deleted src/ file leaves its old .js and
 * .d.ts in dist/, where `npm pack` would ship them and imports could still reach them).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");

function prune(distDir: string, srcDir: string): string[] {
  if (!existsSync(distDir)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(distDir, { withFileTypes: true })) {
    const path = join(distDir, entry.name);
    if (entry.isDirectory()) {
      removed.push(...prune(path, join(srcDir, entry.name)));
      continue;
    }
    const stem = /^(.*)\.(js|d\.ts|js\.map|d\.ts\.map)$/.exec(entry.name)?.[1];
    if (stem !== undefined && !existsSync(join(srcDir, `${stem}.ts`))) {
      rmSync(path);
      removed.push(relative(root, path));
    }
  }
  return removed;
}

const removed = [...prune(join(root, "dist", "core"), join(root, "src", "core")), ...prune(join(root, "dist", "node"), join(root, "src", "node")), ...prune(join(root, "dist", "cli"), join(root, "src", "cli"))];
if (removed.length) console.log(`removed ${removed.length} compiled file(s) whose source is gone: ${removed.join(", ")}`);
export {};
