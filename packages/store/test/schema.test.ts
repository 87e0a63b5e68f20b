import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreError } from '@nflab/contracts';
import { migrationStatus, type Queryable } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const kinds = await testDbKinds();

const TABLES = [
  'nflab_schema_version',
  'nf_sweeps',
  'nf_model_runs',
  'nf_trials',
  'nf_trial_params',
  'nf_trial_values',
  'nf_trial_intermediate_values',
  'nf_step_metrics',
  'nf_resource_samples',
  'nf_predictions',
  'nf_cv_results',
  'nf_artifacts',
  'nf_residual_anomalies',
  'nf_model_registry',
  'nf_datasets',
  'nf_feature_sets',
  'nf_reports',
  'nf_drift_metrics',
  'nf_audit_log',
  'nf_studies',
  'nf_study_claims',
  'nf_users',
  'nf_sessions',
  'nf_api_tokens',
  'nf_events',
  'nf_analyses',
  'nf_feature_importance',
  'nf_model_interpretation',
  'nf_ensemble_members',
  'nf_monitors',
  'nf_monitor_runs',
  'nf_mlflow_experiments',
  'nf_mlflow_experiment_tags',
  'nf_mlflow_runs',
  'nf_mlflow_params',
  'nf_run_tags',
  'nf_mlflow_metrics',
  'nf_run_exports',
  'nf_registered_models',
  'nf_mlflow_logged_models',
  'nf_mlflow_logged_model_tags',
  'nf_mlflow_logged_model_metrics',
  'nf_mlflow_run_outputs',
  'nf_mlflow_run_inputs',
];

// Every column of the seed design's run table, then the reproduction/link/queue columns.
const RUN_COLUMNS = [
  'table_name',
  'loto',
  'unique_ids',
  'model_name',
  'backend',
  'horizon',
  'loss',
  'metric',
  'optimization_config',
  'search_space',
  'status',
  'start_time',
  'end_time',
  'duration_seconds',
  'metrics',
  'best_params',
  'model_properties',
  'resource_summary',
  'system_info',
  'error_message',
  'traceback',
  'logs',
  'mlflow_run_id',
  'mlflow_experiment',
  'spec',
  'seed',
  'data_fingerprint',
  'engine_version',
  'sweep_id',
  'parent_run_id',
  'attempt',
  'heartbeat_at',
  'worker_id',
  'created_at',
  'updated_at',
];

const insertRun = async (db: Queryable, fields: Record<string, unknown> = {}): Promise<string> => {
  const names = Object.keys(fields);
  const sql = names.length
    ? `INSERT INTO nf_model_runs (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`
    : 'INSERT INTO nf_model_runs DEFAULT VALUES RETURNING id';
  const { rows } = await db.query<{ id: string }>(sql, Object.values(fields));
  return rows[0]?.id ?? '';
};

const count = async (db: Queryable, table: string, where: string, params: unknown[]): Promise<number> => {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return rows[0]?.n ?? -1;
};

