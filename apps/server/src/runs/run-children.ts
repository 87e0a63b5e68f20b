/** Everything a run owns, read for the run detail page: trials, steps, samples, outputs, files. */
import { NotFoundError } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';

/** Throws NotFoundError unless run `id` exists. */
export const requireRun = async (db: Queryable, id: string): Promise<void> => {
  const { rows } = await db.query('SELECT 1 FROM nf_model_runs WHERE id = $1', [id]);
  if (rows.length === 0) throw new NotFoundError(`run ${id} does not exist`);
};

/** Every column of a run. */
export const getRun = async (db: Queryable, id: string): Promise<Record<string, unknown>> => {
  const { rows } = await db.query('SELECT * FROM nf_model_runs WHERE id = $1', [id]);
  const run = rows[0];
  if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
  return run;
};

/** A run's trials by number, each with its params (name → value) and intermediate values by step. */
export const listTrials = async (db: Queryable, runId: string): Promise<unknown[]> =>
  (
    await db.query(
      `SELECT t.id, t.number, t.state,
              coalesce(t.value, (SELECT v.value FROM nf_trial_values v WHERE v.trial_id = t.id AND v.objective = 0)) AS value,
              coalesce((SELECT jsonb_object_agg(p.name, p.value) FROM nf_trial_params p WHERE p.trial_id = t.id), '{}') AS params,
              coalesce((SELECT jsonb_agg(jsonb_build_object('step', i.step, 'value', i.value) ORDER BY i.step)
                          FROM nf_trial_intermediate_values i WHERE i.trial_id = t.id), '[]') AS intermediate,
              t.datetime_start, t.datetime_complete,
              extract(epoch FROM t.datetime_complete - t.datetime_start)::double precision AS duration_seconds,
              t.error_message
         FROM nf_trials t WHERE t.run_id = $1 ORDER BY t.number`,
      [runId],
    )
  ).rows;

/** Options of the append-only series reads: rows after a cursor, at most `limit`. */
export interface AfterCursor {
  readonly afterId?: number;
  readonly limit: number;
}

/** A run's step losses by id, optionally of one trial. */
export const listStepMetrics = async (
  db: Queryable,
  runId: string,
  { afterId, limit, trialId }: AfterCursor & { readonly trialId?: number },
): Promise<unknown[]> =>
  (
    await db.query(
      `SELECT id, trial_id, step, train_loss, valid_loss, learning_rate, at FROM nf_step_metrics
        WHERE run_id = $1 AND ($2::bigint IS NULL OR trial_id = $2::bigint) AND id > $3
        ORDER BY id LIMIT $4`,
      [runId, trialId ?? null, afterId ?? 0, limit],
    )
  ).rows;

/** A run's resource samples by id. */
export const listResourceSamples = async (
  db: Queryable,
  runId: string,
  { afterId, limit }: AfterCursor,
): Promise<unknown[]> =>
  (
    await db.query('SELECT * FROM nf_resource_samples WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3', [
      runId,
      afterId ?? 0,
      limit,
    ])
  ).rows;

/** A run's predictions of one kind, by series, time, model, suffix. */
export const listPredictions = async (db: Queryable, runId: string, kind: string): Promise<unknown[]> =>
  (
    await db.query(
      `SELECT unique_id, ds::text AS ds, step, model, suffix, value FROM nf_predictions
        WHERE run_id = $1 AND kind = $2 ORDER BY unique_id, ds, step, model, suffix`,
      [runId, kind],
    )
  ).rows;

/** A run's cross-validation rows, by series, cutoff, time, model, suffix. */
export const listCvResults = async (db: Queryable, runId: string): Promise<unknown[]> =>
  (
    await db.query(
      `SELECT unique_id, ds::text AS ds, step, cutoff::text AS cutoff, cutoff_step, y, model, suffix, value
         FROM nf_cv_results WHERE run_id = $1
        ORDER BY unique_id, cutoff, cutoff_step, ds, step, model, suffix`,
      [runId],
    )
  ).rows;

/** A run's artifact rows, oldest first. */
export const listArtifacts = async (db: Queryable, runId: string): Promise<unknown[]> =>
  (
    await db.query(
      'SELECT id, run_id, path, kind, sha256, bytes, created_at FROM nf_artifacts WHERE run_id = $1 ORDER BY id',
      [runId],
    )
  ).rows;

/** One artifact of a run (NotFoundError when the run has no such artifact). */
export const getArtifact = async (
  db: Queryable,
  runId: string,
  artifactId: number,
): Promise<{ id: number; path: string; kind: string }> => {
  const { rows } = await db.query<{ id: number; path: string; kind: string }>(
    'SELECT id, path, kind FROM nf_artifacts WHERE run_id = $1 AND id = $2',
    [runId, artifactId],
  );
  const artifact = rows[0];
  if (artifact === undefined) throw new NotFoundError(`run ${runId} has no artifact ${artifactId}`);
  return artifact;
};
