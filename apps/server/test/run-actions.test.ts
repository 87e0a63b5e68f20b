import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const RUN = { loto: 'loto6', unique_ids: ['N1'], model: 'nhits', config: { input_size: 8 }, max_steps: 5 };
const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(await testDbKinds())('write routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  type Post = (url: string, payload?: unknown) => Promise<LightMyRequestResponse>;
  let asViewer: Post;
  let asEditor: Post;
  let asAdmin: Post;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db });
    const poster =
      (cookie: string): Post =>
      (url, payload) =>
        app.inject({
          method: 'POST',
          url,
          headers: { cookie, origin: SAME_ORIGIN },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
    asViewer = poster((await signIn(db, 'viewer')).cookie);
    asEditor = poster((await signIn(db, 'editor')).cookie);
    asAdmin = poster((await signIn(db, 'admin')).cookie);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('viewers get 403 and anonymous callers 401 on every write route', async () => {
    const routes = [
      '/api/runs',
      `/api/runs/${MISSING}/cancel`,
      `/api/runs/${MISSING}/predict`,
      `/api/runs/${MISSING}/refit`,
      `/api/runs/${MISSING}/cv`,
      `/api/runs/${MISSING}/importance`,
      `/api/runs/${MISSING}/promote`,
      '/api/sweeps',
      `/api/sweeps/${MISSING}/cancel`,
      `/api/sweeps/${MISSING}/resume`,
    ];
    for (const url of routes) {
      const forbidden = await asViewer(url, {});
      expect(forbidden.statusCode, url).toBe(403);
      expect(forbidden.json(), url).toEqual({
        error: { code: 'forbidden', message: 'this needs the editor role; you are signed in as viewer' },
      });
      expect((await app.inject({ method: 'POST', url, payload: {} })).statusCode, url).toBe(401);
    }
  });

  test('a run is queued, then cancelled; bad specs are 400 naming the field', async () => {
    const started = await asEditor('/api/runs', { spec: RUN });
    expect(started.statusCode, started.body).toBe(201);
    const { runId } = started.json();
    const { rows } = await db.query<{ status: string; model_name: string }>(
      'SELECT status, model_name FROM nf_model_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]).toEqual({ status: 'queued', model_name: 'nhits' });
    expect((await asEditor(`/api/runs/${runId}/cancel`)).json()).toEqual({ cancelled: 1, requested: 0 });
    expect((await asEditor(`/api/runs/${runId}/cancel`)).json()).toEqual({ cancelled: 0, requested: 0 });
    expect((await asEditor(`/api/runs/${MISSING}/cancel`)).statusCode).toBe(404);
    const invalid = await asEditor('/api/runs', { spec: { ...RUN, h: -1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.issues[0].path).toBe('run.h');
    const cannot = await asEditor('/api/runs', { spec: { ...RUN, unique_ids: ['N9'] } });
    expect(cannot.statusCode).toBe(400);
    expect(cannot.json().error.message).toContain('N9');
    const misnamed = (await asEditor('/api/runs', { run: RUN })).json().error.issues;
    expect(misnamed).toEqual([
      { path: 'body.spec', message: 'Invalid input: expected record, received undefined (missing)' },
      { path: 'body', message: 'unknown field(s) "run"; allowed: spec' },
    ]);
  });

  test('tags: from the spec, edited by PATCH (editor), in the detail and the history filter', async () => {
    const started = await asEditor('/api/runs', { spec: { ...RUN, tags: { experiment: 'baseline' } } });
    expect(started.statusCode, started.body).toBe(201);
    const { runId } = started.json();
    const patch = (cookie: string | undefined, payload: unknown, id: string = runId) =>
      app.inject({
        method: 'PATCH',
        url: `/api/runs/${id}/tags`,
        headers: { origin: SAME_ORIGIN, ...(cookie === undefined ? {} : { cookie }) },
        payload: payload as object,
      });
    const { cookie: editor, username } = await signIn(db, 'editor');
    const changed = await patch(editor, { set: { phase: 'tuning', note: 'first try' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({ tags: { experiment: 'baseline', phase: 'tuning', note: 'first try' } });
    expect((await patch(editor, { remove: ['note', 'absent'] })).json()).toEqual({
      tags: { experiment: 'baseline', phase: 'tuning' },
    });
    const viewer = (await signIn(db, 'viewer')).cookie;
    const detail = await app.inject({ url: `/api/runs/${runId}`, headers: { cookie: viewer } });
    expect(detail.json()).toMatchObject({ tags: { experiment: 'baseline', phase: 'tuning' }, dataset: null });
    const history = await app.inject({ url: '/api/runs?tag=phase=tuning', headers: { cookie: viewer } });
    expect(history.json().items.map((item: { id: string }) => item.id)).toEqual([runId]);
    const anyValue = await app.inject({ url: '/api/runs?tag=experiment', headers: { cookie: viewer } });
    expect(anyValue.json().total).toBe(1);
    const audited = await db.query<{ actor: string; details: unknown }>(
      "SELECT actor, details FROM nf_audit_log WHERE action = 'run.tag' ORDER BY id",
    );
    expect(audited.rows[0]).toMatchObject({
      actor: username,
      details: { set: ['phase', 'note'], removed: [] },
    });

    expect((await patch(undefined, { set: { a: 'b' } })).statusCode).toBe(401);
    expect((await patch(viewer, { set: { a: 'b' } })).statusCode).toBe(403);
    expect((await patch(editor, { set: { a: 'b' } }, MISSING)).statusCode).toBe(404);
    const issuesOf = async (payload: unknown): Promise<string[]> =>
      (await patch(editor, payload)).json().error.issues.map((issue: { path: string }) => issue.path);
    expect(await issuesOf({ set: { 'bad key!': 'x' } })).toEqual(['body.set.bad key!']);
    expect(await issuesOf({ set: { 'mlflow.note.content': 'x' } })).toEqual(['body.set.mlflow.note.content']);
    expect(await issuesOf({ set: { long: 'x'.repeat(1001) } })).toEqual(['body.set.long']);
    expect(await issuesOf({})).toEqual(['body.set']);
    expect(await issuesOf({ set: { a: 'b' }, remove: ['a'] })).toEqual(['body.remove']);
    const badSpec = await asEditor('/api/runs', { spec: { ...RUN, tags: { '': 'x' } } });
    expect(badSpec.json().error.issues[0].path).toMatch(/^run\.tags/);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await patch(editor, { set: many });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toMatch(/^tags: a run carries at most 32 tags/);
  });

  test('a sweep is planned and queued, cancelled and resumed', async () => {
    const started = await asEditor('/api/sweeps', { name: 'two', spec: { ...RUN, h: [1, 2] } });
    expect(started.statusCode, started.body).toBe(201);
    const { sweepId, runIds, count } = started.json();
    expect(count).toBe(2);
    expect(runIds).toHaveLength(2);
    const sweep = await db.query<{ name: string; runs_queued: number }>(
      'SELECT name, runs_queued FROM nf_sweeps WHERE id = $1',
      [sweepId],
    );
    expect(sweep.rows[0]).toEqual({ name: 'two', runs_queued: 2 });
    expect((await asEditor(`/api/sweeps/${sweepId}/cancel`)).json()).toEqual({ cancelled: 2, requested: 0 });
    expect((await asEditor(`/api/sweeps/${sweepId}/resume`)).json()).toEqual({ added: 0, requeued: 0 });
    expect((await asEditor(`/api/sweeps/${MISSING}/resume`)).statusCode).toBe(404);
    const none = await asEditor('/api/sweeps', { spec: { ...RUN, h: 5000 } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toContain('no valid run');
  });

  test('model operations start linked runs from a finished run; promote registers it', async () => {
    const { runId: parent } = (await asEditor('/api/runs', { spec: RUN })).json();
    const early = await asEditor(`/api/runs/${parent}/predict`, {});
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('model operations need a finished run');
    await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [parent]);
    await db.query(`UPDATE nf_model_runs SET status = 'finished', end_time = now() WHERE id = $1`, [parent]);
    // Finished without a saved model (as predict, cv, importance and ensemble runs end): refused up front.
    const modelless = await asEditor(`/api/runs/${parent}/predict`, {});
    expect(modelless.statusCode).toBe(400);
    expect(modelless.json().error.message).toContain('saved no model to load');
    await db.query(
      `UPDATE nf_model_runs SET best_params = '{"input_size": 4}', model_properties = '{"modelDir": "/nowhere/model"}' WHERE id = $1`,
      [parent],
    );
    const operations = [
      ['predict', {}],
      ['refit', {}],
      ['cv', { n_windows: 2, step_size: 1, refit: false }],
      ['importance', { method: 'kernel_shap', nsamples: 64, max_windows: 10 }],
    ] as const;
    for (const [operation, body] of operations) {
      const response = await asEditor(`/api/runs/${parent}/${operation}`, body);
      expect(response.statusCode, response.body).toBe(201);
      const child = await db.query<{ parent_run_id: string; operation: string }>(
        'SELECT parent_run_id, operation FROM nf_model_runs WHERE id = $1',
        [response.json().runId],
      );
      expect(child.rows[0]).toEqual({ parent_run_id: parent, operation });
    }
    expect((await asEditor(`/api/runs/${parent}/cv`, { n_windows: 0 })).statusCode).toBe(400);
    for (const [body, field] of [
      [{ method: 'lime' }, 'body.method'],
      [{ method: 'permutation', repeats: 101 }, 'body.repeats'],
      [{ method: 'permutation', steps: 10 }, 'body'],
      [{}, 'body.method'],
    ] as const) {
      const bad = await asEditor(`/api/runs/${parent}/importance`, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.issues[0].path, JSON.stringify(body)).toBe(field);
    }
    const dev = await asEditor(`/api/runs/${parent}/promote`, { stage: 'dev' });
    expect(dev.statusCode, dev.body).toBe(200);
    expect(dev.json()).toMatchObject({
      name: 'nhits',
      version: 1,
      run_id: parent,
      stage: 'dev',
      aliases: [],
    });
    const prod = await asEditor(`/api/runs/${parent}/promote`, { stage: 'prod' });
    expect(prod.statusCode).toBe(403);
    expect(prod.json().error.message).toBe('this needs the admin role; you are signed in as editor');
    const admin = await asAdmin(`/api/runs/${parent}/promote`, { stage: 'prod', alias: 'champion' });
    expect(admin.json()).toMatchObject({ version: 1, stage: 'prod', aliases: ['champion'] });
    expect(
      (await asEditor(`/api/runs/${parent}/promote`, { stage: 'gold' })).json().error.issues[0].path,
    ).toBe('body.stage');
  });
});
