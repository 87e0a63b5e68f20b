/**
 * The run queue over nf_model_runs: claim with FOR UPDATE SKIP LOCKED, heartbeats, ownership-checked
 * outcomes, retries with backoff, cancellation, reaping of dead workers and resume after a crash.
 * The same SQL runs on PGlite (one process, several loops) and on a server (any number of processes).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import type { Db, Queryable } from '@nflab/store';
import {
  finishAttempt,
  requeueAttempt,
  requeueOrphans,
  type AttemptKey,
  type EndedStatus,
} from './attempt-end.js';
import { cancelRunsWhere, type CancelResult } from './cancel.js';
import { claimNextRun } from './claim.js';
import { insertRuns } from './insert-runs.js';
import { reapLostRuns, WORKER_LOST_PREFIX } from './reap.js';
import { checkUuid, readSweepProgress, refreshSweepStatus } from './sweep-status.js';
import type {
  ClaimedRun,
  EnqueueRun,
  HeartbeatState,
  QueueOptions,
  RunOutcome,
  SweepProgress,
} from './types.js';

/** Default {@link QueueOptions.staleAfterMs}: with 2 s heartbeats a dead worker is marked within 30 s. */
export const DEFAULT_STALE_AFTER_MS = 25_000;

/** `${hostname}:${pid}:${random}`: unique per queue, and says where a lost worker ran. */
export const defaultWorkerId = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** A run's status after an attempt, as {@link RunQueue.settle} reports it; 'lost' = another worker's now. */
export type SettledStatus = EndedStatus | 'lost';

/** Input of {@link RunQueue.createSweep}. */
export interface CreateSweepInput {
  readonly name?: string;
  /** The sweep spec as the user wrote it. */
  readonly spec: unknown;
  readonly mode: string;
  readonly runs: readonly EnqueueRun[];
}

/** The PostgreSQL-backed queue of runs; one instance per worker identity. */
export class RunQueue {
  /** The worker_id this queue claims runs under. */
  readonly workerId: string;
  /** A running run whose heartbeat is older than this is lost. */
  readonly staleAfterMs: number;
  readonly #db: Db;
  /**
   * Attempts this queue claimed and has not let go of: run id -> attempt (the ownership token) and
   * whether finish() recorded an outcome. A finished attempt is kept until its run is seen ended
   * (its transaction may still roll back, and the caller may run it again), then forgotten.
   */
  readonly #held = new Map<string, { readonly attempt: number; finishing: boolean }>();
  /** Claims run one at a time per queue, so an orphan check never races a claim in flight. */
  #claimChain: Promise<unknown> = Promise.resolve();
  /**
   * Runs marked running under this worker id that no attempt of this queue holds may exist: at
   * start (a worker restarted with a fixed --worker-id) and after a claim failed mid-transaction
   * (its COMMIT may have gone through unseen). The next claim hands them back first.
   */
  #mayHaveOrphans = true;

  constructor(db: Db, options: QueueOptions = {}) {
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    if (!(Number.isFinite(staleAfterMs) && staleAfterMs > 0))
      throw new ConfigError(`staleAfterMs must be a positive number of milliseconds, got ${staleAfterMs}`);
    if (options.workerId !== undefined && options.workerId.trim() === '')
      throw new ConfigError('workerId must not be empty (leave it out for hostname:pid:random)');
    this.#db = db;
    this.staleAfterMs = staleAfterMs;
    this.workerId = options.workerId ?? defaultWorkerId();
  }

