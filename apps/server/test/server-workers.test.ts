/**
 * The server as the embedded database's only process: it queues a sweep posted to the API and
 * executes it with its own worker slot; readiness reports the slots; a run's records are served.
 */
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { importFile } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/index.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));

describe('a server with a worker slot', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let artifacts: string;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDb('pglite', { migrate: true });
    await importFile(db, { file: SAMPLE, game: 'loto6' });
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-server-workers-'));
    app = await buildServer({ db, workers: 1, artifactRoot: artifacts, webRoot: false });
    cookie = (await signIn(db, 'editor')).cookie;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('executes a sweep posted to the API and serves its runs', { timeout: 300_000 }, async () => {
    expect((await app.inject('/api/ready')).json()).toMatchObject({ status: 'ready', workers: 1 });
    const posted = await app.inject({
      method: 'POST',
      url: '/api/sweeps',
      headers: { cookie, origin: SAME_ORIGIN },
      payload: {
        spec: {
          loto: 'loto6',
          unique_ids: ['N1'],
          model: 'mlp',
          config: { input_size: 6, hidden_size: 8, num_layers: 1 },
          h: [1, 2],
          max_steps: 3,
          test_size: 2,
        },
      },
    });
    expect(posted.statusCode).toBe(201);
    const { sweepId, runIds } = posted.json() as { sweepId: string; runIds: string[] };
    expect(runIds).toHaveLength(2);
    let sweep: { status: string; runs_finished: number } = { status: 'queued', runs_finished: 0 };
    for (let i = 0; i < 600 && !['finished', 'failed', 'cancelled'].includes(sweep.status); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      sweep = (await app.inject({ url: `/api/sweeps/${sweepId}`, headers: { cookie } })).json();
    }
    expect(sweep).toMatchObject({ status: 'finished', runs_finished: 2 });
    const predictions = await app.inject({ url: `/api/runs/${runIds[0]}/predictions`, headers: { cookie } });
    expect((predictions.json() as unknown[]).length).toBeGreaterThan(0);
    const steps = await app.inject({ url: `/api/runs/${runIds[0]}/step-metrics`, headers: { cookie } });
    expect((steps.json() as unknown[]).length).toBeGreaterThan(0);
  });
});
