/** Tiny real run specs and an executions table for the queue and worker tests. */
import { parseRunSpec } from '@nflab/contracts';
import type { Db, DbKind, Queryable } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { fingerprintOf } from '../../src/plan/index.js';
import type { EnqueueRun } from '../../src/queue/index.js';

/** A distinct parsed run spec per `seed` (nothing trains in these tests). */
export const tinyRun = (seed: number, extra: Partial<EnqueueRun> = {}): EnqueueRun => {
  const spec = parseRunSpec({
    loto: 'loto6',
    unique_ids: ['N2', 'N1'],
    model: 'auto_nhits',
    h: 2,
    num_samples: 1,
    max_steps: 5,
    random_seed: seed,
  });
  return { spec, fingerprint: fingerprintOf(spec), ...extra };
};

/** `count` distinct runs, seeds 1..count. */
export const tinyRuns = (count: number, extra: Partial<EnqueueRun> = {}): EnqueueRun[] =>
  Array.from({ length: count }, (_, i) => tinyRun(i + 1, extra));

/** A table outside the lab schema where test executions record themselves (one row per committed attempt). */
export const createExecutionsTable = (db: Queryable): Promise<void> =>
  db.exec('CREATE TABLE IF NOT EXISTS test_executions (run_id uuid NOT NULL, attempt integer NOT NULL)');

/** Committed executions per run id. */
export const executionCounts = async (db: Queryable): Promise<Map<string, number>> => {
  const { rows } = await db.query<{ run_id: string; n: number }>(
    'SELECT run_id, count(*)::integer AS n FROM test_executions GROUP BY run_id',
  );
  return new Map(rows.map((row) => [row.run_id, row.n]));
};

/** Status, attempt and error of one run. */
export const runRow = async (
  db: Queryable,
  id: string,
): Promise<{
  status: string;
  attempt: number;
  error_message: string | null;
  traceback: string | null;
  not_before: Date | null;
  end_time: Date | null;
  worker_id: string | null;
}> => {
  const { rows } = await db.query<{
    status: string;
    attempt: number;
    error_message: string | null;
    traceback: string | null;
    not_before: Date | null;
    end_time: Date | null;
    worker_id: string | null;
  }>(
    'SELECT status, attempt, error_message, traceback, not_before, end_time, worker_id FROM nf_model_runs WHERE id = $1',
    [id],
  );
  if (rows[0] === undefined) throw new Error(`no run ${id}`);
  return rows[0];
};

/** Statuses of all runs, by id. */
export const statuses = async (db: Queryable): Promise<Map<string, string>> => {
  const { rows } = await db.query<{ id: string; status: string }>('SELECT id, status FROM nf_model_runs');
  return new Map(rows.map((row) => [row.id, row.status]));
};

/** Waits until `check` holds, polling every 20 ms; fails after `timeoutMs`. */
export const waitFor = async (check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Makes every running run's heartbeat look `seconds` old (instead of sleeping through staleAfterMs). */
export const ageHeartbeats = (db: Db, seconds: number): Promise<unknown> =>
  db.query(
    `UPDATE nf_model_runs SET heartbeat_at = heartbeat_at - make_interval(secs => $1) WHERE status = 'running'`,
    [seconds],
  );

/** A migrated throwaway database for the queue tests. */
export const openQueueTestDb = (kind: DbKind): Promise<TestDb> => openTestDb(kind, { migrate: true });

/** Empties the runs, sweeps and everything they own: a clean queue per test. */
export const resetQueueTables = (db: Queryable): Promise<void> =>
  db.exec('TRUNCATE nf_sweeps, nf_model_runs RESTART IDENTITY CASCADE');
