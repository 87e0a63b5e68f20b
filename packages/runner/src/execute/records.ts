/**
 * Writes a run's results into its tables through the store's run-output repository: one INSERT
 * per table (one round trip however many rows), inside the caller's transaction, so a run's
 * results and its final status commit together or not at all.
 */
import type { CrossValidationRow, ForecastRow } from '@nflab/engine';
import {
  insertArtifactRows,
  insertCvResultRows,
  insertFeatureImportanceRows,
  insertPredictionRows,
  type Queryable,
} from '@nflab/store';
import type { WrittenFile } from '../compute/compute-types.js';
import type { FeatureImportance } from '../compute/importance/types.js';

/** A forecast frame's time point in the table's two columns: a calendar day or an integer step. */
const timeColumns = (value: string | number): [ds: string | null, step: number | null] =>
  typeof value === 'number' ? [null, value] : [value.slice(0, 10), null];

/** One value of one output column (`NHITS`, `NHITS-lo-90` …) of a forecast row. */
interface OutputValue<R> {
  readonly row: R;
  /** `''` for the point forecast, `'-lo-90'` … for intervals and quantiles. */
  readonly suffix: string;
  readonly value: number;
}

/** Every finite value of the model's output columns, row by row (long form: one value each). */
const outputValues = <R extends ForecastRow>(rows: readonly R[], modelColumn: string): OutputValue<R>[] =>
  rows.flatMap((row) =>
    Object.keys(row)
      .filter((key) => key === modelColumn || key.startsWith(`${modelColumn}-`))
      .flatMap((key) => {
        const value = row[key];
        return typeof value === 'number' && Number.isFinite(value)
          ? [{ row, suffix: key.slice(modelColumn.length), value }]
          : [];
      }),
  );

/** Forecast rows of a run (long form: one value per row). */
export const insertPredictions = async (
  tx: Queryable,
  runId: string,
  kind: 'forecast' | 'insample',
  rows: readonly ForecastRow[],
  modelColumn: string,
): Promise<number> => {
  const values = outputValues(rows, modelColumn);
  if (values.length === 0) return 0;
  await insertPredictionRows(tx, runId, {
    kind,
    model: modelColumn,
    rows: values.map((v) => {
      const [ds, step] = timeColumns(v.row.ds);
      return { unique_id: String(v.row.unique_id), ds, step, suffix: v.suffix, value: v.value };
    }),
  });
  return values.length;
};

/** Cross-validation (or test-part) rows of a run, with their cutoff and actual value. */
export const insertCvResults = async (
  tx: Queryable,
  runId: string,
  rows: readonly CrossValidationRow[],
  modelColumn: string,
): Promise<number> => {
  const values = outputValues(rows, modelColumn);
  if (values.length === 0) return 0;
  await insertCvResultRows(tx, runId, {
    model: modelColumn,
    rows: values.map((v) => {
      const [ds, step] = timeColumns(v.row.ds);
      const [cutoff, cutoffStep] = timeColumns(v.row.cutoff);
      const { unique_id, y } = v.row;
      return {
        unique_id: String(unique_id),
        ds,
        step,
        cutoff,
        cutoff_step: cutoffStep,
        y,
        suffix: v.suffix,
        value: v.value,
      };
    }),
  });
  return values.length;
};

/** The run's files with their digests. */
export const insertArtifacts = async (
  tx: Queryable,
  runId: string,
  files: readonly WrittenFile[],
): Promise<void> => {
  await insertArtifactRows(tx, runId, files);
};

/** An importance run's rows, one per column over all series and per series, ranked. */
export const insertImportance = async (
  tx: Queryable,
  runId: string,
  importance: FeatureImportance,
): Promise<void> => {
  await insertFeatureImportanceRows(
    tx,
    runId,
    importance.rows.map((row) => ({
      method: importance.summary.method,
      feature: row.feature,
      unique_id: row.uniqueId,
      importance: row.importance,
      std: row.std,
      ci_low: row.ciLow,
      ci_high: row.ciHigh,
      rank: row.rank,
      details: row.details,
    })),
  );
};
