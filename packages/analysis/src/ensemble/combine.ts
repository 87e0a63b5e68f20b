/** One combined forecast from members' forecasts of the same point. */
import type { EnsembleMethod } from '@nflab/contracts';

/** The median of `values` (mean of the middle two for an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The weighted mean of `values` (weights sum to 1). */
export const weightedMean = (values: readonly number[], weights: readonly number[]): number =>
  values.reduce((sum, v, m) => sum + v * (weights[m] as number), 0);

/** Combines members' forecasts of one point: `weights` serve mean and inverse_error, median ignores them. */
export const combine = (
  method: EnsembleMethod,
  values: readonly number[],
  weights: readonly number[],
): number => (method === 'median' ? median(values) : weightedMean(values, weights));
