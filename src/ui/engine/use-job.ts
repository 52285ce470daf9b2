/**
 * Running jobs from a view. `useJob` runs a quick job on the main thread while rendering (the
 * result is ready in the same frame as the input change); `useWorkerJob` runs a long one in the
 * worker with progress and cancel, re-running when the request changes (a newer request cancels
 * the older run).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { JobId } from "../../core/app/index.js";
import type { Engine, JobRequest, JobResult } from "./engine.js";
import { CancelledError, runInWorker, type WorkerRun } from "./worker-client.js";

export interface JobState<T> {
  result?: T;
  error?: unknown;
  elapsed_ms?: number;
}

/** Same request text → same result object (the request is compared as JSON). */
export function useJob<K extends JobId>(engine: Engine, job: K, request: JobRequest<K> | undefined): JobState<JobResult<K>> {
  const key = request === undefined ? "" : JSON.stringify(request);
  return useMemo(() => {
    if (request === undefined) return {};
    const t0 = performance.now();
    try {
      return { result: engine.run(job, request), elapsed_ms: performance.now() - t0 };
    } catch (error) {
      return { error, elapsed_ms: performance.now() - t0 };
    }
  }, [engine, job, key]);
}

export interface WorkerJobState<T> extends JobState<T> {
  running?: { label: string; startedAt: number; done?: number; total?: number; cancel(): void };
  cancelled?: boolean;
}

export function useWorkerJob<K extends JobId>(job: K, request: JobRequest<K> | undefined, label: string): WorkerJobState<Awaited<JobResult<K>>> {
  const key = request === undefined ? "" : JSON.stringify(request);
  const [state, setState] = useState<WorkerJobState<Awaited<JobResult<K>>>>({});
  const current = useRef<WorkerRun<unknown> | undefined>(undefined);
  useEffect(() => {
    if (request === undefined) return setState({});
    const startedAt = performance.now();
    const run = runInWorker(job, request, (done, total) => setState((s) => (s.running ? { ...s, running: { ...s.running, done, total } } : s)));
    current.current = run;
    setState((s) => ({ ...s, cancelled: false, running: { label, startedAt, cancel: () => run.cancel() } }));
    run.result.then(
      (result) => current.current === run && setState({ result, elapsed_ms: performance.now() - startedAt }),
      (error: unknown) => current.current === run && setState(error instanceof CancelledError ? { cancelled: true } : { error, elapsed_ms: performance.now() - startedAt }),
    );
    return () => {
      if (current.current === run) current.current = undefined;
      run.cancel();
    };
  }, [job, key]);
  return state;
}
