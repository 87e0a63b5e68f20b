import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { recordModelInterpretation } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { seedRuns, type SeededRuns } from './seed-runs.js';
import { signIn } from './sign-in.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(await testDbKinds())('run and sweep read routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let seeded: SeededRuns;
  let root: string;
  let get: (url: string) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-artifacts-'));
    await mkdir(join(root, 'model'));
    await writeFile(join(root, 'model', 'weights.bin'), 'bytes');
    await writeFile(join(tmpdir(), 'nflab-outside.txt'), 'secret');
    seeded = await seedRuns(db);
    app = await buildServer({ db, artifactRoot: root });
    const { cookie } = await signIn(db, 'viewer');
    get = (url) => app.inject({ url, headers: { cookie } });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('every run route answers 401 without a session', async () => {
    const [id] = seeded.runIds;
    for (const path of [
      '',
      `/${id}`,
      `/${id}/trials`,
      `/${id}/step-metrics`,
      `/${id}/resources`,
      `/${id}/cv`,
    ]) {
      const response = await app.inject(`/api/runs${path}`);
      expect(response.statusCode, path).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
    expect((await app.inject('/api/sweeps')).statusCode).toBe(401);
  });

  test('history: default newest first with metricValue, total and page', async () => {
    const page = (await get('/api/runs')).json();
    expect(page.total).toBe(3);
    expect(page.limit).toBe(50);
    expect(page.offset).toBe(0);
    expect(page.items.map((run: { model_name: string }) => run.model_name)).toEqual([
      'auto_nhits',
      'auto_nbeats',
      'mlp',
    ]);
    expect(page.items[0]).toMatchObject({
      status: 'finished',
      unique_ids: ['N1', 'N2'],
      metricValue: 2.5,
      operation: 'train',
      sweep_id: seeded.sweepId,
      created_at: '2026-01-03T00:00:00.000Z',
    });
    expect(page.items[1].metricValue).toBe(4.5);
    expect(page.items[2].metricValue).toBeNull();
    const second = (await get('/api/runs?limit=1&offset=1')).json();
    expect(second).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(second.items.map((run: { model_name: string }) => run.model_name)).toEqual(['auto_nbeats']);
  });

  test('history: filters and sorts', async () => {
    const names = async (query: string): Promise<string[]> =>
      (await get(`/api/runs?${query}`)).json().items.map((run: { model_name: string }) => run.model_name);
    expect(await names('status=finished,failed&sort=metric&order=asc')).toEqual([
      'auto_nhits',
      'auto_nbeats',
    ]);
    expect(await names('backend=ray')).toEqual(['auto_nbeats']);
    expect(await names('loto=loto7')).toEqual(['mlp']);
    expect(await names('unique_id=N1')).toEqual(['auto_nhits', 'auto_nbeats']);
    expect(await names('h=4')).toEqual(['auto_nhits']);
    expect(await names('loss=mse')).toEqual(['auto_nbeats']);
    expect(await names('model=mlp,auto_nhits&sort=model_name&order=asc')).toEqual(['auto_nhits', 'mlp']);
    expect(await names('from=2026-01-02&to=2026-01-02')).toEqual(['auto_nbeats']);
    expect(await names('metric_min=3&metric_max=5')).toEqual(['auto_nbeats']);
    expect(await names('metric=smape&metric_max=1')).toEqual(['auto_nhits']);
    expect(await names('sort=duration_seconds&order=asc')).toEqual(['auto_nbeats', 'auto_nhits', 'mlp']);
    expect(await names(`sweep_id=${seeded.sweepId}&sort=status&order=asc`)).toEqual([
      'auto_nbeats',
      'auto_nhits',
      'mlp',
    ]);
    expect(await names(`parent_run_id=${MISSING}`)).toEqual([]);
  });

  test('history: unknown sort keys, filters and bad values are 400 naming the field', async () => {
    const badSort = await get('/api/runs?sort=password_hash');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json().error.issues[0].path).toBe('query.sort');
    const unknown = await get('/api/runs?colour=red');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues[0]).toEqual({
      path: 'query',
      message: expect.stringContaining('unknown field(s) "colour"'),
    });
    const badStatus = await get('/api/runs?status=done');
    expect(badStatus.json().error.issues[0].path).toBe('query.status[0]');
    expect((await get('/api/runs?limit=0')).json().error.issues[0].path).toBe('query.limit');
    expect((await get('/api/runs?metric=x;drop')).json().error.issues[0].path).toBe('query.metric');
    expect((await get('/api/runs?sweep_id=nope')).statusCode).toBe(400);
  });

  test('detail has every column; unknown runs are 404, malformed ids 400', async () => {
    const [id] = seeded.runIds;
    const run = (await get(`/api/runs/${id}`)).json();
    expect(run).toMatchObject({ id, model_name: 'auto_nhits', metrics: { valid_loss: 3 }, traceback: null });
    expect(Object.keys(run)).toEqual(
      expect.arrayContaining(['spec', 'resource_summary', 'system_info', 'logs']),
    );
    const missing = await get(`/api/runs/${MISSING}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'not_found', message: `run ${MISSING} does not exist` },
    });
    expect((await get('/api/runs/42')).statusCode).toBe(400);
    expect(run.interpretation).toBeNull(); // its model recorded none
    for (const child of ['trials', 'step-metrics', 'resources', 'predictions', 'cv', 'artifacts']) {
      expect((await get(`/api/runs/${MISSING}/${child}`)).statusCode, child).toBe(404);
    }
  });

  test('detail carries what the fitted TFT weighed, as recorded', async () => {
    const id = seeded.runIds[1]!;
    const weights = {
      input_size: 2,
      h: 1,
      static: null,
      past: {
        variables: ['futr_x', 'observed_target'],
        mean: [0.4, 0.6],
        over_time: [
          [0.3, 0.7],
          [0.5, 0.5],
        ],
      },
      future: { variables: ['futr_x'], mean: [1], over_time: [[1]] },
      attention: [[0.2, 0.3, 0.5]],
    };
    await recordModelInterpretation(db, id, { model: 'tft', windows: 4, weights });
    expect((await get(`/api/runs/${id}`)).json().interpretation).toEqual({
      model: 'tft',
      windows: 4,
      ...weights,
    });
  });

  test('trials join params and intermediate values', async () => {
    const trials = (await get(`/api/runs/${seeded.runIds[0]}/trials`)).json();
    expect(trials).toHaveLength(2);
    expect(trials[0]).toMatchObject({
      id: seeded.trialId,
      number: 0,
      state: 'COMPLETE',
      value: 2.75,
      params: { input_size: 8, n_pool_kernel_size: [2, 2, 1] },
      intermediate: [
        { step: 5, value: 4 },
        { step: 10, value: 3.5 },
      ],
      duration_seconds: 20,
      error_message: null,
    });
    expect(trials[1]).toMatchObject({ number: 1, state: 'PRUNED', params: {}, intermediate: [] });
  });

  test('step metrics by trial and cursor; resources by cursor', async () => {
    const [id] = seeded.runIds;
    const all = (await get(`/api/runs/${id}/step-metrics`)).json();
    expect(all.map((row: { step: number }) => row.step)).toEqual([1, 2, 1]);
    const ofTrial = (await get(`/api/runs/${id}/step-metrics?trial_id=${seeded.trialId}`)).json();
    expect(ofTrial).toHaveLength(2);
    expect(ofTrial[1]).toMatchObject({ step: 2, train_loss: 4.5, valid_loss: 4.8, trial_id: seeded.trialId });
    const after = (await get(`/api/runs/${id}/step-metrics?after_id=${all[1].id}`)).json();
    expect(after.map((row: { id: number }) => row.id)).toEqual([all[2].id]);
    const samples = (await get(`/api/runs/${id}/resources`)).json();
    expect(samples.map((row: { cpu_process: number }) => row.cpu_process)).toEqual([55.5, 60]);
    expect((await get(`/api/runs/${id}/resources?after_id=${samples[0].id}`)).json()).toHaveLength(1);
    expect((await get(`/api/runs/${id}/step-metrics?after_id=-1`)).statusCode).toBe(400);
  });

  test('predictions by kind, cross-validation rows', async () => {
    const [id] = seeded.runIds;
    const forecast = (await get(`/api/runs/${id}/predictions`)).json();
    expect(forecast).toEqual([
      { unique_id: 'N1', ds: '2026-01-05', step: null, model: 'AutoNHITS', suffix: '', value: 11 },
      { unique_id: 'N1', ds: '2026-01-08', step: null, model: 'AutoNHITS', suffix: '', value: 12.5 },
    ]);
    expect((await get(`/api/runs/${id}/predictions?kind=insample`)).json()).toHaveLength(1);
    expect((await get(`/api/runs/${id}/predictions?kind=future`)).statusCode).toBe(400);
    expect((await get(`/api/runs/${id}/cv`)).json()).toEqual([
      {
        unique_id: 'N1',
        ds: '2025-12-29',
        step: null,
        cutoff: '2025-12-25',
        cutoff_step: null,
        y: 10,
        model: 'AutoNHITS',
        suffix: '',
        value: 9.5,
      },
    ]);
  });

  test('artifacts: listed, downloaded from the artifact folder, refused outside it', async () => {
    const [id] = seeded.runIds;
    const artifacts = (await get(`/api/runs/${id}/artifacts`)).json();
    expect(artifacts).toMatchObject([{ path: 'model/weights.bin', kind: 'model', bytes: 5 }]);
    const download = await get(`/api/runs/${id}/artifacts/${artifacts[0].id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('bytes');
    expect(download.headers['content-disposition']).toBe('attachment; filename="weights.bin"');
    const outside = await db.query<{ id: number }>(
      `INSERT INTO nf_artifacts (run_id, path, kind) VALUES ($1, $2, 'log'), ($1, '../nflab-outside.txt', 'log'),
              ($1, 'model/gone.bin', 'model') RETURNING id`,
      [id, join(tmpdir(), 'nflab-outside.txt')],
    );
    const [absolute, relative, gone] = outside.rows.map((row) => row.id);
    for (const artifactId of [absolute, relative]) {
      const refused = await get(`/api/runs/${id}/artifacts/${artifactId}/download`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
      expect(refused.body).not.toContain('secret');
    }
    expect((await get(`/api/runs/${id}/artifacts/${gone}/download`)).statusCode).toBe(404);
    expect(
      (await get(`/api/runs/${seeded.runIds[1]}/artifacts/${artifacts[0].id}/download`)).statusCode,
    ).toBe(404);
  });

  test('sweeps: list with counts, status filter, detail, 404', async () => {
    const list = (await get('/api/sweeps')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      id: seeded.sweepId,
      name: 'seeded',
      planned_runs: 3,
      runs_queued: 1,
      runs_finished: 1,
      runs_failed: 1,
    });
    expect((await get('/api/sweeps?status=finished')).json().total).toBe(0);
    expect((await get('/api/sweeps?status=bogus')).statusCode).toBe(400);
    expect((await get(`/api/sweeps/${seeded.sweepId}`)).json().runs_finished).toBe(1);
    expect((await get(`/api/sweeps/${MISSING}`)).statusCode).toBe(404);
  });
});
