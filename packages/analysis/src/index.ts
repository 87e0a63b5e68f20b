/** @nflab/analysis: pure functions from forecasts, runs and trials to JSON results. */
export { METRIC_IDS, coefficientOfDetermination, seasonalNaiveScale, seriesMetrics } from './metrics.js';
export type { ForecastPairs, MetricId, MetricValues } from './metrics.js';
export { evaluate } from './evaluate.js';
export type { EvaluatedPoint, EvaluateOptions, Evaluation } from './evaluate.js';
export { evaluateFolds, summarizeFolds } from './cv-folds.js';
export type { FoldEvaluation, FoldMetrics, FoldOptions, FoldPoint, FoldSummary } from './cv-folds.js';
export { BASELINE_IDS, DEFAULT_WINDOW, baselineForecast } from './baselines.js';
export type { BaselineId, BaselineOptions } from './baselines.js';
export { dieboldMariano } from './diebold-mariano.js';
export type { DieboldMarianoLoss, DieboldMarianoOptions, DieboldMarianoResult } from './diebold-mariano.js';
export { compareWithBaselines } from './compare-with-baselines.js';
export type { BaselineComparison, BaselineComparisonInput, WindowedPoint } from './compare-with-baselines.js';
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

// Comparing runs (issue 14): paired and k-run tests, post-hoc tests, p-value adjustment, effect sizes, bootstrap.
export { pairedTTest } from './comparison/paired-t-test.js';
export type { Alternative, PairedTestOptions, PairedTTestResult } from './comparison/paired-t-test.js';
export { WILCOXON_EXACT_MAX_PAIRS, wilcoxonSignedRank } from './comparison/wilcoxon.js';
export type { WilcoxonMethod, WilcoxonOptions, WilcoxonResult, ZeroMethod } from './comparison/wilcoxon.js';
export { friedmanTest, rankWithinBlocks } from './comparison/friedman.js';
export type { BlockRanks, FriedmanResult } from './comparison/friedman.js';
export { nemenyiCriticalDifference, nemenyiTest } from './comparison/nemenyi.js';
export type { NemenyiOptions, NemenyiResult } from './comparison/nemenyi.js';
export { adjustPairwise, conoverFriedmanTest } from './comparison/conover-friedman.js';
export type { ConoverFriedmanOptions, ConoverFriedmanResult } from './comparison/conover-friedman.js';
export { P_ADJUST_METHODS, adjustPValues } from './comparison/p-adjust.js';
export type { PAdjustMethod } from './comparison/p-adjust.js';
export { criticalDifferenceDiagram } from './comparison/critical-difference.js';
export type {
  CriticalDifferenceClique,
  CriticalDifferenceDiagram,
  CriticalDifferenceModel,
  CriticalDifferenceOptions,
} from './comparison/critical-difference.js';
export { oneWayAnova } from './comparison/one-way-anova.js';
export type { OneWayAnovaResult } from './comparison/one-way-anova.js';
export { kruskalWallis } from './comparison/kruskal-wallis.js';
export type { KruskalWallisResult } from './comparison/kruskal-wallis.js';
export { EFFECT_SIZE_THRESHOLDS, effectMagnitude } from './comparison/effect-magnitude.js';
export type { EffectMagnitude, EffectSizeScale } from './comparison/effect-magnitude.js';
export {
  cliffsDelta,
  cohensD,
  cohensDz,
  effectSizes,
  hedgesG,
  kendallsW,
  rankBiserial,
} from './comparison/effect-sizes.js';
export type { EffectSize, EffectSizes } from './comparison/effect-sizes.js';
export {
  BOOTSTRAP_MAX_JACKKNIFE_POINTS,
  BOOTSTRAP_MAX_RESAMPLES,
  pairedBootstrapDifference,
} from './comparison/bootstrap.js';
export type { LossMetric, PairedBootstrapOptions, PairedBootstrapResult } from './comparison/bootstrap.js';
// Comparing and ranking runs
export { MIN_RUNS, alignRuns } from './runs/align.js';
export type { AlignedRuns, DroppedPoints, PointKey, RunPoint, RunPoints } from './runs/align.js';
export { MAX_COMPARED_RUNS, compareRuns } from './runs/compare-runs.js';
export type {
  CompareRunsOptions,
  ComparedRun,
  ManyRunTests,
  PairComparison,
  RunComparison,
} from './runs/compare-runs.js';
export { MIN_CHAMPION_CHALLENGER_POINTS, championChallenger } from './runs/champion-challenger.js';
export type { ChampionChallengerOptions, ChampionChallengerResult } from './runs/champion-challenger.js';
export { pairedPower } from './comparison/ab-power.js';
export type { PairedPowerOptions, PairedPowerResult } from './comparison/ab-power.js';
export { leaderboard } from './runs/leaderboard.js';
export type {
  Leaderboard,
  LeaderboardBaselineRow,
  LeaderboardOptions,
  LeaderboardRun,
  LeaderboardRunRow,
} from './runs/leaderboard.js';
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
export {
  FRACTION_FLOOR,
  binnedDrift,
  fractionDrift,
  linearQuantile,
  wassersteinDistance,
} from './drift/distances.js';
export type { BinnedDriftOptions, BinnedDriftResult, FractionDrift } from './drift/distances.js';
export { numberFrequencyUniformity, uniformityDesignOf } from './drift/number-frequency.js';
export type { DrawSampling, NumberFrequencyUniformity, UniformityDesign } from './drift/number-frequency.js';
export {
  MAX_DISCRETE_CATEGORIES,
  columnDrift,
  columnDriftPValue,
  inferColumnKind,
} from './drift/column-drift.js';
export type {
  ColumnDrift,
  ColumnKind,
  ContinuousColumnDrift,
  DiscreteColumnDrift,
} from './drift/column-drift.js';
export { errorDrift } from './drift/error-drift.js';
export type { ErrorDrift } from './drift/error-drift.js';
export { chiSquareContingency } from './drift/chi-square-contingency.js';
export type { ChiSquareContingencyResult } from './drift/chi-square-contingency.js';
export * from './ensemble/index.js';
// Residual anomalies (issue 16): one detector per file, scored against a reference segment.
export { ANOMALY_METHODS } from './anomalies/baseline.js';
export type {
  AnomalyBaseOptions,
  AnomalyBaseline,
  AnomalyMethod,
  AnomalyResult,
} from './anomalies/baseline.js';
export { zScoreAnomalies } from './anomalies/z-score.js';
export type { ZScoreOptions } from './anomalies/z-score.js';
export { MAD_NORMAL_SCALE, robustZAnomalies } from './anomalies/robust-z.js';
export type { RobustZOptions } from './anomalies/robust-z.js';
export { cusumAnomalies } from './anomalies/cusum.js';
export type { CusumOptions, CusumResult } from './anomalies/cusum.js';
export { iqrAnomalies } from './anomalies/iqr.js';
export type { IqrOptions, IqrResult } from './anomalies/iqr.js';
export { ANOMALY_DETECTORS } from './anomalies/registry.js';
