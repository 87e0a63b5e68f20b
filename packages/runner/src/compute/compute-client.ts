/**
 * Runs compute jobs on threads of their own, kept between runs: a thread starts (and loads the
 * engine) once and then takes job after job, so a sweep of short runs does not pay seconds of
 * start-up per run. Storage calls from a thread are served here, where the database connection
 * lives. A stop request is forwarded; a thread that does not stop within the grace period is
 * terminated (and not reused), so a cancelled run frees its CPU whatever the thread is doing.
 */
import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker, workerEntryUrl } from '@nflab/engine';
import type { StudyStorage } from '@nflab/tune';
import type { FromCompute, ToCompute } from './compute-protocol.js';
import type { ComputeJob, ComputeResult, StepEvent } from './compute-types.js';
import { reviveError } from '@nflab/engine';
import { serveStorageCall } from './storage-rpc.js';

/** Hooks of one computation. */
export interface ComputeThreadHooks {
  readonly storage: StudyStorage;
  readonly signal: AbortSignal;
  readonly onStep: (event: StepEvent) => void;
  readonly onLog: (message: string) => void;
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

const spawn = (): Worker => {
  const worker = spawnEngineWorker(workerEntryUrl('compute-thread', import.meta.url));
  // An idle thread must not keep the process alive.
  worker.unref();
  return worker;
};

/** Runs one job on `worker`; resolves `reusable` false when the thread had to be terminated or died. */
const runOn = (
  worker: Worker,
  job: ComputeJob,
  hooks: ComputeThreadHooks,
): Promise<{ result?: ComputeResult; error?: unknown; reusable: boolean }> =>
  new Promise((settle) => {
    const send = (message: ToCompute): void => worker.postMessage(message);
    let killTimer: NodeJS.Timeout | undefined;
    const done = (outcome: { result?: ComputeResult; error?: unknown; reusable: boolean }): void => {
      hooks.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      settle(outcome);
    };
    const onAbort = (): void => {
      const reason = hooks.signal.reason instanceof Error ? hooks.signal.reason.message : 'stopped';
      send({ type: 'stop', reason });
      killTimer = setTimeout(() => {
        void worker.terminate();
        done({ error: hooks.signal.reason, reusable: false });
      }, hooks.stopGraceMs ?? 10_000);
      killTimer.unref();
    };
    const onMessage = (message: FromCompute): void => {
      switch (message.type) {
        case 'step':
          hooks.onStep(message.event);
          break;
        case 'log':
          hooks.onLog(message.message);
          break;
        case 'storage-call':
          void serveStorageCall(hooks.storage, message).then(send);
          break;
        case 'result':
          done({ result: message.result, reusable: true });
          break;
        case 'error':
          done({
            error: message.error.aborted ? hooks.signal.reason : reviveError(message.error),
            reusable: true,
          });
          break;
      }
    };
    const onError = (error: Error): void => done({ error, reusable: false });
    const onExit = (code: number): void =>
      done({ error: new Error(`compute thread exited with code ${code} before answering`), reusable: false });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    worker.ref();
    send({ type: 'start', job });
  });

/** Creates an empty pool; threads are started on demand. */
export const createComputePool = (): ComputePool => {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  let closed = false;
  return {
    compute: async (job, hooks) => {
      if (closed) throw new Error('the compute pool is closed');
      hooks.signal.throwIfAborted();
      const worker = idle.pop() ?? spawn();
      all.add(worker);
      const outcome = await runOn(worker, job, hooks);
      if (outcome.reusable && !closed) {
        worker.unref();
        idle.push(worker);
      } else {
        all.delete(worker);
        void worker.terminate();
      }
      if ('result' in outcome && outcome.result !== undefined) return outcome.result;
      throw outcome.error;
    },
    close: async () => {
      closed = true;
      idle.length = 0;
      await Promise.all([...all].map((worker) => worker.terminate()));
      all.clear();
    },
  };
};
