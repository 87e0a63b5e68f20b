/**
 * Whether a model's cross-validated errors beat the historical mean's by more than chance: the
 * lab's Diebold–Mariano test (absolute loss, as MAE ranks; Harvey–Leybourne–Newbold small-sample
 * correction) on the paired errors of the same window targets, then Holm's correction over every
 * model of the run — a bench run that tries eleven models must not call the best of eleven a win.
 * The errors are pooled in target order (series, cutoff, step); lags that cross from one series to
 * the next pair unrelated points, which the test treats as ordinary noise.
 */
import { adjustPValues, dieboldMariano } from '../../packages/analysis/src/index.js';

/** One model's test against the historical mean; `p_holm` once the whole run is known. */
export interface VersusHistoricalMean {
  /** Negative when the model's absolute errors are lower than the mean's. */
  readonly dm_statistic: number;
  readonly p_value: number;
  readonly p_holm?: number;
}

/** The DM test of `modelErrors` against `meanErrors` (null when it cannot be computed). */
export const versusHistoricalMean = (
  modelErrors: readonly number[],
  meanErrors: readonly number[],
  h: number,
): VersusHistoricalMean | null => {
  const result = dieboldMariano(modelErrors, meanErrors, { h, loss: 'absolute' });
  return result ? { dm_statistic: result.statistic, p_value: result.pValue } : null;
};

/** A result's test, when it has one (failed and skipped models have none). */
const testOf = (result: object): VersusHistoricalMean | undefined =>
  'vs_historical_mean' in result
    ? ((result.vs_historical_mean as VersusHistoricalMean | null) ?? undefined)
    : undefined;

/** The run's results with Holm-adjusted p-values over every model that has a test. */
export const withHolm = <R extends object>(results: readonly R[]): R[] => {
  const tested = results.filter((r) => testOf(r));
  const adjusted = adjustPValues(
    tested.map((r) => (testOf(r) as VersusHistoricalMean).p_value),
    'holm',
  );
  const byResult = new Map(tested.map((r, i) => [r, adjusted[i] as number]));
  return results.map((r) =>
    byResult.has(r) ? { ...r, vs_historical_mean: { ...testOf(r), p_holm: byResult.get(r) } } : r,
  );
};
