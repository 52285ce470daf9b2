import { type Diagnostic, error } from "../../diagnostics/diagnostic.js";
import { contextParallelProblem } from "../../parallel/context-parallel.js";
import { expertCount, expertParallelProblem } from "../../parallel/expert-parallel.js";
import type { TrainingRequest } from "./training-types.js";

function bad(path: string, message: string, hint?: string): Diagnostic {
  return error("E_RANGE", path, message, hint ? { hint } : {});
}

/** Divisibility and layout checks; every problem is reported, with the field it concerns. */
export function checkLayout(req: TrainingRequest, layers: number, heads: number | undefined, kvHeads: number | undefined): Diagnostic[] {
  const d: Diagnostic[] = [];
  const v = req.interleave ?? 1;
  const epProblem = expertParallelProblem(expertCount(req.model), req.ep, req.model.id);
  if (epProblem) d.push(bad("parallelism.ep", epProblem.message, epProblem.hint));
  else if (req.ep > 1 && req.dp % req.ep !== 0) d.push(bad("parallelism.ep", `ep = ${req.ep} does not divide dp = ${req.dp} (expert parallelism runs inside the data-parallel dimension)`, "use an ep that divides dp"));
  const cpProblem = contextParallelProblem(req.seq_len, req.cp);
  if (cpProblem) d.push(bad("parallelism.cp", cpProblem.message, cpProblem.hint));
  if (req.tp * req.pp * req.dp * req.cp !== req.chips) {
    d.push(bad("parallelism", `tp·pp·dp·cp = ${req.tp}·${req.pp}·${req.dp}·${req.cp} = ${req.tp * req.pp * req.dp * req.cp} does not equal the chip count ${req.chips}`, "the degrees must multiply to hardware.count"));
  }
  if (req.global_batch % (req.dp * req.microbatch) !== 0) {
    d.push(bad("training.global_batch", `global batch ${req.global_batch} is not divisible by dp × microbatch = ${req.dp * req.microbatch}`, `use a multiple of ${req.dp * req.microbatch}`));
  }
  if (heads !== undefined && req.tp > 1 && heads % req.tp !== 0) d.push(bad("parallelism.tp", `tp=${req.tp} does not divide the ${heads} attention heads`));
  if (kvHeads !== undefined && req.tp > 1 && kvHeads % req.tp !== 0 && req.tp % kvHeads !== 0) {
    d.push(bad("parallelism.tp", `tp=${req.tp} and the ${kvHeads} KV heads neither divide each other`, "KV heads are split or replicated in whole groups"));
  }
  if (req.pp > 1 && layers > 0 && req.pp * v > layers) d.push(bad("parallelism.pp", `pp × interleave = ${req.pp * v} exceeds the ${layers} layers`, "each pipeline chunk needs at least one layer"));
  if (v > 1 && req.pp === 1) d.push(bad("parallelism.interleave", "interleaving needs pipeline parallelism (pp > 1)"));
  if (req.sp && req.tp === 1) d.push(bad("parallelism.sp", "sequence parallelism needs tp > 1"));
  if (req.zero > 0 && req.dp === 1) d.push(bad("parallelism.zero", `ZeRO stage ${req.zero} shards over data-parallel ranks, but dp = 1`));
  if ((req.tp > 1 || req.pp > 1 || req.cp > 1 || req.ep > 1) && layers === 0) d.push(error("E_UNSUPPORTED", "parallelism", "tensor/pipeline/context/expert parallelism is modelled for transformer models only"));
  return d;
}
