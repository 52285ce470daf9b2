/**
 * Files of the built UI, served from one folder (the site root) only: `/` is index.html; hidden
 * names (".git", ".env") are never served; a path whose real location (symlinks followed) is not
 * inside the root is not found. Vite's hashed files under assets/ may be cached for ever; every other
 * file (index.html, catalog.pack) is revalidated on each load.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { contentTypeOf } from "./content-types.js";

export interface StaticFile {
  bytes: Uint8Array;
  contentType: string;
  cacheControl: string;
}

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

/**
 * The file a decoded URL path names inside `rootReal` (the root's real path), or undefined when there
 * is none: missing, a folder, hidden, or outside the root once symlinks are followed.
 */
export async function readStaticFile(rootReal: string, urlPath: string): Promise<StaticFile | undefined> {
  const relative = urlPath === "/" ? "index.html" : urlPath.slice(1);
  const segments = relative.split("/");
  if (segments.some((s) => s === "" || s.startsWith("."))) return undefined;
  const real = await realpath(join(rootReal, ...segments)).catch(() => undefined);
  if (!real || !real.startsWith(rootReal + sep)) return undefined;
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const bytes = await readFile(real).catch(() => undefined);
  if (!bytes) return undefined;
  return { bytes, contentType: contentTypeOf(real), cacheControl: segments[0] === "assets" ? IMMUTABLE : REVALIDATE };
}
