import { error, XpusimError } from "../diagnostics/diagnostic.js";
import { contextParallelProblem } from "../parallel/context-parallel.js";
import { expertCount, expertParallelProblem } from "../parallel/expert-parallel.js";
import { type LayoutNetwork, layoutNetwork } from "../parallel/network-context.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { InferenceRequest } from "./inference-request.js";
import { checkSpeculative } from "./speculative-decoding.js";

/**
 * The parallel layout of an inference request, checked: chips = replicas × tp × pp × cp, each
 * data-parallel replica serving batch / replicas; expert parallelism over ep of the replicas.
 */
export interface InferenceLayout {
  tp: number;
  pp: number;
  ep: number;
  cp: number;
  /** tp · pp · cp: the chips of one replica. */
  modelParallel: number;
  replicas: number;
  /** Sequences (or images) each replica runs. */
  batchPerReplica: number;
}

function range(path: string, message: string, hint?: string): XpusimError {
  return new XpusimError(error("E_RANGE", path, message, hint ? { hint } : {}));
}

/** Structural checks of a tp/pp layout against the model (vLLM / TensorRT-LLM refuse the same). */
function checkTpPp(model: ModelSpec, tp: number, pp: number): void {
  if (!Number.isInteger(tp) || tp < 1) throw range("parallelism.tp", `tp must be a positive integer, got ${String(tp)}`);
  if (!Number.isInteger(pp) || pp < 1) throw range("parallelism.pp", `pp must be a positive integer, got ${String(pp)}`);
  if (tp === 1 && pp === 1) return;
  if (model.category !== "decoder-llm" && model.category !== "encoder" && model.category !== "vision-transformer") {
    throw new XpusimError(error("E_UNSUPPORTED", "parallelism", `tensor/pipeline parallelism is modelled for transformer models; ${model.id} is a ${model.category}`, { hint: "use data-parallel replicas (tp = pp = 1)" }));
  }
  const heads = model.attention.heads;
  if (heads % tp !== 0) throw range("parallelism.tp", `tp = ${tp} does not divide the ${heads} attention heads of ${model.id}`, `use a tp that divides ${heads}`);
  const kv = model.attention.kv_heads ?? heads;
  if (!model.attention.mla && kv % tp !== 0 && tp % kv !== 0) {
    throw range("parallelism.tp", `tp = ${tp} and the ${kv} KV heads of ${model.id} neither divide each other`, "KV heads are split or replicated evenly only when one divides the other");
  }
  if (pp > model.layers) throw range("parallelism.pp", `pp = ${pp} exceeds the ${model.layers} layers of ${model.id}`);
}

/** Expert and context parallelism against the model and the prompt. */
function checkEpCp(req: InferenceRequest, ep: number, cp: number): void {
  const epProblem = expertParallelProblem(expertCount(req.model), ep, req.model.id);
  if (epProblem) throw range("parallelism.ep", epProblem.message, epProblem.hint);
  if (cp === 1) return;
  if (req.model.category !== "decoder-llm" && req.model.category !== "encoder") throw new XpusimError(error("E_UNSUPPORTED", "parallelism.cp", `context parallelism is modelled for decoder and encoder models; ${req.model.id} is a ${req.model.category}`, { hint: "use cp = 1" }));
  const cpProblem = contextParallelProblem(req.input_tokens, cp);
  if (cpProblem) throw range("parallelism.cp", cpProblem.message.replace("sequence length", "input length"), cpProblem.hint);
}

/** The chips split into replicas of tp·pp·cp, ep dividing the replicas and the replicas the batch. */
function replicasOf(req: InferenceRequest, modelParallel: number, ep: number, cp: number): number {
  if (req.chips % modelParallel !== 0) {
    throw new XpusimError(error("E_RANGE", "hardware.count", `chip count ${req.chips} is not a multiple of tp·pp${cp > 1 ? "·cp" : ""} = ${modelParallel}`, { hint: `use ${modelParallel}, ${2 * modelParallel}, … chips, or change tp/pp${cp > 1 ? "/cp" : ""}` }));
  }
  const replicas = req.chips / modelParallel;
  if (ep > 1 && replicas % ep !== 0) throw range("parallelism.ep", `ep = ${ep} does not divide the ${replicas} data-parallel replicas (expert parallelism splits experts over replicas)`, `use ${ep * modelParallel}, ${2 * ep * modelParallel}, … chips, or an ep that divides ${replicas}`);
  if (req.batch % replicas !== 0) {
    throw new XpusimError(
      error("E_RANGE", "inference.batch", `batch ${req.batch} does not divide evenly over ${replicas} data-parallel replicas`, {
        hint: `use a batch that is a multiple of ${replicas}`,
      }),
    );
  }
  return replicas;
}

/** Prompt + generated tokens must fit the model's context window. */
function checkContextLength(req: InferenceRequest): void {
  const model = req.model;
  if (model.category !== "decoder-llm" && model.category !== "encoder") return;
  const output = model.category === "decoder-llm" ? req.output_tokens : 0;
  if (req.input_tokens + output <= model.max_context) return;
  throw new XpusimError(
    error("E_RANGE", "inference.input_tokens", `${req.input_tokens + output} tokens (input ${req.input_tokens}${model.category === "decoder-llm" ? ` + output ${req.output_tokens}` : ""}) exceed the maximum context of ${model.id}, ${model.max_context} tokens`, {
      hint: `keep input + output ≤ ${model.max_context}`,
    }),
  );
}

/** Every structural check of the request; the layout it describes. */
export function checkInferenceRequest(req: InferenceRequest): InferenceLayout {
  const { tp, pp } = req;
  const ep = req.ep ?? 1;
  const cp = req.cp ?? 1;
  checkTpPp(req.model, tp, pp);
  checkEpCp(req, ep, cp);
  const modelParallel = tp * pp * cp;
  const replicas = replicasOf(req, modelParallel, ep, cp);
  if (req.speculative) checkSpeculative(req.speculative, req.model);
  checkContextLength(req);
  return { tp, pp, ep, cp, modelParallel, replicas, batchPerReplica: req.batch / replicas };
}

/** The network that prices the layout's collectives; undefined on one chip per replica without ep. */
export function inferenceNetwork(req: InferenceRequest, l: InferenceLayout): LayoutNetwork | undefined {
  if (l.modelParallel * l.ep === 1) return undefined;
  if (!req.system) {
    throw new XpusimError(error("E_SCHEMA", "hardware.system", `tp = ${l.tp}, pp = ${l.pp}${l.ep > 1 ? `, ep = ${l.ep}` : ""}${l.cp > 1 ? `, cp = ${l.cp}` : ""} need a system (nodes and links) to price the collectives`, { hint: "set hardware.system to a catalog system id (`xpusim collective --list`)" }));
  }
  return l.ep === 1 && l.cp === 1 ? layoutNetwork(req.system, l.tp, 1, l.pp) : layoutNetwork(req.system, l.tp, l.ep, l.pp, l.ep, l.cp);
}
