import studentizedRangeCdf from '@stdlib/stats-base-dists-studentized-range-cdf';
import studentizedRangeQuantile from '@stdlib/stats-base-dists-studentized-range-quantile';
import { rankWithinBlocks } from './friedman.js';
import { requireBlockMatrix, requireProbability } from './inputs.js';

/** Options of the Nemenyi test and the critical difference. */
export interface NemenyiOptions {
  /** Significance level of the critical difference. @default 0.05 */
  readonly alpha?: number;
}

/** Outcome of {@link nemenyiTest}. */
export interface NemenyiResult {
  readonly test: 'nemenyi';
  readonly blocks: number;
  readonly treatments: number;
  /** Mean rank of each run (column order), 1 = lowest loss = best. */
  readonly meanRanks: number[];
  readonly alpha: number;
  /** q_α = q(1 − α; k, ∞) / √2, the studentized range quantile scaled as Demšar (2006). */
  readonly qAlpha: number;
  /** CD = q_α · √(k(k + 1) / (6n)): mean ranks at least this far apart differ at level α. */
  readonly criticalDifference: number;
  /** pValues[i][j] = P(Q_{k,∞} ≥ √2·|R̄_i − R̄_j| / √(k(k+1)/(6n))); 1 on the diagonal. */
  readonly pValues: number[][];
}

/** Nemenyi's q_α and critical difference for k runs over n blocks at level α. */
export function nemenyiCriticalDifference(
  treatments: number,
  blocks: number,
  alpha = 0.05,
): { qAlpha: number; criticalDifference: number } {
  const qAlpha = studentizedRangeQuantile(1 - alpha, treatments, Number.POSITIVE_INFINITY) / Math.SQRT2;
  return { qAlpha, criticalDifference: qAlpha * Math.sqrt((treatments * (treatments + 1)) / (6 * blocks)) };
}

/**
 * Nemenyi post-hoc test after a Friedman test (Demšar 2006): all pairs of runs compared by their
 * mean ranks, p-values from the studentized range distribution with infinite degrees of freedom
 * (scikit-posthocs posthoc_nemenyi_friedman; no tie correction, as there). The p-values already
 * control the family-wise error, so they need no further adjustment. Needs k ≥ 2 runs and n ≥ 2 blocks.
 * @see https://jmlr.org/papers/v7/demsar06a.html
 */
export function nemenyiTest(
  matrix: readonly (readonly number[])[],
  options: NemenyiOptions = {},
): NemenyiResult {
  const { blocks: n, treatments: k } = requireBlockMatrix(matrix, 'Nemenyi test', 2, 2);
  const alpha = requireProbability(options.alpha ?? 0.05, 'alpha');
  const { meanRanks } = rankWithinBlocks(matrix);
  const scale = Math.sqrt((k * (k + 1)) / (6 * n));
  const pValues = meanRanks.map((ri, i) =>
    meanRanks.map((rj, j) => {
      if (i === j) return 1;
      const q = (Math.SQRT2 * Math.abs(ri - rj)) / scale;
      // 1 − CDF: the only tail stdlib offers; p-values below about 1e-16 come out as 0.
      return Math.min(1, Math.max(0, 1 - studentizedRangeCdf(q, k, Number.POSITIVE_INFINITY)));
    }),
  );
  return {
    test: 'nemenyi',
    blocks: n,
    treatments: k,
    meanRanks,
    alpha,
    ...nemenyiCriticalDifference(k, n, alpha),
    pValues,
  };
}
