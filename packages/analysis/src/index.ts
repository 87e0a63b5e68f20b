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
export { KERNEL_SHAP_LIMITS } from './attribution/kernel-shap-options.js';
export type { KernelShapOptions } from './attribution/kernel-shap-options.js';
export { kernelShap, kernelShapMulti } from './attribution/kernel-shap.js';
export type {
  KernelShapMultiResult,
  KernelShapPredict,
  KernelShapPredictMulti,
  KernelShapResult,
} from './attribution/kernel-shap.js';
export type { KernelShapL1Reg } from './attribution/kernel-shap-solve.js';
export {
  PERMUTATION_IMPORTANCE_LIMITS,
  permutationImportance,
  permuteWithinGroups,
} from './attribution/permutation-importance.js';
export type {
  ColumnImportance,
  PermutationImportanceInput,
  PermutationImportanceOptions,
  PermutationImportanceResult,
} from './attribution/permutation-importance.js';
export {
  INTEGRATED_GRADIENTS_LIMITS,
  INTEGRATED_GRADIENTS_RULES,
  integratedGradients,
  integratedGradientsQuadrature,
} from './attribution/integrated-gradients.js';
export type {
  GradientFn,
  IntegratedGradientsOptions,
  IntegratedGradientsResult,
  IntegratedGradientsRule,
} from './attribution/integrated-gradients.js';
