import type { AssessResult } from "../../assess/factor.js";
import type { FactorChartInput } from "../../charts/factor-chart.js";

/** The factor chart of an assessment: chips × factors, each cell its value, unit and rank (unknown = null). */
export function factorChartInput(a: AssessResult): FactorChartInput {
  const cells = a.chips.flatMap((c) =>
    a.factor_keys.map((factor) => {
      const f = c.factors[factor];
      return { chip: c.chip, factor, value: f?.value ?? null, unit: f?.unit ?? "", rank: f?.rank ?? null };
    }),
  );
  return { title: `Factors (${a.mode})`, chips: a.chips.map((x) => x.chip), factors: a.factor_keys, cells };
}
