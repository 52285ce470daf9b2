/**
 * The serving planner's inputs (URL strings) → the serving-plan job's request, parsed as
 * `xpusim plan serve` parses its flags (servingText), and the chosen deployment → the serving job's
 * request that replays the plan's simulation of it (deploymentServingRequest).
 */
import { deploymentServingRequest, type PlanDeployment, type ServingJobRequest, type ServingPlanJobRequest, servingText } from "../../../core/app/index.js";
import { error, XpusimError } from "../../../core/diagnostics/diagnostic.js";
import { nameList, positiveWhole } from "../planner/parse-input.js";
import { byId, type RefOf } from "../shared/typed-number.js";

/** A 7–8B model on two candidate chips and two precisions: the plan takes seconds. */
export const SERVING_VIEW_DEFAULTS = {
  model: "llama-3.1-8b",
  slo: "ttft=500ms,tpot=50ms",
  rate: "5/s",
  input: "1024",
  output: "256",
  chips: "nvidia-h100-sxm,amd-mi300x",
  precisions: "bf16,fp8",
  max_chips: "",
  /** The chosen deployment's key ("" = the cheapest). */
  pick: "",
};
export type ServingViewState = typeof SERVING_VIEW_DEFAULTS;


/** A length as `--input`/`--output` take it: tokens, or a uniform range "512-2048". */
function lengthOf(text: string, field: string) {
  return servingText.parseLength(text, field);
}

/** The plan sizes on one length per request: a range's mean. */
const meanTokens = (d: ReturnType<typeof lengthOf>): number => (typeof d === "number" ? d : d.kind === "fixed" ? d.tokens : d.kind === "uniform" ? Math.round((d.min + d.max) / 2) : Math.round(d.mean));

export function planRequestOf(s: ServingViewState, ref: RefOf = byId): ServingPlanJobRequest {
  const chips = nameList(s.chips);
  if (chips.length === 0) throw new XpusimError(error("E_SCHEMA", "chips", "choose at least one candidate chip"));
  const rate = servingText.parseRate(s.rate, "rate");
  if (!Number.isFinite(rate)) throw new XpusimError(error("E_SCHEMA", "rate", "a plan needs a finite request rate", { got: s.rate }));
  const maxChips = positiveWhole(s.max_chips, "max_chips");
  return {
    model: ref(s.model),
    slo: servingText.parseSlo(s.slo, "slo"),
    rate_per_s: rate,
    chips: chips.map(ref),
    precisions: servingText.parseNameList(s.precisions, "precisions", "precision"),
    input_tokens: meanTokens(lengthOf(s.input, "input")),
    output_tokens: meanTokens(lengthOf(s.output, "output")),
    ...(maxChips !== undefined ? { max_chips: maxChips } : {}),
  };
}

/** The simulation of deployment `d`: the plan's, with the length distributions as given. */
export function simulationRequestOf(s: ServingViewState, plan: ServingPlanJobRequest, d: PlanDeployment): ServingJobRequest {
  return deploymentServingRequest(plan, d, { input: lengthOf(s.input, "input"), output: lengthOf(s.output, "output") });
}

/** A deployment's key in the table and the URL. */
export const deploymentKey = (d: PlanDeployment): string => `${d.chip} ${d.precision} tp${d.tp}${d.ep > 1 ? ` ep${d.ep}` : ""} ×${d.replicas}`;
