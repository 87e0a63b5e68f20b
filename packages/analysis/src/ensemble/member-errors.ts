/**
 * Members' errors on evaluated points, and inverse-error weights from them. Weights for a window
 * read only points whose date is at or before the window's cutoff — the actuals a forecaster
 * standing at that cutoff would have known — so an inverse-error ensemble is never scored on the
 * points its weights were fitted to.
 */
import type { EnsembleWeightMetric } from '@nflab/contracts';

/** A time point: an ISO day or an integer step. */
export type TimePoint = string | number;

/** Orders two time points of one kind (ISO days sort as text, steps as numbers). */
export const compareTime = (a: TimePoint, b: TimePoint): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a) < String(b)
      ? -1
      : String(a) > String(b)
        ? 1
        : 0;

/** Running sums of each member's errors. */
export class ErrorSums {
  private readonly absolute: Float64Array;
  private readonly squared: Float64Array;
  private count = 0;

  constructor(members: number) {
    this.absolute = new Float64Array(members);
    this.squared = new Float64Array(members);
  }

  /** Adds one point: errors[m] = y − ŷ of member m. */
  add(errors: readonly number[]): void {
    errors.forEach((e, m) => {
      this.absolute[m] = (this.absolute[m] as number) + Math.abs(e);
      this.squared[m] = (this.squared[m] as number) + e * e;
    });
    this.count += 1;
  }

  get points(): number {
    return this.count;
  }

  /** Each member's error by `metric` over the points added; empty before the first point. */
  errors(metric: EnsembleWeightMetric): number[] {
    if (this.count === 0) return [];
    const n = this.count;
    return [...this.absolute].map((abs, m) => {
      const mse = (this.squared[m] as number) / n;
      return metric === 'mae' ? abs / n : metric === 'mse' ? mse : Math.sqrt(mse);
    });
  }
}

/**
 * Weights ∝ 1 / error, summing to 1. Members with zero error share all the weight equally (the
 * limit of 1/error as their error goes to 0); no errors at all give equal weights.
 */
export const inverseErrorWeights = (errors: readonly number[], members: number): number[] => {
  if (errors.length === 0) return Array.from({ length: members }, () => 1 / members);
  const perfect = errors.map((e) => e === 0);
  const nPerfect = perfect.filter(Boolean).length;
  if (nPerfect > 0) return perfect.map((p) => (p ? 1 / nPerfect : 0));
  const inverse = errors.map((e) => 1 / e);
  const total = inverse.reduce((sum, v) => sum + v, 0);
  return inverse.map((v) => v / total);
};
