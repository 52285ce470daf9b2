import type { SimulationSetup } from "../simulator.js";
import { type EngineState, ReqState } from "./engine-state.js";

/**
 * Admission checks that no amount of waiting can fix (longer than max_model_len, a whole prompt over
 * the token budget without chunked prefill, more KV blocks than an instance has): those requests are
 * rejected with the reason. Also sets each request's queue priority and known tokens, and sizes the
 * inter-token-latency buffer for the rest.
 */
export function admitRequests(s: EngineState, policy: string, setup: SimulationSetup): void {
  const { n, input, output, blockSize: bs, budgetMax } = s;
  let itlCapacity = 0;
  const minEntryBlocks = Math.min(...s.entryPool.map((i) => i.numBlocks));
  const minMainBlocks = Math.min(...s.mainPool.map((i) => i.numBlocks));
  for (let r = 0; r < n; r++) {
    s.prio[r] = policy === "shortest-prompt-first" ? input[r]! * n + r : r;
    s.known[r] = input[r]!;
    const total = input[r]! + output[r]!;
    let why: string | undefined;
    if (total > setup.max_model_len) why = `prompt + output = ${total} tokens exceeds max_model_len ${setup.max_model_len}`;
    else if (!s.chunked && input[r]! > budgetMax) why = `prompt of ${input[r]} tokens exceeds max_num_batched_tokens ${budgetMax} and chunked prefill is off`;
    else if (Math.ceil(total / bs) > minMainBlocks || Math.ceil((s.disagg ? input[r]! + 1 : total) / bs) > minEntryBlocks)
      why = `needs ${Math.ceil(total / bs)} KV blocks; an instance has only ${Math.min(minMainBlocks, minEntryBlocks)}`;
    if (why) {
      s.state[r] = ReqState.Rejected;
      s.rejected.set(r, why);
    } else itlCapacity += output[r]! - 1;
  }
  s.itl = new Float64Array(Math.max(0, itlCapacity));
  s.remaining = n - s.rejected.size;
}
