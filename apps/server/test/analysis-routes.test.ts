/**
 * The analysis routes over real databases: a sweep's leaderboard with its corrected verdict, and the
 * statistical comparison of runs — computed once, stored, read back — with their unauthenticated and
 * bad-input answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  createExogenousTestTable,
  openTestDb,
  seedComparableRuns,
  seedImportanceRun,
  testDbKinds,
  type TestDb,
} from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
describe.each(await testDbKinds())('analysis routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let sweepId: string;
  let runs: string[];
  let pending: string;
  let cookie: string;
  let get: (url: string) => Promise<LightMyRequestResponse>;
  let compare: (body: unknown) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await createExogenousTestTable(db);
    const seeded = await seedComparableRuns(db);
    ({ sweepId, queuedId: pending } = seeded);
    runs = [...seeded.runIds];
    app = await buildServer({ db });
    ({ cookie } = await signIn(db, 'viewer'));
    get = (url) => app.inject({ url, headers: { cookie } });
    compare = (body) =>
      app.inject({
        method: 'POST',
        url: '/api/analysis/compare',
        headers: { cookie, origin: SAME_ORIGIN },
        payload: body as Record<string, unknown>,
      });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('both routes answer 401 without a session', async () => {
    expect((await app.inject(`/api/sweeps/${sweepId}/leaderboard`)).statusCode).toBe(401);
    const response = await app.inject({
      method: 'POST',
      url: '/api/analysis/compare',
      headers: { origin: SAME_ORIGIN },
      payload: { run_ids: runs },
    });
    expect(response.statusCode).toBe(401);
  });

  test('the leaderboard ranks runs with the baseline and corrects for all four configurations', async () => {
    const response = await get(`/api/sweeps/${sweepId}/leaderboard`);
    expect(response.statusCode).toBe(200);
    const board = response.json();
    expect(
      board.rows.map((row: { kind: string; label?: string; baseline?: string }) => row.label ?? row.baseline),
    ).toEqual([
      `AutoMLP · ${runs[0]?.slice(0, 8)}`,
      `AutoNHITS · ${runs[1]?.slice(0, 8)}`,
      'historic_average',
      `AutoTiDE · ${runs[2]?.slice(0, 8)}`,
    ]);
    expect(board).toMatchObject({
      configurations: 4,
      ranked: 3,
      unranked: [{ runId: pending, reason: 'run queued' }],
    });
    // Holm over 4 hypotheses: the best run's one-sided 0.002 becomes 0.008 — still below 0.05.
    expect(board.rows[0]).toMatchObject({ pValue: 0.002, adjustedPValue: 0.008, beatsChance: true });
    expect(board.verdict.text).toMatch(/^beats chance after correcting for 4 configurations: yes/);
    const bonferroni = (
      await get(`/api/sweeps/${sweepId}/leaderboard?correction=bonferroni&alpha=0.005`)
    ).json();
    expect(bonferroni.verdict.beatsChance).toBe(false);
  });

  test('leaderboard: unknown sweep is 404, bad query fields are 400 naming them', async () => {
    expect((await get(`/api/sweeps/${MISSING}/leaderboard`)).statusCode).toBe(404);
    for (const [query, path] of [
      ['metric=r2', 'query.metric'],
      ['alpha=2', 'query.alpha'],
      ['correction=fdr', 'query.correction'],
      ['extra=1', 'query'],
    ] as const) {
      const response = await get(`/api/sweeps/${sweepId}/leaderboard?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().error.issues.map((i: { path: string }) => i.path),
        query,
      ).toContain(path);
    }
  });

  test('a comparison of three runs is computed, stored and read back unchanged', async () => {
    const first = await compare({ run_ids: runs, resamples: 200 });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.cached).toBe(false);
    expect(body.comparison).toMatchObject({ points: 8, series: 2, h: 4, best: runs[0] });
    expect(body.comparison.pairs).toHaveLength(2);
    expect(body.comparison.many.criticalDifference.models).toHaveLength(3);
    const again = (await compare({ resamples: 200, run_ids: runs })).json();
    expect(again).toMatchObject({ cached: true, analysisId: body.analysisId });
    expect(again.comparison).toEqual(body.comparison);
    const other = (await compare({ run_ids: runs, resamples: 201 })).json();
    expect(other.cached).toBe(false);
  });

  test('a sweep is compared by its id; a run without evaluated forecasts is named in a 400', async () => {
    const response = await compare({ sweep_id: sweepId });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(
      `run ${pending} (queued) has no cross-validation or test forecasts`,
    );
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [pending]);
    const bySweep = await compare({ sweep_id: sweepId, resamples: 50 });
    expect(bySweep.statusCode).toBe(200);
    expect(bySweep.json().comparison.runs).toHaveLength(3);
  });

  test('bad comparison requests are 400 naming the field; unknown runs are 404', async () => {
    for (const [body, path] of [
      [{ run_ids: [runs[0]] }, 'body.run_ids'],
      [{ run_ids: [runs[0], runs[0]] }, 'body.run_ids'],
      [{ run_ids: runs, sweep_id: sweepId }, 'body.run_ids'],
      [{}, 'body.run_ids'],
      [{ run_ids: runs, resamples: 1_000_000 }, 'body.resamples'],
      [{ run_ids: runs, loss: 'huber' }, 'body.loss'],
      [{ run_ids: ['not-a-uuid', runs[1]] }, 'body.run_ids[0]'],
    ] as const) {
      const response = await compare(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        response.json().error.issues.map((i: { path: string }) => i.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const missing = await compare({ run_ids: [runs[0], MISSING] });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe(`no run ${MISSING}`);
  });

  const exogenous = (table: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url: `/api/data/tables/${table}/exogenous`,
      headers: { cookie, origin: SAME_ORIGIN },
      payload: body as Record<string, unknown>,
    });

  test('exogenous analysis: Granger finds the leading column after correction, NULL rows are dropped, a repeat is read back', async () => {
    const response = await exogenous('nf_loto_exog_test', {
      loto: 'g',
      granger_max_lag: 2,
      cross_correlation_max_lag: 3,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { analysis, cached } = response.json();
    expect(cached).toBe(false);
    expect(analysis).toMatchObject({
      series: ['A', 'B'],
      columns: ['futr_noise', 'hist_lead'],
      droppedRows: { A: 0, B: 1 },
      testCounts: { granger: 4 },
    });
    const pair = (id: string, column: string) =>
      analysis.pairs.find(
        (p: { uniqueId: string; column: string }) => p.uniqueId === id && p.column === column,
      );
    expect(pair('A', 'hist_lead').adjusted.granger.holm).toBeLessThan(1e-6);
    expect(pair('B', 'hist_lead').adjusted.granger.holm).toBeGreaterThan(0.05);
    const again = await exogenous('nf_loto_exog_test', {
      loto: 'g',
      cross_correlation_max_lag: 3,
      granger_max_lag: 2,
    });
    expect(again.json()).toMatchObject({ cached: true, analysisId: response.json().analysisId });
  });

  test('exogenous analysis: 401 without a session; bad fields are 400 naming them; lab tables and unknown columns are refused', async () => {
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/data/tables/nf_loto_exog_test/exogenous',
      headers: { origin: SAME_ORIGIN },
      payload: { loto: 'g' },
    });
    expect(anonymous.statusCode).toBe(401);
    for (const [body, path] of [
      [{}, 'body.loto'],
      [{ loto: 'g', granger_max_lag: 53 }, 'body.granger_max_lag'],
      [{ loto: 'g', columns: ['y; DROP TABLE x'] }, 'body.columns[0]'],
      [{ loto: 'g', granger_criterion: 'hqic' }, 'body.granger_criterion'],
    ] as const) {
      const response = await exogenous('nf_loto_exog_test', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const unknown = await exogenous('nf_loto_exog_test', { loto: 'g', columns: ['hist_missing'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('hist_missing are not hist_ or futr_ columns');
    const lab = await exogenous('nf_model_runs', { loto: 'g' });
    expect([400, 404]).toContain(lab.statusCode);
    const short = await exogenous('nf_loto_exog_test', { loto: 'g', granger_max_lag: 30 });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('grangerMaxLag 30 needs 3p + 2');
  });

  test("an importance run's rows: all-series first by rank, then each series; 401, 404 and 400 as for every run route", async () => {
    const id = await seedImportanceRun(db);
    const response = await get(`/api/runs/${id}/importance`);
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(
      items
        .slice(0, 3)
        .map((row: { feature: string; unique_id: string | null; rank: number }) => [
          row.feature,
          row.unique_id,
          row.rank,
        ]),
    ).toEqual([
      ['futr_signal', null, 1],
      ['hist_noise', null, 2],
      ['futr_month', null, 3],
    ]);
    expect(items).toHaveLength(9);
    expect(items[0].details.values).toEqual([2.5, -1.5]);
    expect(items[0]).not.toHaveProperty('run_id');
    expect((await app.inject(`/api/runs/${id}/importance`)).statusCode).toBe(401);
    expect((await get(`/api/runs/${MISSING}/importance`)).statusCode).toBe(404);
    expect((await get('/api/runs/12345/importance')).statusCode).toBe(400);
  });
});
