/**
 * Null distribution of S = Σ w_i·B_i with independent fair coins B_i ∈ {0, 1} and non-negative
 * integer weights w_i: the distribution of the signed-rank sum W+ when each non-zero difference is
 * equally likely to be positive or negative. Returns pmf with pmf[s] = P(S = s), s = 0 … Σ w_i.
 *
 * With weights 1 … n this is the classic signed-rank distribution (scipy's exact method); with the
 * tied (average, doubled to integers) ranks of the data it is the exact sign-flip permutation
 * distribution scipy uses for small samples with ties or zeros. @stdlib/stats-base-dists-signrank-cdf
 * gives the first (and the tests check this against it), but its memoised recursion takes seconds
 * and millions of cache entries beyond n ≈ 150 and it knows nothing of ties; this O(n·Σw) pass
 * takes milliseconds up to the n = 500 limit.
 */
export function signFlipDistribution(weights: readonly number[]): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  const pmf = new Float64Array(total + 1);
  pmf[0] = 1;
  let reach = 0;
  for (const w of weights) {
    reach += w;
    // Each coin halves the mass at s and moves half of it to s + w; run s downwards so pmf[s − w]
    // is still the value before this coin.
    for (let s = reach; s >= 0; s--) pmf[s] = 0.5 * ((pmf[s] ?? 0) + (s >= w ? (pmf[s - w] ?? 0) : 0));
  }
  return pmf;
}

/** P(S ≤ t), summed from the lower end so small tails keep their digits. */
export function lowerTail(pmf: Float64Array, t: number): number {
  let p = 0;
  for (let s = 0; s <= Math.min(t, pmf.length - 1); s++) p += pmf[s] ?? 0;
  return Math.min(1, p);
}

/** P(S ≥ t), summed from the upper end. */
export function upperTail(pmf: Float64Array, t: number): number {
  let p = 0;
  for (let s = pmf.length - 1; s >= Math.max(t, 0); s--) p += pmf[s] ?? 0;
  return Math.min(1, p);
}
