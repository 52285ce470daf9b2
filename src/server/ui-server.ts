/**
 * The local server of the web UI (`xpusim ui`): the built UI's files from one folder, and a
 * read-only JSON API over the files named at start (see local-files-api.ts). Binds 127.0.0.1 by
 * default; every request first passes the raw checks of request-guard.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { realpathSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import { bodyWithinLimit, type Refusal, refuseRequestLine } from "./request-guard.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { uiApp } from "./ui-app.js";

export interface UiServerOptions {
  /** The folder of the built UI (index.html, assets/, catalog.pack). */
  root: string;
  /** Address to bind; default 127.0.0.1 (only this machine). */
  host?: string;
  /** Port; default 0 (a free one, chosen by the system). */
  port?: number;
  /** Local files the API offers, in order (paths as typed; read at request time). */
  files?: readonly string[];
}

export interface UiServer {
  /** Where to open the UI, e.g. http://127.0.0.1:5173/ */
  url: string;
  port: number;
  host: string;
  /** True when the bound address is not a loopback one: other machines can reach the server. */
  exposedToNetwork: boolean;
  close(): Promise<void>;
}

/** Starts the UI server; rejects with an XpusimError for a missing root or file, or a port in use. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? "127.0.0.1";
  const rootReal = siteRoot(options.root);
  const files = (options.files ?? []).map(namedFile);
  const loopback = isLoopback(host);
  const allowedHostNames = loopback ? new Set(["localhost", "127.0.0.1", "[::1]", host.toLowerCase()]) : undefined;
  const server = createServer(guarded(getRequestListener(uiApp(rootReal, files).fetch), allowedHostNames));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, host, options.port ?? 0);
  const port = (server.address() as { port: number }).port;
  return { url: `http://${urlHost(host)}:${port}/`, port, host, exposedToNetwork: !loopback, close: () => closeServer(server) };
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Wraps the app's listener with the raw checks: body size first, then method, path and Host. */
function guarded(app: Listener, allowedHostNames: ReadonlySet<string> | undefined): Listener {
  return async (req, res) => {
    if (!(await bodyWithinLimit(req))) return refuse(req, res, { status: 413, error: "request body too large (the UI server takes no uploads)" });
    const refusal = refuseRequestLine(req, allowedHostNames);
    if (refusal) return refuse(req, res, refusal);
    return app(req, res);
  };
}

/** Answers a refused request with JSON `{ error }` (no body for HEAD); a too-large body also closes the connection. */
function refuse(req: IncomingMessage, res: ServerResponse, { status, error: message }: Refusal): void {
  const body = JSON.stringify({ error: message });
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), "Cache-Control": "no-store" };
  if (status === 405) headers.Allow = "GET, HEAD";
  if (status === 413) headers.Connection = "close";
  res.writeHead(status, headers).end(req.method === "HEAD" ? undefined : body);
  if (status === 413) discardThenClose(req);
}

/** Lets the client finish sending (up to 1 MiB more, at most 2 s) so it can read the 413, then drops the connection. */
function discardThenClose(req: IncomingMessage): void {
  let bytes = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, 2000);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > 1024 * 1024) close();
  });
  req.on("end", () => clearTimeout(timer));
  req.resume();
}

function siteRoot(root: string): string {
  const info = statSync(root, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new XpusimError(error("E_IO", "", `the web UI is not built: ${root} is not a folder`, { hint: "run `npm run build:web` first" }));
  return realpathSync(root);
}

function namedFile(file: string): string {
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info?.isFile()) throw new XpusimError(error("E_IO", "", `${info ? "not a file" : "no such file"}: ${file}`, { file: basename(file), hint: "name existing files to open them in the UI" }));
  return resolve(file);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) => fail(listenError(e, host, port)));
    server.listen({ host, port, backlog: 2048 }, () => done());
  });
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  if (e.code === "EADDRINUSE") return new XpusimError(error("E_IO", "", `port ${port} on ${host} is already in use`, { hint: "choose another port; `--port 0` picks a free one" }));
  if (e.code === "EACCES") return new XpusimError(error("E_IO", "", `no permission to listen on port ${port}`, { hint: "ports below 1024 need privileges; `--port 0` picks a free one" }));
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return new XpusimError(error("E_IO", "", `cannot listen on host ${host} (${e.code})`, { hint: "use an address of this machine, e.g. 127.0.0.1" }));
  return e;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === "::1" || h === "[::1]" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host as a URL shows it: the unspecified address becomes loopback (what this machine opens), IPv6 in brackets. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
