import { linearQuantile } from '../drift/distances.js';
import { sorted } from '../drift/samples.js';
import { baselineValues, buildResult, requirePositive, requireSpread } from './baseline.js';
import type { AnomalyBaseOptions, AnomalyResult } from './baseline.js';

/** Options of {@link iqrAnomalies}. */
export interface IqrOptions extends AnomalyBaseOptions {
  /** Fence distance in IQRs beyond the quartiles (Tukey's 1.5; 3 for "far out"). @default 1.5 */
  readonly k?: number;
}

/** The fences, besides the usual result. */
export interface IqrResult extends AnomalyResult {
  readonly q1: number;
  readonly q3: number;
  /** Q1 − k·IQR and Q3 + k·IQR. */
  readonly lowerFence: number;
  readonly upperFence: number;
}

/**
 * Tukey's fences: quartiles of the reference (or the residuals) by numpy's default linear
 * interpolation; a residual outside [Q1 − k·IQR, Q3 + k·IQR] is flagged. The score is the signed
 * distance beyond the nearer fence in IQRs (negative below, 0 inside), so it is comparable
 * across series. `threshold` reports k.
 * @see Tukey (1977), Exploratory Data Analysis.
 */
export function iqrAnomalies(residuals: readonly number[], options: IqrOptions = {}): IqrResult {
  const k = requirePositive(options.k ?? 1.5, 'k', true);
  const { values, baseline } = baselineValues(residuals, options, 1);
  const ascending = sorted(values);
  const q1 = linearQuantile(ascending, 0.25);
  const q3 = linearQuantile(ascending, 0.75);
  const scale = q3 - q1;
  requireSpread(scale, baseline, 'IQR');
  const lowerFence = q1 - k * scale;
  const upperFence = q3 + k * scale;
  const scores = residuals.map((r) => {
    if (r > upperFence) return (r - upperFence) / scale;
    if (r < lowerFence) return (r - lowerFence) / scale;
    return 0;
  });
  const result = buildResult(
    { method: 'iqr', scores, threshold: k, center: (q1 + q3) / 2, scale, baseline },
    (score) => score !== 0,
  );
  return { ...result, q1, q3, lowerFence, upperFence };
}
