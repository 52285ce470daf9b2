import type { TrainingEstimate } from "../estimate/estimate-training.js";
import { parseMeasured } from "../units/quantity.js";
import { countOf } from "./point-config.js";
import type { PointContext } from "./validation-result.js";

/**
 * Whole-run training points (time to train, GPU-hours, energy): the tokens the run trained on over
 * the predicted steady-state throughput, plus the evaluation/checkpoint overhead the point states.
 * Config fields: `tokens_to_train` ("1.4T", 1.4e12) or `samples_to_train` (× seq), and optionally
 * `eval_overhead` (a share of training time, 0.05 or "5 %") or `eval_time` ("3 min"); for energy,
 * `power_per_chip` ("400 W", else the chip's TDP) and `pue` (else 1). Energy is accelerator time ×
 * power × PUE, the accounting of Touvron et al. 2023 §6 and Patterson et al. 2021.
 */
export interface TrainingRun {
  /** Wall-clock seconds: training plus the stated evaluation overhead. */
  seconds: number;
  chips: number;
}

export const RUN_METRICS: Record<string, (run: TrainingRun, pc: PointContext) => number | string> = {
  time_to_train: (run) => run.seconds,
  chip_time_to_train: (run) => run.seconds * run.chips,
  energy_to_train: (run, pc) => {
    const stated = pc.cfg.power_per_chip;
    const power = typeof stated === "string" ? parseMeasured(stated) : undefined;
    const watts = typeof stated === "number" ? stated : power?.dimension === "watts" ? power.value : pc.chip.power.tdp_w;
    if (watts === undefined) return `config "power_per_chip" (e.g. "400 W") is needed: ${pc.chip.id} has no TDP in the catalog`;
    const pue = typeof pc.cfg.pue === "number" ? pc.cfg.pue : 1;
    pc.assumptions.push(`energy = chip time × ${watts} W${stated === undefined ? " (catalog TDP)" : ""} × PUE ${pue}${pc.cfg.pue === undefined ? " (not stated: 1 assumed)" : ""}`);
    return run.seconds * run.chips * watts * pue;
  },
};

/** The evaluation overhead as a share of training time; a string is the reason it cannot be read. */
function evalShare(cfg: Record<string, unknown>, trainS: number, assumptions: string[]): number | string {
  if (cfg.eval_time !== undefined) {
    const t = typeof cfg.eval_time === "string" ? parseMeasured(cfg.eval_time) : undefined;
    if (!t || t.dimension !== "seconds") return `config "eval_time" must be a time such as "3 min" (got ${JSON.stringify(cfg.eval_time)})`;
    assumptions.push(`evaluation/checkpoint time as stated: ${cfg.eval_time}`);
    return t.value / trainS;
  }
  if (cfg.eval_overhead !== undefined) {
    const raw = cfg.eval_overhead;
    const share = typeof raw === "number" ? raw : typeof raw === "string" ? parseMeasured(raw) : undefined;
    const v = typeof share === "number" ? share : share?.dimension === "fraction" ? share.value : undefined;
    if (v === undefined || v < 0) return `config "eval_overhead" must be a share of training time such as 0.05 or "5 %" (got ${JSON.stringify(raw)})`;
    assumptions.push(`evaluation/checkpoint overhead as stated: ${(v * 100).toFixed(1)} % of training time`);
    return v;
  }
  assumptions.push("no evaluation/checkpoint overhead stated (eval_overhead or eval_time): none assumed");
  return 0;
}

/** The token budget a whole-run point states: `tokens_to_train`, or `samples_to_train` × seq. */
export function tokensToTrain(cfg: Record<string, unknown>, seq: number): number | undefined {
  const tokens = countOf(cfg.tokens_to_train);
  if (tokens !== undefined) return tokens > 0 ? tokens : undefined;
  const samples = countOf(cfg.samples_to_train);
  return samples !== undefined && samples > 0 ? samples * seq : undefined;
}

/**
 * The whole run of a time-to-train point: the estimate's time to train (its token budget over the
 * steady-state tokens per step, estimate-training's `tokens`) plus the stated evaluation overhead;
 * a string names the missing field.
 */
export function trainingRunOf(pc: PointContext, e: TrainingEstimate): TrainingRun | string {
  const trainS = e.time_to_train_s;
  if (trainS === undefined)
    return `field "config": needs "tokens_to_train" (e.g. "1.4T") or "samples_to_train" (sequences of config.seq tokens) to turn throughput into ${pc.p.metric}`;
  pc.assumptions.push(`time to train: the token budget at the predicted ${e.tokens_per_s.toExponential(3)} tokens/s (steady state)`);
  const share = evalShare(pc.cfg, trainS, pc.assumptions);
  if (typeof share === "string") return share;
  return { seconds: trainS * (1 + share), chips: e.chips };
}
