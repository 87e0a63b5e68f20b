/**
 * The runner's side of OpenTelemetry tracing (issue 16), on `@opentelemetry/api` alone: the SDK is
 * started by the process that wants traces (the server, when OTEL_EXPORTER_OTLP_ENDPOINT is set).
 * Without one, the API's tracer and propagator are no-ops: spans are not recorded and no
 * traceparent is produced, so a run queued with tracing off stores none and costs nothing.
 *
 * A trace crosses two boundaries here, each by a W3C traceparent: the queue (stored in
 * `nf_model_runs.trace_parent` by the span that queued the run, continued by the worker that
 * claims it) and the compute thread (sent in the job, continued by the thread).
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

/** Whether `env` turns tracing on (an OTLP endpoint for traces is set): then, and only then, a process loads the SDK. */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim() !== '' ||
  (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? '').trim() !== '';

/** The instrumentation scope of the runner's spans. */
export const RUNNER_TRACER = '@nflab/runner';

/** The W3C traceparent of `ctx`'s span; null when nothing is traced (no SDK, or no recording span). */
export const traceparentOf = (ctx: Context = context.active()): string | null => {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? null;
};

/** The context a stored or sent traceparent continues; the root context when there is none. */
export const contextFromTraceparent = (traceparent: string | null | undefined): Context =>
  traceparent === null || traceparent === undefined
    ? ROOT_CONTEXT
    : propagation.extract(ROOT_CONTEXT, { traceparent });

/** The trace id inside a traceparent (its second field), for logs and run records. */
export const traceIdOf = (traceparent: string | null | undefined): string | null =>
  /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1] ?? null;

/**
 * Runs `fn` in a new active span under `parent` (the active context by default) and ends it; a
 * throw marks the span as an error and propagates.
 */
export const inSpan = <T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> =>
  trace.getTracer(RUNNER_TRACER).startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