describe.each(kinds)('schema on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('migrating from empty creates every table and the full run row', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(rows.map((row) => row.table_name)).toEqual([...TABLES].sort());
    const columns = await db.query<{ column_name: string; udt_name: string }>(
      "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'nf_model_runs'",
    );
    const types = Object.fromEntries(columns.rows.map((row) => [row.column_name, row.udt_name]));
    for (const column of RUN_COLUMNS) expect(types, column).toHaveProperty(column);
    expect(types).toMatchObject({
      id: 'uuid',
      unique_ids: '_text',
      optimization_config: 'jsonb',
      metrics: 'jsonb',
    });
    const status = await migrationStatus(db);
    expect(status.pending).toEqual([]);
    expect(status.applied.every((record) => record.issue === null)).toBe(true);
  });

  test('the columns a UI filters and sorts by are indexed', async () => {
    const { rows } = await db.query<{ def: string }>(
      "SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'",
    );
    const defs = rows.map((row) => row.def.replace(/^.* ON public\./, ''));
    const expected = [
      'nf_model_runs USING btree (status)',
      'nf_model_runs USING btree (model_name)',
      'nf_model_runs USING btree (backend)',
      'nf_model_runs USING btree (loto)',
      'nf_model_runs USING btree (created_at DESC)',
      'nf_model_runs USING btree (start_time DESC)',
      'nf_model_runs USING btree (sweep_id)',
      'nf_model_runs USING gin (unique_ids)',
      'nf_trials USING btree (run_id, state)',
      'nf_step_metrics USING btree (run_id, step)',
      'nf_resource_samples USING btree (run_id, at)',
      'nf_predictions USING btree (run_id, kind, unique_id, ds, step)',
      'nf_model_registry USING btree (name, version)',
    ];
    for (const index of expected) expect(defs, index).toContain(index);
  });

  test('runs default to queued with a generated uuid, and values round-trip with the same JS types', async () => {
    const id = await insertRun(db, {
      unique_ids: ['N1', 'N2'],
      optimization_config: { n_trials: 3, lists: [[1, 2], [3]] },
      seed: 2 ** 40,
      horizon: 7,
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { rows } = await db.query(
      'SELECT status, unique_ids, optimization_config, seed, attempt FROM nf_model_runs WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({
      status: 'queued',
      unique_ids: ['N1', 'N2'],
      optimization_config: { n_trials: 3, lists: [[1, 2], [3]] },
      seed: 2 ** 40,
      attempt: 0,
    });
    const trial = await db.query<{ id: number }>(
      'INSERT INTO nf_trials (run_id, number) VALUES ($1, 0) RETURNING id',
      [id],
    );
    const trialId = trial.rows[0]?.id;
    await db.query(
      'INSERT INTO nf_trial_values (trial_id, objective, value) VALUES ($1, 0, $2), ($1, 1, $3)',
      [trialId, Infinity, NaN],
    );
    const values = await db.query<{ value: number }>(
      'SELECT value FROM nf_trial_values WHERE trial_id = $1 ORDER BY objective',
      [trialId],
    );
    expect(values.rows.map((row) => row.value)).toEqual([Infinity, NaN]);
    await db.query(
      "INSERT INTO nf_predictions (run_id, unique_id, ds, model, value) VALUES ($1, 'N1', '2024-03-31', 'NHITS', 1.5)",
      [id],
    );
    const prediction = await db.query('SELECT ds, suffix, kind FROM nf_predictions WHERE run_id = $1', [id]);
    expect(prediction.rows).toEqual([{ ds: '2024-03-31', suffix: '', kind: 'forecast' }]);
  });

  test('deleting a run removes its trials, trial rows, tags, steps, samples, outputs and reports', async () => {
    // A spec's tags become rows when the run is inserted (migration 0022's trigger).
    const id = await insertRun(db, { spec: JSON.stringify({ tags: { phase: 'dev' } }) });
    const child = await insertRun(db, { parent_run_id: id });
    const trial = await db.query<{ id: number }>(
      'INSERT INTO nf_trials (run_id, number) VALUES ($1, 0) RETURNING id',
      [id],
    );
    const trialId = trial.rows[0]?.id;
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO nf_trial_params (trial_id, name, value) VALUES ($1, 'input_size', '14')`, [
        trialId,
      ]);
      await tx.query('INSERT INTO nf_trial_values (trial_id, objective, value) VALUES ($1, 0, 0.5)', [
        trialId,
      ]);
      await tx.query('INSERT INTO nf_trial_intermediate_values (trial_id, step, value) VALUES ($1, 1, 0.7)', [
        trialId,
      ]);
      await tx.query(
        'INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss) VALUES ($1, $2, 1, 0.9), ($1, NULL, 1, 0.8)',
        [id, trialId],
      );
      await tx.query(
        'INSERT INTO nf_resource_samples (run_id, cpu_process, rss_bytes) VALUES ($1, 12.5, 1000)',
        [id],
      );
      await tx.query(
        `INSERT INTO nf_predictions (run_id, unique_id, step, model, suffix, value) VALUES ($1, 'N1', 1, 'MLP', '-lo-90', 2)`,
        [id],
      );
      await tx.query(
        `INSERT INTO nf_cv_results (run_id, unique_id, ds, cutoff, y, model, value) VALUES ($1, 'N1', '2024-01-08', '2024-01-01', 3, 'MLP', 2.5)`,
        [id],
      );
      await tx.query(
        `INSERT INTO nf_artifacts (run_id, path, kind, bytes) VALUES ($1, 'model.json', 'model', 10)`,
        [id],
      );
      await tx.query(
        `INSERT INTO nf_residual_anomalies (run_id, unique_id, ds, residual, score, method) VALUES ($1, 'N1', '2024-01-08', 4, 3.1, 'zscore')`,
        [id],
      );
      await tx.query(
        `INSERT INTO nf_drift_metrics (run_id, feature, metric, value) VALUES ($1, 'hist_x', 'psi', 0.2)`,
        [id],
      );
      await tx.query(`INSERT INTO nf_reports (run_id, title, html) VALUES ($1, 'r', '<p>')`, [id]);
      await tx.query(
        `INSERT INTO nf_feature_importance (run_id, method, feature, importance, rank) VALUES ($1, 'permutation', 'futr_x', 0.1, 1)`,
        [id],
      );
      await tx.query(
        `INSERT INTO nf_model_interpretation (run_id, model, windows, weights) VALUES ($1, 'tft', 1, '{}')`,
        [id],
      );
    });
    const byRun = ['nf_trials', 'nf_step_metrics', 'nf_resource_samples', 'nf_predictions', 'nf_cv_results'];
    byRun.push('nf_artifacts', 'nf_residual_anomalies', 'nf_drift_metrics', 'nf_reports');
    byRun.push('nf_feature_importance', 'nf_run_tags', 'nf_model_interpretation');
    const byTrial = ['nf_trial_params', 'nf_trial_values', 'nf_trial_intermediate_values'];
    const counts = async () => [
      ...(await Promise.all(byRun.map((table) => count(db, table, 'run_id = $1', [id])))),
      ...(await Promise.all(byTrial.map((table) => count(db, table, 'trial_id = $1', [trialId])))),
    ];
    const expected = [...byRun, ...byTrial].map((table) => (table === 'nf_step_metrics' ? 2 : 1));
    expect(await counts()).toEqual(expected);
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [id]);
    expect(await counts()).toEqual(expected.map(() => 0));
    // The derived run survives its parent, unlinked.
    const { rows } = await db.query('SELECT parent_run_id FROM nf_model_runs WHERE id = $1', [child]);
    expect(rows).toEqual([{ parent_run_id: null }]);
  });

  test('a run in the model registry cannot be deleted until its entry is', async () => {
    const id = await insertRun(db);
    // A version belongs to a registered model (migration 0020).
    await db.query(`INSERT INTO nf_registered_models (name) VALUES ('nhits-loto6')`);
    await db.query(`INSERT INTO nf_model_registry (name, version, run_id) VALUES ('nhits-loto6', 1, $1)`, [
      id,
    ]);
    await expect(db.query('DELETE FROM nf_model_runs WHERE id = $1', [id])).rejects.toThrow(
      /nf_model_registry_run_id_fkey/,
    );
    await expect(
      db.query(`INSERT INTO nf_model_registry (name, version, run_id) VALUES ('nhits-loto6', 1, $1)`, [id]),
    ).rejects.toThrow(/nf_model_registry_name_version_key/);
    await db.query(`DELETE FROM nf_model_registry WHERE run_id = $1`, [id]);
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [id]);
    expect(await count(db, 'nf_model_runs', 'id = $1', [id])).toBe(0);
  });

  test('CHECK constraints reject an unknown status, stage, state or kind', async () => {
    const id = await insertRun(db);
    const rejected: [string, unknown[], RegExp][] = [
      [`INSERT INTO nf_model_runs (status) VALUES ('done')`, [], /nf_model_runs_status_check/],
      [`UPDATE nf_model_runs SET status = 'succeeded' WHERE id = $1`, [id], /nf_model_runs_status_check/],
      [`INSERT INTO nf_model_runs (backend) VALUES ('hyperopt')`, [], /nf_model_runs_backend_check/],
      [`INSERT INTO nf_sweeps (spec, status) VALUES ('{}', 'paused')`, [], /nf_sweeps_status_check/],
      [
        `INSERT INTO nf_model_registry (name, version, run_id, stage) VALUES ('m', 1, $1, 'production')`,
        [id],
        /nf_model_registry_stage_check/,
      ],
      [`INSERT INTO nf_trials (run_id, number, state) VALUES ($1, 0, 'DONE')`, [id], /nf_trials_state_check/],
      [
        `INSERT INTO nf_predictions (run_id, unique_id, ds, model, value, kind) VALUES ($1, 'N1', '2024-01-01', 'M', 1, 'fitted')`,
        [id],
        /nf_predictions_kind_check/,
      ],
      [
        `INSERT INTO nf_predictions (run_id, unique_id, model, value) VALUES ($1, 'N1', 'M', 1)`,
        [id],
        /nf_predictions_check/,
      ],
      [
        `INSERT INTO nf_artifacts (run_id, path, kind, sha256) VALUES ($1, 'a', 'model', 'xyz')`,
        [id],
        /nf_artifacts_sha256_check/,
      ],
      // A monitor's windows hold at least two draws, and its executions one of four statuses (0017).
      [
        `INSERT INTO nf_monitors (name, table_name, loto, current_draws, reference_draws, cron)
         VALUES ('m', 'nf_loto_final', 'loto6', 1, 10, '* * * * *')`,
        [],
        /nf_monitors_current_draws_check/,
      ],
      [`INSERT INTO nf_events (type, payload) VALUES ('monitor-alarm', '{}')`, [], /nf_events_type_check/],
      // A drift row describes a run, a registered model or a data table (0016).
      [
        `INSERT INTO nf_drift_metrics (feature, metric, value, loto) VALUES ('y', 'psi', 0.1, 'loto6')`,
        [],
        /nf_drift_metrics_subject_check/,
      ],
    ];
    for (const [sql, params, constraint] of rejected) {
      const error = await db.query(sql, params).catch((caught: unknown) => caught);
      expect(error, sql).toBeInstanceOf(StoreError);
      expect((error as Error).message, sql).toMatch(constraint);
    }
  });

  test('a drift row may name a data table instead of a run, with its decision and details', async () => {
    const { rows } = await db.query(
      `INSERT INTO nf_drift_metrics (table_name, loto, feature, metric, value, p_value, threshold, drifted)
       VALUES ('nf_loto_final', 'loto6', 'y', 'ks', 0.2, 0.001, 0.01, true)
       RETURNING run_id, registry_id, check_id, drifted, details`,
    );
    expect(rows).toEqual([{ run_id: null, registry_id: null, check_id: null, drifted: true, details: {} }]);
  });

  test('updated_at is set by the database on every update of the tables that have it', async () => {
    const run = await insertRun(db);
    const sweep = await db.query<{ id: string }>(`INSERT INTO nf_sweeps (spec) VALUES ('{}') RETURNING id`);
    const trial = await db.query<{ id: number }>(
      'INSERT INTO nf_trials (run_id, number) VALUES ($1, 7) RETURNING id',
      [run],
    );
    await db.query(`INSERT INTO nf_registered_models (name) VALUES ('touch')`);
    const entry = await db.query<{ id: number }>(
      `INSERT INTO nf_model_registry (name, version, run_id) VALUES ('touch', 1, $1) RETURNING id`,
      [run],
    );
    const dataset = await db.query<{ id: number }>(
      `INSERT INTO nf_datasets (name, table_name) VALUES ('touch', 'nf_loto') RETURNING id`,
    );
    const features = await db.query<{ id: number }>(
      `INSERT INTO nf_feature_sets (name, table_name) VALUES ('touch', 'nf_loto') RETURNING id`,
    );
    const rows: [string, string, unknown][] = [
      ['nf_model_runs', `status = 'running'`, run],
      ['nf_sweeps', `status = 'running'`, sweep.rows[0]?.id],
      ['nf_trials', `state = 'COMPLETE'`, trial.rows[0]?.id],
      ['nf_model_registry', `stage = 'prod'`, entry.rows[0]?.id],
      ['nf_datasets', `row_count = 10`, dataset.rows[0]?.id],
      ['nf_feature_sets', `description = 'x'`, features.rows[0]?.id],
    ];
    for (const [table, change, id] of rows) {
      // Even an explicit (stale) updated_at is overridden: the database, not each writer, owns it.
      await db.query(`UPDATE ${table} SET ${change}, updated_at = '2000-01-01' WHERE id = $1`, [id]);
      const { rows: after } = await db.query<{ fresh: boolean }>(
        `SELECT updated_at > now() - interval '1 hour' AND updated_at >= created_at AS fresh FROM ${table} WHERE id = $1`,
        [id],
      );
      expect(after[0]?.fresh, table).toBe(true);
    }
  });

  test('a study owns its trials and claims, lends them its run, and goes with the run', async () => {
    const run = await insertRun(db);
    const study = await db.query<{ id: number }>(
      `INSERT INTO nf_studies (name, run_id, direction, space) VALUES ($1, $2, 'minimize', '{"lr":{"kind":"float","low":0.001,"high":0.1}}') RETURNING id`,
      [`run-${run}`, run],
    );
    const studyId = study.rows[0]?.id;
    const trial = await db.query<{ id: number; run_id: string }>(
      `INSERT INTO nf_trials (study_id, number, state) VALUES ($1, 0, 'WAITING') RETURNING id, run_id`,
      [studyId],
    );
    expect(trial.rows[0]?.run_id).toBe(run);
    const trialId = trial.rows[0]?.id;
    const claim = `INSERT INTO nf_study_claims (study_id, key, trial_id) VALUES ($1, 'grid:3', $2) ON CONFLICT DO NOTHING`;
    expect((await db.query(claim, [studyId, trialId])).rowCount).toBe(1);
    expect((await db.query(claim, [studyId, trialId])).rowCount).toBe(0);
    await expect(
      db.query(`INSERT INTO nf_trials (study_id, number) VALUES ($1, 0)`, [studyId]),
    ).rejects.toThrow(/nf_trials_(study_id|run_id)_number_key/);
    await expect(db.query(`INSERT INTO nf_trials (number) VALUES (0)`)).rejects.toThrow(
      /nf_trials_owner_check/,
    );
    await expect(db.query(`INSERT INTO nf_studies (name, direction) VALUES ('x', 'down')`)).rejects.toThrow(
      /nf_studies_direction_check/,
    );
    // A study without a run (tune on its own) keeps run-less trials.
    const free = await db.query<{ id: number }>(
      `INSERT INTO nf_studies (name, direction) VALUES ($1, 'maximize') RETURNING id`,
      [`free-${run}`],
    );
    const freeTrial = await db.query(
      `INSERT INTO nf_trials (study_id, number) VALUES ($1, 0) RETURNING run_id`,
      [free.rows[0]?.id],
    );
    expect(freeTrial.rows).toEqual([{ run_id: null }]);

    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [run]);
    expect(await count(db, 'nf_studies', 'id = $1', [studyId])).toBe(0);
    expect(await count(db, 'nf_trials', 'study_id = $1', [studyId])).toBe(0);
    expect(await count(db, 'nf_study_claims', 'study_id = $1', [studyId])).toBe(0);
  });

  test('a sweep keeps per-status counts of its runs through inserts, updates and deletes', async () => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_sweeps (spec, planned_runs) VALUES ('{"grid":{}}', 3) RETURNING id`,
    );
    const sweep = rows[0]?.id;
    const [a, b, c] = [
      await insertRun(db, { sweep_id: sweep }),
      await insertRun(db, { sweep_id: sweep }),
      await insertRun(db, { sweep_id: sweep }),
    ];
    await db.query(`UPDATE nf_model_runs SET status = 'running' WHERE id = $1`, [a]);
    await db.query(`UPDATE nf_model_runs SET status = 'finished' WHERE id = $1`, [a]);
    await db.query(`UPDATE nf_model_runs SET status = 'failed' WHERE id = $1`, [b]);
    await db.query(`UPDATE nf_model_runs SET status = status WHERE id = $1`, [c]);
    const counts = async () =>
      (
        await db.query(
          'SELECT runs_queued, runs_running, runs_finished, runs_failed, runs_cancelled FROM nf_sweeps WHERE id = $1',
          [sweep],
        )
      ).rows[0];
    expect(await counts()).toEqual({
      runs_queued: 1,
      runs_running: 0,
      runs_finished: 1,
      runs_failed: 1,
      runs_cancelled: 0,
    });
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [b]);
    await db.query('UPDATE nf_model_runs SET sweep_id = NULL WHERE id = $1', [c]);
    expect(await counts()).toEqual({
      runs_queued: 0,
      runs_running: 0,
      runs_finished: 1,
      runs_failed: 0,
      runs_cancelled: 0,
    });
    // Deleting the sweep takes its remaining runs with it.
    await db.query('DELETE FROM nf_sweeps WHERE id = $1', [sweep]);
    expect(await count(db, 'nf_model_runs', 'id = ANY($1::uuid[])', [[a, b]])).toBe(0);
    expect(await count(db, 'nf_model_runs', 'id = $1', [c])).toBe(1);
  });
});
