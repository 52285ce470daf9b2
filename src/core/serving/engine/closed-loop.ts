import { type EngineState, ReqState } from "./engine-state.js";

/**
 * Closed-loop clients (benchmark tools' `--concurrency N`, MLPerf Server's fixed-concurrency
 * variant): N clients each send a request, wait for it to finish, and send their next one at once.
 * Requests go out in index order: the first N at t = 0, then request k at the moment some earlier
 * one finishes. Arrival times are therefore written as the simulation runs, and stay sorted because
 * finish times only grow. Requests rejected at admission (longer than max_model_len, ...) never
 * occupy a client: they are released together with the next admitted one.
 */
export class ClosedLoop {
  private next = 0;

  constructor(readonly concurrency: number) {}

  /** Holds every request back, then releases the first `concurrency` at t = 0. */
  start(s: EngineState): void {
    s.arrival.fill(Infinity);
    for (let c = 0; c < this.concurrency; c++) this.release(s, 0);
  }

  /** A client is free at `now`: its next request arrives (with any rejected ones before it). */
  release(s: EngineState, now: number): void {
    while (this.next < s.n && s.state[this.next] === ReqState.Rejected) s.arrival[this.next++] = now;
    if (this.next < s.n) s.arrival[this.next++] = now;
    // Rejected requests after the last admitted one arrive with it (they are never scheduled).
    while (this.next < s.n && s.state[this.next] === ReqState.Rejected) s.arrival[this.next++] = now;
  }
}
