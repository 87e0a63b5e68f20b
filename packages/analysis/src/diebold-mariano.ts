import { ConfigError } from '@nflab/contracts';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { requireFiniteNumbers, requirePositiveInteger } from './checks.js';

/** How a forecast error becomes a loss: e² or |e|. */
export type DieboldMarianoLoss = 'squared' | 'absolute';

/** Outcome of a Diebold-Mariano test of equal predictive accuracy. */
export interface DieboldMarianoResult {
  /** HLN-corrected statistic; negative when the model's loss is lower than the baseline's. */
  readonly statistic: number;
  /** Two-sided p-value from Student's t with n - 1 degrees of freedom. */
  readonly pValue: number;
  /** Number of paired errors. */
  readonly n: number;
  /** Horizon used for the variance (1 when the h-lag variance came out negative, see {@link dieboldMariano}). */
  readonly h: number;
  readonly lossFn: DieboldMarianoLoss;
  /** Which forecast has the significantly lower loss at `alpha`; 'neither' when p ≥ alpha. */
  readonly better: 'model' | 'baseline' | 'neither';
}

/** Test settings. */
export interface DieboldMarianoOptions {
  /** Forecast horizon: errors up to h - 1 steps apart are allowed to be correlated. @default 1 */
  readonly h?: number;
  /** @default 'squared' (Diebold and Mariano's original loss) */
  readonly loss?: DieboldMarianoLoss;
  /** Significance level for `better`. @default 0.05 */
  readonly alpha?: number;
}

const LOSSES = {
  squared: (error: number) => error * error,
  absolute: (error: number) => Math.abs(error),
} as const satisfies Record<DieboldMarianoLoss, (error: number) => number>;

/** Autocovariance γ_k = (1/n) Σ_{t=k}^{n-1} (d_t - d̄)(d_{t-k} - d̄), the biased estimator DM use. */
function autocovariance(deviations: readonly number[], lag: number): number {
  let sum = 0;
  for (let t = lag; t < deviations.length; t++) sum += (deviations[t] ?? 0) * (deviations[t - lag] ?? 0);
  return sum / deviations.length;
}

/** Var(d̄) ≈ (γ_0 + 2 Σ_{k=1}^{h-1} γ_k) / n: h-step errors are MA(h-1), so only h-1 lags matter. */
function meanVariance(deviations: readonly number[], h: number): number {
  let longRun = autocovariance(deviations, 0);
  for (let lag = 1; lag < h; lag++) longRun += 2 * autocovariance(deviations, lag);
  return longRun / deviations.length;
}

function validate(
  modelErrors: readonly number[],
  baselineErrors: readonly number[],
  options: DieboldMarianoOptions,
): { h: number; loss: DieboldMarianoLoss; alpha: number } {
  if (modelErrors.length !== baselineErrors.length) {
    throw new ConfigError(
      `modelErrors and baselineErrors must pair up point by point, got lengths ${modelErrors.length} and ${baselineErrors.length}`,
    );
  }
  requireFiniteNumbers(modelErrors, 'modelErrors');
  requireFiniteNumbers(baselineErrors, 'baselineErrors');
  const loss = options.loss ?? 'squared';
  if (!Object.hasOwn(LOSSES, loss)) {
    throw new ConfigError(`loss must be 'squared' or 'absolute', got '${String(loss)}'`);
  }
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ConfigError(`alpha must be in (0, 1), got ${alpha}`);
  return { h: requirePositiveInteger(options.h ?? 1, 'h'), loss, alpha };
}

/**
 * Diebold-Mariano test that the model's and the baseline's forecasts are equally accurate, with
 * the Harvey-Leybourne-Newbold (1997) small-sample correction.
 *
 * d_t = L(model_t) - L(baseline_t); DM = d̄ / √Var(d̄) with the variance from {@link meanVariance};
 * statistic = DM · √((n + 1 - 2h + h(h-1)/n) / n), compared with Student's t on n - 1 df.
 * When the h-lag variance is negative (possible with the truncated estimator), the test is
 * redone with h = 1, as R's forecast::dm.test does. Returns null when there is nothing to test:
 * n < 3, h ≥ n (the correction factor is not positive), or the loss differential has zero
 * variance, which includes identical errors (no evidence either way, so no statistic).
 * @see https://doi.org/10.1016/S0169-2070(96)00719-4 (Harvey, Leybourne and Newbold 1997)
 */
export function dieboldMariano(
  modelErrors: readonly number[],
  baselineErrors: readonly number[],
  options: DieboldMarianoOptions = {},
): DieboldMarianoResult | null {
  const { h, loss, alpha } = validate(modelErrors, baselineErrors, options);
  const n = modelErrors.length;
  if (n < 3 || h >= n) return null;
  const lossOf = LOSSES[loss];
  const differentials = modelErrors.map((error, t) => lossOf(error) - lossOf(baselineErrors[t] ?? 0));
  const meanDifferential = differentials.reduce((sum, d) => sum + d, 0) / n;
  const deviations = differentials.map((d) => d - meanDifferential);
  const variance = meanVariance(deviations, h);
  if (variance < 0 && h > 1) return dieboldMariano(modelErrors, baselineErrors, { ...options, h: 1 });
  // A constant differential leaves only rounding noise (about n·ε·max|d_t| per deviation) in the
  // deviations; a long-run variance at or below that noise is zero variance.
  const largest = differentials.reduce((max, d) => Math.max(max, Math.abs(d)), 0);
  const roundingNoise = n * Number.EPSILON * largest;
  if (!(variance * n > roundingNoise * roundingNoise)) return null;
  const correction = Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const statistic = (meanDifferential / Math.sqrt(variance)) * correction;
  // Two-sided: 2·P(T ≤ -|t|), taken from the lower tail so small p-values keep their digits.
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(statistic), n - 1));
  const better = pValue >= alpha ? 'neither' : statistic < 0 ? 'model' : 'baseline';
  return { statistic, pValue, n, h, lossFn: loss, better };
}
