/**
 * The run queue: claim with SKIP LOCKED row locks, heartbeats, ownership-checked outcomes,
 * retries with backoff, cancellation, reaping of dead workers and resume after a crash. The
 * statements are the store's queue repository; this class keeps which attempts a worker holds.
 * The same SQL runs on PGlite (one process, several loops) and on a server (any number of processes).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, NotFoundError, type RunOperation, type RunSpec } from '@nflab/contracts';
import {
  cancelRuns,
  claimNextQueuedRun,
  finishAttempt,
  hasPendingRuns as anyPendingRuns,
  heartbeatRun,
  insertSweep,
  lockRunOwnership,
  reapLostRuns,
  refreshSweepStatus,
  requeueAttempt,
  requeueFailedSweepRuns,
  requeueOrphans,
  runExists,
  runningRunIds,
  sweepExists,
  type AttemptEnd,
  type AttemptKey,
  type CancelResult,
  type ClaimedRunRow,
  type Db,
  type EndedStatus,
  type Queryable,
} from '@nflab/store';
import { insertRuns } from './insert-runs.js';
import { checkUuid, readSweepProgress } from './sweep-status.js';
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

/** How the run row records an outcome: failures with their stack, cancels with their reason. */
const attemptEnd = (outcome: RunOutcome): AttemptEnd => {
  switch (outcome.status) {
    case 'finished':
      return { status: 'finished', errorMessage: null, traceback: null };
    case 'failed':
      return { status: 'failed', errorMessage: outcome.error.message, traceback: outcome.error.stack };
    case 'cancelled':
      return { status: 'cancelled', errorMessage: `cancelled: ${outcome.reason}`, traceback: null };
  }
};

/** A claimed row as its worker sees it (the operation's options and kind back in one object). */
const claimedRun = (row: ClaimedRunRow, workerId: string): ClaimedRun => ({
  id: row.id,
  spec: row.spec as RunSpec,
  fingerprint: row.spec_fingerprint as string,
  operation: { ...(row.operation_options as Record<string, unknown>), kind: row.operation } as RunOperation,
  attempt: row.attempt,
  maxAttempts: row.max_attempts,
  sweepId: row.sweep_id,
  parentRunId: row.parent_run_id,
  traceParent: row.trace_parent,
  workerId,
  startTime: row.start_time,
});

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

  /** One transaction: the sweep row (spec as written, mode, planned runs, status queued) + its runs. */
  async createSweep(input: CreateSweepInput): Promise<{ sweepId: string; runIds: string[] }> {
    if (input.spec === undefined) throw new ConfigError('createSweep needs the sweep spec as written (spec)');
    if (input.mode.trim() === '') throw new ConfigError("createSweep needs a mode (e.g. 'grid')");
    return this.#db.transaction(async (tx) => {
      const sweepId = await insertSweep(tx, {
        name: input.name ?? null,
        spec: input.spec,
        mode: input.mode,
        plannedRuns: input.runs.length,
      });
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
      const row = await this.#db.transaction((tx) =>
        claimNextQueuedRun(tx, {
          workerId: this.workerId,
          excludeIds: [...this.#held.keys()],
          ...(sweepId !== undefined ? { sweepId } : {}),
        }),
      );
      if (row === undefined) return undefined;
      const run = claimedRun(row, this.workerId);
      this.#held.set(run.id, { attempt: run.attempt, finishing: false });
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
    const stillRunning = new Set(await runningRunIds(this.#db, finishing, this.workerId));
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
    const row = await heartbeatRun(this.#db, key);
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
    const status = await finishAttempt(tx, key, attemptEnd(outcome));
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
      const row = await lockRunOwnership(tx, run.id);
      if (row === undefined) return 'lost';
      const ours = row.worker_id === key.workerId && row.attempt === key.attempt;
      if (row.status === 'running' && ours) {
        const ended =
          outcome === 'requeue'
            ? await requeueAttempt(tx, key)
            : await finishAttempt(tx, key, attemptEnd(outcome));
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
      if (!(await runExists(tx, runId))) throw new NotFoundError(`run ${runId} does not exist`);
      return cancelRuns(tx, { runId });
    });
  }

  /** Cancels every unfinished run of the sweep (queued at once, running on their next heartbeat). */
  async cancelSweep(sweepId: string): Promise<CancelResult> {
    checkUuid(sweepId, 'sweep');
    return this.#db.transaction(async (tx) => {
      if (!(await sweepExists(tx, sweepId))) throw new NotFoundError(`sweep ${sweepId} does not exist`);
      return cancelRuns(tx, { sweepId });
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
      if (!(await sweepExists(tx, sweepId))) throw new NotFoundError(`sweep ${sweepId} does not exist`);
      return { requeued: await requeueFailedSweepRuns(tx, sweepId, options) };
    });
  }

  /** True while runs are queued or running (of the sweep, or of anyone): a worker that exits when idle asks this. */
  hasPendingRuns(options: { sweepId?: string } = {}): Promise<boolean> {
    return anyPendingRuns(this.#db, options);
  }

  /** Counts of the sweep (kept by a trigger on the sweep row) and its status. */
  sweepProgress(sweepId: string): Promise<SweepProgress> {
    return readSweepProgress(this.#db, sweepId);
  }
}
