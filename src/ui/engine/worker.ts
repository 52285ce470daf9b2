/// <reference lib="webworker" />
/**
 * The engine worker: runs long jobs (layout searches, serving plans and simulations) off the main
 * thread. One job at a time; cancelling terminates the worker (worker-client.ts starts a new one).
 * A job that runs in parts (core/app/job-parts.ts: the scaling curve, count by count) reports
 * progress after each part; the others report 0 of 1 at the start.
 */
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import { jobParts, type JobId } from "../../core/app/index.js";
import { type Engine, loadEngine } from "./engine.js";
import type { WorkerCall, WorkerReply } from "./worker-protocol.js";

const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);

self.addEventListener("message", async (event: MessageEvent<WorkerCall>) => {
  const { id, job, request } = event.data;
  const start = performance.now();
  try {
    const engine = await loadEngine();
    const result = runWithProgress(engine, job, request, (done, total) => post({ id, kind: "progress", done, total, label: job }));
    post({ id, kind: "result", result, elapsed_ms: performance.now() - start });
  } catch (e) {
    if (e instanceof XpusimError) post({ id, kind: "error", message: e.message, diagnostics: e.diagnostics });
    else post({ id, kind: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});

function runWithProgress(engine: Engine, job: JobId, request: unknown, progress: (done: number, total: number) => void): unknown {
  const parts = jobParts(job);
  if (!parts) {
    progress(0, 1);
    return engine.run(job, request as never);
  }
  const requests = parts.split(request);
  const results: unknown[] = [];
  for (const part of requests) {
    progress(results.length, requests.length);
    results.push(engine.run(job, part as never));
  }
  return parts.merge(request, results);
}
