/**
 * The JSON API over the local files the user named when starting the server (`xpusim ui chip.yaml
 * model.json`): `GET /api/files` lists them by index, base name and size; `GET /api/files/:index`
 * returns one's UTF-8 text. Each file is read when asked for, so an edit shows on reload. Nothing
 * else on disk is reachable, and no absolute path is ever sent.
 */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Context, Hono } from "hono";

/** Largest file the API returns (a bigger one is answered 413). */
export const MAX_API_FILE_BYTES = 8 * 1024 * 1024;

export interface FileListEntry {
  index: number;
  name: string;
  /** The size now, or null when the file cannot be read any more. */
  bytes: number | null;
}

export interface FileText {
  name: string;
  text: string;
}

const NO_STORE = { "Cache-Control": "no-store" };

/** Adds the /api/files routes for `files` (absolute paths, in command-line order) to `app`. */
export function addLocalFilesApi(app: Hono, files: readonly string[]): void {
  app.get("/api/files", async (c) => {
    const list: FileListEntry[] = await Promise.all(
      files.map(async (file, index) => ({ index, name: basename(file), bytes: (await stat(file).catch(() => undefined))?.size ?? null })),
    );
    return c.json(list, 200, NO_STORE);
  });
  app.get("/api/files/:index", async (c) => {
    const raw = c.req.param("index");
    const index = /^(0|[1-9][0-9]{0,5})$/.test(raw) ? Number(raw) : -1;
    const file = files[index];
    if (file === undefined) return c.json({ error: `no file ${raw}: the server was started with ${files.length} file(s)` }, 404, NO_STORE);
    return fileText(c, file);
  });
}

async function fileText(c: Context, file: string): Promise<Response> {
  const name = basename(file);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return c.json({ error: `${name} cannot be read any more` }, 404, NO_STORE);
  if (info.size > MAX_API_FILE_BYTES) return c.json({ error: `${name} is ${info.size} bytes, over the ${MAX_API_FILE_BYTES}-byte limit` }, 413, NO_STORE);
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) return c.json({ error: `${name} cannot be read any more` }, 404, NO_STORE);
  if (bytes.length > MAX_API_FILE_BYTES) return c.json({ error: `${name} is over the ${MAX_API_FILE_BYTES}-byte limit` }, 413, NO_STORE);
  const body: FileText = { name, text: new TextDecoder("utf-8").decode(bytes) };
  return c.json(body, 200, NO_STORE);
}
