import { ConfigError } from '@nflab/contracts';
import {
  baselineValues,
  buildResult,
  mean,
  requirePositive,
  requireSpread,
  sampleStandardDeviation,
} from './baseline.js';
import type { AnomalyBaseOptions, AnomalyResult } from './baseline.js';

// Convention: Montgomery's standardized tabular CUSUM. Residuals are standardized with the in-control
// mean μ0 and sd σ (from the reference, or the residuals), z_t = (r_t − μ0)/σ, and both k and h are
// in units of σ: C⁺_t = max(0, C⁺_{t−1} + z_t − k), C⁻_t = max(0, C⁻_{t−1} − z_t − k), C±_0 = 0; a
// point signals when C⁺_t > h or C⁻_t > h. k = 0.5, h = 5 detect a 1σ shift of the mean quickly
// (in-control ARL ≈ 465) — Montgomery, Introduction to Statistical Quality Control, §9.1.

/** Options of {@link cusumAnomalies}. */
export interface CusumOptions extends AnomalyBaseOptions {
  /** Reference value (slack) k in units of σ: half the shift to detect. @default 0.5 */
  readonly k?: number;
  /** Decision interval h in units of σ. @default 5 */
  readonly h?: number;
  /**
   * Restart both sums at 0 after a signal (counting each excursion once) instead of letting them
   * run on, which flags every point until the process comes back. @default false
   */
  readonly resetOnSignal?: boolean;
}

/** The two one-sided sums at each point, besides the usual result. */
export interface CusumResult extends AnomalyResult {
  readonly upper: readonly number[];
  readonly lower: readonly number[];
  readonly k: number;
}

/**
 * Two-sided tabular CUSUM of the residuals (see the convention above). The score of a point is
 * max(C⁺, C⁻) in σ units and the threshold is h, so a flag marks a sustained shift of the mean
 * rather than one large residual.
 * @see Page (1954), Continuous inspection schemes, Biometrika 41.
 */
export function cusumAnomalies(residuals: readonly number[], options: CusumOptions = {}): CusumResult {
  const k = requirePositive(options.k ?? 0.5, 'k', true);
  const h = requirePositive(options.h ?? 5, 'h');
  if (options.resetOnSignal !== undefined && typeof options.resetOnSignal !== 'boolean') {
    throw new ConfigError(`resetOnSignal must be true or false, got ${String(options.resetOnSignal)}`);
  }
  const { values, baseline } = baselineValues(residuals, options, 2);
  const center = mean(values);
  const scale = sampleStandardDeviation(values);
  requireSpread(scale, baseline, 'standard deviation');
  const upper: number[] = [];
  const lower: number[] = [];
  let high = 0;
  let low = 0;
  for (const r of residuals) {
    const z = (r - center) / scale;
    high = Math.max(0, high + z - k);
    low = Math.max(0, low - z - k);
    upper.push(high);
    lower.push(low);
    if (options.resetOnSignal === true && (high > h || low > h)) [high, low] = [0, 0];
  }
  const scores = upper.map((u, i) => Math.max(u, lower[i] ?? 0));
  const result = buildResult(
    { method: 'cusum', scores, threshold: h, center, scale, baseline },
    (score) => score > h,
  );
  return { ...result, upper, lower, k };
}
