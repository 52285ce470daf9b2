import { type EngineState, ReqState } from "./engine-state.js";
import { type Instance, Role } from "./instance.js";

/**
 * Builds the next batch of `inst` the way vLLM V1's scheduler does (`vllm/v1/core/sched/scheduler.py`;
 * see simulator.ts): running sequences first, preempting the most recently admitted ones when KV
 * blocks run short; then, if nothing was preempted, waiting sequences in policy order.
 * Returns false when there is nothing to run.
 */
export function scheduleStep(s: EngineState, inst: Instance, now: number): boolean {
  const batch = inst.batch;
  batch.chunks = 0;
  batch.decodes = 0;
  batch.decode_context_sum = 0;
  inst.schedCount = 0;
  inst.schedTokenSum = 0;
  const { budget, preempted } = scheduleRunning(s, inst);
  if (!preempted) admitWaiting(s, inst, now, budget);
  if (s.usedBlocks > s.peakBlocks) s.peakBlocks = s.usedBlocks;
  return inst.schedCount > 0;
}

/** 1. Running sequences in admission order; returns the token budget left and whether any was preempted. */
function scheduleRunning(s: EngineState, inst: Instance): { budget: number; preempted: boolean } {
  const { known, computed, blocks, budgetMax, chunked, reserveFull, blockSize: bs } = s;
  let budget = budgetMax;
  let preempted = false;
  const running = inst.running;
  let i = 0;
  while (i < inst.runningCount && budget > 0) {
    const r = running[i]!;
    const need = known[r]! - computed[r]!;
    const tokens = need <= budget ? need : chunked ? budget : budget === budgetMax ? need : 0;
    if (tokens === 0) {
      i++;
      continue;
    }
    if (!reserveFull && computed[r]! + tokens > blocks[r]! * bs) {
      const want = Math.ceil((computed[r]! + tokens) / bs) - blocks[r]!;
      if (want > inst.free) {
        preempted = true;
        if (preemptUntilFree(s, inst, r, want)) break;
      }
      inst.free -= want;
      s.usedBlocks += want;
      blocks[r]! += want;
    }
    addToBatch(s, inst, r, tokens);
    budget -= tokens;
    i++;
  }
  return { budget, preempted };
}

/**
 * Preempts the most recently admitted running sequences (blocks freed, progress dropped: recomputed
 * later from prompt + generated tokens) until `want` blocks are free. Returns true when `r` itself
 * was preempted.
 */
function preemptUntilFree(s: EngineState, inst: Instance, r: number, want: number): boolean {
  while (want > inst.free) {
    const victim = inst.running[--inst.runningCount]!;
    s.releaseBlocks(inst, victim);
    s.computed[victim] = 0;
    s.state[victim] = ReqState.Waiting;
    s.preemptions[victim]!++;
    s.preemptTotal++;
    s.runningTotal--;
    inst.push(victim);
    s.waitingTotal++;
    if (victim === r) return true;
  }
  return false;
}

/** 2. Waiting sequences in policy order while the budget, max_num_seqs and free blocks allow. */
function admitWaiting(s: EngineState, inst: Instance, now: number, budget: number): void {
  const { known, computed, blocks, input, output, budgetMax, chunked, reserveFull, blockSize: bs } = s;
  while (inst.size > 0 && budget > 0 && inst.runningCount < s.maxSeqs) {
    const r = inst.heap[0]!;
    const need = known[r]! - computed[r]!;
    const tokens = need <= budget ? need : chunked ? budget : budget === budgetMax && need > budgetMax ? need : 0;
    if (tokens === 0) break;
    // Reserve-full: the whole sequence (a prefill-only instance keeps just prompt + first token).
    const reserve = inst.role === Role.Prefill ? input[r]! + 1 : input[r]! + output[r]!;
    const want = Math.ceil((reserveFull ? reserve : computed[r]! + tokens) / bs) - blocks[r]!;
    if (want > inst.free) break;
    inst.pop();
    s.waitingTotal--;
    inst.free -= want;
    s.usedBlocks += want;
    blocks[r]! += want;
    s.state[r] = ReqState.Running;
    inst.running[inst.runningCount++] = r;
    s.runningTotal++;
    if (s.firstScheduled[r] !== s.firstScheduled[r]) s.firstScheduled[r] = now;
    addToBatch(s, inst, r, tokens);
    budget -= tokens;
  }
}

/** Adds `tokens` of request `r` to the batch `inst` is building. */
function addToBatch(s: EngineState, inst: Instance, r: number, tokens: number): void {
  const k = inst.schedCount++;
  inst.schedId[k] = r;
  inst.schedTokens[k] = tokens;
  const batch = inst.batch;
  const computed = s.computed[r]!;
  if (tokens === 1 && computed > 0) {
    batch.decodes++;
    batch.decode_context_sum += computed + 1;
  } else {
    const c = batch.chunks++;
    batch.chunk_tokens[c] = tokens;
    batch.chunk_prior[c] = computed;
  }
  inst.schedTokenSum += tokens;
}
