import type { z } from "zod";
import { type Diagnostic, type DiagnosticCode, XpusimError } from "../diagnostics/diagnostic.js";

/**
 * Turns zod issues into xpusim diagnostics: field path, what was expected, what was found, a hint.
 * For unions (a value may be bare or `{value, source}`), the branch that got furthest is reported.
 */
export function zodIssuesToDiagnostics(issues: readonly z.core.$ZodIssue[], basePath: readonly PropertyKey[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    const typeMismatch = issue.code === "invalid_union" ? unionTypeMismatch(issue) : undefined;
    if (typeMismatch) {
      out.push(issueToDiagnostic(typeMismatch, path));
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Pick the branch whose first issue is deepest, or a custom (unit/range) message.
      let best: readonly z.core.$ZodIssue[] | undefined;
      let bestScore = -1;
      for (const branch of issue.errors) {
        const score = Math.max(...branch.map((i) => i.path.length * 10 + (i.code === "custom" ? 5 : 0) + (i.code === "invalid_type" ? 0 : 1)));
        if (score > bestScore) {
          bestScore = score;
          best = branch;
        }
      }
      if (best) {
        out.push(...zodIssuesToDiagnostics(best, path));
        continue;
      }
    }
    out.push(issueToDiagnostic(issue, path));
  }
  return out;
}

/**
 * A union none of whose branches accepts the value's type at all (every branch fails with one
 * invalid_type at the value itself): one issue naming every accepted type ("number or string"),
 * instead of the first branch's.
 */
function unionTypeMismatch(issue: z.core.$ZodIssue): z.core.$ZodIssue | undefined {
  if (issue.code !== "invalid_union" || issue.errors.length < 2) return undefined;
  const firsts = issue.errors.map((b) => (b.length === 1 && b[0]!.code === "invalid_type" && b[0]!.path.length === 0 ? b[0]! : undefined));
  if (firsts.some((f) => f === undefined)) return undefined;
  // zod names a keyed map "record"; to a YAML/JSON author both are objects.
  const types = [...new Set(firsts.map((f) => (f as { expected: string }).expected.replace(/^record$/, "object")))];
  const expected = types.length === 1 ? types[0]! : `${types.slice(0, -1).join(", ")} or ${types[types.length - 1]}`;
  return { ...firsts[0]!, path: [], expected, input: issue.input } as z.core.$ZodIssue;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** The JSON-ish type name of a value, as a user reads it ("string", "array", "null"). */
function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * What an invalid_type issue found: undefined when the field is absent. The input is on the issue
 * when parsed with `reportInput` (parseWith does); otherwise zod's message names the received type.
 */
function receivedOf(issue: z.core.$ZodIssue): { type: string; shown: string } | undefined {
  if (issue.input !== undefined) {
    const text = JSON.stringify(issue.input) ?? String(issue.input);
    return { type: typeName(issue.input), shown: text.length > 60 ? `${text.slice(0, 57)}...` : text };
  }
  const received = /received (\w+)/.exec(issue.message)?.[1];
  return received === undefined || received === "undefined" ? undefined : { type: received, shown: `a ${received}` };
}

function issueToDiagnostic(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): Diagnostic {
  const p = formatPath(path);
  let code: DiagnosticCode = "E_SCHEMA";
  let expected: string | undefined;
  let got: string | undefined;
  let hint: string | undefined;
  let message = issue.message;
  switch (issue.code) {
    case "invalid_type": {
      expected = issue.expected;
      const found = receivedOf(issue);
      message = found === undefined ? "required field is missing" : `expected ${issue.expected}, got ${found.type}`;
      got = found === undefined ? "nothing" : found.shown;
      break;
    }
    case "unrecognized_keys":
      message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      hint = "check the spelling against docs/ (unknown fields are rejected so typos do not pass silently)";
      break;
    case "invalid_value":
      expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      got = JSON.stringify(issue.input);
      message = "value not allowed";
      break;
    case "too_small":
    case "too_big":
      code = "E_RANGE";
      break;
    case "custom": {
      const c = (issue.params as { xpusimCode?: DiagnosticCode } | undefined)?.xpusimCode;
      if (c) code = c;
      if (code === "E_UNIT") hint = 'write the unit after the number, e.g. "3.35 TB/s", "80 GiB", "1.98 GHz", "700 W"';
      break;
    }
    default:
      break;
  }
  return { code, severity: "error", path: p, message, ...(expected ? { expected } : {}), ...(got ? { got } : {}), ...(hint ? { hint } : {}) };
}

/** Validates `input` against `schema`; throws XpusimError with every problem found. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, file?: string): z.output<S> {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  const diags = zodIssuesToDiagnostics(r.error.issues).map((d) => (file ? { ...d, file } : d));
  throw new XpusimError(diags);
}
