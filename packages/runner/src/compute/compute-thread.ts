/**
 * Entry of a compute thread: its own TensorFlow.js instance runs one run's compute step at a time
 * and stays alive for the next (starting a thread and loading the engine costs seconds), streaming
 * losses and logs back; the study storage is the main thread's, reached by requests.
 *
 * A traced job (its `trace` set) runs in a `run compute` span continuing the traceparent the main
 * thread sent; the thread starts its own OpenTelemetry SDK from the job's `trace.sdk` module the
 * first time (a thread shares no tracer provider with the main thread) and posts the spans it ended
 * just before its answer, in one message: the main thread's SDK exports them in the background, so
 * the run waits for no export (see ../tracing/thread-tracing.ts).
 */
import { serveWorkerChannel } from '@nflab/engine';
import { contextFromTraceparent, inSpan } from '../tracing/run-trace.js';
import type { ThreadTracingModule } from '../tracing/thread-tracing.js';
import { computeRun } from './compute-run.js';
import type { ComputeEvent } from './compute-protocol.js';
import type { ComputeJob, ComputeResult } from './compute-types.js';
import { createStorageProxy, type StorageCall } from './storage-rpc.js';

let tracing: ReturnType<ThreadTracingModule['startThreadTracing']> | undefined;

serveWorkerChannel<ComputeJob, ComputeResult, ComputeEvent, StorageCall>(async (job, task) => {
  const compute = (): Promise<ComputeResult> =>
    computeRun(job, {
      storage: createStorageProxy(task.request),
      signal: task.signal,
      onStep: (event) => task.emit({ type: 'step', event }),
      onLog: (message) => task.emit({ type: 'log', message }),
    });
  const { trace } = job;
  if (trace === undefined) return compute();
  if (trace.sdk !== null)
    tracing ??= (import(trace.sdk) as Promise<ThreadTracingModule>).then((module) =>
      module.startThreadTracing(),
    );
  // Tracing that cannot start costs the run its thread spans, not its result.
  const sdk = await tracing?.catch((error: unknown) => {
    task.emit({ type: 'log', message: `no trace spans from the compute thread: ${String(error)}` });
    return undefined;
  });
  try {
    return await inSpan(
      'run compute',
      { attributes: { 'nflab.run.id': job.runId, 'nflab.run.operation': job.operation.kind } },
      compute,
      contextFromTraceparent(trace.traceparent),
    );
  } finally {
    // Before the answer (messages keep their order), so the spans are queued for export by the time the run is recorded.
    const spans = sdk?.drain() ?? [];
    if (spans.length > 0) task.emit({ type: 'spans', spans });
  }
});
