/**
 * The worker loop: claims runs, executes them with a heartbeat each, settles what execute left
 * unfinished, reaps dead workers' runs, and rides out database restarts. Several loops (or one loop
 * with `concurrency` slots) may share a queue database; on PGlite they share one process.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import { ConfigError } from '@nflab/contracts';
import type { ClaimedRun, RunOutcome, RunQueue, SettledStatus } from '../queue/index.js';
import { isConnectionError } from '../queue/connection-errors.js';
import { contextFromTraceparent, inSpan, RUNNER_TRACER } from '../tracing/run-trace.js';
import { retryOnConnectionLoss } from './db-retry.js';
import { startHeartbeat } from './heartbeat.js';
import { runReaper } from './reaper.js';
import { RunAbortedError, type AbortCause } from './run-aborted.js';
import { sleep } from './sleep.js';

/**
 * Executes one claimed run. It calls `queue.finish(tx, run.id, outcome)` in the transaction that
 * writes its results, so results and status commit together, and stops when `signal` aborts.
 */
export type ExecuteRun = (
  run: ClaimedRun,
  ctx: { readonly signal: AbortSignal; readonly queue: RunQueue },
) => Promise<void>;

/** What the loop reports while it works. */
export type WorkerEvent =
  | { readonly type: 'claimed'; readonly run: ClaimedRun }
  /** An attempt ended; `status` is the run's status after it ('queued' = retry or requeue, 'lost' = another worker's now). */
  | { readonly type: 'done'; readonly runId: string; readonly status: SettledStatus }
  | { readonly type: 'reaped'; readonly runIds: string[] }
  | { readonly type: 'db-error'; readonly error: Error; readonly retryInMs: number }
  | { readonly type: 'idle' };

/** Options of {@link runWorkerLoop}. */
export interface WorkerLoopOptions {
  readonly queue: RunQueue;
  readonly execute: ExecuteRun;
  /** Runs executed at once by this loop. @default 1 */
  readonly concurrency?: number;
  /** Only this sweep's runs. */
  readonly sweepId?: string;
  /** Stop when nothing queued or running is left (of the sweep, or of anyone). @default false */
  readonly exitWhenIdle?: boolean;
  /** Wait between claims when the queue is empty, and between reaps. @default 500 */
  readonly pollMs?: number;
  /**
   * Reap dead workers' runs every pollMs too. Off when the process runs its own reaper beside the
   * loop (the server does, so it reaps with no worker slots as well). @default true
   */
  readonly reapLost?: boolean;
  /** Heartbeat period of a running attempt; below the queue's staleAfterMs. @default 2000 */
  readonly heartbeatMs?: number;
  /** Graceful stop: no new claims; running attempts finish. */
  readonly signal?: AbortSignal;
  /** Hard stop: running attempts are aborted and their runs requeued (the attempt not counted). */
  readonly abortRunning?: AbortSignal;
  readonly onEvent?: (event: WorkerEvent) => void;
}

const positive = (name: string, value: number, integer: boolean): number => {
  if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value))))
    throw new ConfigError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return value;
};

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The outcome the loop records for an attempt execute left running (settle ignores it otherwise). */
const leftoverOutcome = (
  run: ClaimedRun,
  cause: AbortCause | undefined,
  thrown: { error: unknown } | undefined,
): RunOutcome | 'requeue' => {
  if (cause === 'shutdown') return 'requeue';
  // A broken connection is the infrastructure's failure, not the run's: run it again uncounted.
  if (thrown !== undefined && isConnectionError(thrown.error)) return 'requeue';
  if (cause === 'cancel-requested') return { status: 'cancelled', reason: 'cancel requested while running' };
  if (thrown !== undefined) {
    const error = asError(thrown.error);
    return { status: 'failed', error: { message: error.message, stack: error.stack ?? error.message } };
  }
  const message = `execute returned without finishing run ${run.id}: call queue.finish(tx, run.id, outcome) in its final transaction`;
  return { status: 'failed', error: { message, stack: new Error(message).stack ?? message } };
};

/**
 * Continues the trace that queued `run` (its stored traceparent; nothing when it has none): a
 * `queue dequeue` span from the claim to now, then `fn` in a `run execute` span, so the run's
 * database writes and compute thread join the trace of the request that queued it.
 */
const executeTraced = (run: ClaimedRun, fn: () => Promise<void>): Promise<void> => {
  if (run.traceParent === null) return fn();
  const parent = contextFromTraceparent(run.traceParent);
  const attributes = {
    'nflab.run.id': run.id,
    'nflab.run.attempt': run.attempt,
    'nflab.worker.id': run.workerId,
  };
  trace
    .getTracer(RUNNER_TRACER)
    .startSpan('queue dequeue', { kind: SpanKind.CONSUMER, startTime: run.startTime, attributes }, parent)
    .end();
  const operation = { 'nflab.run.operation': run.operation.kind, 'nflab.run.model': run.spec.model };
  return inSpan('run execute', { attributes: { ...attributes, ...operation } }, fn, parent);
};

