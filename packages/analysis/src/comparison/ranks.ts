/** Average ranks of a sample (1 = smallest) and the sizes of its groups of tied values. */
export interface RankedSample {
  /** ranks[i] is the rank of values[i]; tied values share the mean of the ranks they span. */
  readonly ranks: number[];
  /** Size t of each group of two or more equal values, for the Σ(t³ − t) tie corrections. */
  readonly tieSizes: number[];
}

/** Ranks `values` in ascending order with average ranks for ties (scipy's rankdata 'average'). */
export function averageRanks(values: readonly number[]): RankedSample {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end] ?? 0] === values[order[start] ?? 0]) end++;
    // Positions start … end-1 hold equal values: ranks start+1 … end, whose mean is (start+1+end)/2.
    const rank = (start + 1 + end) / 2;
    for (let p = start; p < end; p++) ranks[order[p] ?? 0] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Σ(t³ − t) over tie groups: the amount ties take off a rank statistic's variance. */
export function tieSum(tieSizes: readonly number[]): number {
  let sum = 0;
  for (const t of tieSizes) sum += t * t * t - t;
  return sum;
}
