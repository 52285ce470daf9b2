/** Candidate values of the layout knobs a training search or chooser tries. */

/** Divisors of n in ascending order. */
export function divisors(n: number): number[] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    lo.push(d);
    if (d * d !== n) hi.push(n / d);
  }
  return lo.concat(hi.reverse());
}

/**
 * Interleave factors worth trying on pp stages: the divisors of layers/pp (each chunk the same
 * size), else small factors that leave every chunk a layer; [1] without pipeline parallelism.
 */
export function interleaveCandidates(layers: number, pp: number): number[] {
  if (pp <= 1 || layers === 0) return [1];
  return layers % pp === 0 ? divisors(layers / pp) : [1, 2, 3, 4, 6, 8].filter((v) => pp * v <= layers);
}
