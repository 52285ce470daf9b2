import { z } from "zod";
import { DTYPES } from "../units/dtype.js";
import { UNIT_CODECS } from "./pipeline-unit-spec.js";
import { opSpec, precisionSpec } from "./scenario-spec.js";
import { quantity } from "./sourced.js";

/**
 * `kind: pipeline` (docs/scenario.md, issue #12): a heterogeneous system of unlike units in series —
 * a fixed-rate stage, a chip running a workload, or a catalog fixed-function unit — joined by links.
 * The names are a contract: stages, name, rate_per_s, latency_s, power_w, cost_per_hour, chip,
 * workload, precision, batch, unit, count, link { bandwidth_bytes_per_s | id, bytes_per_item },
 * items, arrival_rate_per_s. `input`/`output` (item shapes), `inference` and a unit's codec and
 * resolution extend it.
 */

const positiveInt = z.number().int().positive();
const positive = z.number().positive();

const itemShape = z.strictObject({
  /** Dimensions of one item, e.g. [1080, 1920, 3] for an RGB frame (H, W, C). */
  shape: z.array(positiveInt).min(1),
  /** Element type (default uint8 for images). */
  dtype: z.enum([...DTYPES, "uint8"]).default("uint8"),
});
export type ItemShape = z.output<typeof itemShape>;

const linkSpec = z
  .strictObject({
    /** A catalog link id ("pcie-gen4-x16", "ethernet-10g", "on-package"; `xpusim catalog links`). */
    id: z.string().optional(),
    /** Or the bandwidth itself (one direction), e.g. 12.5e9 or "12.5 GB/s". */
    bandwidth_bytes_per_s: quantity("bytes_per_s", { positive: true }).optional(),
    /** Bytes that cross per item; default: the previous stage's output item size. */
    bytes_per_item: quantity("bytes", { positive: true }).optional(),
    /** Fixed latency per item; default: the catalog link's. */
    latency_s: quantity("seconds", { min: 0 }).optional(),
  })
  .refine((l) => (l.id === undefined) !== (l.bandwidth_bytes_per_s === undefined), { message: "a link has exactly one of id or bandwidth_bytes_per_s" });

const unitRef = z.union([
  z.string(),
  z.strictObject({
    id: z.string(),
    codec: z.enum(UNIT_CODECS).optional(),
    /** "1080p", "2160p" or "WxH". */
    resolution: z.string().regex(/^(\d+p|\d+x\d+)$/, 'a resolution such as "1080p" or "1920x1080"').optional(),
  }),
]);

export const pipelineStageSpec = z
  .strictObject({
    name: z.string().min(1),
    /** A fixed-function stage: items per second of one unit. */
    rate_per_s: positive.optional(),
    latency_s: z.number().min(0).optional(),
    power_w: z.number().min(0).optional(),
    cost_per_hour: z.number().min(0).optional(),
    /** A chip stage: a catalog id, a spec file or an inline chip spec, with its workload. */
    chip: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    workload: z.union([z.strictObject({ model: z.union([z.string(), z.record(z.string(), z.unknown())]) }), z.strictObject({ op: opSpec })]).optional(),
    precision: precisionSpec.optional(),
    /** Items per call of a chip stage (default 1). */
    batch: positiveInt.optional(),
    /** Tokens of an LLM stage's items; image size of a CNN's. */
    inference: z.strictObject({ input_tokens: positiveInt.optional(), output_tokens: z.number().int().min(0).optional(), image_size: positiveInt.optional() }).optional(),
    /** A catalog fixed-function unit (`xpusim catalog units`), with the codec and resolution it decodes. */
    unit: unitRef.optional(),
    /** Identical units working in parallel on this stage. */
    count: positiveInt.default(1),
    /** The link from this stage to the next. */
    link: linkSpec.optional(),
    /** Shape of one input item (checked against the previous stage's output). */
    input: itemShape.optional(),
    /** Shape of one output item (the next stage's input; the default size of the link's items). */
    output: itemShape.optional(),
  })
  .superRefine((s, ctx) => {
    const ways = (["rate_per_s", "chip", "unit"] as const).filter((k) => s[k] !== undefined);
    if (ways.length !== 1) ctx.addIssue({ code: "custom", message: `a stage has exactly one of rate_per_s, chip (with workload) or unit; got ${ways.length ? ways.join(" and ") : "none"}` });
    if (s.chip !== undefined && s.workload === undefined) ctx.addIssue({ code: "custom", path: ["workload"], message: "a chip stage needs its workload (e.g. { model: resnet-50 })" });
    if (s.chip === undefined && s.workload !== undefined) ctx.addIssue({ code: "custom", path: ["workload"], message: "a workload runs on a chip: give the stage's chip" });
  });

export const pipelineScenarioSpec = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().optional(),
    kind: z.literal("pipeline"),
    stages: z.array(pipelineStageSpec).min(1),
    /** Items to push through (for the total time and energy). */
    items: positiveInt.optional(),
    /** Items arriving per second (default: as fast as the pipeline takes them). */
    arrival_rate_per_s: positive.optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.stages.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: ["stages", i, "name"], message: `stage name "${s.name}" is already used by stages[${seen.get(s.name)}]` });
      else seen.set(s.name, i);
    });
    const last = p.stages.length - 1;
    if (p.stages[last]?.link !== undefined) ctx.addIssue({ code: "custom", path: ["stages", last, "link"], message: "the last stage has no next stage to link to" });
  });

export type PipelineScenario = z.output<typeof pipelineScenarioSpec>;
export type PipelineStage = PipelineScenario["stages"][number];
export type PipelineLink = NonNullable<PipelineStage["link"]>;
