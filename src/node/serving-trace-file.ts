/**
 * Reads a serving request trace named in a scenario (CSV or JSONL; docs/scenario.md, kind: serving):
 * missing file and parse errors name the file; rows may omit arrival times (then the scenario's
 * arrival process supplies them).
 */
import { readFileSync } from "node:fs";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import type { ServingRequest } from "../core/serving/request.js";
import { parseTrace } from "../core/serving/trace.js";

export function readServingTrace(file: string, shownAs: string = file): ServingRequest[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(error("E_IO", "serving", code === "ENOENT" ? `trace file ${shownAs} not found` : `cannot read trace file ${shownAs} (${code ?? String(e)})`, { file }));
  }
  try {
    return parseTrace(text, /\.jsonl?$/i.test(file) ? "jsonl" : /\.csv$/i.test(file) ? "csv" : undefined, { arrivalOptional: true });
  } catch (e) {
    if (e instanceof XpusimError) throw e.withFile(file);
    throw e;
  }
}
