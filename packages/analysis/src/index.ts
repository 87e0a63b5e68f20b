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

// Comparing runs (issue 14): paired and k-run tests, post-hoc tests, p-value adjustment, effect sizes, bootstrap.
export { pairedTTest } from './comparison/paired-t-test.js';
export type { Alternative, PairedTestOptions, PairedTTestResult } from './comparison/paired-t-test.js';
export { WILCOXON_EXACT_MAX_PAIRS, wilcoxonSignedRank } from './comparison/wilcoxon.js';
export type { WilcoxonMethod, WilcoxonOptions, WilcoxonResult, ZeroMethod } from './comparison/wilcoxon.js';
