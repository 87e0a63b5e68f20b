/** @nflab/analysis: pure functions from forecasts, runs and trials to JSON results. */
export { METRIC_IDS, seasonalNaiveScale, seriesMetrics } from './metrics.js';
export type { ForecastPairs, MetricId, MetricValues } from './metrics.js';
export { evaluate } from './evaluate.js';
export type { EvaluatedPoint, EvaluateOptions, Evaluation } from './evaluate.js';
export { BASELINE_IDS, DEFAULT_WINDOW, baselineForecast } from './baselines.js';
export type { BaselineId, BaselineOptions } from './baselines.js';
export { dieboldMariano } from './diebold-mariano.js';
export type { DieboldMarianoLoss, DieboldMarianoOptions, DieboldMarianoResult } from './diebold-mariano.js';
export { compareWithBaselines } from './compare-with-baselines.js';
export type { BaselineComparison, BaselineComparisonInput, WindowedPoint } from './compare-with-baselines.js';
