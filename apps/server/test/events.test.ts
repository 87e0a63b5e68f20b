import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { deleteOldEvents } from '@nflab/store';
import { openSse, type SseStream } from './sse-client.js';
import { signIn } from './sign-in.js';

describe.each(await testDbKinds())('live events over SSE on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let base: string;
  let cookie: string;
  let runId: string;
  let sweepId: string;
  const streams: SseStream[] = [];

  const open = async (query: string, headers: Record<string, string> = {}): Promise<SseStream> => {
    const stream = await openSse(`${base}/api/events${query}`, { cookie, ...headers });
    streams.push(stream);
    return stream;
  };
  // Steps as a worker writes them: one statement per batch.
  const insertSteps = (steps: readonly number[]) =>
    db.query(
      `INSERT INTO nf_step_metrics (run_id, step, train_loss) SELECT $1, s, s * 0.5 FROM unnest($2::int[]) s`,
      [runId, steps],
    );

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db, databaseUrl: db.url, eventPollMs: 50 });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    cookie = (await signIn(db, 'viewer')).cookie;
    const sweep = await db.query<{ id: string }>(`INSERT INTO nf_sweeps (spec) VALUES ('{}') RETURNING id`);
    sweepId = sweep.rows[0]?.id as string;
    const run = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (model_name, sweep_id) VALUES ('nhits', $1) RETURNING id`,
      [sweepId],
    );
    runId = run.rows[0]?.id as string;
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await app.close();
    await db.close();
  });

  test('without a session the stream is refused with 401', async () => {
    const response = await fetch(`${base}/api/events`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const bad = await fetch(`${base}/api/events?run_id=nope`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });

  test('rows written as a worker writes them arrive as typed events, in order, filtered by sweep', async () => {
    const stream = await open(`?sweep_id=${sweepId}`);
    const other = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (model_name) VALUES ('mlp') RETURNING id`,
    );
    await db.query(`INSERT INTO nf_step_metrics (run_id, step, train_loss) VALUES ($1, 1, 9)`, [
      other.rows[0]?.id,
    ]);
    await insertSteps([1, 2, 3]);
    await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [runId]);
    await db.query(`INSERT INTO nf_resource_samples (run_id, cpu_process, rss_bytes) VALUES ($1, 50, 1024)`, [
      runId,
    ]);
    await db.query(`INSERT INTO nf_trials (run_id, number) VALUES ($1, 0)`, [runId]);
    await db.query(`UPDATE nf_trials SET heartbeat_at = now() WHERE run_id = $1`, [runId]);
    await db.query(`UPDATE nf_trials SET state = 'COMPLETE', value = 1.5 WHERE run_id = $1`, [runId]);
    const events = await stream.waitFor(8);
    expect(events.map((e) => e.event)).toEqual([
      'step',
      'step',
      'step',
      'run-status',
      'sweep-progress',
      'resource',
      'trial',
      'trial',
    ]);
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(events[0]?.data).toMatchObject({ run_id: runId, step: 1, train_loss: 0.5, valid_loss: null });
    expect(events[3]?.data).toEqual({
      run_id: runId,
      sweep_id: sweepId,
      status: 'running',
      previous: 'queued',
      error_message: null,
    });
    expect(events[4]?.data).toMatchObject({ sweep_id: sweepId, runs_queued: 0, runs_running: 1 });
    expect(events[5]?.data).toMatchObject({ run_id: runId, cpu_process: 50, rss_bytes: 1024 });
    expect(events[7]?.data).toMatchObject({ number: 0, state: 'COMPLETE', value: 1.5 });
    // The heartbeat-only trial update made no event, and the other run's step was filtered out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events).toHaveLength(8);
  });

  test('a reconnect with Last-Event-ID replays what was missed, then streams live', async () => {
    const first = await open(`?run_id=${runId}`);
    await insertSteps([10]);
    const [seen] = await first.waitFor(1);
    first.close();
    await insertSteps([11, 12]);
    await db.query(`UPDATE nf_model_runs SET status = 'finished', end_time = now() WHERE id = $1`, [runId]);
    const again = await open(`?run_id=${runId}`, { 'last-event-id': String(seen?.id) });
    await insertSteps([13]);
    const events = await again.waitFor(4);
    expect(events.map((e) => (e.event === 'step' ? e.data.step : e.data.status))).toEqual([
      11,
      12,
      'finished',
      13,
    ]);
    expect(events.every((e) => e.id > (seen?.id ?? 0))).toBe(true);
    const byQuery = await open(`?run_id=${runId}&after=${seen?.id}`);
    expect((await byQuery.waitFor(4)).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  test('many inserted runs of a sweep make one sweep-progress event, not one per run', async () => {
    const stream = await open(`?sweep_id=${sweepId}`);
    await db.query(
      `INSERT INTO nf_model_runs (model_name, sweep_id) SELECT 'mlp', $1 FROM generate_series(1, 50)`,
      [sweepId],
    );
    const [event] = await stream.waitFor(1);
    expect(event).toMatchObject({ event: 'sweep-progress', data: { runs_queued: 50 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events).toHaveLength(1);
  });

  test.runIf(kind === 'postgres')(
    'an event committed late is still delivered, in id order, before the ones after it',
    async () => {
      const stream = await open(`?run_id=${runId}`);
      const slow = new pg.Client({ connectionString: db.url });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        await slow.query(`INSERT INTO nf_step_metrics (run_id, step) VALUES ($1, 100)`, [runId]);
        await insertSteps([101]);
        await new Promise((resolve) => setTimeout(resolve, 400));
        // 101 committed first, but 100 holds a smaller id in an open transaction: nothing yet.
        expect(stream.events).toHaveLength(0);
        await slow.query('COMMIT');
        const events = await stream.waitFor(2);
        expect(events.map((e) => e.data.step)).toEqual([100, 101]);
        // A rolled-back id leaves a gap the stream passes once its transaction has ended.
        await slow.query('BEGIN');
        await slow.query(`INSERT INTO nf_step_metrics (run_id, step) VALUES ($1, 200)`, [runId]);
        await slow.query('ROLLBACK');
        await insertSteps([201]);
        expect((await stream.waitFor(3))[2]?.data.step).toBe(201);
      } finally {
        await slow.end();
      }
    },
  );

  // With polling off, only NOTIFY can deliver the event; its delay is measured by `npm run bench -- server`.
  test.runIf(kind === 'postgres')('NOTIFY delivers a step to the client with polling off', async () => {
    const slowPoll = await buildServer({ db, databaseUrl: db.url, eventPollMs: 60_000 });
    const url = await slowPoll.listen({ port: 0, host: '127.0.0.1' });
    try {
      const stream = await openSse(`${url}/api/events?run_id=${runId}`, { cookie });
      streams.push(stream);
      const started = performance.now();
      await insertSteps([300]);
      const [event] = await stream.waitFor(1, 10_000);
      expect(event?.event).toBe('step');
      console.log(
        `postgres: step insert → SSE client in ${(performance.now() - started).toFixed(1)} ms (NOTIFY, poll off)`,
      );
    } finally {
      await slowPoll.close();
    }
  });

  test('old events are deleted by the retention sweep', async () => {
    await db.query(
      `UPDATE nf_events SET at = now() - interval '10 days' WHERE id = (SELECT min(id) FROM nf_events)`,
    );
    expect(await deleteOldEvents(db, 7)).toBe(1);
  });
});
