/**
 * Ensembles and stored analyses over real databases: `POST /api/ensembles` queues an ensemble of
 * finished runs (audited, refused with the field and the fix when the members cannot be combined),
 * `GET /api/runs/:id/ensemble` shows its members — unweighted while queued, weighted once a worker
 * (in-process, no training) combined them — and the ensembles a member is in; `GET
 * /api/runs/:id/analyses` and `GET /api/analyses/:id` read back a stored comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createRunExecutor, RunQueue, runWorkerLoop } from '@nflab/runner';
import {
  ENSEMBLE_MEMBER_OFFSETS,
  openTestDb,
  seedComparableRuns,
  seedEnsembleMembers,
  testDbKinds,
  type EnsembleFixture,
  type TestDb,
} from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { injectAs, signIn, type SignedIn } from './sign-in.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const [NHITS, MLP, TIDE] = Object.values(ENSEMBLE_MEMBER_OFFSETS).map(Math.abs) as [number, number, number];

interface EnsembleMember {
  run_id: string;
  position: number;
  model_name: string | null;
  status: string;
  weight: number | null;
  error: number | null;
}

describe.each(await testDbKinds())('ensemble and stored-analysis routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let artifacts: string;
  let fixture: EnsembleFixture;
  let viewer: SignedIn;
  let editor: SignedIn;
  let ensembleId: string;
  const get = (url: string): Promise<LightMyRequestResponse> => injectAs(app, viewer, { url });
  const post = (url: string, who: SignedIn | undefined, payload: unknown) =>
    injectAs(app, who, { method: 'POST', url, payload });
  const startEnsemble = (payload: unknown) => post('/api/ensembles', editor, payload);
  const runCount = async (): Promise<number> =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nf_model_runs')).rows[0]?.n ?? -1;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-ensemble-routes-'));
    fixture = await seedEnsembleMembers(db);
    app = await buildServer({ db });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  test('401 without a session on all four routes; 403 for a viewer starting an ensemble', async () => {
    const [a, b] = fixture.memberIds;
    expect((await post('/api/ensembles', undefined, { members: [a, b] })).statusCode).toBe(401);
    for (const url of [`/api/runs/${a}/ensemble`, `/api/runs/${a}/analyses`, '/api/analyses/1'])
      expect((await app.inject(url)).statusCode, url).toBe(401);
    const forbidden = await post('/api/ensembles', viewer, { members: [a, b] });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toBe('this needs the editor role; you are signed in as viewer');
  });

  test('bad requests are 400 naming the field and the fix, and queue nothing', async () => {
    const [a, b] = fixture.memberIds;
    const before = await runCount();
    for (const [body, field, fix] of [
      [{ members: [a] }, 'body.members', 'at least 2 runs'],
      [{ members: [a, a] }, 'body.members', 'list each run once'],
      [{ members: ['not-a-uuid', b] }, 'body.members[0]', 'a run id (a uuid)'],
      [{ members: [a, b], method: 'mode' }, 'body.method', 'inverse_error'],
      [{ members: [a, b], weight_metric: 'mape' }, 'body.weight_metric', 'rmse'],
      [{ members: [a, b], extra: 1 }, 'body', 'extra'],
      [{}, 'body.members', ''],
    ] as const) {
      const response = await startEnsemble(body);
      const what = JSON.stringify(body);
      expect(response.statusCode, what).toBe(400);
      const issue = response
        .json()
        .error.issues.find((i: { path: string; message: string }) => i.path === field);
      expect(issue, `${what}: ${response.body}`).toBeDefined();
      expect(issue.message, what).toContain(fix);
    }
    expect(await runCount()).toBe(before);
  });

  test('an unknown member is 404; a cancelled member or one of another table is 400 naming it and the fix', async () => {
    const [a] = fixture.memberIds;
    const before = await runCount();
    const unknown = await startEnsemble({ members: [a, MISSING] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe(`members: no run ${MISSING}`);
    const cancelled = await startEnsemble({ members: [a, fixture.cancelledId] });
    expect(cancelled.statusCode).toBe(400);
    expect(cancelled.json().error).toEqual({
      code: 'config',
      message: `members: run ${fixture.cancelledId} is cancelled; an ensemble combines finished runs`,
    });
    const otherTable = await startEnsemble({ members: [a, fixture.otherTableId] });
    expect(otherTable.statusCode).toBe(400);
    expect(otherTable.json().error.message).toMatch(
      /^members: the runs differ in table .*; an ensemble combines runs of one table, game and horizon$/,
    );
    expect(await runCount()).toBe(before);
  });

  test('201 with the new run: queued, audited with its members and method', async () => {
    const response = await startEnsemble({ members: [...fixture.memberIds], method: 'inverse_error' });
    expect(response.statusCode, response.body).toBe(201);
    ensembleId = response.json().runId;
    const run = await db.query<{ status: string; operation: string }>(
      'SELECT status, operation FROM nf_model_runs WHERE id = $1',
      [ensembleId],
    );
    expect(run.rows).toEqual([{ status: 'queued', operation: 'ensemble' }]);
    const audit = await db.query<{ actor: string; entity: string; details: Record<string, unknown> }>(
      `SELECT actor, entity, details FROM nf_audit_log WHERE action = 'run.ensemble' AND entity_id = $1`,
      [ensembleId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      actor: editor.username,
      entity: 'run',
      details: { members: [...fixture.memberIds], method: 'inverse_error' },
    });
  });

  test('GET ensemble: the members in order, unweighted while queued; a member lists the ensemble it is in', async () => {
    const response = await get(`/api/runs/${ensembleId}/ensemble`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      ensemble: {
        method: 'inverse_error',
        weight_metric: 'mae',
        members: fixture.memberIds.map((id, i) => ({
          run_id: id,
          position: i + 1,
          model_name: ['nhits', 'mlp', 'tide'][i],
          status: 'finished',
          weight: null,
          error: null,
        })),
      },
      member_of: [],
    });
    const member = (await get(`/api/runs/${fixture.memberIds[1]}/ensemble`)).json();
    expect(member.ensemble).toBeNull();
    expect(member.member_of).toHaveLength(1);
    expect(member.member_of[0]).toMatchObject({
      run_id: ensembleId,
      status: 'queued',
      method: 'inverse_error',
    });
    expect(member.member_of[0].created_at).toMatch(ISO);
    expect((await get(`/api/runs/${fixture.otherTableId}/ensemble`)).json()).toEqual({
      ensemble: null,
      member_of: [],
    });
  });

  test('GET ensemble once a worker combined it: weights ∝ 1 / MAE summing to 1, each member its MAE', async () => {
    const queue = new RunQueue(db, { workerId: `ensemble-routes-${kind}` });
    const execute = createRunExecutor({ db, artifactsRoot: artifacts, cpusPerRun: 1, computeThread: false });
    try {
      await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 20 });
    } finally {
      await execute.close();
    }
    const { ensemble } = (await get(`/api/runs/${ensembleId}/ensemble`)).json();
    const members = ensemble.members as EnsembleMember[];
    const inverse = [NHITS, MLP, TIDE].map((e) => 1 / e);
    const total = inverse.reduce((s, v) => s + v, 0);
    members.forEach((m, i) => {
      expect(m.weight).toBeCloseTo((inverse[i] ?? 0) / total, 12);
      expect(m.error).toBeCloseTo([NHITS, MLP, TIDE][i] ?? 0, 12);
    });
    const member = (await get(`/api/runs/${fixture.memberIds[0]}/ensemble`)).json();
    expect(member.member_of[0]).toMatchObject({ run_id: ensembleId, status: 'finished' });
  });

  test('GET ensemble: 404 for an unknown run, 400 naming the path for a bad id', async () => {
    const missing = await get(`/api/runs/${MISSING}/ensemble`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe(`run ${MISSING} does not exist`);
    const bad = await get('/api/runs/12345/ensemble');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { path: string }) => i.path)).toContain('path.id');
  });

  test('stored analyses: a comparison is listed for each run it read, newest first, and read back whole', async () => {
    const { runIds } = await seedComparableRuns(db);
    const compared = await post('/api/analysis/compare', viewer, {
      run_ids: [...runIds],
      resamples: 50,
    });
    expect(compared.statusCode, compared.body).toBe(200);
    const { analysisId, comparison } = compared.json();
    const pair = await post('/api/analysis/compare', viewer, {
      run_ids: [runIds[0], runIds[1]],
      resamples: 50,
    });
    const pairId = pair.json().analysisId;

    const listed = await get(`/api/runs/${runIds[0]}/analyses`);
    expect(listed.statusCode, listed.body).toBe(200);
    const { items } = listed.json();
    expect(items.map((item: { id: number }) => item.id)).toEqual([pairId, analysisId]);
    const sorted = (ids: readonly string[]) => [...ids].sort();
    expect({ ...items[1], run_ids: sorted(items[1].run_ids) }).toEqual({
      id: analysisId,
      kind: 'compare',
      run_ids: sorted(runIds),
      created_by: viewer.username,
      created_at: expect.stringMatching(ISO),
    });
    const third = (await get(`/api/runs/${runIds[2]}/analyses`)).json();
    expect(third.items.map((item: { id: number }) => item.id)).toEqual([analysisId]);
    expect((await get(`/api/runs/${runIds[0]}/analyses?limit=1`)).json().items).toHaveLength(1);
    expect((await get(`/api/runs/${fixture.otherTableId}/analyses`)).json()).toEqual({ items: [] });

    const stored = await get(`/api/analyses/${analysisId}`);
    expect(stored.statusCode, stored.body).toBe(200);
    const body = stored.json();
    expect(body).toMatchObject({ id: analysisId, kind: 'compare', created_by: viewer.username });
    expect(sorted(body.run_ids)).toEqual(sorted(runIds));
    expect(body.fingerprint).toMatch(/\S/);
    expect(body.inputs).toMatchObject({ resamples: 50 });
    expect(body.result).toEqual(comparison);
  });

  test('stored analyses: 404 for an unknown run or analysis; 400 naming the field for a bad id or limit', async () => {
    const run = await get(`/api/runs/${MISSING}/analyses`);
    expect(run.statusCode).toBe(404);
    expect(run.json().error.message).toBe(`run ${MISSING} does not exist`);
    const analysis = await get('/api/analyses/987654321');
    expect(analysis.statusCode).toBe(404);
    expect(analysis.json().error.message).toBe('analysis 987654321 does not exist');
    for (const [url, field] of [
      ['/api/analyses/abc', 'path.id'],
      ['/api/analyses/0', 'path.id'],
      [`/api/runs/${fixture.memberIds[0]}/analyses?limit=0`, 'query.limit'],
      [`/api/runs/${fixture.memberIds[0]}/analyses?limit=201`, 'query.limit'],
      ['/api/runs/nope/analyses', 'path.id'],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(
        response.json().error.issues.map((i: { path: string }) => i.path),
        url,
      ).toContain(field);
    }
  });
});
