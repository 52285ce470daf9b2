import { z } from "zod";
import { chipSpecSchema } from "../core/spec/chip-spec.js";
import { scenarioSpec } from "../core/spec/scenario-spec.js";

/** JSON Schemas (draft 2020-12) of every spec format, generated from the zod definitions. */
export function schemaDocuments(): Record<string, unknown> {
  const gen = (schema: z.ZodType, title: string, id: string) => ({
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    $id: `https://xpusim.dev/schema/${id}.schema.json`,
    title,
  });
  return {
    chip: gen(chipSpecSchema, "xpusim chip spec", "chip"),
    scenario: gen(scenarioSpec, "xpusim scenario", "scenario"),
  };
}
