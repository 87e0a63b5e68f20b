/**
 * The run queue's statements over nf_model_runs and nf_sweeps: claim with FOR UPDATE SKIP LOCKED,
 * heartbeats, ownership-checked attempt ends with retry backoff, cancellation, reaping of dead
 * workers, resume, batch inserts and the sweep status its run counts imply. Every multi-statement
 * change takes the caller's transaction; the same SQL runs on PGlite and on a server.
 */
import type { Queryable } from '../db.js';
import type { ModelRunRow, SweepRow } from '../schema/index.js';
import { refreshSweepStatus, refreshSweepStatuses } from './queue-sweep-status.js';

/**
 * Tables where an attempt writes rows of its run. A retried or requeued attempt starts from
 * nothing: rows a crashed or failed earlier attempt left behind would mix with the new ones.
 * nf_studies goes first; its trials and claims follow it by ON DELETE CASCADE.
 */
export const ATTEMPT_OUTPUT_TABLES = [
  'nf_studies',
  'nf_trials',
  'nf_step_metrics',
  'nf_resource_samples',
  'nf_predictions',
  'nf_cv_results',
  'nf_artifacts',
  'nf_model_interpretation',
] as const;

/** The error_message prefix of a run whose worker was lost (resume requeues those). */
export const WORKER_LOST_PREFIX = 'worker lost: ';

/** Identifies one attempt: the run, the worker that claimed it and which attempt it is. */
export interface AttemptKey {
  readonly runId: string;
  readonly workerId: string;
  readonly attempt: number;
}

/** A run's status after its attempt ended. */
export type EndedStatus = 'queued' | 'finished' | 'failed' | 'cancelled';

/** The columns of a run a claim hands to its worker. */
export type ClaimedRunRow = Pick<
  ModelRunRow,
  | 'id'
  | 'spec'
  | 'spec_fingerprint'
  | 'operation'
  | 'operation_options'
  | 'attempt'
  | 'max_attempts'
  | 'sweep_id'
  | 'parent_run_id'
  | 'trace_parent'
> & { readonly start_time: Date };

// SKIP LOCKED: concurrent claimers each lock a different row instead of queueing behind one.
// The database clock decides not_before, so workers with skewed clocks agree.
const claimSql = (bySweep: boolean): string => `
WITH next AS (
  SELECT id, clock_timestamp() AS at FROM nf_model_runs
   WHERE status = 'queued' AND (not_before IS NULL OR not_before <= clock_timestamp())
     AND NOT (id = ANY($2::uuid[])) ${bySweep ? 'AND sweep_id = $3' : ''}
   ORDER BY priority DESC, queue_order
   LIMIT 1
   FOR UPDATE SKIP LOCKED)
UPDATE nf_model_runs AS r SET
  status = 'running', attempt = r.attempt + 1, worker_id = $1,
  start_time = next.at, heartbeat_at = next.at,
  end_time = NULL, duration_seconds = NULL, not_before = NULL,
  metrics = '{}', best_params = NULL, model_properties = NULL, resource_summary = NULL
FROM next WHERE r.id = next.id
RETURNING r.id, r.spec, r.spec_fingerprint, r.operation, r.operation_options, r.attempt, r.max_attempts,
          r.sweep_id, r.parent_run_id, r.trace_parent, r.start_time`;

/** Options of {@link claimNextQueuedRun}. */
export interface ClaimNextOptions {
  readonly workerId: string;
  /** Only this sweep's runs. */
  readonly sweepId?: string;
  /** Runs this worker still holds (a zombie attempt of its own) are not taken again. */
  readonly excludeIds: readonly string[];
}

/**
 * Inside `tx`: locks the next claimable queued run (priority desc, then queue order), marks it
 * running under the worker, clears what earlier attempts wrote and refreshes its sweep's status;
 * undefined when nothing is claimable now.
 */
export const claimNextQueuedRun = async (
  tx: Queryable,
  options: ClaimNextOptions,
): Promise<ClaimedRunRow | undefined> => {
  const params: unknown[] = [options.workerId, options.excludeIds];
  if (options.sweepId !== undefined) params.push(options.sweepId);
  const { rows } = await tx.query<ClaimedRunRow>(claimSql(options.sweepId !== undefined), params);
  const row = rows[0];
  if (row === undefined) return undefined;
  for (const table of ATTEMPT_OUTPUT_TABLES)
    await tx.query(`DELETE FROM ${table} WHERE run_id = $1`, [row.id]);
  if (row.sweep_id !== null) await refreshSweepStatus(tx, row.sweep_id);
  return row;
};

