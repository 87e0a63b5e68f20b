/**
 * Runs a compute job on a thread of its own and waits for its result. Storage calls from the
 * thread are served here (where the database connection lives); a stop request is forwarded, and a
 * thread that does not stop within the grace period is terminated, so a cancelled run frees its
 * CPU promptly whatever the thread is doing.
 */
import { spawnEngineWorker, workerEntryUrl } from '@nflab/engine';
import type { StudyStorage } from '@nflab/tune';
import type { FromCompute, ToCompute } from './compute-protocol.js';
import type { ComputeJob, ComputeResult, StepEvent } from './compute-types.js';
import { reviveError } from './error-transport.js';
import { serveStorageCall } from './storage-rpc.js';

/** Hooks of {@link computeInThread}. */
export interface ComputeThreadHooks {
  readonly storage: StudyStorage;
  readonly signal: AbortSignal;
  readonly onStep: (event: StepEvent) => void;
  readonly onLog: (message: string) => void;
  /** Time a stopped thread gets to wind down before it is terminated. @default 10_000 */
  readonly stopGraceMs?: number;
}

/** Computes `job` in a new worker thread; rejects with the thread's error (its class and stack kept). */
export const computeInThread = (job: ComputeJob, hooks: ComputeThreadHooks): Promise<ComputeResult> => {
  hooks.signal.throwIfAborted();
  const worker = spawnEngineWorker(workerEntryUrl('compute-thread', import.meta.url));
  const send = (message: ToCompute): void => worker.postMessage(message);
  let killTimer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  return new Promise<ComputeResult>((resolve, reject) => {
    onAbort = (): void => {
      const reason = hooks.signal.reason instanceof Error ? hooks.signal.reason.message : 'stopped';
      send({ type: 'stop', reason });
      killTimer = setTimeout(() => {
        reject(hooks.signal.reason);
        void worker.terminate();
      }, hooks.stopGraceMs ?? 10_000);
      killTimer.unref();
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromCompute) => {
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
          resolve(message.result);
          break;
        case 'error':
          reject(message.error.aborted ? hooks.signal.reason : reviveError(message.error));
          break;
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      reject(new Error(`compute thread exited with code ${code} before answering`)),
    );
    send({ type: 'start', job });
  }).finally(() => {
    if (onAbort) hooks.signal.removeEventListener('abort', onAbort);
    clearTimeout(killTimer);
    void worker.terminate();
  });
};
