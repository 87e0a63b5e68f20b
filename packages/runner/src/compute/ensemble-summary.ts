/** What an ensemble run records of how it combined its members (`metrics.ensemble`). */
import type { EnsembleResult } from '@nflab/analysis';
import type { EnsembleMethod, EnsembleWeightMetric } from '@nflab/contracts';

/** One member's part, as stored. */
export interface EnsembleMemberRecord {
  readonly run_id: string;
  readonly label: string;
  /** Weight in the forecast beyond the data; null for median. */
  readonly weight: number | null;
  /** Error (weight_metric) on every evaluated point all members share; null without any. */
  readonly error: number | null;
  readonly evaluated_not_shared: number;
  readonly evaluated_missing: number;
  readonly forecast_not_shared: number;
}

/** `metrics.ensemble` of an ensemble run. */
export interface EnsembleSummary {
  readonly method: EnsembleMethod;
  readonly weight_metric: EnsembleWeightMetric;
  readonly members: readonly EnsembleMemberRecord[];
  readonly evaluated_points: number;
  readonly forecast_points: number;
  /** inverse_error: evaluated windows weighted equally because no actual was known at their cutoff. */
  readonly equal_weight_windows: number;
}

/** The summary of a built ensemble. */
export const summarizeEnsemble = (
  result: EnsembleResult,
  method: EnsembleMethod,
  weightMetric: EnsembleWeightMetric,
): EnsembleSummary => ({
  method,
  weight_metric: weightMetric,
  members: result.members.map((member) => ({
    run_id: member.runId,
    label: member.label,
    weight: member.weight,
    error: member.error,
    evaluated_not_shared: member.evaluatedDropped.notShared,
    evaluated_missing: member.evaluatedDropped.missingValues,
    forecast_not_shared: member.forecastNotShared,
  })),
  evaluated_points: result.evaluated.length,
  forecast_points: result.forecast.length,
  equal_weight_windows: result.equalWeightCutoffs,
});
