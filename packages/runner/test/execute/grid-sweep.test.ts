/**
 * Issue 5's acceptance grid: 3 Auto models × 2 horizons × 2 losses on the real LOTO6 panel
 * (tiny max_steps), two runs at once, on PGlite and on the PostgreSQL server. Every run must hold
 * every record item: parameters, search space, best params, metrics with baselines, model
 * properties, system info, resource summary and samples, trials with params/values/intermediate
 * values/durations, step metrics, predictions, cross-validation rows and its saved model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { createRunExecutor, RunQueue, runWorkerLoop, submitSweep } from '../../src/index.js';
import { openLoto6Db } from './loto6-db.js';

const kinds = await testDbKinds();

const GRID = {
  mode: 'grid',
  loto: 'loto6',
  unique_ids: ['N1', 'N2'],
  model: ['auto_mlp', 'auto_dlinear', 'auto_nhits'],
  h: [1, 2],
  loss: ['mae', 'mse'],
  num_samples: 2,
  max_steps: 4,
  config: { val_check_steps: 2, input_size: 8 },
  val_size: '2h',
  cross_validation: { n_windows: 2, step_size: 1 },
};

const countBy = async (
  db: TestDb,
  table: string,
  runIds: readonly string[],
): Promise<Map<string, number>> => {
  const { rows } = await db.query<{ run_id: string; n: string }>(
    `SELECT run_id, count(*) AS n FROM ${table} WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
    [runIds],
  );
  return new Map(rows.map((row) => [row.run_id, Number(row.n)]));
};

describe.each(kinds)('a 3-model × 2-h × 2-loss grid on %s', (kind) => {
  let db: TestDb;
  let artifacts: string;

  beforeAll(async () => {
    db = await openLoto6Db(kind);
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-grid-'));
  });
  afterAll(async () => {
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('runs 12 runs two at a time and records every item of each', { timeout: 600_000 }, async () => {
    const queue = new RunQueue(db);
    const { sweepId, runIds } = await submitSweep(db, queue, GRID, { name: 'acceptance grid' });
    expect(runIds).toHaveLength(12);
    const execute = createRunExecutor({
      db,
      artifactsRoot: artifacts,
      monitorIntervalMs: 250,
      cpusPerRun: 1,
    });
    const started = performance.now();
    await runWorkerLoop({ queue, execute, concurrency: 2, sweepId, exitWhenIdle: true, pollMs: 50 }).finally(
      () => execute.close(),
    );
    console.info(`${kind}: 12 runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const sweep = (
      await db.query<Record<string, unknown>>('SELECT * FROM nf_sweeps WHERE id = $1', [sweepId])
    ).rows[0];
    expect(sweep).toMatchObject({ status: 'finished', runs_finished: 12, runs_failed: 0, planned_runs: 12 });

    const { rows: runs } = await db.query<{
      id: string;
      status: string;
      error_message: string | null;
      loss: string;
      horizon: number;
      optimization_config: Record<string, unknown>;
      search_space: unknown;
      best_params: Record<string, unknown>;
      metrics: { valid_loss: number; cv: { overall: Record<string, number | null>; baselines: object } };
      model_properties: { parameterCount: number; sha256: string };
      system_info: { node: string };
      resource_summary: { series: Record<string, unknown> };
      spec: unknown;
      seed: string | number;
      data_fingerprint: string;
      engine_version: string;
    }>('SELECT * FROM nf_model_runs WHERE sweep_id = $1', [sweepId]);
    expect(runs).toHaveLength(12);
    const fingerprints = new Set<string>();
    for (const run of runs) {
      expect(run.error_message).toBeNull();
      expect(run.status).toBe('finished');
      expect(run.optimization_config).toMatchObject({ num_samples: 2 });
      expect(run.search_space).not.toBeNull();
      expect(run.best_params).toMatchObject({ h: run.horizon, input_size: 8, max_steps: 4 });
      expect(run.metrics.valid_loss).toBeTypeOf('number');
      for (const metric of ['mae', 'mse', 'rmse', 'mape', 'smape', 'mase'])
        expect(run.metrics.cv.overall[metric]).toBeTypeOf('number');
      expect(run.metrics.cv.baselines).toHaveProperty('naive');
      expect(run.model_properties.parameterCount).toBeGreaterThan(0);
      expect(run.model_properties.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(run.system_info.node).toBe(process.version);
      expect(Object.keys(run.resource_summary.series)).toContain('cpuProcess');
      expect(run.spec).toBeTruthy();
      expect(Number(run.seed)).toBe(1);
      expect(run.engine_version).toContain('@nflab/engine');
      fingerprints.add(run.data_fingerprint);
    }
    // Every run read the same rows of the same table: one fingerprint.
    expect(fingerprints.size).toBe(1);
    expect(new Set(runs.map((r) => `${r.loss}/${r.horizon}`)).size).toBe(4);

    const ids = runs.map((r) => r.id);
    const trials = await db.query<{
      run_id: string;
      state: string;
      value: number | null;
      params: number;
      intermediate: number;
      seconds: number | null;
    }>(
      `SELECT t.run_id, t.state, t.value,
         (SELECT count(*)::int FROM nf_trial_params p WHERE p.trial_id = t.id) AS params,
         (SELECT count(*)::int FROM nf_trial_intermediate_values i WHERE i.trial_id = t.id) AS intermediate,
         extract(epoch FROM t.datetime_complete - t.datetime_start)::float8 AS seconds
       FROM nf_trials t WHERE t.run_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(trials.rows).toHaveLength(24);
    for (const trial of trials.rows) {
      expect(trial.state).toBe('COMPLETE');
      expect(trial.value).toBeTypeOf('number');
      expect(trial.params).toBeGreaterThan(0);
      expect(trial.intermediate).toBe(2);
      expect(trial.seconds).toBeGreaterThan(0);
    }
    const steps = await countBy(db, 'nf_step_metrics', ids);
    const samples = await countBy(db, 'nf_resource_samples', ids);
    const predictions = await countBy(db, 'nf_predictions', ids);
    const cv = await countBy(db, 'nf_cv_results', ids);
    const files = await countBy(db, 'nf_artifacts', ids);
    for (const run of runs) {
      // 2 trials + the refit, 4 train losses and 2 validation losses each at least.
      expect(steps.get(run.id)).toBeGreaterThanOrEqual(3 * 4);
      expect(samples.get(run.id)).toBeGreaterThan(0);
      expect(predictions.get(run.id)).toBe(2 * run.horizon);
      expect(cv.get(run.id)).toBe(2 * 2 * run.horizon);
      expect(files.get(run.id)).toBeGreaterThan(0);
    }
  });
});
