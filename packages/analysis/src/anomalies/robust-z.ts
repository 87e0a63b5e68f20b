import { median } from '../ensemble/combine.js';
import { baselineValues, buildResult, requirePositive, requireSpread } from './baseline.js';
import type { AnomalyBaseOptions, AnomalyResult } from './baseline.js';

/** 1/Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for normal data (scipy's scale='normal'). */
export const MAD_NORMAL_SCALE = 1.4826;

/** Options of {@link robustZAnomalies}. */
export interface RobustZOptions extends AnomalyBaseOptions {
  /** A residual is flagged when |robust z| exceeds this (Iglewicz & Hoaglin's 3.5). @default 3.5 */
  readonly threshold?: number;
}

/**
 * Robust z-scores (r − median) / (1.4826·MAD), MAD = median |v − median|, both from the reference
 * (or the residuals); flagged when |z| > threshold. Up to half the baseline may be outliers
 * without moving the median or the MAD much.
 * @see Iglewicz & Hoaglin (1993), How to Detect and Handle Outliers (modified z-score, 3.5).
 */
export function robustZAnomalies(residuals: readonly number[], options: RobustZOptions = {}): AnomalyResult {
  const threshold = requirePositive(options.threshold ?? 3.5, 'threshold');
  const { values, baseline } = baselineValues(residuals, options, 1);
  const center = median(values);
  const scale = MAD_NORMAL_SCALE * median(values.map((v) => Math.abs(v - center)));
  requireSpread(scale, baseline, '1.4826·MAD');
  return buildResult(
    { method: 'mad', scores: residuals.map((r) => (r - center) / scale), threshold, center, scale, baseline },
    (z) => Math.abs(z) > threshold,
  );
}
