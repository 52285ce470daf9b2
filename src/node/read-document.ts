import { readFileSync } from "node:fs";
import { error, XpusimError } from "../core/diagnostics/diagnostic.js";
import { specSupport } from "./spec-support-loader.js";

/** Reads a YAML or JSON file (the YAML parser loads on first use); malformed input becomes an E_PARSE diagnostic with line and column. */
export function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XpusimError(
      error("E_IO", "", code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(e)})`, {
        file,
        hint: code === "ENOENT" ? "check the path; relative paths are resolved from the current directory" : undefined,
      }),
    );
  }
  return parseDocumentText(text, file);
}

export function parseDocumentText(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      let where = "";
      if (pos) {
        const before = text.slice(0, Number(pos[1]));
        const line = before.split("\n").length;
        const col = before.length - before.lastIndexOf("\n");
        where = ` (line ${line}, column ${col})`;
      }
      throw new XpusimError(error("E_PARSE", "", `malformed JSON${where}: ${msg}`, { file, hint: "check for trailing commas and unquoted keys" }));
    }
  }
  const { parseYaml, YAMLParseError } = specSupport();
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const lp = e.linePos?.[0];
      throw new XpusimError(
        error("E_PARSE", "", `malformed YAML${lp ? ` (line ${lp.line}, column ${lp.col})` : ""}: ${e.message.split("\n")[0]}`, {
          file,
          hint: "check indentation and quote values that contain ':' or '#'",
        }),
      );
    }
    throw e;
  }
}
