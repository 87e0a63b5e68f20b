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
export { logGamma, regularizedIncompleteBeta, studentTTwoSidedPValue } from './special-functions.js';
// Exogenous analysis (issue 14): correlations, cross-correlation, mutual information, Granger, per table.
export {
  averageRanks,
  pearsonCoefficient,
  pearsonCorrelation,
  spearmanCorrelation,
} from './exogenous/correlation.js';
export type {
  CorrelationMethod,
  CorrelationPValueMethod,
  CorrelationResult,
} from './exogenous/correlation.js';
export { countDiscordantPairs, kendallExactPValue, kendallTauB } from './exogenous/kendall.js';
export { crossCorrelation, maxCrossCorrelationLag } from './exogenous/cross-correlation.js';
export type {
  CrossCorrelationLag,
  CrossCorrelationOptions,
  CrossCorrelationResult,
} from './exogenous/cross-correlation.js';
export { mutualInformation } from './exogenous/mutual-information.js';
export type { MutualInformationOptions, MutualInformationResult } from './exogenous/mutual-information.js';
export { leastSquares } from './exogenous/least-squares.js';
export type { LeastSquaresFit } from './exogenous/least-squares.js';
export { grangerCausality, minGrangerPoints } from './exogenous/granger.js';
export type {
  GrangerChiSquareTest,
  GrangerCriterion,
  GrangerFTest,
  GrangerLagCriterion,
  GrangerLagResult,
  GrangerOptions,
  GrangerResult,
} from './exogenous/granger.js';
export { EXOGENOUS_SUMMARY_LIMITS, grangerWork, tableExogenousSummary } from './exogenous/summary.js';
export type {
  AdjustedPValues,
  ExogenousPairSummary,
  ExogenousSeriesInput,
  ExogenousSummary,
  ExogenousSummaryOptions,
  ExogenousTestId,
} from './exogenous/summary.js';
export { chiSquareSurvival, digamma, fSurvival, regularizedUpperGamma } from './exogenous/special.js';
// Drift (issue 16): reference vs current distributions.
export { KS_EXACT_MAX_N, kolmogorovSurvival, ksTwoSample } from './drift/kolmogorov-smirnov.js';
export type { KolmogorovSmirnovResult } from './drift/kolmogorov-smirnov.js';
export { FRACTION_FLOOR, binnedDrift, linearQuantile, wassersteinDistance } from './drift/distances.js';
export type { BinnedDriftOptions, BinnedDriftResult } from './drift/distances.js';
export { chiSquareContingency } from './drift/chi-square-contingency.js';
export type { ChiSquareContingencyResult } from './drift/chi-square-contingency.js';
