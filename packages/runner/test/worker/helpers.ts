/** Small real execute functions for the worker tests: record an execution and finish, wait, or throw. */
import type { Db } from '@nflab/store';
import type { ExecuteRun } from '../../src/worker/index.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits `delayMs`, then in one transaction (held open `holdMs`) records the execution and finishes the run — the shape
 * every real execute has: results and status commit together, or neither does.
 */
export const recordAndFinish =
  (db: Db, delayMs = 0, { holdMs = 0 }: { holdMs?: number } = {}): ExecuteRun =>
  async (run, { queue }) => {
    await pause(delayMs);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO test_executions (run_id, attempt) VALUES ($1, $2)', [run.id, run.attempt]);
      // Keeps the transaction open a while, as writing a run's results does.
      await pause(holdMs);
      // Not ours any more (reaped, cancelled): roll the results back with the status.
      if (!(await queue.finish(tx, run.id, { status: 'finished' })))
        throw new Error(`run ${run.id} is no longer ours`);
    });
  };

/** Never finishes by itself: resolves... never; rejects with the abort reason when the loop aborts it. */
export const waitForAbort: ExecuteRun = (_run, { signal }) =>
  new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
