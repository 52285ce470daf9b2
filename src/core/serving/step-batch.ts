/** One iteration's batch. Reused between steps by the simulator (no allocation per step). */
export interface StepBatch {
  /** Prefill chunks in this step. */
  chunks: number;
  /** New tokens of each chunk (first `chunks` entries are valid). */
  chunk_tokens: Int32Array;
  /** Tokens of the same sequence already in the KV cache before the chunk. */
  chunk_prior: Int32Array;
  /** Decoding sequences (one new token each). */
  decodes: number;
  /** Σ over decoding sequences of their context (cached tokens + the new one). */
  decode_context_sum: number;
}

export function createStepBatch(maxSequences: number): StepBatch {
  return { chunks: 0, chunk_tokens: new Int32Array(maxSequences), chunk_prior: new Int32Array(maxSequences), decodes: 0, decode_context_sum: 0 };
}

/** Prices one iteration. Implementations must be deterministic and side-effect free (caches aside). */
export interface StepCostModel {
  readonly id: string;
  /** What the model assumes, for the output's notes. */
  readonly notes: readonly string[];
  stepTimeS(batch: StepBatch): number;
  /**
   * Energy of all chips of one instance over the step, J (their op energy, and idle power while
   * they wait on collectives); NaN when the chip has no power data. Absent: energy not modelled.
   */
  stepEnergyJ?(batch: StepBatch): number;
  /** Power one chip draws while the engine has nothing to run, W (for the gaps between steps). */
  readonly idle_power_w?: number;
  /** Chips of one engine instance (tp × ep; default 1). */
  readonly chips?: number;
}
