import { expect } from "vitest";
import { type Diagnostic, XpusimError } from "../../src/core/diagnostics/diagnostic.js";

/** The diagnostics of the XpusimError `f` throws (fails when it throws anything else or nothing). */
export function diagnosticsOf(f: () => unknown): Diagnostic[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return (e as XpusimError).diagnostics;
  }
  throw new Error("expected an XpusimError");
}
