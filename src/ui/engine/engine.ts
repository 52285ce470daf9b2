/**
 * The engine in the page: the application layer's jobs run against the compiled catalog, with no
 * server round trip. Quick jobs (an estimate, an assessment) run here on the main thread so an input
 * change re-renders at once; long ones (searches, serving simulations) go to the worker
 * (worker-client.ts) so the page stays responsive and can cancel them.
 */
import { JOBS, type Catalog, type JobId } from "../../core/app/index.js";
import { loadCatalog } from "./load-catalog.js";

type JobsTable = typeof JOBS;
export type JobRequest<K extends JobId> = Parameters<JobsTable[K]["run"]>[0];
export type JobResult<K extends JobId> = ReturnType<JobsTable[K]["run"]>;

export interface Engine {
  readonly catalog: Catalog;
  /** Runs one job synchronously (throws XpusimError on bad input, as the CLI's jobs do). */
  run<K extends JobId>(job: K, request: JobRequest<K>): JobResult<K>;
}

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= loadCatalog().then((catalog) => {
    performance.mark("xpusim:engine-ready");
    return { catalog, run: (job, request) => (JOBS[job].run as (r: unknown, c: Catalog) => never)(request, catalog) };
  });
  return engine;
}
