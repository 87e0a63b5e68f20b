import { requireFiniteNumbers, requirePositiveInteger, meanOrNull } from './checks.js';
import { seriesMetrics, type ForecastPairs, type MetricValues } from './metrics.js';

/** One forecast point: the actual value `y` and the forecast `yhat` of series `uniqueId`. */
export interface EvaluatedPoint {
  readonly uniqueId: string;
  readonly y: number;
  readonly yhat: number;
  /** The window's last observed ds (cross-validation cutoff); needed only for baselines. */
  readonly cutoff?: string | number;
}

/** What metrics need besides the points. */
export interface EvaluateOptions {
  /** Training values per series (before the first forecast point), for MASE. A missing series has no MASE. */
  readonly train: Readonly<Record<string, readonly number[]>>;
  /** Season length m of the seasonal naive forecast that scales MASE. @default 1 */
  readonly seasonality?: number;
}

/** Metrics over all points pooled and per series. */
export interface Evaluation {
  /**
   * MAE, MSE, RMSE, MAPE, sMAPE and R² over all points pooled. MASE is the mean of the per-series
   * MASE over the series where it is defined (each series has its own scale, so pooling errors
   * across scales would let one series dominate); null when no series has one.
   */
  readonly overall: MetricValues;
  readonly perSeries: Readonly<Record<string, MetricValues>>;
  /** Number of points evaluated. */
  readonly points: number;
}

function toPairs(points: readonly EvaluatedPoint[]): ForecastPairs {
  return { actual: points.map((p) => p.y), forecast: points.map((p) => p.yhat) };
}

function groupBySeries(points: readonly EvaluatedPoint[]): Map<string, EvaluatedPoint[]> {
  const groups = new Map<string, EvaluatedPoint[]>();
  for (const point of points) {
    const group = groups.get(point.uniqueId);
    if (group) group.push(point);
    else groups.set(point.uniqueId, [point]);
  }
  return groups;
}

/** Checks points and training values are finite, so a NaN forecast is reported, not averaged. */
function validate(points: readonly EvaluatedPoint[], options: EvaluateOptions): number {
  const pairs = toPairs(points);
  requireFiniteNumbers(pairs.actual, 'points[].y');
  requireFiniteNumbers(pairs.forecast, 'points[].yhat');
  for (const [uniqueId, values] of Object.entries(options.train)) {
    requireFiniteNumbers(values, `train['${uniqueId}']`);
  }
  return requirePositiveInteger(options.seasonality ?? 1, 'seasonality');
}

/** MAE, MSE, RMSE, MAPE, sMAPE, MASE and R² of forecast points, overall and per series. */
export function evaluate(points: readonly EvaluatedPoint[], options: EvaluateOptions): Evaluation {
  const seasonality = validate(points, options);
  const perSeries: Record<string, MetricValues> = {};
  for (const [uniqueId, seriesPoints] of groupBySeries(points)) {
    const train = Object.hasOwn(options.train, uniqueId) ? (options.train[uniqueId] ?? []) : [];
    perSeries[uniqueId] = seriesMetrics(toPairs(seriesPoints), train, seasonality);
  }
  const pooled = seriesMetrics(toPairs(points), [], seasonality);
  const seriesMase = Object.values(perSeries)
    .map((metrics) => metrics.mase)
    .filter((mase): mase is number => mase !== null);
  return { overall: { ...pooled, mase: meanOrNull(seriesMase) }, perSeries, points: points.length };
}
