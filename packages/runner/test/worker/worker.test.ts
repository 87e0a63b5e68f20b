import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { openPostgres } from '@nflab/store';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { RunQueue } from '../../src/queue/index.js';
import { RunAbortedError, runWorkerLoop, type ExecuteRun, type WorkerEvent } from '../../src/worker/index.js';
import {
  createExecutionsTable,
  executionCounts,
  openQueueTestDb,
  resetQueueTables,
  runRow,
  tinyRun,
  tinyRuns,
  waitFor,
} from '../queue/helpers.js';
import { recordAndFinish, waitForAbort } from './helpers.js';

const kinds = await testDbKinds();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fast = { pollMs: 30, heartbeatMs: 100 } as const;

const expectEachOnce = async (db: TestDb, runIds: readonly string[]): Promise<void> => {
  const counts = await executionCounts(db);
  expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(runIds.map((id) => [id, 1])));
};

describe.each(kinds)('runWorkerLoop on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openQueueTestDb(kind);
    await createExecutionsTable(db);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await resetQueueTables(db);
    await db.exec('TRUNCATE test_executions');
  });

  test('runs a sweep to the end with 2 slots at once, every run exactly once, then exits when idle', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(6) });
    let active = 0;
    let mostActive = 0;
    const record = recordAndFinish(db);
    const execute: ExecuteRun = async (run, ctx) => {
      active += 1;
      mostActive = Math.max(mostActive, active);
      await pause(80);
      await record(run, ctx);
      active -= 1;
    };
    const events: WorkerEvent[] = [];
    const result = await runWorkerLoop({
      queue,
      execute,
      concurrency: 2,
      exitWhenIdle: true,
      sweepId,
      ...fast,
      onEvent: (event) => events.push(event),
    });
    expect(result).toEqual({ executed: 6 });
    expect(mostActive).toBe(2);
    await expectEachOnce(db, runIds);
    expect(events.filter((event) => event.type === 'claimed')).toHaveLength(6);
    expect(
      events.filter((event) => event.type === 'done').map((event) => event.type === 'done' && event.status),
    ).toEqual(Array(6).fill('finished'));
    expect(await queue.sweepProgress(sweepId)).toMatchObject({ status: 'finished', finished: 6, done: 6 });
  });

  test('a throwing execute is recorded as failed with its stack; one that returns without finishing is failed too', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const [throws, forgets] = (await queue.enqueue([tinyRun(1, { priority: 1 }), tinyRun(2)])) as [
      string,
      string,
    ];
    const execute: ExecuteRun = async function trainTinyModel(run) {
      if (run.id === throws) throw new Error('loss diverged at step 3');
    };
    await runWorkerLoop({ queue, execute, exitWhenIdle: true, ...fast });
    const failed = await runRow(db, throws);
    expect(failed).toMatchObject({ status: 'failed', error_message: 'loss diverged at step 3' });
    expect(failed.traceback).toContain('trainTinyModel');
    const unfinished = await runRow(db, forgets);
    expect(unfinished.status).toBe('failed');
    expect(unfinished.error_message).toMatch(/^execute returned without finishing run .*queue\.finish/);
  });

  test('a failed attempt is retried by the loop and the retry finishes', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const [id] = (await queue.enqueue([tinyRun(1, { maxAttempts: 2, retryDelaySeconds: 0.05 })])) as [string];
    const record = recordAndFinish(db);
    const execute: ExecuteRun = async (run, ctx) => {
      if (run.attempt === 1) throw new Error('flaky');
      await record(run, ctx);
    };
    const events: WorkerEvent[] = [];
    await runWorkerLoop({
      queue,
      execute,
      exitWhenIdle: true,
      ...fast,
      onEvent: (event) => events.push(event),
    });
    expect(await runRow(db, id)).toMatchObject({ status: 'finished', attempt: 2, error_message: null });
    expect(events.flatMap((event) => (event.type === 'done' ? [event.status] : []))).toEqual([
      'queued',
      'finished',
    ]);
    const { rows } = await db.query('SELECT attempt FROM test_executions');
    expect(rows).toEqual([{ attempt: 2 }]);
  });

  test('cancelling a running run aborts its execute on the next heartbeat and records it cancelled', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const [id] = (await queue.enqueue([tinyRun(1)])) as [string];
    let reason: unknown;
    const execute: ExecuteRun = async (run, ctx) => {
      try {
        await waitForAbort(run, ctx);
      } finally {
        reason = ctx.signal.reason;
      }
    };
    const loop = runWorkerLoop({ queue, execute, exitWhenIdle: true, ...fast });
    await waitFor(async () => (await runRow(db, id)).status === 'running');
    expect(await queue.cancelRun(id)).toEqual({ cancelled: 0, requested: 1 });
    await loop;
    expect(reason).toBeInstanceOf(RunAbortedError);
    expect((reason as RunAbortedError).abortCause).toBe('cancel-requested');
    expect(await runRow(db, id)).toMatchObject({
      status: 'cancelled',
      error_message: 'cancelled: cancel requested while running',
    });
  });

  test('a graceful stop lets the running run finish and claims nothing more', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const [first] = (await queue.enqueue(tinyRuns(3))) as [string];
    const stop = new AbortController();
    const result = await runWorkerLoop({
      queue,
      execute: recordAndFinish(db, 150),
      ...fast,
      signal: stop.signal,
      onEvent: (event) => event.type === 'claimed' && stop.abort(),
    });
    expect(result).toEqual({ executed: 1 });
    expect((await runRow(db, first)).status).toBe('finished');
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM nf_model_runs WHERE status = 'queued' AND attempt = 0`,
    );
    expect(rows[0]?.n).toBe(2);
  });

  test('a hard stop aborts the running run and requeues it without counting the attempt', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 5_000 });
    const [id] = (await queue.enqueue([tinyRun(1)])) as [string];
    const hard = new AbortController();
    const events: WorkerEvent[] = [];
    await runWorkerLoop({
      queue,
      execute: waitForAbort,
      ...fast,
      abortRunning: hard.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'claimed') setTimeout(() => hard.abort(), 50);
      },
    });
    expect(await runRow(db, id)).toMatchObject({ status: 'queued', attempt: 0 });
    expect(events.at(-1)).toEqual({ type: 'done', runId: id, status: 'queued' });
  });

  test('a live loop reaps the run of a worker that stopped beating and runs it again', async () => {
    const dead = new RunQueue(db, { workerId: 'dead' });
    const [id] = (await dead.enqueue([tinyRun(1, { maxAttempts: 2 })])) as [string];
    await dead.claim(); // and never beats again
    const queue = new RunQueue(db, { staleAfterMs: 1_000 });
    const events: WorkerEvent[] = [];
    await runWorkerLoop({
      queue,
      execute: recordAndFinish(db),
      exitWhenIdle: true,
      ...fast,
      onEvent: (event) => events.push(event),
    });
    expect(events).toContainEqual({ type: 'reaped', runIds: [id] });
    expect(await runRow(db, id)).toMatchObject({ status: 'finished', attempt: 2 });
    await expectEachOnce(db, [id]);
  });

  test('a heartbeat slower than staleAfterMs is refused', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 1_000 });
    await expect(runWorkerLoop({ queue, execute: waitForAbort, heartbeatMs: 1_000 })).rejects.toThrow(
      ConfigError,
    );
    await expect(runWorkerLoop({ queue, execute: waitForAbort, concurrency: 0 })).rejects.toThrow(
      /concurrency/,
    );
  });
});

describe.skipIf(!kinds.includes('postgres'))('worker crash safety on the server', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openQueueTestDb('postgres');
    await createExecutionsTable(db);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await resetQueueTables(db);
    await db.exec('TRUNCATE test_executions');
  });

  test('a worker process killed with SIGKILL mid-run: reap + resume finish every run exactly once', async () => {
    const queue = new RunQueue(db, { staleAfterMs: 1_000 });
    const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(4) });
    const fixture = fileURLToPath(new URL('./fixtures/sleepy-worker.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, db.url as string, 'doomed-worker'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /started (\S+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await runRow(db, started)).toMatchObject({ status: 'running', worker_id: 'doomed-worker' });

    await pause(1_300); // past staleAfterMs: the dead worker's heartbeat is stale
    expect(await queue.resumeSweep(sweepId)).toEqual({ requeued: 1 });
    const requeued = await runRow(db, started);
    expect(requeued.status).toBe('queued');
    expect(requeued.error_message).toMatch(/^worker lost: doomed-worker sent no heartbeat for \d+ s$/);

    await runWorkerLoop({ queue, execute: recordAndFinish(db), sweepId, exitWhenIdle: true, ...fast });
    await expectEachOnce(db, runIds);
    expect(await queue.sweepProgress(sweepId)).toMatchObject({ status: 'finished', finished: 4 });
  });

  test('connections killed mid-sweep (pg_terminate_backend): the loop recovers and every run finishes exactly once', async () => {
    const killer = await openPostgres({ url: db.url as string, maxConnections: 1 });
    try {
      const queue = new RunQueue(db, { staleAfterMs: 10_000 });
      const { sweepId, runIds } = await queue.createSweep({ spec: {}, mode: 'grid', runs: tinyRuns(12) });
      const events: WorkerEvent[] = [];
      const killAll = (): Promise<unknown> =>
        killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
      // The 3rd and 7th executions kill every connection of the lab (their own transaction's included)
      // while their results transaction is open; the others run meanwhile on the second slot.
      let started = 0;
      const execute: ExecuteRun = async (run, { queue: owner }) => {
        started += 1;
        const killHere = started === 3 || started === 7;
        await pause(30);
        await db.transaction(async (tx) => {
          await tx.query('INSERT INTO test_executions (run_id, attempt) VALUES ($1, $2)', [
            run.id,
            run.attempt,
          ]);
          if (killHere) await killAll();
          await pause(20);
          if (!(await owner.finish(tx, run.id, { status: 'finished' }))) throw new Error('no longer ours');
        });
      };
      await runWorkerLoop({
        queue,
        execute,
        concurrency: 2,
        sweepId,
        exitWhenIdle: true,
        ...fast,
        onEvent: (event) => events.push(event),
      });
      expect(started).toBeGreaterThanOrEqual(14); // re-executions of the killed attempts
      // Killed inside their results transaction, two attempts went back to the queue uncounted and ran again.
      const requeued = events.filter((event) => event.type === 'done' && event.status === 'queued');
      expect(requeued.length).toBe(started - 12);
      expect(requeued.length).toBeGreaterThanOrEqual(2);
      await expectEachOnce(db, runIds);
      expect(await queue.sweepProgress(sweepId)).toMatchObject({
        status: 'finished',
        finished: 12,
        done: 12,
      });
    } finally {
      await killer.close();
    }
  });
});
