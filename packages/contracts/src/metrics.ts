/**
 * The forecast-accuracy metric ids, named as NeuralForecast/utilsforecast name them. The functions
 * live in @nflab/analysis, whose `seriesMetrics` returns a `Record<MetricId, …>`, so a metric added
 * here without its function (or the reverse) fails to compile; the run spec's `metric` is one of these.
 */
export const METRIC_IDS = ['mae', 'mse', 'rmse', 'mape', 'smape', 'mase'] as const;
/** One of {@link METRIC_IDS}; persisted as this lowercase string. */
export type MetricId = (typeof METRIC_IDS)[number];
