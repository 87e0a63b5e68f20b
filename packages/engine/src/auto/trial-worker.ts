/**
 * Entry of a trial worker thread: its own TensorFlow.js instance fits one NeuralForecast per job,
 * streaming every train/validation loss back; a stop aborts the fit before its next step (a
 * pruned or cancelled trial).
 */
import { setBackend } from '../backend/backend.js';
import { NeuralForecast } from '../core/neural-forecast.js';
import { enableNativeMatmul } from '../native/enable.js';
import type { TrainingEvent } from '../training/train.js';
import { serveWorkerChannel } from '../threads/worker-channel.js';
import type { TrialJob } from './worker-protocol.js';

serveWorkerChannel<TrialJob, void, TrainingEvent>(async (job, { signal, emit }) => {
  await setBackend(job.backend);
  // Each trial worker is one of several busy threads: one BLAS thread each avoids oversubscription.
  if (job.nativeMatmul) enableNativeMatmul({ threads: 1 });
  const nf = new NeuralForecast({
    models: [{ id: job.model, config: job.config }],
    freq: job.freq,
    localScalerType: job.localScalerType,
  });
  try {
    await nf.fit({
      df: job.df,
      ...(job.staticDf ? { staticDf: job.staticDf } : {}),
      valSize: job.valSize,
      signal,
      onProgress: ({ model: _model, ...event }) => emit(event),
    });
  } finally {
    nf.dispose();
  }
});
