import { type EngineState, ReqState } from "./engine-state.js";
import { type Instance, Role } from "./instance.js";

/**
 * Applies the results of `inst`'s step at time `now`: every sequence whose scheduled tokens reach
 * all its known tokens emits one token (the first is its TTFT, later gaps its ITLs); a finished
 * sequence frees its blocks; on a prefill instance a finished prompt starts its KV transfer.
 */
export function completeStep(s: EngineState, inst: Instance, now: number): void {
  const { state, computed, known, generated, output } = s;
  inst.busy = false;
  let removed = false;
  for (let k = 0; k < inst.schedCount; k++) {
    const r = inst.schedId[k]!;
    if (state[r] !== ReqState.Running) continue;
    computed[r]! += inst.schedTokens[k]!;
    if (computed[r]! < known[r]!) continue;
    // All known tokens processed: one new token is sampled.
    const g = ++generated[r]!;
    known[r]!++;
    if (g === 1) s.firstToken[r] = now;
    else s.itl[s.itlCount++] = now - s.lastToken[r]!;
    s.lastToken[r] = now;
    if (g >= output[r]!) {
      s.releaseBlocks(inst, r);
      state[r] = ReqState.Done;
      s.finish[r] = now;
      removed = true;
      s.runningTotal--;
      s.inSystem--;
      s.remaining--;
      s.closedLoop?.release(s, now);
    } else if (inst.role === Role.Prefill) {
      removed = true;
      s.runningTotal--;
      state[r] = ReqState.Transferring;
      s.transfers.start(inst, r, s.input[r]!, now);
    }
  }
  if (removed) compactRunning(s, inst);
}

/** Drops sequences that left the running state from `inst`'s running list, keeping their order. */
function compactRunning(s: EngineState, inst: Instance): void {
  let w = 0;
  const running = inst.running;
  for (let k = 0; k < inst.runningCount; k++) {
    const r = running[k]!;
    if (s.state[r] === ReqState.Running) running[w++] = r;
  }
  inst.runningCount = w;
}
