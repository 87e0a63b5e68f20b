import type { MetricId } from '@nflab/contracts';
import { meanOrNull } from './checks.js';

// The ids live in the contracts (the run spec's `metric` enum); `seriesMetrics` returns one value per id.
export { METRIC_IDS, type MetricId } from '@nflab/contracts';
/**
 * Every metric's value; null where the metric is undefined for the data (see each function). The
 * error metrics (lower is better, what runs are compared by) plus R², reported beside them.
 */
export type MetricValues = Readonly<Record<MetricId, number | null>> & { readonly r2: number | null };

/** Actual and forecast values of the same points, index by index. */
export interface ForecastPairs {
  readonly actual: readonly number[];
  readonly forecast: readonly number[];
}

function absoluteErrors({ actual, forecast }: ForecastPairs): number[] {
  return actual.map((y, i) => Math.abs(y - (forecast[i] ?? Number.NaN)));
}

/** MAE = mean |y - ŷ|; null when there are no points. */
export function meanAbsoluteError(pairs: ForecastPairs): number | null {
  return meanOrNull(absoluteErrors(pairs));
}

/** MSE = mean (y - ŷ)²; null when there are no points. */
export function meanSquaredError(pairs: ForecastPairs): number | null {
  return meanOrNull(absoluteErrors(pairs).map((error) => error * error));
}

/** RMSE = √MSE; null when there are no points. */
export function rootMeanSquaredError(pairs: ForecastPairs): number | null {
  const mse = meanSquaredError(pairs);
  return mse === null ? null : Math.sqrt(mse);
}

/**
 * MAPE = mean over points with y ≠ 0 of |y - ŷ| / |y| (a fraction, not a percentage).
 * Points with y = 0 are left out of the mean (utilsforecast counts them as 0, which rewards
 * forecasts for zeros they cannot be judged on); null when no point has y ≠ 0.
 */
export function meanAbsolutePercentageError(pairs: ForecastPairs): number | null {
  const ratios: number[] = [];
  absoluteErrors(pairs).forEach((error, i) => {
    const y = pairs.actual[i] ?? 0;
    if (y !== 0) ratios.push(error / Math.abs(y));
  });
  return meanOrNull(ratios);
}

/**
 * sMAPE = mean of |y - ŷ| / (|y| + |ŷ|), in [0, 1] (utilsforecast's definition, no factor 2).
 * A point with y = ŷ = 0 counts as 0 and stays in the mean: it is a perfect forecast, and
 * dropping it would make a model look worse for getting zeros right. Null when there are no points.
 */
export function symmetricMeanAbsolutePercentageError(pairs: ForecastPairs): number | null {
  return meanOrNull(
    absoluteErrors(pairs).map((error, i) => {
      const scale = Math.abs(pairs.actual[i] ?? 0) + Math.abs(pairs.forecast[i] ?? 0);
      return scale === 0 ? 0 : error / scale;
    }),
  );
}

/**
 * R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)², the coefficient of determination: 1 is a perfect forecast, 0 no
 * better than the actuals' own mean, below 0 worse than it. Null when there are no points or the
 * actuals do not vary (Σ(y - ȳ)² = 0), where it is undefined (sklearn's `r2_score` with
 * `force_finite=False`). Not one of METRIC_IDS: higher is better, so runs are not ranked by it.
 */
export function coefficientOfDetermination({ actual, forecast }: ForecastPairs): number | null {
  const mean = meanOrNull(actual);
  if (mean === null) return null;
  let residual = 0;
  let total = 0;
  actual.forEach((y, i) => {
    residual += (y - (forecast[i] ?? Number.NaN)) ** 2;
    total += (y - mean) ** 2;
  });
  return total === 0 ? null : 1 - residual / total;
}

/**
 * In-sample MAE of the seasonal naive forecast on a training series:
 * mean over t = m … n-1 of |train[t] - train[t-m]|. Null when the series has fewer than m + 1
 * values or the scale is 0 (a series that repeats itself every m steps), since MASE divides by it.
 */
export function seasonalNaiveScale(train: readonly number[], seasonality: number): number | null {
  const differences: number[] = [];
  for (let t = seasonality; t < train.length; t++) {
    differences.push(Math.abs((train[t] ?? 0) - (train[t - seasonality] ?? 0)));
  }
  const scale = meanOrNull(differences);
  return scale === null || scale === 0 ? null : scale;
}

/** MASE = MAE / {@link seasonalNaiveScale}(train, m); null when either is undefined. */
export function meanAbsoluteScaledError(
  pairs: ForecastPairs,
  train: readonly number[],
  seasonality: number,
): number | null {
  const mae = meanAbsoluteError(pairs);
  const scale = seasonalNaiveScale(train, seasonality);
  return mae === null || scale === null ? null : mae / scale;
}

/** Every metric of one series' points (R² included), MASE scaled by that series' training values. */
export function seriesMetrics(
  pairs: ForecastPairs,
  train: readonly number[],
  seasonality: number,
): MetricValues {
  return {
    mae: meanAbsoluteError(pairs),
    mse: meanSquaredError(pairs),
    rmse: rootMeanSquaredError(pairs),
    mape: meanAbsolutePercentageError(pairs),
    smape: symmetricMeanAbsolutePercentageError(pairs),
    mase: meanAbsoluteScaledError(pairs, train, seasonality),
    r2: coefficientOfDetermination(pairs),
  };
}
