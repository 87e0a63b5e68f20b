import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { signIn } from './sign-in.js';

const RUNS = 100_000;

// The target: the first history page of 100,000 runs in under 200 ms of server time.
describe.each(await testDbKinds())('run history with %s and 100,000 runs', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await db.query(
      `INSERT INTO nf_model_runs (model_name, backend, loto, unique_ids, horizon, loss, status, metrics, created_at)
       SELECT (ARRAY['auto_nhits','auto_nbeats','mlp'])[1 + i % 3], (ARRAY['optuna','ray'])[1 + i % 2], 'loto6',
              ARRAY['N' || (1 + i % 7)], 1 + i % 4, 'mae',
              (ARRAY['finished','failed','queued','running','cancelled'])[1 + i % 5],
              jsonb_build_object('cv', jsonb_build_object('overall', jsonb_build_object('mae', (i % 1000) / 100.0))),
              now() - make_interval(secs => i)
         FROM generate_series(1, ${RUNS}) i`,
    );
    await db.query('ANALYZE nf_model_runs');
    app = await buildServer({ db, webRoot: false });
    cookie = (await signIn(db, 'viewer')).cookie;
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const serverMs = async (url: string): Promise<number> => {
    await app.inject({ url, headers: { cookie } });
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const response = await app.inject({ url, headers: { cookie } });
      times.push(performance.now() - started);
      expect(response.statusCode).toBe(200);
    }
    return Math.min(...times);
  };

  test('first page, default sort, under 200 ms', async () => {
    const page = (await app.inject({ url: '/api/runs', headers: { cookie } })).json();
    expect(page.total).toBe(RUNS);
    expect(page.items).toHaveLength(50);
    const ms = await serverMs('/api/runs');
    console.log(`${kind}: first history page of ${RUNS} runs in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(200);
  });

  test('filtered by status, first page under 200 ms', async () => {
    const ms = await serverMs('/api/runs?status=finished');
    console.log(`${kind}: status-filtered first page in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(200);
  });
  test('sorted by a metric (read from JSON for every run), first page under 200 ms', async () => {
    const ms = await serverMs('/api/runs?sort=metric&order=asc&metric=mae');
    console.log(`${kind}: metric-sorted first page in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(200);
  });
});
