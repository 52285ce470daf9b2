import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaDocuments } from "../src/node/schemas.js";

describe("JSON Schemas in docs/schema", () => {
  it("are current with the zod definitions (run `npm run schema` after changing a spec)", () => {
    for (const [name, doc] of Object.entries(schemaDocuments())) {
      const committed = JSON.parse(readFileSync(join(import.meta.dirname, "..", "docs", "schema", `${name}.schema.json`), "utf8"));
      expect(committed, `docs/schema/${name}.schema.json is stale`).toEqual(doc);
    }
  });

  it("describe the scenario contract's required fields and enums", () => {
    const s = schemaDocuments().scenario as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(s.required).toEqual(expect.arrayContaining(["kind", "hardware", "workload"]));
    expect(s.properties.kind!.enum).toEqual(["op", "inference", "training", "serving"]);
  });
});

describe("generated reference pages in docs/", () => {
  it("are current (run `npm run docs` after changing cost models, parameters or chips)", async () => {
    const { referencePages } = await import("../src/node/reference-docs.js");
    for (const [name, text] of Object.entries(referencePages())) {
      const committed = readFileSync(join(import.meta.dirname, "..", "docs", name), "utf8");
      expect(committed, `docs/${name} is stale`).toBe(text);
    }
  });
});
