/**
 * Runs a job in the engine worker: a promise for the result, progress callbacks, and cancel (which
 * terminates the worker; the other runs still waiting are sent again to a fresh one, the catalog
 * coming from the HTTP cache).
 */
import { XpusimError } from "../../core/diagnostics/diagnostic.js";
import type { JobId } from "../../core/app/index.js";
import type { JobRequest, JobResult } from "./engine.js";
import type { WorkerCall, WorkerReply } from "./worker-protocol.js";

export interface WorkerRun<T> {
  result: Promise<T>;
  cancel(): void;
}

export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { call: WorkerCall; resolve(v: unknown): void; reject(e: unknown): void; progress?: (done: number, total: number, label?: string) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "xpusim-engine" });
  worker.addEventListener("message", (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const w = waiting.get(reply.id);
    if (!w) return;
    if (reply.kind === "progress") return w.progress?.(reply.done, reply.total, reply.label);
    waiting.delete(reply.id);
    if (reply.kind === "result") w.resolve(reply.result);
    else w.reject(reply.diagnostics ? new XpusimError(reply.diagnostics) : new Error(reply.message));
  });
  worker.addEventListener("error", (event) => {
    for (const w of waiting.values()) w.reject(new Error(`engine worker failed: ${event.message}`));
    waiting.clear();
    worker = undefined;
  });
  return worker;
}

/** Starts `job` in the worker. Cancelling rejects the promise with CancelledError. */
export function runInWorker<K extends JobId>(job: K, request: JobRequest<K>, onProgress?: (done: number, total: number, label?: string) => void): WorkerRun<Awaited<JobResult<K>>> {
  const call: WorkerCall = { id: nextId++, job, request: JSON.parse(JSON.stringify(request)) };
  const id = call.id;
  const result = new Promise<Awaited<JobResult<K>>>((resolve, reject) => {
    waiting.set(id, { call, resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { progress: onProgress } : {}) });
  });
  getWorker().postMessage(call);
  return {
    result,
    cancel() {
      const w = waiting.get(id);
      if (!w) return;
      waiting.delete(id);
      worker?.terminate();
      worker = undefined;
      // The other runs (another view's job, or a second job of the same view) go on in a fresh worker.
      if (waiting.size) {
        const fresh = getWorker();
        for (const other of waiting.values()) fresh.postMessage(other.call);
      }
      w.reject(new CancelledError());
    },
  };
}
