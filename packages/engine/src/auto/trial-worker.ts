/**
 * Entry of a trial worker thread: its own TensorFlow.js instance fits one NeuralForecast per
 * `run` message, streaming every train/validation loss back; `stop` aborts the fit before its
 * next step (a pruned or cancelled trial).
 */
import { parentPort } from 'node:worker_threads';
import { setBackend } from '../backend/backend.js';
import { NeuralForecast } from '../core/neural-forecast.js';
import { enableNativeMatmul } from '../native/enable.js';
import type { FromWorker, ToWorker, TrialJob } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('trial-worker.ts must run in a worker thread');
const running = new Map<number, AbortController>();
const post = (message: FromWorker): void => port.postMessage(message);

const run = async (id: number, job: TrialJob): Promise<void> => {
  const stop = new AbortController();
  running.set(id, stop);
  let nf: NeuralForecast | undefined;
  try {
    await setBackend(job.backend);
    // Each trial worker is one of several busy threads: one BLAS thread each avoids oversubscription.
    if (job.nativeMatmul) enableNativeMatmul({ threads: 1 });
    nf = new NeuralForecast({
      models: [{ id: job.model, config: job.config }],
      freq: job.freq,
      localScalerType: job.localScalerType,
    });
    await nf.fit({
      df: job.df,
      ...(job.staticDf ? { staticDf: job.staticDf } : {}),
      valSize: job.valSize,
      signal: stop.signal,
      onProgress: ({ model: _model, ...event }) => post({ type: 'progress', id, event }),
    });
    post({ type: 'done', id });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', id, name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  } finally {
    nf?.dispose();
    running.delete(id);
  }
};

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message.id, message.job);
  else running.get(message.id)?.abort(new Error('stopped by the study'));
});
