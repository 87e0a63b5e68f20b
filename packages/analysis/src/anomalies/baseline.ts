import { ConfigError, type AnomalyMethod } from '@nflab/contracts';
import { requireFiniteNumbers } from '../checks.js';

// Every detector scores residuals against a location and a scale. With a `reference` segment (the
// residuals of a period known to be in control, e.g. the validation window) both come from it: a
// new residual's score then depends only on the reference, so a burst of anomalies cannot inflate
// the scale that is meant to expose it (masking), and a point's score does not change when later
// points arrive, which is what a scheduled monitor needs. Without one, the residuals measure
// themselves (scipy.stats.zscore's retrospective convention), which is fine for screening a history
// but lets large anomalies hide each other.

// The ids live in @nflab/contracts, so the API's schemas and the web app read the same list.
/** The residual-anomaly detectors' ids, as stored in nf_residual_anomalies.method. */
export { ANOMALY_METHODS, type AnomalyMethod } from '@nflab/contracts';

/** Where a detector's location and scale came from. */
export type AnomalyBaseline = 'reference' | 'self';

/** What every detector accepts besides the residuals. */
export interface AnomalyBaseOptions {
  /**
   * In-control residuals to take the location and scale from (see the note in baseline.ts).
   * @default the residuals themselves
   */
  readonly reference?: readonly number[];
}

/** One detector's verdict on every residual, aligned with the input. */
export interface AnomalyResult {
  /** The detector's id, as stored in nf_residual_anomalies.method. */
  readonly method: AnomalyMethod;
  /** One score per residual (the detector's statistic: a z, a CUSUM sum, an IQR distance). */
  readonly scores: readonly number[];
  /** True where the score passed the threshold. */
  readonly flagged: readonly boolean[];
  /** Indices of the flagged residuals, ascending. */
  readonly flaggedIndices: readonly number[];
  readonly threshold: number;
  /** Location the residuals were measured from (mean, median, in-control mean, Q1/Q3 midpoint…). */
  readonly center: number;
  /** Scale the scores are expressed in (sd, 1.4826·MAD, IQR). */
  readonly scale: number;
  readonly baseline: AnomalyBaseline;
}

/** The values that set the location and scale, checked: finite, at least `minimum` of them. */
export function baselineValues(
  residuals: readonly number[],
  options: AnomalyBaseOptions,
  minimum: number,
): { values: readonly number[]; baseline: AnomalyBaseline } {
  if (residuals.length === 0) throw new ConfigError('residuals must hold at least 1 value, got 0');
  requireFiniteNumbers(residuals, 'residuals');
  const baseline: AnomalyBaseline = options.reference === undefined ? 'self' : 'reference';
  const values = options.reference ?? residuals;
  requireFiniteNumbers(values, baseline === 'reference' ? 'reference' : 'residuals');
  if (values.length < minimum) {
    const field = baseline === 'reference' ? 'reference' : 'residuals';
    throw new ConfigError(
      `${field} must hold at least ${minimum} values to set a scale, got ${values.length}`,
    );
  }
  return { values, baseline };
}

/** Throws a ConfigError naming the baseline when its scale is 0 (every score would be infinite). */
export function requireSpread(scale: number, baseline: AnomalyBaseline, what: string): void {
  if (scale > 0 && Number.isFinite(scale)) return;
  const field = baseline === 'reference' ? 'reference' : 'residuals';
  throw new ConfigError(`${field} has no spread (${what} = ${String(scale)}), so scores are undefined`);
}

/** Returns `value` when it is a finite number > 0 (or ≥ 0 with `allowZero`); else a ConfigError naming `field`. */
export function requirePositive(value: number, field: string, allowZero = false): number {
  if (Number.isFinite(value) && (value > 0 || (allowZero && value === 0))) return value;
  throw new ConfigError(
    `${field} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`,
  );
}

/** The detector result from scores: flagged where `isFlagged(score)`. */
export function buildResult(
  fields: Omit<AnomalyResult, 'flagged' | 'flaggedIndices'>,
  isFlagged: (score: number) => boolean,
): AnomalyResult {
  const flagged = fields.scores.map(isFlagged);
  const flaggedIndices = flagged.flatMap((flag, i) => (flag ? [i] : []));
  return { ...fields, flagged, flaggedIndices };
}

/** Arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 in the denominator) of at least 2 values. */
export function sampleStandardDeviation(values: readonly number[]): number {
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
