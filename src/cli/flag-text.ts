import { XpusimError } from "../core/diagnostics/diagnostic.js";
import { UsageError } from "./output.js";

/**
 * Reads a flag's text with a core parser (core/app/serving-text.ts and the like): a parser's
 * XpusimError about the text becomes a UsageError (a bad flag, exit 2), as flag errors are.
 */
export function readFlag<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    const d = e instanceof XpusimError && e.diagnostics.length === 1 ? e.diagnostics[0] : undefined;
    if (d) throw new UsageError(d.message, d.hint);
    throw e;
  }
}
