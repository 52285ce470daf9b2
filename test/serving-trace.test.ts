import { describe, expect, it } from "vitest";
import { XpusimError } from "../src/core/diagnostics/diagnostic.js";
import { parseTrace } from "../src/core/serving/trace.js";

/** Trace text → requests; malformed traces name the line and column of every bad field. */
function problems(text: string, format?: "csv" | "jsonl"): string[] {
  try {
    parseTrace(text, format);
  } catch (e) {
    expect(e).toBeInstanceOf(XpusimError);
    return (e as XpusimError).diagnostics.map((d) => `${d.path}: ${d.message}`);
  }
  throw new Error("expected the trace to be rejected");
}

describe("trace parsing", () => {
  it("CSV with a header in any column order, extra columns ignored, sorted by arrival", () => {
    const r = parseTrace("id,output_len,input_len,arrival_s\na,10,100,0.5\nb,20,200,0.25\n");
    expect(r).toEqual([
      { arrival_s: 0.25, input_len: 200, output_len: 20 },
      { arrival_s: 0.5, input_len: 100, output_len: 10 },
    ]);
  });

  it("headerless CSV is arrival, input, output; comments, blank lines and CRLF are fine", () => {
    const r = parseTrace("# my trace\r\n0,10,5\r\n\r\n1.5,20,6\r\n");
    expect(r).toEqual([
      { arrival_s: 0, input_len: 10, output_len: 5 },
      { arrival_s: 1.5, input_len: 20, output_len: 6 },
    ]);
  });

  it("aliases: Azure-style ISO timestamps with ContextTokens/GeneratedTokens, and arrival_ms", () => {
    const azure = parseTrace("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.1805900,396,109\n");
    expect(azure[0]).toEqual({ arrival_s: 0, input_len: 374, output_len: 44 });
    expect(azure[1]!.arrival_s).toBeCloseTo(3.5, 6);
    const ms = parseTrace('arrival_ms,prompt_tokens,completion_tokens\n1500,"12",3\n');
    expect(ms).toEqual([{ arrival_s: 1.5, input_len: 12, output_len: 3 }]);
  });

  it("JSON Lines", () => {
    const r = parseTrace('{"arrival_s": 0.1, "input_len": 5, "output_len": 7}\n{"timestamp": 0, "prompt_len": 3, "output_tokens": 2}\n');
    expect(r).toEqual([
      { arrival_s: 0, input_len: 3, output_len: 2 },
      { arrival_s: 0.1, input_len: 5, output_len: 7 },
    ]);
  });
});

describe("malformed traces: line and column, never a crash", () => {
  it("a non-numeric field", () => {
    expect(problems("arrival_s,input_len,output_len\n0,100,10\n1,abc,10\n")).toEqual(["line 3, column 3: input_len is not a number"]);
  });

  it("every bad field is listed: negative arrival, zero and fractional lengths", () => {
    expect(problems("0,100,10\n-1,100,10\n2,0,10\n3,10,2.5\n")).toEqual([
      "line 2, column 1: arrival_s is negative",
      "line 3, column 3: input_len must be a positive integer number of tokens",
      "line 4, column 6: output_len must be a positive integer number of tokens",
    ]);
  });

  it("a short row, an empty field, an unterminated quote", () => {
    expect(problems("0,100\n")).toEqual(["line 1, column 6: missing output_len (column 3 of the row)"]);
    expect(problems("0,,5\n")).toEqual(["line 1, column 3: input_len is empty"]);
    expect(problems('0,"100,5\n')).toEqual(["line 1, column 3: unterminated quoted field"]);
  });

  it("a header without the needed columns", () => {
    expect(problems("time,prompt,answer\n0,1,2\n")[0]).toMatch(/^line 1, column 1: the header has no input_len, output_len column/);
  });

  it("JSONL: invalid JSON, a non-object, a missing field, a wrong type — with the column of the field", () => {
    const p = problems('{"arrival_s": 0, "input_len": 5, "output_len": 7}\n{"arrival_s": 1, "input_len": 5,\n[1,2,3]\n{"arrival_s": 2, "input_len": 5}\n{"arrival_s": 3, "input_len": "x", "output_len": 1}\n', "jsonl");
    expect(p[0]).toMatch(/^line 2, column \d+: not valid JSON/);
    expect(p.slice(1)).toEqual([
      "line 3, column 1: expected a JSON object per line",
      "line 4, column 1: missing field output_len",
      "line 5, column 18: input_len is not a number",
    ]);
  });

  it("an empty trace, and mixed date and number arrivals", () => {
    expect(problems("\n# nothing\n")).toEqual(["trace: the trace has no requests"]);
    expect(problems("arrival_s,input_len,output_len\n")).toEqual(["trace: the trace has a header but no requests"]);
    expect(problems("2024-01-01T00:00:00Z,1,1\n5,1,1\n")).toEqual(["line 2, column 1: arrival mixes ISO dates and numbers; use one kind throughout"]);
  });

  it("caps the report at 20 problems", () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},x,1`).join("\n");
    const p = problems(text);
    expect(p).toHaveLength(21);
    expect(p[20]).toMatch(/and 30 more problems/);
  });
});