/** Refreshes heartbeat_at if the attempt still owns the run; undefined when it does not. */
export const heartbeatRun = async (
  q: Queryable,
  key: AttemptKey,
): Promise<{ readonly cancel: boolean } | undefined> => {
  const { rows } = await q.query<{ cancel: boolean }>(
    `UPDATE nf_model_runs SET heartbeat_at = clock_timestamp()
        WHERE id = $1 AND status = 'running' AND worker_id = $2 AND attempt = $3
        RETURNING cancel_requested_at IS NOT NULL AS cancel`,
    [key.runId, key.workerId, key.attempt],
  );
  return rows[0];
};

/** Of `runIds`, those still running under `workerId`. */
export const runningRunIds = async (
  q: Queryable,
  runIds: readonly string[],
  workerId: string,
): Promise<string[]> => {
  const { rows } = await q.query<Pick<ModelRunRow, 'id'>>(
    `SELECT id FROM nf_model_runs WHERE id = ANY($1::uuid[]) AND status = 'running' AND worker_id = $2`,
    [runIds, workerId],
  );
  return rows.map((row) => row.id);
};

/** Locks the run (FOR UPDATE, inside `tx`) and reads who holds it; undefined when there is no such run. */
export const lockRunOwnership = async (
  tx: Queryable,
  runId: string,
): Promise<Pick<ModelRunRow, 'status' | 'worker_id' | 'attempt'> | undefined> => {
  const { rows } = await tx.query<Pick<ModelRunRow, 'status' | 'worker_id' | 'attempt'>>(
    'SELECT status, worker_id, attempt FROM nf_model_runs WHERE id = $1 FOR UPDATE',
    [runId],
  );
  return rows[0];
};

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

/** Marks runs with a heartbeat older than `staleAfterMs` (database clock) as lost, inside `tx`; returns their ids. */
export const reapLostRuns = async (tx: Queryable, staleAfterMs: number): Promise<string[]> => {
  const { rows } = await tx.query<Pick<ModelRunRow, 'id' | 'sweep_id'>>(reapSql, [staleAfterMs / 1000]);
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return rows.map((row) => row.id);
};

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

/** How an attempt ended, as the row records it. */
export interface AttemptEnd {
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly errorMessage: string | null;
  readonly traceback: string | null;
}

/**
 * Records the attempt's end inside `tx` when the attempt still owns the run (a failure with
 * attempts left goes back to queued after retry_delay_seconds * 2^(attempt-1)), and refreshes its
 * sweep's status; undefined when it no longer owns it.
 */
