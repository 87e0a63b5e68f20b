/**
 * Entry of a compute thread: its own TensorFlow.js instance runs one run's compute step at a time
 * and stays alive for the next (starting a thread and loading the engine costs seconds), streaming
 * losses and logs back; the study storage is the main thread's, reached by messages.
 */
import { parentPort } from 'node:worker_threads';
import { computeRun } from './compute-run.js';
import type { FromCompute, ToCompute } from './compute-protocol.js';
import { serializeError } from '@nflab/engine';
import { createStorageProxy } from './storage-rpc.js';

const port = parentPort;
if (!port) throw new Error('compute-thread.ts must run in a worker thread');
const post = (message: FromCompute): void => port.postMessage(message);
const proxy = createStorageProxy(post);
let current: AbortController | undefined;

port.on('message', (message: ToCompute) => {
  if (message.type === 'storage-reply') proxy.onReply(message);
  else if (message.type === 'stop') current?.abort(new Error(message.reason));
  else {
    const stop = new AbortController();
    current = stop;
    computeRun(message.job, {
      storage: proxy.storage,
      signal: stop.signal,
      onStep: (event) => post({ type: 'step', event }),
      onLog: (text) => post({ type: 'log', message: text }),
    })
      .then(
        (result) => post({ type: 'result', result }),
        (error: unknown) => post({ type: 'error', error: serializeError(error, stop.signal.aborted) }),
      )
      .finally(() => {
        if (current === stop) current = undefined;
      });
  }
});
