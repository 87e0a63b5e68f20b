/**
 * OpenTelemetry traces of the lab server (issue 16), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set:
 * then — and only then — the SDK is loaded (./sdk.ts), the `pg` client is instrumented (a span per
 * statement sent inside a trace, never for the queue's background polling), Fastify requests get
 * spans (@fastify/otel), and the runner's spans (queue enqueue/dequeue, run execute, trials, the
 * compute thread's run compute) join the request's trace across the queue and the thread. Every
 * span leaves the process by one batch exporter, off the runs' path: a compute thread posts its
 * spans to the main thread (./thread-sdk.ts) instead of exporting them itself.
 */
import type { FastifyPluginCallback } from 'fastify';
import { tracingEnabled, type ThreadTracing } from '@nflab/runner';
import type { ThreadSdk } from './sdk.js';

/** Tracing as one process runs it. */
export interface LabTracing {
  /** Register first on a Fastify app: spans for its requests, continuing an incoming traceparent. */
  readonly fastifyPlugin: () => FastifyPluginCallback;
  /** How this process's compute threads record spans (RunExecutorOptions.threadTracing). */
  readonly threadTracing: ThreadTracing;
  /** Exports every ended span now. */
  readonly flush: () => Promise<void>;
}

export { tracingEnabled };

/** Beside this module: `.ts` when run from source (tests, tsx), `.js` when built. */
const sibling = (name: string): string =>
  new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * Requests that are not traced: probes and scrapes every few seconds would bury the traces people
 * look for, and a live-event stream is one request as long as a browser tab stays open.
 */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/metrics', '/api/health', '/api/ready', '/api/events']);

let started: Promise<{ tracing: LabTracing; sdk: ThreadSdk; unpatchPg: () => void }> | undefined;

const start = async (): Promise<{ tracing: LabTracing; sdk: ThreadSdk; unpatchPg: () => void }> => {
  const [{ startSdk }, { PgInstrumentation }, { FastifyOtelInstrumentation }, pg] = await Promise.all([
    import('./sdk.js'),
    import('@opentelemetry/instrumentation-pg'),
    import('@fastify/otel'),
    import('pg'),
  ]);
  const sdk = startSdk();
  // Patched by hand, not by a require hook: the store imports `pg` from ESM (which such hooks do
  // not see), and it may be loaded before tracing starts. Statements outside a trace get no span.
  const pgInstrumentation = new PgInstrumentation({ enabled: false, requireParentSpan: true });
  pgInstrumentation.setTracerProvider(sdk.provider);
  const definition = pgInstrumentation.getModuleDefinitions().find((d) => d.name === 'pg');
  const pgModule = pg.default;
  definition?.patch?.(pgModule, undefined);
  const fastifyOtel = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    ignorePaths: ({ url }) => UNTRACED_PATHS.has(url),
  });
  fastifyOtel.setTracerProvider(sdk.provider);
  return {
    sdk,
    unpatchPg: () => void definition?.unpatch?.(pgModule, undefined),
    tracing: {
      fastifyPlugin: () => fastifyOtel.plugin() as FastifyPluginCallback,
      threadTracing: { module: sibling('thread-sdk'), exportSpans: sdk.exportSpans },
      flush: sdk.flush,
    },
  };
};

/**
 * Starts tracing for this process once, when `env` turns it on; undefined (nothing loaded) when
 * it does not.
 */
export const startTracing = async (env: NodeJS.ProcessEnv = process.env): Promise<LabTracing | undefined> => {
  if (!tracingEnabled(env)) return undefined;
  started ??= start();
  return (await started).tracing;
};

/** Flushes and stops this process's tracing (tests, and a process that exits). */
export const stopTracing = async (): Promise<void> => {
  const current = started;
  started = undefined;
  if (current === undefined) return;
  const { sdk, unpatchPg } = await current;
  unpatchPg();
  await sdk.shutdown();
};
