/**
 * One plain run end to end on the real LOTO6 panel: queued, claimed by a worker loop, trained on
 * its own compute thread, and every record item in its tables — then the model operations on it.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAMES } from '@nflab/contracts';
import { buildFeatures, futureCalendar } from '@nflab/store';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import {
  createRunExecutor,
  RunQueue,
  runWorkerLoop,
  submitModelOperation,
  submitRun,
  type RunExecutor,
} from '../../src/index.js';
import { openLoto6Db } from './loto6-db.js';

const kinds = await testDbKinds();

interface EvaluatedPart {
  points: number;
  overall: Record<string, number | null>;
  per_series: Record<string, unknown>;
  baselines: Record<string, Record<string, number | null>>;
  significance: Record<string, unknown>;
  beats_all_baselines: boolean;
  folds?: { fold: number; points: number; metrics: Record<string, number | null> }[];
  fold_summary?: Record<string, { mean: number; std: number | null; min: number; max: number } | null>;
}

/** The columns of nf_model_runs this test reads. */
interface RunRecord {
  status: string;
  error_message: string | null;
  model_name: string;
  horizon: number;
  data_fingerprint: string;
  engine_version: string;
  system_info: { cpu: { cores: number }; tfjs: { backend: string } };
  best_params: Record<string, unknown>;
  metrics: { valid_loss: number; test: EvaluatedPart; cv: EvaluatedPart };
  model_properties: { parameterCount: number; inputSize: number; sha256: string };
  resource_summary: { samples: number; series: Record<string, { peak: number | null }> };
  logs: string;
  duration_seconds: number;
  dataset_id: string;
  feature_set_id: string;
}

