/**
 * One serving request as traces and benchmarks describe it (vLLM `benchmark_serving`, Vidur,
 * DistServe): when it arrives, how many prompt tokens it brings and how many tokens it generates.
 * Lengths are in tokens; the output length is what the engine generates (ignore-EOS benchmarking).
 */
export interface ServingRequest {
  arrival_s: number;
  input_len: number;
  output_len: number;
}

/** Requests ordered by arrival (stable: ties keep their order). Returns the input when already sorted. */
export function sortByArrival(requests: readonly ServingRequest[]): readonly ServingRequest[] {
  for (let i = 1; i < requests.length; i++) {
    if (requests[i]!.arrival_s < requests[i - 1]!.arrival_s) {
      return requests.map((r, j) => [r, j] as const).sort((x, y) => x[0].arrival_s - y[0].arrival_s || x[1] - y[1]).map((x) => x[0]);
    }
  }
  return requests;
}
