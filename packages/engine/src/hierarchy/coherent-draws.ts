/**
 * Reconciling forecast draws: for each date, the draws of every series of the hierarchy are
 * mapped through S·P, so each joint draw adds up exactly, then summarised as the base loss
 * summarises its own draws (sample mean, then its quantiles).
 */
import { sortAscending, sortedQuantile } from '../scalers/quantile.js';

/** One date's draws: per series of the hierarchy (S's row order), `samples` draws. */
export type SeriesDraws = readonly ArrayLike<number>[];

/** Σ_j SP[i][j]·draws[j][s] for every series i and draw s. */
export const reconcileDraws = (SP: readonly (readonly number[])[], draws: SeriesDraws): Float64Array[] => {
  const samples = draws[0]?.length ?? 0;
  return SP.map((weights) => {
    const out = new Float64Array(samples);
    weights.forEach((weight, j) => {
      if (weight === 0) return;
      const source = draws[j] as ArrayLike<number>;
      for (let s = 0; s < samples; s += 1) out[s]! += weight * (source[s] as number);
    });
    return out;
  });
};

/** [mean, …quantiles] of one series' draws (linear interpolation, as torch.quantile). */
export const summariseDraws = (draws: ArrayLike<number>, quantiles: readonly number[]): number[] => {
  const values = Array.from(draws);
  const sorted = sortAscending(values);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return [mean, ...quantiles.map((q) => sortedQuantile(sorted, q))];
};
