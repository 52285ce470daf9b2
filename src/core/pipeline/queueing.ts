/**
 * Mean time an item spends waiting at a stage before its service ends, at arrival rate λ below the
 * stage's rate μ (items/s):
 *
 * - queueing: the stage as one server with deterministic service 1/μ under Poisson arrivals
 *   (M/D/1, Pollaczek–Khinchine: Wq = ρ / (2μ(1 − ρ)), ρ = λ/μ; Kleinrock, "Queueing Systems",
 *   vol. 1, 1975, §5.7). Parallel units of the stage are pooled into one faster server, which
 *   underestimates the wait of c slow servers a little at high load.
 * - batch filling: a stage that starts a call only with `batch` items holds the average item for
 *   (batch − 1) / (2λ) while the batch fills.
 */
export function queueWait(arrival: number, rate: number, batch: number): number {
  const rho = arrival / rate;
  if (rho >= 1) return Number.POSITIVE_INFINITY;
  const wq = rho / (2 * rate * (1 - rho));
  return wq + (batch - 1) / (2 * arrival);
}
