import type { AssessResult, FactorValue } from "../../assess/factor.js";

/** One row of the factor table, as text: shared by the HTML and the Markdown report. */
export interface FactorTableRow {
  chip: string;
  factor: string;
  value: string;
  unit: string;
  rank: string;
  limited_by: string;
  note: string;
  known: boolean;
}

/** Three significant digits; exponent form outside 1e-3 … 1e6. */
export function fmtFactorValue(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** The value as shown: the figure, or "unknown: <what is missing>" (never zero). */
export function factorValueText(f: FactorValue): string {
  if (f.value !== null) return fmtFactorValue(f.value);
  return `unknown: ${f.missing?.length ? f.missing.join(", ") : "no data"}`;
}

export function factorTableRows(a: AssessResult): FactorTableRow[] {
  return a.chips.flatMap((c) =>
    a.factor_keys.map((key) => {
      const f = c.factors[key];
      if (!f) return { chip: c.chip, factor: key, value: "unknown: not assessed", unit: "", rank: "—", limited_by: "—", note: "", known: false };
      return { chip: c.chip, factor: key, value: factorValueText(f), unit: f.unit, rank: f.rank === null ? "—" : String(f.rank), limited_by: f.limited_by ?? "—", note: f.note, known: f.value !== null };
    }),
  );
}
