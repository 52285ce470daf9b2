/**
 * The checks every request passes before it reaches the routes, made on the raw request line and
 * headers (the WHATWG URL parser behind `fetch` would quietly resolve `..` and `%2e%2e` first):
 * a request body over the limit (413), a method other than GET or HEAD (405), a path that could walk
 * out of the site root or is malformed (400), and, on a loopback server, a Host header naming another
 * site (403: a DNS-rebinding page must not read the user's files through the API).
 */
import type { IncomingMessage } from "node:http";

/** Largest request body read (there is no upload API; bodies are refused, not used). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Refusal {
  status: 400 | 403 | 405 | 413;
  error: string;
}

/** Why a request line is refused before routing (method, path, Host), or undefined when it may go on. */
export function refuseRequestLine(req: IncomingMessage, allowedHostNames: ReadonlySet<string> | undefined): Refusal | undefined {
  if (req.method !== "GET" && req.method !== "HEAD") return { status: 405, error: `method ${req.method} is not allowed (GET and HEAD only)` };
  const pathProblem = unsafePathReason(req.url ?? "");
  if (pathProblem) return { status: 400, error: `bad request path: ${pathProblem}` };
  if (allowedHostNames && !hostAllowed(req.headers.host, allowedHostNames)) return { status: 403, error: "this server answers only requests addressed to localhost" };
  return undefined;
}

/**
 * Why a raw request target is unsafe, or undefined: it must be an origin-form path ("/…") without
 * backslashes, NUL or control characters, encoded slashes, backslashes, NULs or percent signs (so no
 * double encoding), empty segments, or "." / ".." segments in any spelling.
 */
export function unsafePathReason(target: string): string | undefined {
  if (!target.startsWith("/")) return "it must start with /";
  const path = target.split(/[?#]/, 1)[0]!;
  if (path.includes("\\")) return "backslash";
  if (/%(2f|5c|00|25)/i.test(path)) return "encoded /, \\, NUL or %";
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return "malformed percent-encoding";
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return "control character";
  if (decoded.includes("//")) return "empty path segment";
  if (decoded.split("/").some((s) => s === "." || s === "..")) return "dot segment";
  return undefined;
}

/** Whether a Host header names one of the allowed host names (any port; an absent header is allowed). */
function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined) return true;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":", 1)[0]!;
  return allowed.has(name.toLowerCase());
}

/**
 * Reads and discards a request body of at most MAX_BODY_BYTES. Resolves true when the body (if
 * any) fits, false as soon as it is known to be too large (declared or counted); the caller then
 * answers 413 and closes the connection.
 */
export function bodyWithinLimit(req: IncomingMessage): Promise<boolean> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && !(Number(declared) <= MAX_BODY_BYTES)) return Promise.resolve(false);
  if ((declared === undefined || declared === "0") && req.headers["transfer-encoding"] === undefined) return Promise.resolve(true);
  return new Promise((resolve) => {
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) finish(false);
    };
    const finish = (ok: boolean) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
