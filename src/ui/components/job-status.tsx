/** The state of a worker job in a view: its progress with Cancel while it runs, a note once cancelled, its error. */
import type { WorkerJobState } from "../engine/use-job.js";
import { ErrorBox } from "./error-box.js";
import { Progress } from "./progress.js";

export function JobStatus({ job, what, testId }: { job: WorkerJobState<unknown>; what: string; testId?: string }) {
  const r = job.running;
  return (
    <div class="job-status" data-testid={testId}>
      {r ? <Progress label={r.label} startedAt={r.startedAt} {...(r.done !== undefined ? { done: r.done } : {})} {...(r.total !== undefined ? { total: r.total } : {})} onCancel={r.cancel} /> : null}
      {job.cancelled && !r ? <p class="note" data-testid={testId ? `${testId}-cancelled` : undefined}>{what} cancelled — change an input to run it again.</p> : null}
      <ErrorBox error={job.error} title={`${what} failed`} />
    </div>
  );
}
