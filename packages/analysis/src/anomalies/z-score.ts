import {
  baselineValues,
  buildResult,
  mean,
  requirePositive,
  requireSpread,
  sampleStandardDeviation,
} from './baseline.js';
import type { AnomalyBaseOptions, AnomalyResult } from './baseline.js';

/** Options of {@link zScoreAnomalies}. */
export interface ZScoreOptions extends AnomalyBaseOptions {
  /** A residual is flagged when |z| exceeds this. @default 3 */
  readonly threshold?: number;
}

/**
 * Classical z-scores z = (r − mean) / sd, mean and sample sd (n − 1) from the reference (or the
 * residuals); flagged when |z| > threshold. Sensitive to the outliers it looks for when the
 * residuals score themselves — prefer a reference, or {@link robustZAnomalies}.
 */
export function zScoreAnomalies(residuals: readonly number[], options: ZScoreOptions = {}): AnomalyResult {
  const threshold = requirePositive(options.threshold ?? 3, 'threshold');
  const { values, baseline } = baselineValues(residuals, options, 2);
  const center = mean(values);
  const scale = sampleStandardDeviation(values);
  requireSpread(scale, baseline, 'standard deviation');
  return buildResult(
    {
      method: 'zscore',
      scores: residuals.map((r) => (r - center) / scale),
      threshold,
      center,
      scale,
      baseline,
    },
    (z) => Math.abs(z) > threshold,
  );
}
