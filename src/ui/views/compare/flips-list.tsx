/**
 * What flips the top choice: per factor, the weight at which another chip takes the lead (moving
 * that weight alone), as the assess job reports it, with a button that sets the weight just past it.
 */
import type { FactorFlip, FactorKey, WeightFlip, WeightedRanking } from "../../../core/app/index.js";

/** A weight just past the flip point (5 % beyond, three significant digits), in the flip's direction. */
export function pastFlip(flip: WeightFlip, up: boolean): number {
  return Number((flip.at_weight * (up ? 1.05 : 0.95)).toPrecision(3));
}

function FlipLine({ f, flip, up, onSet }: { f: FactorFlip; flip: WeightFlip; up: boolean; onSet: (f: FactorKey, v: string) => void }) {
  const target = pastFlip(flip, up);
  return (
    <li data-factor={f.factor} data-direction={up ? "increase" : "decrease"} data-new-top={flip.new_top}>
      <strong>{f.factor.replace("_", " ")}</strong>: {up ? "raise" : "lower"} {f.weight} → {flip.at_weight.toPrecision(3)}
      {flip.multiplier !== null ? ` (×${flip.multiplier.toPrecision(3)})` : ""} and <strong>{flip.new_top}</strong> leads{" "}
      <button type="button" class="cmp-try" onClick={() => onSet(f.factor, String(target))}>
        set {target}
      </button>
    </li>
  );
}

export function FlipsList({ ranking, onSet }: { ranking: WeightedRanking; onSet: (f: FactorKey, v: string) => void }) {
  if (!ranking.top) return null;
  const lines = ranking.flips.flatMap((f) => [
    ...(f.increase ? [<FlipLine key={`${f.factor}+`} f={f} flip={f.increase} up onSet={onSet} />] : []),
    ...(f.decrease ? [<FlipLine key={`${f.factor}-`} f={f} flip={f.decrease} up={false} onSet={onSet} />] : []),
  ]);
  return (
    <section class="cmp-flips" data-testid="flips">
      <h4>What flips the top choice ({ranking.top}), one weight moved, the others fixed</h4>
      {lines.length ? <ul>{lines}</ul> : <p class="note">No single weight change flips it.</p>}
    </section>
  );
}