  /** One transaction: nf_sweeps row (spec as written, mode, planned_runs, status queued) + its runs. */
  async createSweep(input: CreateSweepInput): Promise<{ sweepId: string; runIds: string[] }> {
    if (input.spec === undefined) throw new ConfigError('createSweep needs the sweep spec as written (spec)');
    if (input.mode.trim() === '') throw new ConfigError("createSweep needs a mode (e.g. 'grid')");
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO nf_sweeps (name, spec, mode, planned_runs, status) VALUES ($1, $2::jsonb, $3, $4, 'queued')
         RETURNING id`,
        [input.name ?? null, JSON.stringify(input.spec), input.mode, input.runs.length],
      );
      const sweepId = (rows[0] as { id: string }).id;
      const runIds = await insertRuns(tx, input.runs, { sweepId, skipExisting: false });
      // A sweep with no runs has nothing left to do.
      await refreshSweepStatus(tx, sweepId);
      return { sweepId, runIds };
    });
  }

  /** Inserts queued runs (seed columns from the spec); ConflictError when a sweep already has a fingerprint. */
  async enqueue(
    runs: readonly EnqueueRun[],
    options: { sweepId?: string; tx?: Queryable } = {},
  ): Promise<string[]> {
    const sweepId = options.sweepId ?? null;
    const insert = async (q: Queryable): Promise<string[]> => {
      const ids = await insertRuns(q, runs, { sweepId, skipExisting: false });
      if (sweepId !== null) await refreshSweepStatus(q, sweepId);
      return ids;
    };
    return options.tx ? insert(options.tx) : this.#db.transaction(insert);
  }

  /** Resume: inserts the sweep's runs whose fingerprint it does not have yet; returns the new ids. */
  async addMissingRuns(sweepId: string, runs: readonly EnqueueRun[]): Promise<string[]> {
    checkUuid(sweepId, 'sweep');
    return this.#db.transaction(async (tx) => {
      const ids = await insertRuns(tx, runs, { sweepId, skipExisting: true });
      await refreshSweepStatus(tx, sweepId);
      return ids;
    });
  }

  /**
   * Atomically takes the next claimable queued run (priority desc, then queue order), optionally
   * of one sweep, and clears whatever an earlier attempt of it wrote; undefined when none.
   */
  claim(options: { sweepId?: string } = {}): Promise<ClaimedRun | undefined> {
    if (options.sweepId !== undefined) checkUuid(options.sweepId, 'sweep');
    const next = this.#claimChain.then(() => this.#claimNow(options.sweepId));
    this.#claimChain = next.catch(() => undefined);
    return next;
  }

  async #claimNow(sweepId: string | undefined): Promise<ClaimedRun | undefined> {
    try {
      await this.#forgetEndedAttempts();
      if (this.#mayHaveOrphans) {
        await this.#db.transaction((tx) => requeueOrphans(tx, this.workerId, [...this.#held.keys()]));
        this.#mayHaveOrphans = false;
      }
      const run = await this.#db.transaction((tx) =>
        claimNextRun(tx, {
          workerId: this.workerId,
          excludeIds: [...this.#held.keys()],
          ...(sweepId !== undefined ? { sweepId } : {}),
        }),
      );
      if (run) this.#held.set(run.id, { attempt: run.attempt, finishing: false });
      return run;
    } catch (error) {
      this.#mayHaveOrphans = true;
      throw error;
    }
  }

  /** Drops finished attempts whose runs the database no longer shows running under this worker. */
  async #forgetEndedAttempts(): Promise<void> {
    const finishing = [...this.#held].filter(([, held]) => held.finishing).map(([runId]) => runId);
    if (finishing.length === 0) return;
    const { rows } = await this.#db.query<{ id: string }>(
      `SELECT id FROM nf_model_runs WHERE id = ANY($1::uuid[]) AND status = 'running' AND worker_id = $2`,
      [finishing, this.workerId],
    );
    const stillRunning = new Set(rows.map((row) => row.id));
    for (const runId of finishing) if (!stillRunning.has(runId)) this.#held.delete(runId);
  }

  #key(runId: string): AttemptKey | undefined {
    const held = this.#held.get(runId);
    return held === undefined ? undefined : { runId, workerId: this.workerId, attempt: held.attempt };
  }

  /** Refreshes heartbeat_at if this worker's attempt still owns the run, and says whether to go on. */
  async heartbeat(runId: string): Promise<HeartbeatState> {
    const key = this.#key(runId);
    if (key === undefined) return 'lost';
    const { rows } = await this.#db.query<{ cancel: boolean }>(
      `UPDATE nf_model_runs SET heartbeat_at = clock_timestamp()
        WHERE id = $1 AND status = 'running' AND worker_id = $2 AND attempt = $3
        RETURNING cancel_requested_at IS NOT NULL AS cancel`,
      [key.runId, key.workerId, key.attempt],
    );
    const row = rows[0];
    if (row === undefined) return 'lost';
    return row.cancel ? 'cancel-requested' : 'owned';
  }

  /**
   * Inside the caller's transaction (results and status commit together): records the outcome if
   * this worker's attempt still owns the running run; false when it was reaped, cancelled or taken.
   * A failure with attempts left goes back to queued after retry_delay_seconds * 2^(attempt-1).
   */
  async finish(tx: Queryable, runId: string, outcome: RunOutcome): Promise<boolean> {
    const key = this.#key(runId);
    if (key === undefined) return false;
    const status = await finishAttempt(tx, key, outcome);
    if (status === undefined) return false;
    // Not forgotten yet: should `tx` roll back, a second finish (or the loop's settle) still owns it.
    const held = this.#held.get(runId);
    if (held !== undefined) held.finishing = true;
    return true;
  }

  /**
   * Ends an attempt for good from the worker loop's side, in a transaction of its own: if the
   * attempt still owns the run (execute did not finish it, or its transaction rolled back), records
   * `outcome` ('requeue' hands it back uncounted). Returns the run's status afterwards ('lost' when
   * another worker holds it), and forgets the attempt.
   */
  async settle(run: ClaimedRun, outcome: RunOutcome | 'requeue'): Promise<SettledStatus> {
    const key: AttemptKey = { runId: run.id, workerId: this.workerId, attempt: run.attempt };
    const status = await this.#db.transaction(async (tx): Promise<SettledStatus> => {
      const { rows } = await tx.query<{
        status: EndedStatus | 'running';
        worker_id: string | null;
        attempt: number;
      }>('SELECT status, worker_id, attempt FROM nf_model_runs WHERE id = $1 FOR UPDATE', [run.id]);
      const row = rows[0];
      if (row === undefined) return 'lost';
      const ours = row.worker_id === key.workerId && row.attempt === key.attempt;
      if (row.status === 'running' && ours) {
        const ended =
          outcome === 'requeue' ? await requeueAttempt(tx, key) : await finishAttempt(tx, key, outcome);
        return ended ?? 'lost';
      }
      if (row.status === 'running' || (row.status === 'queued' && !ours)) return 'lost';
      return row.status;
    });
    if (this.#held.get(run.id)?.attempt === run.attempt) this.#held.delete(run.id);
    return status;
  }

  /** Graceful shutdown: this worker's running run goes back to queued (the attempt is not counted). */
  async requeue(runId: string): Promise<void> {
    const key = this.#key(runId);
    if (key === undefined) return;
    await this.#db.transaction((tx) => requeueAttempt(tx, key));
    this.#held.delete(runId);
  }

  /** queued → cancelled at once; running → cancel requested (its worker stops on the next heartbeat). */
  async cancelRun(runId: string): Promise<CancelResult> {
    checkUuid(runId, 'run');
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query('SELECT 1 FROM nf_model_runs WHERE id = $1', [runId]);
      if (rows.length === 0) throw new NotFoundError(`run ${runId} does not exist`);
      return cancelRunsWhere(tx, 'id = $1', [runId]);
    });
  }

  /** Cancels every unfinished run of the sweep (queued at once, running on their next heartbeat). */
  async cancelSweep(sweepId: string): Promise<CancelResult> {
    checkUuid(sweepId, 'sweep');
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query('SELECT 1 FROM nf_sweeps WHERE id = $1', [sweepId]);
      if (rows.length === 0) throw new NotFoundError(`sweep ${sweepId} does not exist`);
      return cancelRunsWhere(tx, 'sweep_id = $1', [sweepId]);
    });
  }

  /**
   * Runs whose heartbeat is older than staleAfterMs (database clock): failed with
   * 'worker lost: <worker_id> sent no heartbeat for N s', or requeued when attempts remain.
   */
  async reapLost(): Promise<string[]> {
    return this.#db.transaction((tx) => reapLostRuns(tx, this.staleAfterMs));
  }

  /**
   * After a crash: reaps, then requeues the sweep's runs that failed because their worker was lost
   * (with retryFailed, every failed run) with a fresh attempt budget; finished and cancelled runs stay.
   */
  async resumeSweep(sweepId: string, options: { retryFailed?: boolean } = {}): Promise<{ requeued: number }> {
    checkUuid(sweepId, 'sweep');
    await this.reapLost();
    return this.#db.transaction(async (tx) => {
      const { rows: sweeps } = await tx.query('SELECT 1 FROM nf_sweeps WHERE id = $1', [sweepId]);
      if (sweeps.length === 0) throw new NotFoundError(`sweep ${sweepId} does not exist`);
      // Locked first, in id order, like every multi-run change (see cancelRunsWhere).
      const { rows: failed } = await tx.query<{ id: string }>(
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
      return { requeued: rowCount };
    });
  }

  /** True while runs are queued or running (of the sweep, or of anyone): a worker that exits when idle asks this. */
  async hasPendingRuns(options: { sweepId?: string } = {}): Promise<boolean> {
    const bySweep = options.sweepId !== undefined;
    const { rows } = await this.#db.query(
      `SELECT 1 FROM nf_model_runs WHERE status IN ('queued', 'running') ${bySweep ? 'AND sweep_id = $1' : ''} LIMIT 1`,
      bySweep ? [options.sweepId] : [],
    );
    return rows.length > 0;
  }

  /** Counts of the sweep (from nf_sweeps' trigger-maintained columns) and its status. */
  sweepProgress(sweepId: string): Promise<SweepProgress> {
    return readSweepProgress(this.#db, sweepId);
  }
}
