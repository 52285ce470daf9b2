import { z } from "zod";
import { chipSpecSchema } from "../core/spec/chip-spec.js";
import { familySpecSchema } from "../core/spec/family-spec.js";
import { modelSpecSchema } from "../core/spec/model-spec.js";
import { scenarioSpec } from "../core/spec/scenario-spec.js";
import { linkFamilySpecSchema } from "../core/spec/link-spec.js";
import { pipelineScenarioSpec } from "../core/spec/pipeline-spec.js";
import { pipelineUnitSpecSchema } from "../core/spec/pipeline-unit-spec.js";
import { systemSpecSchema } from "../core/spec/system-spec.js";

/** JSON Schemas (draft 2020-12) of every spec format, generated from the zod definitions. */
export function schemaDocuments(): Record<string, unknown> {
  const gen = (schema: z.ZodType, title: string, id: string) => ({
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    $id: `https://xpusim.dev/schema/${id}.schema.json`,
    title,
  });
  return {
    chip: gen(chipSpecSchema, "xpusim chip spec", "chip"),
    model: gen(modelSpecSchema, "xpusim model spec", "model"),
    family: gen(familySpecSchema, "xpusim chip-family efficiency parameters", "family"),
    scenario: gen(scenarioSpec, "xpusim scenario", "scenario"),
    system: gen(systemSpecSchema, "xpusim system spec (nodes, scale-up and scale-out networks)", "system"),
    pipeline: gen(pipelineScenarioSpec, "xpusim pipeline scenario (kind: pipeline)", "pipeline"),
    unit: gen(pipelineUnitSpecSchema, "xpusim fixed-function unit (catalog/units)", "unit"),
    link: gen(linkFamilySpecSchema, "xpusim link family (catalog/links)", "link"),
  };
}
