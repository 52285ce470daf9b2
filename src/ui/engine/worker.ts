/// <reference lib="webworker" />
/**
 * The engine worker: runs long jobs (layout searches, serving plans and simulations) off the main
 * thread. One job at a time; cancelling terminates the worker (worker-client.ts starts a new one).
 */
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { loadEngine } from "./engine.js";
import type { WorkerCall, WorkerReply } from "./worker-protocol.js";

const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);

self.addEventListener("message", async (event: MessageEvent<WorkerCall>) => {
  const { id, job, request } = event.data;
  const start = performance.now();
  try {
    const engine = await loadEngine();
    post({ id, kind: "progress", done: 0, total: 1, label: job });
    const result = await engine.run(job, request as never);
    post({ id, kind: "result", result, elapsed_ms: performance.now() - start });
  } catch (e) {
    if (e instanceof XpusimError) post({ id, kind: "error", message: e.message, diagnostics: e.diagnostics });
    else post({ id, kind: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
