/** The inference job takes precision as a user writes it (partial, or absent) and refuses bad dtypes by field. */
import { describe, expect, it } from "vitest";
import { JOBS } from "../src/core/app/registry.js";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { nodeCatalog } from "../src/node/node-catalog.js";

const base = { chip: "nvidia-h100-sxm", model: "llama-3.1-8b", batch: 4, input_tokens: 512, output_tokens: 64, chips: 1, tp: 1, pp: 1 };

describe("inference job input", () => {
  it("fills a partial precision the way a scenario does (weights, activations and KV follow compute)", () => {
    const full = JOBS.inference.run({ ...base, precision: { compute: "fp8", weights: "fp8", activations: "fp8", kv_cache: "fp8" } }, nodeCatalog());
    const partial = JOBS.inference.run({ ...base, precision: { compute: "fp8" } }, nodeCatalog());
    expect(partial).toEqual(full);
    expect(partial.ttft_s).toBeLessThan(JOBS.inference.run({ ...base, precision: { compute: "bf16" } }, nodeCatalog()).ttft_s);
  });

  it("defaults to bf16 when no precision is given", () => {
    expect(JOBS.inference.run(base, nodeCatalog())).toEqual(JOBS.inference.run({ ...base, precision: { compute: "bf16" } }, nodeCatalog()));
  });

  it("refuses an unknown dtype, naming the field", () => {
    const run = () => JOBS.inference.run({ ...base, precision: { compute: "bf17" as never } }, nodeCatalog());
    expect(run).toThrow(XpusimError);
    expect(run).toThrow(/unknown dtype "bf17"/);
    try {
      run();
    } catch (e) {
      expect((e as XpusimError).diagnostics[0]!.path).toBe("precision.compute");
    }
  });
});
