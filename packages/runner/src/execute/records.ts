/**
 * Writes a run's results into its tables. Long tables are written with one `unnest` INSERT per
 * table (one round trip however many rows), inside the caller's transaction, so a run's results
 * and its final status commit together or not at all.
 */
import type { CrossValidationRow, ForecastRow } from '@nflab/engine';
import type { Queryable } from '@nflab/store';
import type { WrittenFile } from './compute-types.js';

/** A forecast frame's time point in the table's two columns: a calendar day or an integer step. */
const timeColumns = (value: string | number): [ds: string | null, step: number | null] =>
  typeof value === 'number' ? [null, value] : [value.slice(0, 10), null];

/** Every output column of the model (`NHITS`, `NHITS-lo-90` …) as its suffix (`''`, `'-lo-90'` …). */
const outputColumns = (row: Readonly<Record<string, unknown>>, modelColumn: string): [string, string][] =>
  Object.keys(row)
    .filter((key) => key === modelColumn || key.startsWith(`${modelColumn}-`))
    .map((key) => [key, key.slice(modelColumn.length)]);

/** Forecast rows of a run (long form: one value per row). */
export const insertPredictions = async (
  tx: Queryable,
  runId: string,
  kind: 'forecast' | 'insample',
  rows: readonly ForecastRow[],
  modelColumn: string,
): Promise<number> => {
  const uid: string[] = [];
  const ds: (string | null)[] = [];
  const step: (number | null)[] = [];
  const suffix: string[] = [];
  const value: number[] = [];
  for (const row of rows) {
    const [day, position] = timeColumns(row.ds);
    for (const [column, suffixOf] of outputColumns(row, modelColumn)) {
      const v = row[column];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      uid.push(String(row.unique_id));
      ds.push(day);
      step.push(position);
      suffix.push(suffixOf);
      value.push(v);
    }
  }
  if (uid.length === 0) return 0;
  await tx.query(
    `INSERT INTO nf_predictions (run_id, kind, model, unique_id, ds, step, suffix, value)
     SELECT $1, $2, $3, * FROM unnest($4::text[], $5::date[], $6::int[], $7::text[], $8::float8[])`,
    [runId, kind, modelColumn, uid, ds, step, suffix, value],
  );
  return uid.length;
};

/** Cross-validation (or test-part) rows of a run, with their cutoff and actual value. */
export const insertCvResults = async (
  tx: Queryable,
  runId: string,
  rows: readonly CrossValidationRow[],
  modelColumn: string,
): Promise<number> => {
  const uid: string[] = [];
  const ds: (string | null)[] = [];
  const step: (number | null)[] = [];
  const cutoff: (string | null)[] = [];
  const cutoffStep: (number | null)[] = [];
  const y: (number | null)[] = [];
  const suffix: string[] = [];
  const value: number[] = [];
  for (const row of rows) {
    const [day, position] = timeColumns(row.ds);
    const [cutoffDay, cutoffPosition] = timeColumns(row.cutoff);
    for (const [column, suffixOf] of outputColumns(row, modelColumn)) {
      const v = row[column];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      uid.push(String(row.unique_id));
      ds.push(day);
      step.push(position);
      cutoff.push(cutoffDay);
      cutoffStep.push(cutoffPosition);
      y.push(row.y);
      suffix.push(suffixOf);
      value.push(v);
    }
  }
  if (uid.length === 0) return 0;
  await tx.query(
    `INSERT INTO nf_cv_results (run_id, model, unique_id, ds, step, cutoff, cutoff_step, y, suffix, value)
     SELECT $1, $2, * FROM unnest($3::text[], $4::date[], $5::int[], $6::date[], $7::int[], $8::float8[], $9::text[], $10::float8[])`,
    [runId, modelColumn, uid, ds, step, cutoff, cutoffStep, y, suffix, value],
  );
  return uid.length;
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
