/**
 * The OpenTelemetry SDK of a process's main thread: a tracer provider exporting spans in batches,
 * in OTLP/protobuf over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the
 * OTEL_EXPORTER_OTLP_* settings itself) — its own spans and those its compute threads post to it —
 * registered as the thread's global provider with the W3C trace-context propagator and an
 * AsyncLocalStorage context manager. Imported only when tracing is on: loading it costs tens of
 * milliseconds and memory a lab without a collector should not pay.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { context, propagation, trace } from '@opentelemetry/api';
import { revivePostedSpan, type PostedSpan } from './posted-span.js';

/** The service name spans carry unless OTEL_SERVICE_NAME says otherwise. */
export const DEFAULT_SERVICE_NAME = 'nflab';

/** A started provider. */
export interface ThreadSdk {
  readonly provider: NodeTracerProvider;
  /** Exports every ended span now. */
  readonly flush: () => Promise<void>;
  /** Queues spans a compute thread ended (see ./thread-sdk.ts) for export with this thread's own. */
  readonly exportSpans: (spans: readonly unknown[]) => void;
  /** Flushes, stops exporting and unregisters the thread's globals. */
  readonly shutdown: () => Promise<void>;
}

/** Starts and registers this thread's tracer provider. */
export const startSdk = (env: NodeJS.ProcessEnv = process.env): ThreadSdk => {
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
    [ATTR_SERVICE_VERSION]: '0.1.0',
  });
  const batch = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [batch] });
  provider.register();
  return {
    provider,
    flush: () => provider.forceFlush(),
    // Only queued here: the batch goes out on its schedule, off the run's path. The spans come
    // from this lab's own compute threads (./thread-sdk.ts), hence the cast.
    exportSpans: (spans) => {
      for (const span of spans) batch.onEnd(revivePostedSpan(span as PostedSpan, resource));
    },
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
};
