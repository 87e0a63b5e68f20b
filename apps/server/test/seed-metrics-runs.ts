/**
 * Test fixture for the metrics tests: runs in every state the queue and training metrics read,
 * written as workers leave them, with durations and waits on and between histogram bucket bounds.
 */
import type { Queryable } from '@nflab/store';

/** Ids of what {@link seedMetricsRuns} wrote. */
export interface SeededMetricsRuns {
  /** Every run, running one included. */
  readonly runIds: readonly string[];
  /** The one running run (auto_mlp): its last train loss 3.5, last valid loss 4.5, CPU 25 %, RSS 3000 B. */
  readonly runningId: string;
}

const RUNS = `
INSERT INTO nf_model_runs (model_name, backend, operation, status, attempt, created_at, start_time, end_time,
                           duration_seconds)
VALUES ('auto_nhits', 'optuna', 'train', 'finished', 1, '2026-01-01T10:00:00Z', '2026-01-01T10:00:03Z',
        '2026-01-01T10:00:45Z', 42),
       ('auto_nhits', 'optuna', 'train', 'finished', 2, '2026-01-01T10:00:00Z', '2026-01-01T10:00:00.5Z',
        '2026-01-01T10:01:00.5Z', 60),
       ('auto_nbeats', 'ray', 'train', 'failed', 3, '2026-01-01T10:00:00Z', '2026-01-01T10:01:40Z',
        '2026-01-01T12:01:40Z', 7200),
       ('auto_mlp', 'optuna', 'train', 'running', 1, now() - interval '20 seconds', now() - interval '10 seconds',
        NULL, NULL),
       ('auto_nhits', 'optuna', 'predict', 'queued', 0, now(), NULL, NULL, NULL),
       ('auto_nhits', NULL, 'train', 'cancelled', 0, now(), NULL, NULL, NULL)
RETURNING id, status`;

/**
 * Writes six runs — finished ×2 (42 s and 60 s, waits 3 s and 0.5 s, one retried once), failed
 * (7,200 s, waited 100 s, two retries), running (waited 10 s), queued predict, cancelled before it
 * started — and
 * three trials (RUNNING and COMPLETE of the running run, PRUNED of the first).
 */
export const seedMetricsRuns = async (db: Queryable): Promise<SeededMetricsRuns> => {
  const { rows } = await db.query<{ id: string; status: string }>(RUNS);
  const runIds = rows.map((row) => row.id);
  const runningId = rows.find((row) => row.status === 'running')?.id as string;
  const finishedId = runIds[0] as string;
  const trials = await db.query<{ id: number }>(
    `INSERT INTO nf_trials (run_id, number, state) VALUES ($1, 0, 'COMPLETE'), ($1, 1, 'RUNNING'), ($2, 0, 'PRUNED')
     RETURNING id`,
    [runningId, finishedId],
  );
  const [first, second] = trials.rows.map((row) => row.id);
  // The newest step with a train loss is the final fit's (3.5); the newest with a valid loss is trial 1's (4.5).
  await db.query(
    `INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss, valid_loss)
     VALUES ($1, $2, 1, 5, 5.5), ($1, $3, 2, 4, 4.5), ($1, NULL, 1, 3.5, NULL)`,
    [runningId, first, second],
  );
  await db.query(`INSERT INTO nf_step_metrics (run_id, step, train_loss, valid_loss) VALUES ($1, 1, 9, 9)`, [
    finishedId,
  ]);
  await db.query(
    `INSERT INTO nf_resource_samples (run_id, at, cpu_process, rss_bytes)
     VALUES ($1, now() - interval '2 seconds', 50, 1000), ($1, now(), 25, 3000)`,
    [runningId],
  );
  return { runIds, runningId };
};
