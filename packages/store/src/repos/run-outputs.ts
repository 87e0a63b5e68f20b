/**
 * What executing a run writes (and the parent run it reads): the run row's result columns, and
 * its long tables — forecasts, cross-validation rows, files and training losses. Long tables are
 * written with one `unnest` INSERT per call (one round trip however many rows); the result writes
 * take the caller's transaction, so a run's results and its final status commit together.
 */
import type { Queryable } from '../db.js';
import type {
  ArtifactRow,
  CvResultRow,
  ModelRunRow,
  PredictionKind,
  PredictionRow,
  StepMetricRow,
  TrialRow,
} from '../schema/index.js';

/** The columns of a run a model operation (predict / refit / cv) starts from. */
export type ParentModelRow = Pick<ModelRunRow, 'status' | 'best_params' | 'model_properties'>;

/** The parent run's status, fitted configuration and model properties; undefined when there is none. */
export const findParentModelRow = async (
  q: Queryable,
  parentRunId: string,
): Promise<ParentModelRow | undefined> => {
  const { rows } = await q.query<ParentModelRow>(
    'SELECT status, best_params, model_properties FROM nf_model_runs WHERE id = $1',
    [parentRunId],
  );
  return rows[0];
};

/** Records what the attempt's data and machine were, before computing starts. */
export const recordRunData = async (
  q: Queryable,
  runId: string,
  data: Pick<ModelRunRow, 'data_fingerprint' | 'system_info'>,
): Promise<void> => {
  await q.query('UPDATE nf_model_runs SET data_fingerprint = $2, system_info = $3 WHERE id = $1', [
    runId,
    data.data_fingerprint,
    data.system_info,
  ]);
};

/** A finished run's result columns; a null search_space keeps the one the run was queued with. */
export type RunResultColumns = Pick<
  ModelRunRow,
  'metrics' | 'best_params' | 'model_properties' | 'engine_version' | 'system_info' | 'search_space'
>;

/** Writes a finished run's results (inside the caller's transaction). */
export const recordRunResults = async (
  tx: Queryable,
  runId: string,
  result: RunResultColumns,
): Promise<void> => {
  await tx.query(
    `UPDATE nf_model_runs SET metrics = $2, best_params = $3, model_properties = $4,
             engine_version = $5, system_info = $6, search_space = COALESCE($7, search_space) WHERE id = $1`,
    [
      runId,
      result.metrics,
      result.best_params,
      result.model_properties,
      result.engine_version,
      result.system_info,
      result.search_space,
    ],
  );
};

/** Writes what an ended attempt used and logged (inside the caller's transaction). */
export const recordRunTracking = async (
  tx: Queryable,
  runId: string,
  tracking: Pick<ModelRunRow, 'resource_summary' | 'logs'>,
): Promise<void> => {
  await tx.query('UPDATE nf_model_runs SET resource_summary = $2, logs = $3 WHERE id = $1', [
    runId,
    tracking.resource_summary,
    tracking.logs,
  ]);
};

/** One forecast value in long form. */
export type PredictionValue = Pick<PredictionRow, 'unique_id' | 'ds' | 'step' | 'suffix' | 'value'>;

/** Inserts forecast values of a run's model column; nothing is sent for an empty list. */
export const insertPredictionRows = async (
  tx: Queryable,
  runId: string,
  batch: { readonly kind: PredictionKind; readonly model: string; readonly rows: readonly PredictionValue[] },
): Promise<void> => {
  const { rows } = batch;
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO nf_predictions (run_id, kind, model, unique_id, ds, step, suffix, value)
     SELECT $1, $2, $3, * FROM unnest($4::text[], $5::date[], $6::int[], $7::text[], $8::float8[])`,
    [
      runId,
      batch.kind,
      batch.model,
      rows.map((r) => r.unique_id),
      rows.map((r) => r.ds),
      rows.map((r) => r.step),
      rows.map((r) => r.suffix),
      rows.map((r) => r.value),
    ],
  );
};

/** One cross-validation value in long form, with its cutoff and the actual y. */
export type CvResultValue = Pick<
  CvResultRow,
  'unique_id' | 'ds' | 'step' | 'cutoff' | 'cutoff_step' | 'y' | 'suffix' | 'value'
>;

/** Inserts cross-validation (or test-part) values of a run's model column; nothing is sent for an empty list. */
export const insertCvResultRows = async (
  tx: Queryable,
  runId: string,
  batch: { readonly model: string; readonly rows: readonly CvResultValue[] },
): Promise<void> => {
  const { rows } = batch;
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO nf_cv_results (run_id, model, unique_id, ds, step, cutoff, cutoff_step, y, suffix, value)
     SELECT $1, $2, * FROM unnest($3::text[], $4::date[], $5::int[], $6::date[], $7::int[], $8::float8[], $9::text[], $10::float8[])`,
    [
      runId,
      batch.model,
      rows.map((r) => r.unique_id),
      rows.map((r) => r.ds),
      rows.map((r) => r.step),
      rows.map((r) => r.cutoff),
      rows.map((r) => r.cutoff_step),
      rows.map((r) => r.y),
      rows.map((r) => r.suffix),
      rows.map((r) => r.value),
    ],
  );
};

/** One file a run wrote. */
export type ArtifactValue = Pick<ArtifactRow, 'path' | 'kind' | 'sha256' | 'bytes'>;

/** Inserts the run's files with their digests; nothing is sent for an empty list. */
export const insertArtifactRows = async (
  tx: Queryable,
  runId: string,
  files: readonly ArtifactValue[],
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

/** The ids of the run's trials with these numbers (numbers without a trial row left out). */
export const findTrialIds = async (
  q: Queryable,
  runId: string,
  numbers: readonly number[],
): Promise<Pick<TrialRow, 'number' | 'id'>[]> => {
  const { rows } = await q.query<Pick<TrialRow, 'number' | 'id'>>(
    'SELECT number, id FROM nf_trials WHERE run_id = $1 AND number = ANY($2::int[])',
    [runId, numbers],
  );
  return rows;
};

/** One training step's losses (of the run, or of one of its trials). */
export type StepMetricValue = Pick<StepMetricRow, 'trial_id' | 'step' | 'train_loss' | 'valid_loss'>;

/** Inserts step metrics of a run with one statement. */
export const insertStepMetricRows = async (
  q: Queryable,
  runId: string,
  rows: readonly StepMetricValue[],
): Promise<void> => {
  await q.query(
    `INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss, valid_loss)
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::float8[], $5::float8[])`,
    [
      runId,
      rows.map((r) => r.trial_id),
      rows.map((r) => r.step),
      rows.map((r) => r.train_loss),
      rows.map((r) => r.valid_loss),
    ],
  );
};
