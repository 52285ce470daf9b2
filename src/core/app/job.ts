import type { Scenario } from "../spec/scenario-spec.js";

/** Every `kind:` a scenario file may have; `pipeline` files have their own schema (spec/pipeline-spec.ts). */
export type ScenarioKind = Scenario["kind"] | "pipeline";
import type { Catalog } from "./catalog.js";

/**
 * The contract of the application layer: one typed request → one typed result per job the product
 * offers (an op, an inference, a training step, a layout search, a comparison, a serving plan, ...).
 * Every front end — the scenario runner, each CLI command, the library API, the web UI — builds a
 * request and calls `run`; none reaches past this layer into the estimators.
 *
 * Adding a job is one file under `jobs/` plus one line in `registry.ts`.
 */
export interface Job<Req, Res> {
  /** Stable id ("op", "inference", "training", ...): its key in `JOBS`. */
  readonly id: string;
  /** One line: what it answers. */
  readonly summary: string;
  /** What it supports and how accurate it is (listed by `listJobs()` for docs and front ends). */
  readonly supports: string;
  /** Scenario kinds (`kind:` in a scenario file) that map onto this job, with the mapping. */
  readonly scenarioKinds?: readonly ScenarioKind[];
  fromScenario?(s: Scenario, catalog: Catalog): Req;
  run(req: Req, catalog: Catalog): Res;
}

/** The request type of a job. */
export type RequestOf<J> = J extends Job<infer Req, unknown> ? Req : never;
/** The result type of a job. */
export type ResultOf<J> = J extends Job<unknown, infer Res> ? Res : never;

export function defineJob<Req, Res>(job: Job<Req, Res>): Job<Req, Res> {
  return job;
}
