import { ConfigError } from '@nflab/contracts';
import { pearsonCorrelation } from './correlation.js';
import { MIN_CORRELATION_POINTS, requireAlignedSeries } from './validate.js';

/** z_{0.975}: the approximate 95% band for a white-noise correlation is ±z/√n. */
const Z_975 = 1.959963984540054;

/** The correlation of y_t with x_{t−lag} over the overlapping part of the two series. */
export interface CrossCorrelationLag {
  /** k ≥ 0: x leads y by k steps (x_{t−k} is paired with y_t). */
  readonly lag: number;
  /** Overlapping points, n − k. */
  readonly n: number;
  /** Pearson's r on the overlap; null when y or x is constant there (see `reason`). */
  readonly coefficient: number | null;
  /** Two-sided Pearson p-value on the overlap (t with n − k − 2 df); not adjusted for the number of lags. */
  readonly pValue: number | null;
  /** Half-width 1.96/√(n − k) of the approximate 95% band for white noise. */
  readonly band: number;
  readonly reason: string | null;
}

/** Cross-correlations for lags 0…maxLag and the lag with the largest |r|. */
export interface CrossCorrelationResult {
  readonly maxLag: number;
  readonly lags: readonly CrossCorrelationLag[];
  /** The defined lag with the largest |r| (the smaller lag on a tie), or null when no lag is defined. */
  readonly best: CrossCorrelationLag | null;
}

/** Options for {@link crossCorrelation}. */
export interface CrossCorrelationOptions {
  /** Largest lag k; at most n − 3 so every lag keeps 3 overlapping points. @default min(10, n − 3) */
  readonly maxLag?: number;
}

/** The largest lag the series allows: n − 3 (a correlation test needs 3 points, i.e. n − k − 2 ≥ 1 df). */
export function maxCrossCorrelationLag(n: number): number {
  return n - MIN_CORRELATION_POINTS;
}

/**
 * corr(y_t, x_{t−k}) for k = 0…maxLag (x leading y by k), each with its overlap size, Pearson p-value
 * and ±1.96/√n band. `y` and `x` are aligned by time, oldest first.
 */
export function crossCorrelation(
  y: readonly number[],
  x: readonly number[],
  options: CrossCorrelationOptions = {},
): CrossCorrelationResult {
  requireAlignedSeries(y, x, MIN_CORRELATION_POINTS, { y: 'y', x: 'x', what: 'cross-correlation' });
  const n = y.length;
  const maximum = maxCrossCorrelationLag(n);
  const maxLag = options.maxLag ?? Math.min(10, maximum);
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag > maximum) {
    throw new ConfigError(
      `maxLag must be an integer from 0 to ${maximum} for a series of ${n} points (each lag needs ${MIN_CORRELATION_POINTS} overlapping points), got ${String(maxLag)}`,
    );
  }
  const lags: CrossCorrelationLag[] = [];
  let best: CrossCorrelationLag | null = null;
  for (let lag = 0; lag <= maxLag; lag++) {
    // y_t for t = lag … n−1 pairs with x_{t−lag} for t − lag = 0 … n−1−lag.
    const overlapY = y.slice(lag);
    const overlapX = x.slice(0, n - lag);
    const test = pearsonCorrelation(overlapY, overlapX);
    const entry: CrossCorrelationLag = {
      lag,
      n: test.n,
      coefficient: test.coefficient,
      pValue: test.pValue,
      band: Z_975 / Math.sqrt(test.n),
      reason: test.reason,
    };
    lags.push(entry);
    if (
      entry.coefficient !== null &&
      (best?.coefficient == null || Math.abs(entry.coefficient) > Math.abs(best.coefficient))
    ) {
      best = entry;
    }
  }
  return { maxLag, lags, best };
}