/** Runs workers until stopped (or idle, with exitWhenIdle); resolves with the number of attempts executed. */
export async function runWorkerLoop(options: WorkerLoopOptions): Promise<{ executed: number }> {
  const { queue, execute, sweepId, exitWhenIdle = false } = options;
  const concurrency = positive('concurrency', options.concurrency ?? 1, true);
  const pollMs = positive('pollMs', options.pollMs ?? 500, false);
  const heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? 2_000, false);
  if (heartbeatMs >= queue.staleAfterMs)
    throw new ConfigError(
      `heartbeatMs (${heartbeatMs}) must be below the queue's staleAfterMs (${queue.staleAfterMs}), or live runs look lost`,
    );
  const emit = (event: WorkerEvent): void => options.onEvent?.(event);
  const onDbError = (error: Error, retryInMs: number): void => emit({ type: 'db-error', error, retryInMs });
  const claimFilter = sweepId !== undefined ? { sweepId } : {};

  const stop = new AbortController();
  const abortAttempts = new Map<string, (cause: AbortCause) => void>();
  const hardStop = (): void => {
    stop.abort();
    for (const abort of abortAttempts.values()) abort('shutdown');
  };
  const stopGracefully = (): void => stop.abort();
  options.signal?.addEventListener('abort', stopGracefully, { once: true });
  options.abortRunning?.addEventListener('abort', hardStop, { once: true });
  if (options.signal?.aborted) stop.abort();
  if (options.abortRunning?.aborted) hardStop();

  let executed = 0;
  let fatal: { error: unknown } | undefined;

  /** Executes a claimed run and always settles it, whatever execute (or an event listener) does. */
  const executeOne = async (run: ClaimedRun): Promise<void> => {
    const controller = new AbortController();
    let cause: AbortCause | undefined;
    const abort = (why: AbortCause): void => {
      if (cause !== undefined) return;
      cause = why;
      controller.abort(new RunAbortedError(run.id, why));
    };
    abortAttempts.set(run.id, abort);
    const stopBeat = startHeartbeat({
      queue,
      runId: run.id,
      intervalMs: heartbeatMs,
      onStop: abort,
      onError: (error) => onDbError(error, heartbeatMs),
    });
    // A hard stop that arrived while this run was being claimed applies to it too.
    if (options.abortRunning?.aborted) abort('shutdown');
    let thrown: { error: unknown } | undefined;
    try {
      emit({ type: 'claimed', run });
      await executeTraced(run, () => execute(run, { signal: controller.signal, queue }));
    } catch (error) {
      thrown = { error };
    } finally {
      stopBeat();
      abortAttempts.delete(run.id);
    }
    executed += 1;
    const outcome = leftoverOutcome(run, cause, thrown);
    const status = await retryOnConnectionLoss(() => queue.settle(run, outcome), { onError: onDbError });
    emit({ type: 'done', runId: run.id, status: status ?? 'lost' });
  };

  const slot = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const run = await retryOnConnectionLoss(() => queue.claim(claimFilter), {
        onError: onDbError,
        giveUpOn: stop.signal,
      });
      if (run !== undefined) {
        await executeOne(run);
        continue;
      }
      if (stop.signal.aborted) return;
      if (exitWhenIdle) {
        const pending = await retryOnConnectionLoss(() => queue.hasPendingRuns(claimFilter), {
          onError: onDbError,
          giveUpOn: stop.signal,
        });
        if (pending === false) return stop.abort();
      }
      emit({ type: 'idle' });
      await sleep(pollMs, stop.signal);
    }
  };

  const guarded = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      // A bug, not a database hiccup: stop the whole loop and hand running runs back.
      fatal ??= { error };
      hardStop();
    }
  };

  const reaper = (): Promise<void> =>
    runReaper({
      queue,
      intervalMs: pollMs,
      signal: stop.signal,
      onReaped: (runIds) => emit({ type: 'reaped', runIds }),
      onError: (error) => onDbError(error, pollMs),
    });
  const slots = Array.from({ length: concurrency }, () => guarded(slot));

  try {
    await Promise.all(options.reapLost === false ? slots : [guarded(reaper), ...slots]);
  } finally {
    options.signal?.removeEventListener('abort', stopGracefully);
    options.abortRunning?.removeEventListener('abort', hardStop);
  }
  if (fatal !== undefined) throw fatal.error;
  return { executed };
}
