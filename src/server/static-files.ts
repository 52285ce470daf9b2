/**
 * Files of the built UI, served from one folder (the site root) only: `/` is index.html; hidden
 * names (".git", ".env") are never served; a path whose real location (symlinks followed) is not
 * inside the root is not found. Vite's hashed files under assets/ may be cached for ever; every other
 * file (index.html, catalog.pack) is revalidated on each load. index.html gets a marker
 * (`<meta name="xpusim-api" content="files">`) telling the page that this server has the file API, so
 * the same page on a plain static host does not ask for it.
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
  const served = relative === "index.html" ? markFileApi(bytes) : bytes;
  return { bytes: served, contentType: contentTypeOf(real), cacheControl: segments[0] === "assets" ? IMMUTABLE : REVALIDATE };
}

export const FILE_API_MARKER = '<meta name="xpusim-api" content="files">';

/** index.html with the file-API marker before `</head>` (unchanged when it has no head). */
function markFileApi(bytes: Uint8Array): Uint8Array {
  const html = Buffer.from(bytes).toString("utf8");
  return html.includes("</head>") ? Buffer.from(html.replace("</head>", `  ${FILE_API_MARKER}\n  </head>`), "utf8") : bytes;
}
