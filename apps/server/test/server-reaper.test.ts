/**
 * A server started with no worker slots still reaps: the run of a worker that was killed (its
 * heartbeat stopped) is failed or requeued by the server alone, while live runs are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';

interface RunState {
  readonly status: string;
  readonly error_message: string | null;
}

describe.each(await testDbKinds())('a server with --workers 0 on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it("fails or requeues a dead worker's run and leaves a live one running", async () => {
    // As `nflab worker` leaves them when killed with -9: running, its heartbeat long stopped.
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (loto, unique_ids, model_name, status, worker_id, attempt, max_attempts,
                                  start_time, heartbeat_at)
       VALUES ('loto6', '{N1}', 'mlp', 'running', 'dead-host:4242:0000', 1, 1, now() - interval '1 hour',
               now() - interval '5 minutes'),
              ('loto6', '{N1}', 'mlp', 'running', 'dead-host:4243:0000', 1, 3, now() - interval '1 hour',
               now() - interval '5 minutes'),
              ('loto6', '{N1}', 'mlp', 'running', 'live-host:1:0000', 1, 1, now(), now() + interval '1 hour')
       RETURNING id`,
    );
    const [spent, retryable, live] = rows.map((row) => row.id) as [string, string, string];
    app = await buildServer({ db, workers: 0, reapIntervalMs: 100, webRoot: false });
    await app.ready();
    const state = async (id: string): Promise<RunState> => {
      const result = await db.query<RunState>(
        'SELECT status, error_message FROM nf_model_runs WHERE id = $1',
        [id],
      );
      return result.rows[0] as RunState;
    };
    // A generous wait, not a timing claim: the reap interval here is 100 ms.
    for (let i = 0; i < 200 && (await state(spent)).status === 'running'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await state(spent)).toMatchObject({ status: 'failed' });
    expect((await state(spent)).error_message).toMatch(
      /^worker lost: dead-host:4242:0000 sent no heartbeat for \d+ s$/,
    );
    expect((await state(retryable)).status).toBe('queued');
    expect((await state(live)).status).toBe('running');
  }, 60_000);
});
