/** Forecast combinations of runs (mean, median, inverse-error weighted) without look-ahead. */
export { buildEnsemble } from './ensemble.js';
export type {
  EnsembleEvaluatedPoint,
  EnsembleInput,
  EnsembleMemberPoints,
  EnsembleMemberSummary,
  EnsembleResult,
  ForecastPoint,
} from './ensemble.js';
export { combine, median, weightedMean } from './combine.js';
export { compareTime, ErrorSums, inverseErrorWeights } from './member-errors.js';
export type { TimePoint } from './member-errors.js';
