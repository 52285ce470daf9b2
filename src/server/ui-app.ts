/**
 * The routes of the UI server as a Hono app: the local-files API under /api/, the built UI's files
 * for every other GET (HEAD answered from the same handlers, without a body), a JSON `{ error }` 404
 * for anything else, and the security headers on every answer. The raw request checks (method,
 * path, body size, Host) run before this, in ui-server.ts.
 */
import { Hono } from "hono";
import { addLocalFilesApi } from "./local-files-api.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { readStaticFile } from "./static-files.js";

export function uiApp(rootReal: string, files: readonly string[]): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  addLocalFilesApi(app, files);
  app.all("/api/*", (c) => c.json({ error: "no such API route" }, 404));
  app.get("*", async (c) => {
    const file = await readStaticFile(rootReal, decodeURIComponent(new URL(c.req.url).pathname));
    if (!file) return c.json({ error: "not found" }, 404);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.contentType,
      "Content-Length": String(file.bytes.length),
      "Cache-Control": file.cacheControl,
    });
  });
  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((_e, c) => c.json({ error: "internal error" }, 500));
  return app;
}
