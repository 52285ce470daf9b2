/** "Did you mean" hints rank a mistyped id by edit distance less half the shared prefix. */
import { describe, expect, it } from "vitest";
import { closest } from "../src/core/diagnostics/diagnostic.js";
import { chipIds } from "../src/node/chip-catalog.js";
import { modelIds } from "../src/node/model-catalog.js";

describe("closest ids", () => {
  it("a mistyped chip id suggests the chip it was meant to be first", () => {
    expect(closest("nvidia-h1000", chipIds())[0]).toBe("nvidia-h100-sxm");
    expect(closest("nvidia-h100", chipIds()).slice(0, 2).sort()).toEqual(["nvidia-h100-pcie", "nvidia-h100-sxm"]);
    expect(closest("amd-mi300", chipIds())[0]).toBe("amd-mi300x");
  });

  it("a mistyped model id too", () => {
    expect(closest("llama-3.1-8", modelIds())[0]).toBe("llama-3.1-8b");
    expect(closest("llama3.1-70b", modelIds())[0]).toBe("llama-3.1-70b");
  });
});
