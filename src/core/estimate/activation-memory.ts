/**
 * Activation memory moved down to core/workload (it reads only the op graph, and core/parallel needs
 * it). This re-export keeps existing imports working; new code imports ../workload/activation-memory.js.
 */
export { inferenceActivationPeakBytes, savedActivationBytes, trainingActivationBytes, workingSetBytes, type TrainingActivationBytes } from "../workload/activation-memory.js";
