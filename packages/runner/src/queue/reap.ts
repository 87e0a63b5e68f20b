/** Finding runs whose worker died: their heartbeat stopped, by the database's clock. */
import type { Queryable } from '@nflab/store';
import { refreshSweepStatuses } from './sweep-status.js';

// SKIP LOCKED: a run whose heartbeat or finish is being written right now is alive, not lost,
// and two reapers never wait on each other. A lost run retries while attempts remain.
const reapSql = `
WITH lost AS (
  SELECT id FROM nf_model_runs
   WHERE status = 'running' AND heartbeat_at < clock_timestamp() - make_interval(secs => $1)
   ORDER BY id
   FOR UPDATE SKIP LOCKED)
UPDATE nf_model_runs AS r SET
  status = CASE WHEN r.cancel_requested_at IS NOT NULL THEN 'cancelled'
                WHEN r.attempt < r.max_attempts THEN 'queued'
                ELSE 'failed' END,
  not_before = CASE WHEN r.cancel_requested_at IS NULL AND r.attempt < r.max_attempts
                    THEN clock_timestamp() + make_interval(secs => r.retry_delay_seconds * power(2, r.attempt - 1))
               END,
  end_time = clock_timestamp(),
  duration_seconds = GREATEST(EXTRACT(EPOCH FROM clock_timestamp() - r.start_time)::double precision, 0),
  error_message = 'worker lost: ' || COALESCE(r.worker_id, 'unknown') || ' sent no heartbeat for '
                  || floor(EXTRACT(EPOCH FROM clock_timestamp() - r.heartbeat_at))::bigint || ' s',
  traceback = NULL
FROM lost WHERE r.id = lost.id
RETURNING r.id, r.sweep_id`;

/** The error_message prefix of a run whose worker was lost (resume requeues those). */
export const WORKER_LOST_PREFIX = 'worker lost: ';

/** Marks runs with a heartbeat older than `staleAfterMs` as lost, inside `tx`; returns their ids. */
export const reapLostRuns = async (tx: Queryable, staleAfterMs: number): Promise<string[]> => {
  const { rows } = await tx.query<{ id: string; sweep_id: string | null }>(reapSql, [staleAfterMs / 1000]);
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return rows.map((row) => row.id);
};
