/** Test fixture: a sweep with runs and everything a run owns, written as a worker would. */
import type { Queryable } from '@nflab/store';

/** Ids of what {@link seedRuns} wrote. */
export interface SeededRuns {
  readonly sweepId: string;
  /** Three runs: finished nhits (mae 2.5), failed nbeats, queued mlp. */
  readonly runIds: readonly [string, string, string];
  readonly trialId: number;
}

/** Writes one sweep of three runs; the first has trials, steps, samples, predictions, cv and an artifact row. */
export const seedRuns = async (db: Queryable, artifactPath = 'model/weights.bin'): Promise<SeededRuns> => {
  const sweep = await db.query<{ id: string }>(
    `INSERT INTO nf_sweeps (name, spec, planned_runs) VALUES ('seeded', '{}', 3) RETURNING id`,
  );
  const sweepId = sweep.rows[0]?.id as string;
  const runs = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, backend, horizon, loss, metric, status,
                                metrics, sweep_id, created_at, start_time, end_time, duration_seconds, error_message)
     VALUES ('nf_loto_final', 'loto6', '{N1,N2}', 'auto_nhits', 'optuna', 4, 'mae', 'mae', 'finished',
             '{"cv":{"overall":{"mae":2.5,"smape":0.4}},"valid_loss":3}', $1, '2026-01-03T00:00:00Z',
             '2026-01-03T00:00:00Z', '2026-01-03T00:01:00Z', 60, NULL),
            ('nf_loto_final', 'loto6', '{N1}', 'auto_nbeats', 'ray', 1, 'mse', 'mae', 'failed',
             '{"valid_loss":4.5}', $1, '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-02T00:00:30Z', 30,
             'loss became NaN'),
            ('nf_loto_final', 'loto7', '{B1}', 'mlp', 'optuna', 1, 'mae', 'mae', 'queued',
             '{}', $1, '2026-01-01T00:00:00Z', NULL, NULL, NULL, NULL)
     RETURNING id`,
    [sweepId],
  );
  const runIds = runs.rows.map((row) => row.id) as [string, string, string];
  const [first] = runIds;
  const trial = await db.query<{ id: number }>(
    `INSERT INTO nf_trials (run_id, number, state, value, datetime_start, datetime_complete)
     VALUES ($1, 0, 'COMPLETE', 2.75, '2026-01-03T00:00:00Z', '2026-01-03T00:00:20Z'),
            ($1, 1, 'PRUNED', NULL, '2026-01-03T00:00:20Z', '2026-01-03T00:00:25Z') RETURNING id`,
    [first],
  );
  const trialId = trial.rows[0]?.id as number;
  await db.query(
    `INSERT INTO nf_trial_params (trial_id, name, value) VALUES ($1, 'input_size', '8'), ($1, 'n_pool_kernel_size', '[2,2,1]')`,
    [trialId],
  );
  await db.query(
    'INSERT INTO nf_trial_intermediate_values (trial_id, step, value) VALUES ($1, 10, 3.5), ($1, 5, 4)',
    [trialId],
  );
  await db.query(
    `INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss, valid_loss)
     VALUES ($1, $2, 1, 5, NULL), ($1, $2, 2, 4.5, 4.8), ($1, NULL, 1, 4, NULL)`,
    [first, trialId],
  );
  await db.query(
    `INSERT INTO nf_resource_samples (run_id, cpu_process, rss_bytes) VALUES ($1, 55.5, 1000), ($1, 60, 2000)`,
    [first],
  );
  await db.query(
    `INSERT INTO nf_predictions (run_id, kind, unique_id, ds, model, suffix, value)
     VALUES ($1, 'forecast', 'N1', '2026-01-08', 'AutoNHITS', '', 12.5),
            ($1, 'forecast', 'N1', '2026-01-05', 'AutoNHITS', '', 11),
            ($1, 'insample', 'N1', '2025-12-29', 'AutoNHITS', '', 9)`,
    [first],
  );
  await db.query(
    `INSERT INTO nf_cv_results (run_id, unique_id, ds, cutoff, y, model, value)
     VALUES ($1, 'N1', '2025-12-29', '2025-12-25', 10, 'AutoNHITS', 9.5)`,
    [first],
  );
  await db.query(`INSERT INTO nf_artifacts (run_id, path, kind, bytes) VALUES ($1, $2, 'model', 5)`, [
    first,
    artifactPath,
  ]);
  return { sweepId, runIds, trialId };
};
