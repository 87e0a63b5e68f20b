/**
 * The compute step of a run: everything between "data loaded" and "results ready" — the search or
 * plain fit, the forecast, the rolling forecasts over the held-out test part, cross-validation and
 * the saved model, as the run's operation (operations/) does them. Pure engine work with no
 * database: it runs in a worker thread of its own (see compute-thread.ts) so concurrent runs use
 * all cores and the main thread stays free for heartbeats, and it can run in-thread for tests.
 */
import { enableNativeMatmul, engineRuntime, ensureBackend, withNativeThreads } from '@nflab/engine';
import type { ComputeHooks, ComputeJob, ComputeResult } from './compute-types.js';
import { runSizes } from './model-config.js';
import { runOperation } from './operations/index.js';

/** Trains (or loads) the run's model and produces everything its record needs. */
export const computeRun = async (job: ComputeJob, hooks: ComputeHooks): Promise<ComputeResult> => {
  await ensureBackend();
  if (job.nativeMatmul) {
    const native = enableNativeMatmul({ threads: job.cpus > 1 ? 1 : undefined });
    hooks.onLog(`native matmul: ${native.enabled ? `OpenBLAS ${native.coreType ?? ''}` : native.reason}`);
  }
  // An Auto search's trials run in workers with one BLAS thread each (set above; the count is
  // process-wide). Everything else a run computes — plain fits, forecasts, cross-validation — runs
  // alone on this thread, so it gets all the run's cpus (the Auto refit does so itself).
  const alone = <T>(compute: () => Promise<T>): Promise<T> => withNativeThreads(job.cpus, compute);
  const notes: string[] = [];
  const result = await runOperation(job.operation, { job, hooks, sizes: runSizes(job.spec), alone, notes });
  return { ...result, runtime: engineRuntime(), notes };
};