export const finishAttempt = async (
  tx: Queryable,
  key: AttemptKey,
  end: AttemptEnd,
): Promise<EndedStatus | undefined> => {
  const { rows } = await tx.query<{ status: EndedStatus; sweep_id: string | null }>(finishSql, [
    key.runId,
    key.workerId,
    key.attempt,
    end.status,
    end.errorMessage,
    end.traceback,
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

/** What a cancel did. */
export interface CancelResult {
  /** Queued runs that are now cancelled. */
  readonly cancelled: number;
  /** Running runs whose workers were asked to stop. */
  readonly requested: number;
}

const cancelSql = `
UPDATE nf_model_runs SET
  status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
  end_time = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE end_time END,
  error_message = CASE WHEN status = 'queued' THEN 'cancelled: before it started' ELSE error_message END,
  cancel_requested_at = CASE WHEN status = 'running' THEN COALESCE(cancel_requested_at, clock_timestamp())
                             ELSE cancel_requested_at END
WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')
RETURNING status, sweep_id`;

/** Which runs a cancel applies to: one run, or every run of a sweep. */
export type CancelTarget = { readonly runId: string } | { readonly sweepId: string };

/**
 * Cancels the unfinished runs of `target` inside `tx`: queued ones at once, running ones flagged
 * (their workers stop on the next heartbeat). The runs are locked in id order before any is
 * changed: each change also locks the sweep row (count trigger), and a worker finishing a run
 * locks that run first, then the sweep — locking every run first keeps the order the same and the
 * two from deadlocking.
 */
export const cancelRuns = async (tx: Queryable, target: CancelTarget): Promise<CancelResult> => {
  const [where, id] = 'runId' in target ? ['id = $1', target.runId] : ['sweep_id = $1', target.sweepId];
  const { rows: locked } = await tx.query<Pick<ModelRunRow, 'id'>>(
    `SELECT id FROM nf_model_runs WHERE (${where}) AND status IN ('queued', 'running') ORDER BY id FOR UPDATE`,
    [id],
  );
  if (locked.length === 0) return { cancelled: 0, requested: 0 };
  const { rows } = await tx.query<{ status: string; sweep_id: string | null }>(cancelSql, [
    locked.map((row) => row.id),
  ]);
  await refreshSweepStatuses(
    tx,
    rows.map((row) => row.sweep_id),
  );
  return {
    cancelled: rows.filter((row) => row.status === 'cancelled').length,
    requested: rows.filter((row) => row.status === 'running').length,
  };
};

/** True when the run exists. */
export const runExists = async (q: Queryable, runId: string): Promise<boolean> => {
  const { rows } = await q.query('SELECT 1 FROM nf_model_runs WHERE id = $1', [runId]);
  return rows.length > 0;
};

/**
 * Inside `tx`: requeues the sweep's runs that failed because their worker was lost (with
 * `retryFailed`, every failed run) with a fresh attempt budget, and refreshes the sweep's status;
 * returns how many were requeued.
 */
export const requeueFailedSweepRuns = async (
  tx: Queryable,
  sweepId: string,
  options: { readonly retryFailed?: boolean } = {},
): Promise<number> => {
  // Locked first, in id order, like every multi-run change (see cancelRuns).
  const { rows: failed } = await tx.query<Pick<ModelRunRow, 'id'>>(
    `SELECT id FROM nf_model_runs
          WHERE sweep_id = $1 AND status = 'failed' AND ($2 OR starts_with(error_message, $3))
          ORDER BY id FOR UPDATE`,
    [sweepId, options.retryFailed ?? false, WORKER_LOST_PREFIX],
  );
  const { rowCount } = await tx.query(
    `UPDATE nf_model_runs SET status = 'queued', attempt = 0, not_before = NULL, end_time = NULL,
                duration_seconds = NULL, heartbeat_at = NULL, cancel_requested_at = NULL
          WHERE id = ANY($1::uuid[]) AND status = 'failed'`,
    [failed.map((row) => row.id)],
  );
  await refreshSweepStatus(tx, sweepId);
  return rowCount;
};

/** True while runs are queued or running (of the sweep, or of anyone). */
export const hasPendingRuns = async (
  q: Queryable,
  options: { readonly sweepId?: string } = {},
): Promise<boolean> => {
  const bySweep = options.sweepId !== undefined;
  const { rows } = await q.query(
    `SELECT 1 FROM nf_model_runs WHERE status IN ('queued', 'running') ${bySweep ? 'AND sweep_id = $1' : ''} LIMIT 1`,
    bySweep ? [options.sweepId] : [],
  );
  return rows.length > 0;
};

/** A new sweep's row. */
export interface NewSweep {
  readonly name: string | null;
  /** The sweep spec as the user wrote it. */
  readonly spec: unknown;
  readonly mode: string;
  readonly plannedRuns: number;
}

/** Inserts a queued sweep; returns its id. */
export const insertSweep = async (q: Queryable, sweep: NewSweep): Promise<string> => {
  const { rows } = await q.query<Pick<SweepRow, 'id'>>(
    `INSERT INTO nf_sweeps (name, spec, mode, planned_runs, status) VALUES ($1, $2::jsonb, $3, $4, 'queued')
         RETURNING id`,
    [sweep.name, JSON.stringify(sweep.spec), sweep.mode, sweep.plannedRuns],
  );
  return (rows[0] as { id: string }).id;
};

/** The status and spec of a run (what a model operation on it checks); undefined when there is none. */
export const findRunStatusAndSpec = async (
  q: Queryable,
  runId: string,
): Promise<Pick<ModelRunRow, 'status' | 'spec'> | undefined> => {
  const { rows } = await q.query<Pick<ModelRunRow, 'status' | 'spec'>>(
    'SELECT status, spec FROM nf_model_runs WHERE id = $1',
    [runId],
  );
  return rows[0];
};

/** The spec a sweep was created from; undefined when there is no such sweep. */
export const findSweepSpec = async (
  q: Queryable,
  sweepId: string,
): Promise<Pick<SweepRow, 'spec'> | undefined> => {
  const { rows } = await q.query<Pick<SweepRow, 'spec'>>('SELECT spec FROM nf_sweeps WHERE id = $1', [
    sweepId,
  ]);
  return rows[0];
};
