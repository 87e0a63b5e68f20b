/**
 * Entry of a run's compute thread: one TensorFlow.js instance runs one run's compute step and
 * streams its losses and logs back; the study storage is the main thread's, reached by messages.
 */
import { parentPort } from 'node:worker_threads';
import { computeRun } from './compute.js';
import type { FromCompute, ToCompute } from './compute-protocol.js';
import { serializeError } from './error-transport.js';
import { createStorageProxy } from './storage-rpc.js';

const port = parentPort;
if (!port) throw new Error('compute-thread.ts must run in a worker thread');
const post = (message: FromCompute): void => port.postMessage(message);
const stop = new AbortController();
const proxy = createStorageProxy(post);

port.on('message', (message: ToCompute) => {
  if (message.type === 'storage-reply') proxy.onReply(message);
  else if (message.type === 'stop') stop.abort(new Error(message.reason));
  else {
    computeRun(message.job, {
      storage: proxy.storage,
      signal: stop.signal,
      onStep: (event) => post({ type: 'step', event }),
      onLog: (text) => post({ type: 'log', message: text }),
    }).then(
      (result) => post({ type: 'result', result }),
      (error: unknown) => post({ type: 'error', error: serializeError(error, stop.signal.aborted) }),
    );
  }
});
