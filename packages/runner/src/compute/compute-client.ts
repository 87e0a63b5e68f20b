/**
 * Runs compute jobs on threads of their own, kept between runs: a thread starts (and loads the
 * engine) once and then takes job after job, so a sweep of short runs does not pay seconds of
 * start-up per run. Storage calls from a thread are served here, where the database connection
 * lives. A stop request is forwarded; a thread that does not stop within the grace period is
 * terminated (and not reused), so a cancelled run frees its CPU whatever the thread is doing.
 */
import { spawnEngineWorker, WorkerChannel, workerEntryUrl } from '@nflab/engine';
import type { StudyStorage } from '@nflab/tune';
import type { ComputeEvent } from './compute-protocol.js';
import type { ComputeJob, ComputeResult, StepEvent } from './compute-types.js';
import { serveStorageCall, type StorageCall } from './storage-rpc.js';

/** Hooks of one computation. */
export interface ComputeThreadHooks {
  readonly storage: StudyStorage;
  readonly signal: AbortSignal;
  readonly onStep: (event: StepEvent) => void;
  readonly onLog: (message: string) => void;
  /** Spans a traced job's thread ended (see ThreadTracing.exportSpans). */
  readonly onSpans?: (spans: readonly unknown[]) => void;
  /** Time a stopped thread gets to wind down before it is terminated. @default 10_000 */
  readonly stopGraceMs?: number;
}

/** Compute threads, reused between runs; as many as runs computed at once. */
export interface ComputePool {
  /** Computes `job` on an idle thread (a new one when none is idle); rejects with the thread's error. */
  readonly compute: (job: ComputeJob, hooks: ComputeThreadHooks) => Promise<ComputeResult>;
  /** Terminates every thread. */
  readonly close: () => Promise<void>;
}

type ComputeChannel = WorkerChannel<ComputeJob, ComputeResult, ComputeEvent, StorageCall>;

const spawn = (): ComputeChannel => {
  const worker = spawnEngineWorker(workerEntryUrl('compute-thread', import.meta.url));
  // An idle thread must not keep the process alive.
  worker.unref();
  return new WorkerChannel(worker, 'compute thread');
};

/** Runs one job on `channel`'s thread, which keeps the process alive meanwhile. */
const runOn = async (
  channel: ComputeChannel,
  job: ComputeJob,
  hooks: ComputeThreadHooks,
): Promise<ComputeResult> => {
  channel.worker.ref();
  try {
    return await channel.run(job, {
      signal: hooks.signal,
      stopGraceMs: hooks.stopGraceMs ?? 10_000,
      onEvent: (event) => {
        if (event.type === 'step') hooks.onStep(event.event);
        else if (event.type === 'log') hooks.onLog(event.message);
        else hooks.onSpans?.(event.spans);
      },
      onRequest: (call) => serveStorageCall(hooks.storage, call),
    });
  } finally {
    channel.worker.unref();
  }
};

/** Creates an empty pool; threads are started on demand. */
export const createComputePool = (): ComputePool => {
  const idle: ComputeChannel[] = [];
  const all = new Set<ComputeChannel>();
  let closed = false;
  return {
    compute: async (job, hooks) => {
      if (closed) throw new Error('the compute pool is closed');
      hooks.signal.throwIfAborted();
      const channel = idle.pop() ?? spawn();
      all.add(channel);
      try {
        return await runOn(channel, job, hooks);
      } finally {
        // A thread that was terminated (it did not stop in time) or died is not reused.
        if (channel.alive && !closed) idle.push(channel);
        else {
          all.delete(channel);
          void channel.terminate();
        }
      }
    },
    close: async () => {
      closed = true;
      idle.length = 0;
      await Promise.all([...all].map((channel) => channel.terminate()));
      all.clear();
    },
  };
};
