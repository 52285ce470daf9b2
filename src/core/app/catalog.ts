import type { CostContext } from "../cost/contract.js";
import type { Chip } from "../hardware/chip.js";
import type { EnergyCatalog } from "../spec/energy-spec.js";
import type { MoneyCatalog } from "../spec/money-spec.js";
import type { System } from "../network/build-system.js";
import type { ModelSpec } from "../spec/model-spec.js";
import type { SoftwareSpec } from "../spec/software-spec.js";
import type { ServingRequest } from "../serving/request.js";
import type { PipelinePartsLookup } from "../catalog/pipeline-parts-lookup.js";
import type { ValidationResolvers } from "../validate/validation-result.js";
import type { ResolvedEfficiency } from "../spec/family-spec.js";

/**
 * Everything a job may look up, injected by the front end so the application layer stays
 * browser-safe: the Node catalog (files under catalog/, user spec files) implements it in
 * src/node/node-catalog.ts; a browser build implements it over the compiled catalog artefact.
 *
 * A reference is a catalog id, a spec file path (where the front end can read files) or an inline
 * spec object (always).
 */
export type SpecRef = string | Record<string, unknown>;

export interface Catalog {
  chip(ref: SpecRef): Chip;
  model(ref: SpecRef): ModelSpec;
  /**
   * The system `count` chips run on: the named/inline one (then `chip` and `count` are not needed),
   * else a default built from the chip's own links (every chip, catalog or user file, has one).
   * Undefined only when `count` is 1 and no system is named.
   */
  system(ref: SpecRef | undefined, chip?: Chip, count?: number): System | undefined;
  /** The chip with its family's efficiency parameters: what every cost model reads. */
  context(chip: Chip): CostContext;
  /**
   * The chip's efficiency parameters with their provenance (family chain, sources, stated ranges):
   * what `calibrate` bounds its fit with. Optional: without it every bound is physical.
   */
  efficiency?(chip: Chip): ResolvedEfficiency;
  /** Family ids of the catalog (optional; a calibration overlay is checked against them). */
  familyIds?(): readonly string[];
  /** Per-action energies and areas by process node, DRAM energy, scaling and static power (catalog/energy). */
  energy(): EnergyCatalog;
  /** Wafer price, defect density, design and mask cost by node; packaging and HBM; ownership (TCO) defaults (catalog/money). */
  money(): MoneyCatalog;
  chipIds(): readonly string[];
  modelIds(): readonly string[];
  systemIds(): readonly string[];
  /** Fixed-function units (video decoders, ISPs) and links (PCIe, CXL, Ethernet…) of pipelines. */
  pipelineParts(): PipelinePartsLookup;
  /**
   * A software-stack preset by id or alias (catalog/software); E_UNKNOWN_ID with the closest ids at
   * `path` otherwise. Optional: without it jobs run on the engine's built-in defaults, and results
   * say so (software id "engine-defaults").
   */
  software?(idOrAlias: string, path?: string): SoftwareSpec;
  softwareIds?(): readonly string[];
  /**
   * Name-based lookups for measured-results files (hardware and model names as sources write them,
   * the systems they ran on, config supplements). Optional: only front ends that carry the validation
   * name maps provide it; the validation job refuses without it.
   */
  validationResolvers?(): ValidationResolvers;
  /**
   * A request trace named by path in a scenario (`serving.input_tokens: traces/chat.jsonl`): its
   * rows, parsed by `parseTrace(text, format, { arrivalOptional: true })` (arrival_s NaN when the
   * file has none). Optional: only front ends that read files provide it.
   */
  servingTrace?(path: string): ServingRequest[];
}
