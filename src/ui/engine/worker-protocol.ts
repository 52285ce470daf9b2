/** Messages between the page and the engine worker (structured-clone data only). */
import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { JobId } from "../../core/app/index.js";

export interface WorkerCall {
  id: number;
  job: JobId;
  request: unknown;
}

export type WorkerReply =
  | { id: number; kind: "progress"; done: number; total: number; label?: string }
  | { id: number; kind: "result"; result: unknown; elapsed_ms: number }
  | { id: number; kind: "error"; message: string; diagnostics?: Diagnostic[] };
