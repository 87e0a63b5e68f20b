/**
 * Entry of a compute thread: its own TensorFlow.js instance runs one run's compute step at a time
 * and stays alive for the next (starting a thread and loading the engine costs seconds), streaming
 * losses and logs back; the study storage is the main thread's, reached by requests.
 */
import { serveWorkerChannel } from '@nflab/engine';
import { computeRun } from './compute-run.js';
import type { ComputeEvent } from './compute-protocol.js';
import type { ComputeJob, ComputeResult } from './compute-types.js';
import { createStorageProxy, type StorageCall } from './storage-rpc.js';

serveWorkerChannel<ComputeJob, ComputeResult, ComputeEvent, StorageCall>((job, task) =>
  computeRun(job, {
    storage: createStorageProxy(task.request),
    signal: task.signal,
    onStep: (event) => task.emit({ type: 'step', event }),
    onLog: (message) => task.emit({ type: 'log', message }),
  }),
);
