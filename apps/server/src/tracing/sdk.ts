/**
 * The OpenTelemetry SDK of one thread: a tracer provider exporting spans in OTLP/protobuf over
 * HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the OTEL_EXPORTER_OTLP_* settings
 * itself), registered as the thread's global provider with the W3C trace-context propagator and an
 * AsyncLocalStorage context manager. Imported only when tracing is on: loading it costs tens of
 * milliseconds and memory a lab without a collector should not pay.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { context, propagation, trace } from '@opentelemetry/api';

/** The service name spans carry unless OTEL_SERVICE_NAME says otherwise. */
export const DEFAULT_SERVICE_NAME = 'nflab';

/** A started provider. */
export interface ThreadSdk {
  readonly provider: NodeTracerProvider;
  /** Exports every ended span now. */
  readonly flush: () => Promise<void>;
  /** Flushes, stops exporting and unregisters the thread's globals. */
  readonly shutdown: () => Promise<void>;
}

/** Starts and registers this thread's tracer provider. */
export const startSdk = (env: NodeJS.ProcessEnv = process.env): ThreadSdk => {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
      [ATTR_SERVICE_VERSION]: '0.1.0',
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return {
    provider,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
};

/**
 * A compute thread's SDK (the runner's compute thread imports this module by URL: see
 * RunExecutorOptions.threadTracing); started once per thread.
 */
export const startThreadTracing = (): Promise<{ readonly flush: () => Promise<void> }> => {
  const sdk = startSdk();
  return Promise.resolve({ flush: sdk.flush });
};
