/** Plain-number order statistics shared by the local scalers. */

/**
 * Quantile p of `sorted` (ascending) with linear interpolation between order statistics
 * (numpy's default, type 7 — what coreforecast uses for its robust scalers).
 */
export function sortedQuantile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const i = Math.floor(position);
  const fraction = position - i;
  const low = sorted[i] as number;
  return fraction > 0 ? low + fraction * ((sorted[i + 1] as number) - low) : low;
}

/** Ascending copy of numbers. */
export function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
