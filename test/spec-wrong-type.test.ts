/**
 * A scenario value of the wrong type names what was expected and what was found, instead of
 * "required field is missing" (issue #8); a truly absent field still says it is missing.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/core/app/run-scenario.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { chipSpecSchema } from "../src/core/spec/chip-spec.js";
import { parseModelSpec } from "../src/core/spec/model-spec.js";
import { parseWith } from "../src/core/spec/validate.js";

const parseChipSpec = (raw: unknown) => parseWith(chipSpecSchema, raw, "c.yaml");

function diagnostics(raw: unknown) {
  try {
    parseScenario(raw, "s.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return (e as XpusimError).diagnostics;
  }
  throw new Error("expected an XpusimError");
}

const base = { kind: "inference", hardware: { chip: "nvidia-h100-sxm" }, workload: { model: "llama-3.1-8b" } };

describe("wrong-type diagnostics", () => {
  it.each([
    ["inference.batch", { ...base, inference: { batch: "eight", input_tokens: 8, output_tokens: 8 } }, "number", "string", '"eight"'],
    ["hardware.count", { ...base, hardware: { chip: "nvidia-h100-sxm", count: "x" } }, "number", "string", '"x"'],
    ["hardware.chip", { ...base, hardware: { chip: 42 } }, "string or object", "number", "42"],
    ["inference.input_tokens", { ...base, inference: { batch: 1, input_tokens: [1, 2], output_tokens: 8 } }, "number", "array", "[1,2]"],
    ["parallelism.tp", { ...base, parallelism: { tp: null } }, "number", "null", "null"],
    ["parallelism.sp", { ...base, parallelism: { sp: "yes" } }, "boolean", "string", '"yes"'],
  ])("%s", (path, raw, expected, gotType, got) => {
    const d = diagnostics(raw).find((x) => x.path === path);
    expect(d, JSON.stringify(diagnostics(raw))).toBeDefined();
    expect(d!.message).not.toMatch(/missing/);
    expect(d!.message).toMatch(new RegExp(`got ${gotType}$`));
    if (expected) expect(d!.expected).toBe(expected);
    expect(d!.got).toBe(got);
    expect(d!.file).toBe("s.yaml");
  });

  it("an absent required field is still reported as missing", () => {
    const d = diagnostics({ kind: "inference", workload: { model: "llama-3.1-8b" } });
    expect(d).toMatchObject([{ path: "hardware", message: "required field is missing", got: "nothing" }]);
  });

  it("a quantity of the wrong type names every accepted form", () => {
    try {
      parseChipSpec({ id: "c", name: "c", vendor: "v", kind: "gpu", family: "f", memory: { main: { type: "HBM3", capacity: true, bandwidth: "1 TB/s" } } });
      expect.unreachable();
    } catch (e) {
      const d = (e as XpusimError).diagnostics.find((x) => x.path === "memory.main.capacity");
      expect(d).toMatchObject({ message: "expected number or string, got boolean", expected: "number or string", got: "true" });
    }
  });

  it("model specs get the same treatment", () => {
    try {
      parseModelSpec({ id: "m", name: "m", category: "decoder-llm", layers: "two" });
      expect.unreachable();
    } catch (e) {
      const d = (e as XpusimError).diagnostics.find((x) => x.path === "layers");
      expect(d).toMatchObject({ message: "expected number, got string", got: '"two"' });
    }
  });
});
