/** How an attempt ends: an outcome (with retry and backoff), or a requeue that does not count it. */
import type { Queryable } from '@nflab/store';
import { refreshSweepStatuses } from './sweep-status.js';
import type { RunOutcome } from './types.js';

/** Identifies one attempt: the run, the worker that claimed it and which attempt it is. */
export interface AttemptKey {
  readonly runId: string;
  readonly workerId: string;
  readonly attempt: number;
}

/** A run's status after its attempt ended. */
export type EndedStatus = 'queued' | 'finished' | 'failed' | 'cancelled';

// The WHERE clause is the ownership check: a run reaped, cancelled or taken by another worker
// since this attempt began matches no row, so a stale worker can never overwrite it.
const OWNED = `id = $1 AND status = 'running' AND worker_id = $2 AND attempt = $3`;

// A failure retries while attempts remain, unless a user asked to cancel the run.
const RETRIES = `($4 = 'failed' AND attempt < max_attempts AND cancel_requested_at IS NULL)`;

const finishSql = `
UPDATE nf_model_runs SET
  status = CASE WHEN ${RETRIES} THEN 'queued' ELSE $4 END,
  not_before = CASE WHEN ${RETRIES}
                    THEN clock_timestamp() + make_interval(secs => retry_delay_seconds * power(2, attempt - 1))
               END,
  end_time = clock_timestamp(),
  duration_seconds = GREATEST(EXTRACT(EPOCH FROM clock_timestamp() - start_time)::double precision, 0),
  error_message = $5, traceback = $6
WHERE ${OWNED}
RETURNING status, sweep_id`;

const outcomeTexts = (outcome: RunOutcome): [string | null, string | null] => {
  switch (outcome.status) {
    case 'finished':
      return [null, null];
    case 'failed':
      return [outcome.error.message, outcome.error.stack];
    case 'cancelled':
      return [`cancelled: ${outcome.reason}`, null];
  }
};

/**
 * Records the attempt's outcome inside `tx` when the attempt still owns the run, and refreshes
 * its sweep's status; undefined when it no longer owns it.
 */
export const finishAttempt = async (
  tx: Queryable,
  key: AttemptKey,
  outcome: RunOutcome,
): Promise<EndedStatus | undefined> => {
  const [message, traceback] = outcomeTexts(outcome);
  const { rows } = await tx.query<{ status: EndedStatus; sweep_id: string | null }>(finishSql, [
    key.runId,
    key.workerId,
    key.attempt,
    outcome.status,
    message,
    traceback,
  ]);
  const row = rows[0];
  if (row === undefined) return undefined;
  await refreshSweepStatuses(tx, [row.sweep_id]);
  return row.status;
};

// A requeue hands the run back untouched (attempt not counted); a cancel asked meanwhile wins.
const requeueSql = (where: string): string => `
UPDATE nf_model_runs SET
  status = CASE WHEN cancel_requested_at IS NULL THEN 'queued' ELSE 'cancelled' END,
  attempt = CASE WHEN cancel_requested_at IS NULL THEN attempt - 1 ELSE attempt END,
  end_time = CASE WHEN cancel_requested_at IS NULL THEN NULL ELSE clock_timestamp() END,
  error_message = CASE WHEN cancel_requested_at IS NULL THEN error_message
                       ELSE 'cancelled: requested while its worker stopped' END,
  heartbeat_at = NULL
WHERE ${where}
RETURNING id, status, sweep_id`;

/**
 * Puts an attempt's run back in the queue inside `tx` ('cancelled' instead when a cancel was asked
 * meanwhile); undefined when the attempt no longer owns it.
 */
export const requeueAttempt = async (
  tx: Queryable,
  key: AttemptKey,
): Promise<'queued' | 'cancelled' | undefined> => {
  const { rows } = await tx.query<{ status: 'queued' | 'cancelled'; sweep_id: string | null }>(
    requeueSql(OWNED),
    [key.runId, key.workerId, key.attempt],
  );
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return rows[0]?.status;
};

/**
 * Requeues runs marked running by `workerId` that none of its attempts holds: a claim whose
 * COMMIT went through while its connection died leaves one, and it must not wait to be reaped.
 */
export const requeueOrphans = async (
  tx: Queryable,
  workerId: string,
  heldIds: readonly string[],
): Promise<string[]> => {
  const { rows } = await tx.query<{ id: string; sweep_id: string | null }>(
    requeueSql(`status = 'running' AND worker_id = $1 AND NOT (id = ANY($2::uuid[]))`),
    [workerId, heldIds],
  );
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return rows.map((row) => row.id);
};
