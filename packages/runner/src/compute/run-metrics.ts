/**
 * A run's `metrics`: the validation loss, and for every set of forecasts with known actuals (the
 * held-out test part, cross-validation) MAE, MSE, RMSE, MAPE, sMAPE, MASE and R² per series and
 * overall (and for cross-validation, per fold with the folds' mean/std/min/max) — each beside the naive baselines on the very same points and a Diebold–Mariano test
 * against each, because on lottery draws "a low error" means nothing until it beats chance.
 */
import {
  compareWithBaselines,
  evaluate,
  evaluateFolds,
  type BaselineComparison,
  type Evaluation,
  type FoldEvaluation,
  type WindowedPoint,
} from '@nflab/analysis';
import { isLabError } from '@nflab/contracts';
import type { CrossValidationRow } from '@nflab/engine';
import type { EnsembleSummary } from './ensemble-summary.js';
import type { ImportanceSummary } from './importance/types.js';
import type { RunData } from './run-data.js';

/** Metrics of one set of evaluated forecasts. */
export interface EvaluatedMetrics {
  readonly points: number;
  readonly windows: number;
  readonly overall: Evaluation['overall'];
  readonly per_series: Evaluation['perSeries'];
  /** Baselines on the same points; absent (with the reason) when the history was too short for them. */
  readonly baselines?: Readonly<Record<string, Evaluation['overall']>>;
  readonly significance?: BaselineComparison['significance'];
  readonly beats_all_baselines?: boolean;
  readonly baselines_skipped?: string;
  /** Cross-validation only: each window's metrics (fold 0 = earliest). */
  readonly folds?: FoldEvaluation['folds'];
  /** Cross-validation only: each metric's mean, sample std, min and max across the folds. */
  readonly fold_summary?: FoldEvaluation['summary'];
}

/** The `metrics` JSON of a run. */
export interface RunMetrics {
  readonly metric: string;
  readonly valid_loss: number | null;
  readonly test?: EvaluatedMetrics;
  readonly cv?: EvaluatedMetrics;
  /** An importance run's ranking and method settings (rows in nf_feature_importance). */
  readonly importance?: ImportanceSummary;
  /** An ensemble run's method, members, weights and errors (also in nf_ensemble_members). */
  readonly ensemble?: EnsembleSummary;
}

interface SeriesValues {
  readonly ds: readonly (string | number)[];
  readonly y: readonly (number | null)[];
}

const seriesValues = (data: RunData): Map<string, SeriesValues> => {
  const out = new Map<string, SeriesValues>();
  for (const s of data.series) {
    out.set(s.uniqueId, {
      ds: data.columns.ds.slice(s.start, s.start + s.length) as (string | number)[],
      y: data.columns.y.slice(s.start, s.start + s.length),
    });
  }
  return out;
};

/** Observed values of a series up to and including `cutoff`. */
const historyUpTo = (values: SeriesValues | undefined, cutoff: string | number): number[] => {
  if (!values) return [];
  const end = values.ds.findIndex((ds) => ds === cutoff);
  const upTo = end < 0 ? values.y : values.y.slice(0, end + 1);
  return upTo.filter((y): y is number => y !== null && Number.isFinite(y));
};

/** Metrics of forecasts with actuals, or undefined when there are none; `folds` adds the per-fold metrics. */
export const evaluateRows = (
  rows: readonly CrossValidationRow[],
  modelColumn: string,
  data: RunData,
  options: { readonly h: number; readonly folds?: boolean },
): EvaluatedMetrics | undefined => {
  const pooled = evaluatePooled(rows, modelColumn, data, options.h);
  if (pooled === undefined || options.folds !== true) return pooled;
  const values = seriesValues(data);
  const { folds, summary } = evaluateFolds(pooledPoints(rows, modelColumn), {
    histories: (id, cutoff) => historyUpTo(values.get(id), cutoff),
  });
  return { ...pooled, folds, fold_summary: summary };
};

const pooledPoints = (rows: readonly CrossValidationRow[], modelColumn: string): WindowedPoint[] => {
  const points: WindowedPoint[] = [];
  for (const row of rows) {
    const yhat = row[modelColumn];
    if (row.y === null || typeof yhat !== 'number' || !Number.isFinite(yhat)) continue;
    points.push({ uniqueId: String(row.unique_id), y: row.y, yhat, cutoff: row.cutoff });
  }
  return points;
};

const evaluatePooled = (
  rows: readonly CrossValidationRow[],
  modelColumn: string,
  data: RunData,
  h: number,
): EvaluatedMetrics | undefined => {
  const points = pooledPoints(rows, modelColumn);
  if (points.length === 0) return undefined;
  const values = seriesValues(data);
  const firstCutoff = new Map<string, string | number>();
  for (const p of points) if (!firstCutoff.has(p.uniqueId)) firstCutoff.set(p.uniqueId, p.cutoff);
  const train = Object.fromEntries(
    [...firstCutoff].map(([id, cutoff]) => [id, historyUpTo(values.get(id), cutoff)]),
  );
  const windows = new Set(points.map((p) => `${p.uniqueId}\0${String(p.cutoff)}`)).size;
  try {
    const comparison = compareWithBaselines({
      points,
      histories: (id, cutoff) => historyUpTo(values.get(id), cutoff),
      h,
      train,
    });
    return {
      points: points.length,
      windows,
      overall: comparison.model.overall,
      per_series: comparison.model.perSeries,
      baselines: Object.fromEntries(
        Object.entries(comparison.baselines).map(([id, evaluation]) => [id, evaluation.overall]),
      ),
      significance: comparison.significance,
      beats_all_baselines: comparison.beatsAllBaselines,
    };
  } catch (error) {
    // Baselines need enough history (e.g. a window average its window); the model's metrics stand anyway.
    if (!isLabError(error)) throw error;
    const model = evaluate(points, { train });
    return {
      points: points.length,
      windows,
      overall: model.overall,
      per_series: model.perSeries,
      baselines_skipped: error.message,
    };
  }
};
