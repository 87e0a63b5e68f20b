/** What a compute thread sends its run's main-thread side besides the result (see the engine's WorkerChannel). */
import type { StepEvent } from './compute-types.js';

/** Compute thread → main thread, while a job runs. */
export type ComputeEvent =
  | { readonly type: 'step'; readonly event: StepEvent }
  | { readonly type: 'log'; readonly message: string }
  /** Spans the thread ended during the job, posted once, just before its answer (see ThreadTracing). */
  | { readonly type: 'spans'; readonly spans: readonly unknown[] };
