/**
 * Writes a run's results into its tables. Long tables are written with one `unnest` INSERT per
 * table (one round trip however many rows), inside the caller's transaction, so a run's results
 * and its final status commit together or not at all.
 */
import type { CrossValidationRow, ForecastRow } from '@nflab/engine';
import type { Queryable } from '@nflab/store';
import type { WrittenFile } from '../compute/compute-types.js';

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
  const times = values.map((v) => timeColumns(v.row.ds));
  await tx.query(
    `INSERT INTO nf_predictions (run_id, kind, model, unique_id, ds, step, suffix, value)
     SELECT $1, $2, $3, * FROM unnest($4::text[], $5::date[], $6::int[], $7::text[], $8::float8[])`,
    [
      runId,
      kind,
      modelColumn,
      values.map((v) => String(v.row.unique_id)),
      times.map(([ds]) => ds),
      times.map(([, step]) => step),
      values.map((v) => v.suffix),
      values.map((v) => v.value),
    ],
  );
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
  const times = values.map((v) => timeColumns(v.row.ds));
  const cutoffs = values.map((v) => timeColumns(v.row.cutoff));
  await tx.query(
    `INSERT INTO nf_cv_results (run_id, model, unique_id, ds, step, cutoff, cutoff_step, y, suffix, value)
     SELECT $1, $2, * FROM unnest($3::text[], $4::date[], $5::int[], $6::date[], $7::int[], $8::float8[], $9::text[], $10::float8[])`,
    [
      runId,
      modelColumn,
      values.map((v) => String(v.row.unique_id)),
      times.map(([ds]) => ds),
      times.map(([, step]) => step),
      cutoffs.map(([ds]) => ds),
      cutoffs.map(([, step]) => step),
      values.map((v) => v.row.y),
      values.map((v) => v.suffix),
      values.map((v) => v.value),
    ],
  );
  return values.length;
};

/** The run's files with their digests. */
export const insertArtifacts = async (
  tx: Queryable,
  runId: string,
  files: readonly WrittenFile[],
): Promise<void> => {
  if (files.length === 0) return;
  await tx.query(
    `INSERT INTO nf_artifacts (run_id, path, kind, sha256, bytes)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])`,
    [
      runId,
      files.map((f) => f.path),
      files.map((f) => f.kind),
      files.map((f) => f.sha256),
      files.map((f) => f.bytes),
    ],
  );
};
