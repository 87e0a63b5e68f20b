import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ConflictError, NotFoundError } from '@nflab/contracts';
import { INSERT_BATCH_ROWS } from '@nflab/store';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { RunQueue } from '../../src/queue/index.js';
import { ageHeartbeats, openQueueTestDb, resetQueueTables, runRow, tinyRun, tinyRuns } from './helpers.js';

const kinds = await testDbKinds();

describe.each(kinds)('RunQueue on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openQueueTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await resetQueueTables(db);
  });

  test('enqueue fills the seed columns from the spec; claim takes higher priority first, then enqueue order', async () => {
    const queue = new RunQueue(db, { workerId: 'w1' });
    const [low1, high, low2] = await queue.enqueue([tinyRun(1), tinyRun(2, { priority: 5 }), tinyRun(3)]);
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT table_name, loto, unique_ids, model_name, backend, horizon, loss, metric, optimization_config,
              seed, spec_fingerprint, operation, operation_options, status, max_attempts FROM nf_model_runs WHERE id = $1`,
      [high],
    );
    expect(rows[0]).toMatchObject({
      table_name: 'nf_loto_final',
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model_name: 'auto_nhits',
      backend: 'optuna',
      horizon: 2,
      loss: 'mae',
      metric: 'mae',
      seed: 2,
      spec_fingerprint: tinyRun(2).fingerprint,
      operation: 'train',
      operation_options: {},
      status: 'queued',
      max_attempts: 1,
    });
    expect(rows[0]?.optimization_config).toMatchObject({
      search_alg: 'tpe',
      pruner: 'none',
      num_samples: 1,
      max_steps: 5,
    });

    const order: (string | undefined)[] = [];
    for (let i = 0; i < 4; i += 1) order.push((await queue.claim())?.id);
    expect(order).toEqual([high, low1, low2, undefined]);
    const claimed = await runRow(db, high as string);
    expect(claimed).toMatchObject({ status: 'running', attempt: 1, worker_id: 'w1' });
  });

  test('a claimed run carries its spec, operation and attempt; operations keep their options', async () => {
    const queue = new RunQueue(db);
    const [parent] = await queue.enqueue([tinyRun(1)]);
    await queue.enqueue([
      tinyRun(1, {
        parentRunId: parent,
        operation: { kind: 'cv', n_windows: 2, step_size: 1, refit: false },
      }),
    ]);
    await queue.claim();
    const run = await queue.claim();
    expect(run).toMatchObject({
      parentRunId: parent,
      operation: { kind: 'cv', n_windows: 2, step_size: 1, refit: false },
      attempt: 1,
      maxAttempts: 1,
      sweepId: null,
      workerId: queue.workerId,
    });
    expect(run?.spec.random_seed).toBe(1);
    expect(run?.startTime).toBeInstanceOf(Date);
  });

  test('bad queue settings and unknown ids are errors naming the field', async () => {
    const queue = new RunQueue(db);
    await expect(queue.enqueue([tinyRun(1, { maxAttempts: 0 })])).rejects.toThrow(
      /maxAttempts must be an integer >= 1/,
    );
    await expect(queue.enqueue([tinyRun(1, { retryDelaySeconds: -1 })])).rejects.toThrow(/retryDelaySeconds/);
    await expect(
      queue.enqueue([tinyRun(1)], { sweepId: '00000000-0000-0000-0000-000000000000' }),
    ).rejects.toThrow(NotFoundError);
    await expect(queue.cancelRun('nope')).rejects.toThrow(NotFoundError);
    await expect(queue.cancelRun('00000000-0000-0000-0000-000000000000')).rejects.toThrow(NotFoundError);
    await expect(queue.sweepProgress('00000000-0000-0000-0000-000000000000')).rejects.toThrow(NotFoundError);
  });

  test('createSweep writes the sweep and its runs; a fingerprint twice is a ConflictError; addMissingRuns adds only new ones', async () => {
    const queue = new RunQueue(db);
    const spec = { grid: { model: ['auto_nhits'] } };
    const { sweepId, runIds } = await queue.createSweep({ name: 's', spec, mode: 'grid', runs: tinyRuns(3) });
    expect(runIds).toHaveLength(3);
    expect(await queue.sweepProgress(sweepId)).toMatchObject({
      status: 'queued',
      plannedRuns: 3,
      queued: 3,
      total: 3,
      done: 0,
    });
    const { rows } = await db.query<{ spec: unknown; mode: string }>(
      'SELECT spec, mode FROM nf_sweeps WHERE id = $1',
      [sweepId],
    );
    expect(rows[0]).toEqual({ spec, mode: 'grid' });

    await expect(queue.enqueue([tinyRun(2)], { sweepId })).rejects.toThrow(ConflictError);
    await expect(queue.createSweep({ spec, mode: 'grid', runs: [tinyRun(1), tinyRun(1)] })).rejects.toThrow(
      ConflictError,
    );

    const added = await queue.addMissingRuns(sweepId, tinyRuns(5));
    expect(added).toHaveLength(2);
    expect(await queue.addMissingRuns(sweepId, tinyRuns(5))).toEqual([]);
    expect((await queue.sweepProgress(sweepId)).queued).toBe(5);
    // Outside a sweep a spec may be queued again on purpose.
    expect(await queue.enqueue([tinyRun(1), tinyRun(1)])).toHaveLength(2);
  });

  test('a sweep larger than one insert batch keeps the plan order and every id', async () => {
    const queue = new RunQueue(db);
    const count = INSERT_BATCH_ROWS * 2 + 1;
    const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(count) });
    const { rows } = await db.query<{ id: string }>('SELECT id FROM nf_model_runs ORDER BY queue_order');
    expect(rows.map((row) => row.id)).toEqual(runIds);
    expect(await queue.sweepProgress(sweepId)).toMatchObject({ plannedRuns: count, queued: count });
  });

  test('sweep status follows its runs: running at the first claim, finished/failed/cancelled when nothing is left', async () => {
    const queue = new RunQueue(db);
    const { sweepId } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(3) });
    const a = (await queue.claim({ sweepId }))!;
    expect((await queue.sweepProgress(sweepId)).status).toBe('running');
    expect(await db.transaction((tx) => queue.finish(tx, a.id, { status: 'finished' }))).toBe(true);
    const b = (await queue.claim({ sweepId }))!;
    const error = { message: 'boom', stack: 'Error: boom\n    at test' };
    await db.transaction((tx) => queue.finish(tx, b.id, { status: 'failed', error }));
    expect((await queue.sweepProgress(sweepId)).status).toBe('running');
    await queue.cancelSweep(sweepId);
    const progress = await queue.sweepProgress(sweepId);
    expect(progress).toMatchObject({ status: 'failed', finished: 1, failed: 1, cancelled: 1, done: 3 });
    expect(progress.endTime).toBeInstanceOf(Date);
    expect(await runRow(db, b.id)).toMatchObject({ error_message: 'boom', traceback: error.stack });

    const { sweepId: clean } = await queue.createSweep({ spec: {}, mode: 'grid', runs: [tinyRun(9)] });
    const c = (await queue.claim({ sweepId: clean }))!;
    await db.transaction((tx) => queue.finish(tx, c.id, { status: 'finished' }));
    expect((await queue.sweepProgress(clean)).status).toBe('finished');
    const { sweepId: empty } = await queue.createSweep({ spec: {}, mode: 'grid', runs: [] });
    expect((await queue.sweepProgress(empty)).status).toBe('finished');
  });

  test('claim of one sweep ignores other runs', async () => {
    const queue = new RunQueue(db);
    await queue.enqueue([tinyRun(1, { priority: 9 })]);
    const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: [tinyRun(2)] });
    expect((await queue.claim({ sweepId }))?.id).toBe(runIds[0]);
    expect(await queue.claim({ sweepId })).toBeUndefined();
  });

  test("a failure retries with exponential backoff, clears the earlier attempt's rows, and is final after maxAttempts", async () => {
    const queue = new RunQueue(db);
    const [id] = (await queue.enqueue([tinyRun(1, { maxAttempts: 3, retryDelaySeconds: 0.2 })])) as [string];
    const fail = (message: string) => ({
      status: 'failed' as const,
      error: { message, stack: `Error: ${message}` },
    });

    const first = (await queue.claim())!;
    await db.query('INSERT INTO nf_step_metrics (run_id, step, train_loss) VALUES ($1, 1, 0.5)', [id]);
    await db.query(
      `INSERT INTO nf_model_interpretation (run_id, model, windows, weights) VALUES ($1, 'tft', 1, '{}')`,
      [id],
    );
    expect(await db.transaction((tx) => queue.finish(tx, id, fail('first')))).toBe(true);
    let row = await runRow(db, id);
    expect(row).toMatchObject({ status: 'queued', attempt: 1, error_message: 'first' });
    const delay1 = row.not_before!.getTime() - row.end_time!.getTime();
    expect(delay1).toBeGreaterThanOrEqual(190);
    expect(delay1).toBeLessThan(260);
    expect(await queue.claim()).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 260));
    const second = (await queue.claim())!;
    expect(second.attempt).toBe(first.attempt + 1);
    const { rows: steps } = await db.query('SELECT 1 FROM nf_step_metrics WHERE run_id = $1', [id]);
    expect(steps).toHaveLength(0);
    const { rows: weighed } = await db.query('SELECT 1 FROM nf_model_interpretation WHERE run_id = $1', [id]);
    expect(weighed).toHaveLength(0);
    await db.transaction((tx) => queue.finish(tx, id, fail('second')));
    row = await runRow(db, id);
    const delay2 = row.not_before!.getTime() - row.end_time!.getTime();
    expect(delay2).toBeGreaterThanOrEqual(390);
    expect(delay2).toBeLessThan(460);

    await new Promise((resolve) => setTimeout(resolve, 460));
    expect((await queue.claim())?.attempt).toBe(3);
    await db.transaction((tx) => queue.finish(tx, id, fail('third')));
    expect(await runRow(db, id)).toMatchObject({
      status: 'failed',
      attempt: 3,
      error_message: 'third',
      not_before: null,
    });
  });

  test('reapLost fails a run whose heartbeat stopped for staleAfterMs; its worker can then neither beat nor finish it', async () => {
    const queue = new RunQueue(db, { workerId: 'dead-worker', staleAfterMs: 1_000 });
    const [id] = (await queue.enqueue([tinyRun(1)])) as [string];
    await queue.claim();
    expect(await queue.heartbeat(id)).toBe('owned');
    expect(await queue.reapLost()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_150));
    expect(await queue.reapLost()).toEqual([id]);
    const row = await runRow(db, id);
    expect(row.status).toBe('failed');
    expect(row.error_message).toMatch(/^worker lost: dead-worker sent no heartbeat for \d+ s$/);
    expect(await queue.heartbeat(id)).toBe('lost');
    expect(await db.transaction((tx) => queue.finish(tx, id, { status: 'finished' }))).toBe(false);
    expect((await runRow(db, id)).status).toBe('failed');
  });

  test('a lost run with attempts left is requeued and another worker takes it; the old worker no longer owns it', async () => {
    const old = new RunQueue(db, { workerId: 'old' });
    const fresh = new RunQueue(db, { workerId: 'fresh' });
    const [id] = (await old.enqueue([tinyRun(1, { maxAttempts: 2 })])) as [string];
    await old.claim();
    await ageHeartbeats(db, 60);
    expect(await fresh.reapLost()).toEqual([id]);
    expect((await runRow(db, id)).status).toBe('queued');
    expect(await old.claim()).toBeUndefined(); // its zombie attempt still holds it: never twice in one worker
    const taken = (await fresh.claim())!;
    expect(taken).toMatchObject({ id, attempt: 2, workerId: 'fresh' });
    expect(await old.heartbeat(id)).toBe('lost');
    expect(await db.transaction((tx) => old.finish(tx, id, { status: 'finished' }))).toBe(false);
    expect(await db.transaction((tx) => fresh.finish(tx, id, { status: 'finished' }))).toBe(true);
  });

  test('cancel: a queued run ends at once, a running one is flagged for its heartbeat', async () => {
    const queue = new RunQueue(db);
    const [queued, running] = (await queue.enqueue([tinyRun(1), tinyRun(2, { priority: 1 })])) as [
      string,
      string,
    ];
    await queue.claim();
    expect(await queue.cancelRun(queued)).toEqual({ cancelled: 1, requested: 0 });
    expect(await runRow(db, queued)).toMatchObject({
      status: 'cancelled',
      error_message: 'cancelled: before it started',
    });
    expect(await queue.cancelRun(running)).toEqual({ cancelled: 0, requested: 1 });
    expect((await runRow(db, running)).status).toBe('running');
    expect(await queue.heartbeat(running)).toBe('cancel-requested');
    await db.transaction((tx) =>
      queue.finish(tx, running, { status: 'cancelled', reason: 'stopped on request' }),
    );
    expect(await runRow(db, running)).toMatchObject({
      status: 'cancelled',
      error_message: 'cancelled: stopped on request',
    });
    expect(await queue.cancelRun(running)).toEqual({ cancelled: 0, requested: 0 });
  });

  test('a cancel requested while running stops retries', async () => {
    const queue = new RunQueue(db);
    const [id] = (await queue.enqueue([tinyRun(1, { maxAttempts: 3 })])) as [string];
    await queue.claim();
    await queue.cancelRun(id);
    await db.transaction((tx) =>
      queue.finish(tx, id, { status: 'failed', error: { message: 'aborted', stack: 'Error: aborted' } }),
    );
    expect((await runRow(db, id)).status).toBe('failed');
  });

  test('a worker restarted under its fixed id takes back the run it left running, uncounted', async () => {
    const before = new RunQueue(db, { workerId: 'box-1' });
    const [id] = (await before.enqueue([tinyRun(1)])) as [string];
    await before.claim(); // then the process dies
    const after = new RunQueue(db, { workerId: 'box-1' });
    expect(await after.claim()).toMatchObject({ id, attempt: 1, workerId: 'box-1' });
    expect(await after.claim()).toBeUndefined();
  });

  test('finish inside a transaction that rolls back leaves the run owned, so finishing again works', async () => {
    const queue = new RunQueue(db);
    const [id] = (await queue.enqueue([tinyRun(1)])) as [string];
    await queue.claim();
    const rolledBack = db.transaction(async (tx) => {
      expect(await queue.finish(tx, id, { status: 'finished' })).toBe(true);
      throw new Error('writing the results failed');
    });
    await expect(rolledBack).rejects.toThrow('writing the results failed');
    expect(await queue.claim()).toBeUndefined();
    expect(await queue.heartbeat(id)).toBe('owned');
    expect(await db.transaction((tx) => queue.finish(tx, id, { status: 'finished' }))).toBe(true);
    expect((await runRow(db, id)).status).toBe('finished');
    // Once it ended it is forgotten: finishing it again is refused.
    expect(await queue.claim()).toBeUndefined();
    expect(await db.transaction((tx) => queue.finish(tx, id, { status: 'finished' }))).toBe(false);
  });

  test('requeue hands a run back without counting the attempt', async () => {
    const queue = new RunQueue(db);
    const [id] = (await queue.enqueue([tinyRun(1)])) as [string];
    await queue.claim();
    await queue.requeue(id);
    expect(await runRow(db, id)).toMatchObject({ status: 'queued', attempt: 0 });
    expect((await queue.claim())?.attempt).toBe(1);
  });

  test('resumeSweep requeues runs lost with their worker (and with retryFailed every failed one), never finished ones', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 1_000 });
    const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(4) });
    const [done, lost, failed, cancelled] = runIds as [string, string, string, string];
    await queue.claim();
    await db.transaction((tx) => queue.finish(tx, done, { status: 'finished' }));
    await queue.claim();
    await queue.claim();
    await db.transaction((tx) =>
      queue.finish(tx, failed, {
        status: 'failed',
        error: { message: 'bad config', stack: 'Error: bad config' },
      }),
    );
    await queue.cancelRun(cancelled);
    await ageHeartbeats(db, 5); // the worker of `lost` died
    expect((await queue.sweepProgress(sweepId)).status).toBe('running');

    expect(await queue.resumeSweep(sweepId)).toEqual({ requeued: 1 });
    expect(await runRow(db, lost)).toMatchObject({ status: 'queued', attempt: 0 });
    expect((await queue.sweepProgress(sweepId)).status).toBe('running');
    // The first worker "died" holding `lost`; a new one takes the requeued run.
    const survivor = new RunQueue(db);
    const again = (await survivor.claim({ sweepId }))!;
    expect(again.id).toBe(lost);
    await db.transaction((tx) => survivor.finish(tx, lost, { status: 'finished' }));
    expect((await queue.sweepProgress(sweepId)).status).toBe('failed');

    expect(await queue.resumeSweep(sweepId, { retryFailed: true })).toEqual({ requeued: 1 });
    expect((await survivor.claim({ sweepId }))?.id).toBe(failed);
    expect(await survivor.claim({ sweepId })).toBeUndefined();
    expect(await runRow(db, done)).toMatchObject({ status: 'finished', attempt: 1 });
    expect((await runRow(db, cancelled)).status).toBe('cancelled');
  });
});

describe.skipIf(!kinds.includes('postgres'))(
  'RunQueue on one server database from several connections',
  () => {
    test('concurrent claims from queues on 2 connection pools never take a run twice; concurrent finishes end the sweep', async () => {
      const db = await openQueueTestDb('postgres');
      const { openPostgres } = await import('@nflab/store');
      const other = await openPostgres({ url: db.url as string });
      try {
        const { sweepId, runIds } = await new RunQueue(db).createSweep({
          spec: {},
          mode: 'grid',
          runs: tinyRuns(20),
        });
        const workers = [db, other].flatMap((handle) =>
          Array.from({ length: 5 }, () => ({ handle, queue: new RunQueue(handle), taken: [] as string[] })),
        );
        const claimOnce = async (worker: (typeof workers)[number]): Promise<void> => {
          const run = await worker.queue.claim();
          if (run) worker.taken.push(run.id);
        };
        const drain = async (worker: (typeof workers)[number]): Promise<void> => {
          for (let run = await worker.queue.claim(); run; run = await worker.queue.claim())
            worker.taken.push(run.id);
        };
        // 20 claims race at once (2 per queue), then every queue drains what is left.
        await Promise.all(workers.flatMap((worker) => [claimOnce(worker), claimOnce(worker)]));
        await Promise.all(workers.map(drain));
        const claimed = workers.flatMap((worker) => worker.taken);
        expect(claimed.sort()).toEqual([...runIds].sort());
        const { rows } = await db.query<{ attempt: number; n: number }>(
          `SELECT attempt, count(*)::integer AS n FROM nf_model_runs GROUP BY attempt`,
        );
        expect(rows).toEqual([{ attempt: 1, n: 20 }]);

        // All finish at once from both pools: whichever commits last still sees the others' counts.
        const finishes = workers.flatMap(({ handle, queue, taken }) =>
          taken.map((id) => handle.transaction((tx) => queue.finish(tx, id, { status: 'finished' }))),
        );
        expect(await Promise.all(finishes)).toEqual(Array(20).fill(true));
        expect(await workers[0]?.queue.sweepProgress(sweepId)).toMatchObject({
          status: 'finished',
          finished: 20,
        });
      } finally {
        await other.close();
        await db.close();
      }
    });
  },
);