describe.each(kinds)('a plain run on %s', (kind) => {
  let db: TestDb;
  let artifacts: string;
  let queue: RunQueue;
  // One executor for the file, as a server's worker keeps one: its compute thread loads the engine
  // once and takes run after run, instead of a new thread (seconds of start-up) per drain.
  let execute: RunExecutor;
  const drain = () => runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 50 });

  beforeAll(async () => {
    db = await openLoto6Db(kind);
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-runs-'));
    queue = new RunQueue(db);
    execute = createRunExecutor({ db, artifactsRoot: artifacts, monitorIntervalMs: 200, cpusPerRun: 1 });
  });
  afterAll(async () => {
    await execute?.close();
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('records parameters, metrics with baselines, steps, resources, predictions, cv and the model', async () => {
    const { runId } = await submitRun(db, queue, {
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: 'mlp',
      config: { input_size: 8, hidden_size: 16, num_layers: 1, val_check_steps: 2 },
      h: 2,
      max_steps: 6,
      val_size: '2h',
      test_size: '2h',
      cross_validation: { n_windows: 2, step_size: 2 },
      tags: { experiment: 'smoke', phase: 'dev' },
    });
    await drain();
    const run = (await db.query<RunRecord>('SELECT * FROM nf_model_runs WHERE id = $1', [runId]))
      .rows[0] as RunRecord;
    expect(run.error_message).toBeNull();
    expect(run.status).toBe('finished');
    expect(run.model_name).toBe('mlp');
    expect(run.horizon).toBe(2);
    expect(run.data_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(run.engine_version).toMatch(/@nflab\/engine .*tfjs/);
    expect(run.system_info.cpu.cores).toBeGreaterThan(0);
    expect(run.system_info.tfjs.backend).toBeTruthy();
    expect(run.best_params).toMatchObject({ input_size: 8, h: 2, max_steps: 6 });
    expect(run.metrics.valid_loss).toBeGreaterThan(0);
    for (const part of ['test', 'cv'] as const) {
      const m = run.metrics[part];
      expect(m.points).toBe(8);
      for (const id of ['mae', 'mse', 'rmse', 'mape', 'smape', 'mase', 'r2'])
        expect(m.overall[id]).toBeTypeOf('number');
      expect(Object.keys(m.per_series).sort()).toEqual(['N1', 'N2']);
      expect(m.baselines.historic_average?.mae).toBeTypeOf('number');
      expect(m.significance).toHaveProperty('naive');
      expect(typeof m.beats_all_baselines).toBe('boolean');
    }
    // Cross-validation by window: 2 folds of 2 series × h 2, and each metric across them.
    expect(run.metrics.test.folds).toBeUndefined();
    const folds = run.metrics.cv.folds ?? [];
    expect(folds.map((fold) => [fold.fold, fold.points])).toEqual([
      [0, 4],
      [1, 4],
    ]);
    const maes = folds.map((fold) => fold.metrics.mae as number);
    expect(run.metrics.cv.fold_summary?.mae).toMatchObject({
      min: Math.min(...maes),
      max: Math.max(...maes),
    });
    expect(run.metrics.cv.fold_summary?.mae?.mean).toBeCloseTo((maes[0]! + maes[1]!) / 2, 10);
    // The exact data version: dataset and feature-set rows the run links to.
    const dataset = await db.query<{
      fingerprint: string;
      unique_ids: string[];
      row_count: string;
      ds_max: string;
    }>('SELECT fingerprint, unique_ids, row_count, ds_max::text AS ds_max FROM nf_datasets WHERE id = $1', [
      run.dataset_id,
    ]);
    expect(dataset.rows[0]).toMatchObject({ fingerprint: run.data_fingerprint, unique_ids: ['N1', 'N2'] });
    expect(Number(dataset.rows[0]?.row_count)).toBeGreaterThan(8);
    expect(dataset.rows[0]?.ds_max).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const features = await db.query<{ columns: unknown; fingerprint: string }>(
      'SELECT columns, fingerprint FROM nf_feature_sets WHERE id = $1',
      [run.feature_set_id],
    );
    expect(features.rows[0]).toMatchObject({ columns: { hist: [], stat: [], futr: [] } });
    expect(features.rows[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const tags = await db.query('SELECT key, value FROM nf_run_tags WHERE run_id = $1 ORDER BY key', [runId]);
    expect(tags.rows).toEqual([
      { key: 'experiment', value: 'smoke' },
      { key: 'phase', value: 'dev' },
    ]);
    expect(run.model_properties.parameterCount).toBeGreaterThan(0);
    expect(run.model_properties.inputSize).toBe(8);
    expect(run.model_properties.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.resource_summary.samples).toBeGreaterThanOrEqual(0);
    expect(run.resource_summary.series.rssBytes?.peak).toBeGreaterThan(0);
    expect(run.resource_summary.series.gpuUtil?.peak).toBeNull();
    expect(run.logs).toContain('finished');
    expect(run.duration_seconds).toBeGreaterThan(0);

    const count = async (table: string) =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE run_id = $1`, [runId]))
          .rows[0]?.n,
      );
    expect(await count('nf_step_metrics')).toBeGreaterThanOrEqual(6);
    expect(await count('nf_resource_samples')).toBeGreaterThan(0);
    expect(await count('nf_predictions')).toBe(4);
    expect(await count('nf_cv_results')).toBe(16);
    const files = await db.query<{ path: string; sha256: string; bytes: string }>(
      'SELECT path, sha256, bytes FROM nf_artifacts WHERE run_id = $1',
      [runId],
    );
    expect(files.rows.length).toBeGreaterThan(0);
    for (const file of files.rows) expect((await stat(file.path)).size).toBe(Number(file.bytes));
  });

  it('predicts, refits and cross-validates from a finished run as linked runs', async () => {
    const parent = (
      await db.query<{ id: string }>("SELECT id FROM nf_model_runs WHERE status = 'finished' LIMIT 1")
    ).rows[0]?.id as string;
    const predict = await submitModelOperation(db, queue, parent, { kind: 'predict' });
    const refit = await submitModelOperation(db, queue, parent, { kind: 'refit' });
    const cv = await submitModelOperation(db, queue, parent, { kind: 'cv', n_windows: 2, step_size: 2 });
    await drain();
    const { rows } = await db.query<{
      id: string;
      status: string;
      operation: string;
      parent_run_id: string;
      error_message: string | null;
    }>(
      'SELECT id, status, operation, parent_run_id, error_message FROM nf_model_runs WHERE id = ANY($1::uuid[])',
      [[predict.runId, refit.runId, cv.runId]],
    );
    for (const row of rows) {
      expect(row.error_message).toBeNull();
      expect(row.status).toBe('finished');
      expect(row.parent_run_id).toBe(parent);
    }
    // The same rows read again are the same data version: one dataset and feature-set row each.
    const versions = await db.query<{ versions: string }>(
      `SELECT count(DISTINCT (dataset_id, feature_set_id))::text AS versions FROM nf_model_runs
        WHERE id = ANY($1::uuid[])`,
      [[parent, predict.runId, refit.runId, cv.runId]],
    );
    expect(versions.rows[0]?.versions).toBe('1');
    const predictions = await db.query('SELECT * FROM nf_predictions WHERE run_id = $1', [predict.runId]);
    expect(predictions.rows.length).toBe(4);
    const cvRows = await db.query('SELECT * FROM nf_cv_results WHERE run_id = $1', [cv.runId]);
    expect(cvRows.rows.length).toBe(8);
  });

  // Runner logic alone (the records are the same tables as above): on one database.
  it.runIf(kind === kinds.at(-1))(
    'a HINT run forecasts its series and their total coherently, and predicts again from its save',
    async () => {
      const { runId } = await submitRun(db, queue, {
        loto: 'loto6',
        unique_ids: ['N1', 'N2'],
        model: 'mlp',
        config: { input_size: 8, hidden_size: 16, num_layers: 1 },
        loss: { id: 'distributionloss', distribution: 'Normal', level: [80], num_samples: 100 },
        valid_loss: 'mae',
        h: 2,
        max_steps: 6,
        test_size: '1h',
        hierarchy: {
          aggregates: [{ id: 'total', members: ['N1', 'N2'] }],
          reconciliation: 'MinTraceWLS',
        },
      });
      const predict = async (id: string) => {
        const { rows } = await db.query<{ unique_id: string; ds: string; value: number }>(
          "SELECT unique_id, ds::text AS ds, value FROM nf_predictions WHERE run_id = $1 AND suffix = ''",
          [id],
        );
        return rows;
      };
      const expectCoherent = (rows: { unique_id: string; ds: string; value: number }[]) => {
        expect(rows).toHaveLength(6);
        for (const total of rows.filter((r) => r.unique_id === 'total')) {
          const parts = rows.filter((r) => r.unique_id !== 'total' && r.ds === total.ds);
          expect(parts).toHaveLength(2);
          expect(total.value).toBeCloseTo(parts[0]!.value + parts[1]!.value, 6);
        }
      };
      await drain();
      const run = (await db.query<RunRecord>('SELECT * FROM nf_model_runs WHERE id = $1', [runId]))
        .rows[0] as RunRecord;
      expect(run.error_message).toBeNull();
      expect(Object.keys(run.metrics.test.per_series).sort()).toEqual(['N1', 'N2', 'total']);
      expectCoherent(await predict(runId));
      const again = await submitModelOperation(db, queue, runId, { kind: 'predict' });
      await drain();
      expectCoherent(await predict(again.runId));
    },
  );

  // A multivariate model takes the run's series as one input (n_series from unique_ids): on one database.
  it.runIf(kind === kinds.at(-1))(
    'a multivariate run (TSMixer) fits both series together, records each, and predicts again from its save',
    async () => {
      const { runId } = await submitRun(db, queue, {
        loto: 'loto6',
        unique_ids: ['N1', 'N2'],
        model: 'tsmixer',
        config: { input_size: 8, n_block: 1, ff_dim: 8 },
        h: 2,
        max_steps: 3,
        test_size: '1h',
        cross_validation: { n_windows: 2, step_size: 2 },
      });
      await drain();
      const run = (await db.query<RunRecord>('SELECT * FROM nf_model_runs WHERE id = $1', [runId]))
        .rows[0] as RunRecord;
      expect(run.error_message).toBeNull();
      expect(run.status).toBe('finished');
      expect(run.best_params).toMatchObject({ n_series: 2, input_size: 8 });
      expect(Object.keys(run.metrics.test.per_series).sort()).toEqual(['N1', 'N2']);
      expect(Object.keys(run.metrics.cv.per_series).sort()).toEqual(['N1', 'N2']);
      const forecasts = async (id: string) =>
        (
          await db.query<{ unique_id: string; n: string }>(
            'SELECT unique_id, count(*)::text AS n FROM nf_predictions WHERE run_id = $1 GROUP BY unique_id ORDER BY unique_id',
            [id],
          )
        ).rows;
      const both = [
        { unique_id: 'N1', n: '2' },
        { unique_id: 'N2', n: '2' },
      ];
      expect(await forecasts(runId)).toEqual(both);
      const predict = await submitModelOperation(db, queue, runId, { kind: 'predict' });
      await drain();
      const again = (
        await db.query<{ status: string; error_message: string | null }>(
          'SELECT status, error_message FROM nf_model_runs WHERE id = $1',
          [predict.runId],
        )
      ).rows[0];
      expect(again).toEqual({ status: 'finished', error_message: null });
      expect(await forecasts(predict.runId)).toEqual(both);
    },
  );

  it('forecasts beyond the data with futr calendar columns computed for the next draws', async () => {
    await buildFeatures(db, { table: 'nf_loto_final' });
    const futr = ['futr_weekday', 'futr_is_holiday', 'futr_days_since_prev_draw'];
    const { runId } = await submitRun(db, queue, {
      table_name: 'nf_loto_final_features',
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: 'nhits',
      // The weekday is a category: embedded, its vocabulary saved with the model the predict reloads.
      config: {
        input_size: 8,
        mlp_units: [[8, 8]],
        cat_exog_list: ['futr_weekday'],
        categorical_cardinalities: { futr_weekday: 7 },
      },
      h: 2,
      max_steps: 3,
      exogenous: { mode: 'explicit', futr_exog_list: futr },
    });
    await drain();
    const run = (
      await db.query<{ status: string; error_message: string | null; logs: string }>(
        'SELECT status, error_message, logs FROM nf_model_runs WHERE id = $1',
        [runId],
      )
    ).rows[0];
    expect(run?.error_message).toBeNull();
    expect(run?.status).toBe('finished');
    expect(run?.logs).toContain('forecast beyond the data: futr columns');
    // The engine embedded the weekday: the saved model holds its vocabulary (the draw weekdays).
    const { modelDir } = (
      await db.query<{ model_properties: { modelDir: string } }>(
        'SELECT model_properties FROM nf_model_runs WHERE id = $1',
        [runId],
      )
    ).rows[0]?.model_properties as { modelDir: string };
    const manifest = JSON.parse(await readFile(path.join(modelDir, 'manifest.json'), 'utf8')) as {
      categorical_vocab: Record<string, string[]>;
    };
    expect(manifest.categorical_vocab.futr_weekday?.length).toBeGreaterThanOrEqual(1);
    // Its feature set: the futr columns in the order the model read them.
    const featureSet = await db.query<{ columns: { futr: string[] }; table_name: string }>(
      `SELECT f.columns, f.table_name FROM nf_model_runs r JOIN nf_feature_sets f ON f.id = r.feature_set_id
        WHERE r.id = $1`,
      [runId],
    );
    expect(featureSet.rows[0]).toMatchObject({
      columns: { hist: [], stat: [] },
      table_name: 'nf_loto_final_features',
    });
    expect([...(featureSet.rows[0]?.columns.futr ?? [])].sort()).toEqual([...futr].sort());
    const last = (
      await db.query<{ ds: string }>(
        "SELECT max(ds)::text AS ds FROM nf_loto_final WHERE loto = 'loto6' AND unique_id = 'N1'",
      )
    ).rows[0]?.ds as string;
    const next = futureCalendar({ game: GAMES.loto6, lastDs: last, count: 2, columns: futr }).ds;
    const predictions = await db.query<{ unique_id: string; ds: string }>(
      'SELECT unique_id, ds::text AS ds FROM nf_predictions WHERE run_id = $1 ORDER BY unique_id, ds',
      [runId],
    );
    expect(predictions.rows).toEqual(['N1', 'N2'].flatMap((id) => next.map((ds) => ({ unique_id: id, ds }))));

    // Predicting again from the saved model takes the same future calendar.
    const predict = await submitModelOperation(db, queue, runId, { kind: 'predict' });
    await drain();
    const again = await db.query<{ unique_id: string; ds: string }>(
      'SELECT unique_id, ds::text AS ds FROM nf_predictions WHERE run_id = $1 ORDER BY unique_id, ds',
      [predict.runId],
    );
    expect(again.rows).toEqual(predictions.rows);
  });

  it('starts an attempt from a clean slate on disk: files an earlier attempt left do not block or leak', async () => {
    const { runId } = await submitRun(db, queue, {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'mlp',
      config: { input_size: 4, hidden_size: 8, num_layers: 1 },
      h: 1,
      max_steps: 3,
      random_seed: 99,
    });
    // What a crashed attempt leaves: a saved model (save refuses to overwrite one) and a stray file.
    const modelDir = path.join(artifacts, runId, 'model');
    await mkdir(modelDir, { recursive: true });
    await writeFile(path.join(modelDir, 'manifest.json'), '{"format_version":1}');
    await writeFile(path.join(artifacts, runId, 'stray.bin'), 'left over');
    await drain();
    const { rows } = await db.query<{ status: string; error_message: string | null }>(
      'SELECT status, error_message FROM nf_model_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]).toEqual({ status: 'finished', error_message: null });
    await expect(stat(path.join(artifacts, runId, 'stray.bin'))).rejects.toThrow();
  });
});
